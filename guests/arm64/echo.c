// SPDX-License-Identifier: Apache-2.0
/*
 * Console input through the virtual UART (arch/arm64/vpl011.c): find the PL011 of /chosen
 * stdout-path and its interrupt in the DTB, take its receive interrupts through the virtual
 * GIC (reading every byte in the handler, until UARTFR.RXFE), and print each line received
 * as "echo: got '<line>'". The line "quit" ends the scenario, which then checks that the
 * bytes came by interrupt (at least one per line) and that nothing else interrupted.
 */
#include "gic.h"
#include "stdout_uart.h"

#define UART_MIS 0x040u
#define UART_ICR 0x044u
#define UART_FR_RXFE (1u << 4)
#define UART_INT_RX (1u << 4)
#define UART_INT_RT (1u << 6)
#define UART_CR_EN 0x301u /* UARTEN | TXE | RXE */

static uint64_t uart_base;
static unsigned int uart_intid;
static char line[64];
static unsigned int len;
static volatile uint64_t irqs, lines, spurious;
static volatile bool quit;

static volatile uint32_t *uart_reg(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(uart_base + off);
}

static void got_byte(char c)
{
    if (c != '\r' && c != '\n') {
        if (len + 1 < sizeof(line)) {
            line[len++] = c;
        }
        return;
    }
    if (len == 0) {
        return;
    }
    line[len] = '\0';
    len = 0;
    lines++;
    gprintf("echo: got '%s'\n", line);
    if (strcmp(line, "quit") == 0) {
        quit = true;
    }
}

void guest_irq(unsigned int vcpu, unsigned int intid)
{
    (void)vcpu;
    if (intid != uart_intid) {
        spurious++;
        return;
    }
    irqs++;
    /* Like Linux's pl011_int(): every cause until the masked status reads 0. */
    while ((*uart_reg(UART_MIS) & (UART_INT_RX | UART_INT_RT)) != 0) {
        while ((*uart_reg(UART_FR) & UART_FR_RXFE) == 0) {
            got_byte((char)(*uart_reg(UART_DR) & 0xffu));
        }
        *uart_reg(UART_ICR) = UART_INT_RX | UART_INT_RT;
    }
}

void guest_main(struct guest_info *gi)
{
    uint64_t size;
    struct fdt_prop irq;
    int node = fdt_path(&gi->fdt, "/serial@9000000");

    GUEST_CHECK(stdout_uart(gi, &uart_base, &size) == 0, "no PL011 at /chosen stdout-path");
    GUEST_CHECK(node >= 0 && fdt_prop(&gi->fdt, node, "interrupts", &irq) == 0 && irq.len == 12 &&
                    fdt_be32((const uint8_t *)irq.data) == 0,
                "the console UART has no SPI in the DTB");
    uart_intid = fdt_be32((const uint8_t *)irq.data + 4) + 32;
    GUEST_CHECK(gic_init(gi) == 0, "no virtual GIC");
    gic_cpu_init(0);
    gic_enable_spi(uart_intid, 0);
    *uart_reg(UART_CR) = UART_CR_EN;
    *uart_reg(UART_ICR) = 0x7ffu;
    *uart_reg(UART_IMSC) = UART_INT_RX | UART_INT_RT;
    irq_mask(false);
    gprintf("echo: ready, UART interrupt %u\n", uart_intid);
    while (!quit) {
        __asm__ __volatile__("wfi");
    }
    irq_mask(true);
    GUEST_CHECK(irqs >= lines && spurious == 0, "%llu UART interrupts for %llu lines, %llu others",
                (unsigned long long)irqs, (unsigned long long)lines, (unsigned long long)spurious);
    gprintf("echo: %llu lines, %llu receive interrupts\n", (unsigned long long)lines,
            (unsigned long long)irqs);
}
