// SPDX-License-Identifier: Apache-2.0
/*
 * Interrupt-driven UART input on x86 (arch/x86/irq.c, vuart.c). One image, three roles by
 * what the guest DTB gives the partition:
 *  - "com2": a passed-through 16550 at /serial@i2f8 (the board's COM2, I/O ports in the
 *    partition's IOPM): its receive interrupt, ISA IRQ <n>, arrives as guest vector 0x20 + n
 *    (docs/x86.md). Lines typed into COM2 are echoed as "com2: got '<line>'"; "quit" ends
 *    with the line and interrupt counts and sets the "sync" region's flag for the peer.
 *  - "watch": a partition that borrows "sync" and owns no UART: every vector 0x20-0xff
 *    counts what arrives while the peer's COM2 is busy; any interrupt fails it.
 *  - "echo": the partition's virtual console UART (/serial@i3f8, COM1's ports, its vector
 *    in the DTB): the console input the hypervisor gives the focused partition, echoed as
 *    "echo: got '<line>'"; "quit" ends it.
 * Bytes are read only in the interrupt handler (LSR.DR, then RBR, until empty): a line that
 * arrives without an interrupt is never seen.
 */
#include <hv/fdt.h>
#include <hv/string.h>

#include "rt.h"

#define UART_RBR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_IER_ERBFI 0x01
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_LCR_8N1 0x03
#define UART_MCR_DTR_RTS_OUT2 0x0b
#define UART_LSR_DR 0x01
#define LINE_MAX 64u
#define RX_RING 256u
/* About 7 minutes of TSC at QEMU's 2.6 GHz: beyond the test's QEMU timeout. */
#define WAIT_TSC (UINT64_C(1) << 40)

static uint16_t uart_port;
static uint8_t rx_ring[RX_RING];
static volatile uint32_t rx_head, rx_tail; /* the handler writes tail, the loop reads head */
static volatile uint64_t rx_irqs;

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* The receive interrupt: take every byte the UART holds (its line then falls). */
static void uart_irq(uint32_t vec)
{
    (void)vec;
    rx_irqs++;
    while ((guest_inb((uint16_t)(uart_port + UART_LSR)) & UART_LSR_DR) != 0) {
        uint8_t c = guest_inb((uint16_t)(uart_port + UART_RBR));

        if (rx_tail - rx_head < RX_RING) {
            rx_ring[rx_tail % RX_RING] = c;
            rx_tail = rx_tail + 1;
        }
    }
}

/* The next received byte (waiting with interrupts on). */
static char next_byte(void)
{
    uint64_t start = rdtsc();
    char c;

    while (rx_head == rx_tail) {
        GUEST_CHECK(rdtsc() - start < WAIT_TSC, "no input");
        __asm__ __volatile__("pause" ::: "memory");
    }
    c = (char)rx_ring[rx_head % RX_RING];
    rx_head = rx_head + 1;
    return c;
}

/* Echo lines as "<what>: got '<line>'" until "quit"; then the counts. */
static void echo_lines(const char *what)
{
    char line[LINE_MAX + 1];
    unsigned int len = 0, lines = 0;

    for (;;) {
        char c = next_byte();

        if (c != '\r' && c != '\n') {
            if (len < LINE_MAX) {
                line[len++] = c;
            }
            continue;
        }
        if (len == 0) {
            continue;
        }
        line[len] = '\0';
        len = 0;
        lines++;
        gprintf("%s: got '%s'\n", what, line);
        if (strcmp(line, "quit") == 0) {
            break;
        }
    }
    GUEST_CHECK(rx_irqs > 0, "%s: input without a receive interrupt", what);
    gprintf("%s: %u lines, %llu receive interrupts\n", what, lines, (unsigned long long)rx_irqs);
}

/* Program the 16550 at port for receive interrupts at vector vec and take them. */
static void uart_start(uint16_t port, uint32_t vec)
{
    uart_port = port;
    guest_irq_init();
    guest_irq_handler(vec, uart_irq);
    guest_outb((uint16_t)(port + UART_LCR), UART_LCR_8N1);
    guest_outb((uint16_t)(port + UART_FCR), UART_FCR_ENABLE_CLEAR);
    guest_outb((uint16_t)(port + UART_MCR), UART_MCR_DTR_RTS_OUT2);
    guest_outb((uint16_t)(port + UART_IER), UART_IER_ERBFI);
    __asm__ __volatile__("sti" ::: "memory");
}

/* Cell 0 of node path's "interrupts", or fails. */
static uint32_t dt_irq(const struct fdt *fdt, int node, const char *path)
{
    struct fdt_prop irq;

    GUEST_CHECK(fdt_prop(fdt, node, "interrupts", &irq) == 0 && irq.len == 8,
                "%s: no <irq sense> interrupts in the DTB", path);
    return fdt_be32(irq.data);
}

void guest_main(struct guest_info *gi)
{
    struct fdt fdt;
    uint64_t base, size, flags;
    bool has_sync = guest_shm("sync", &base, &size, &flags) == 0;
    volatile uint64_t *sync = (volatile uint64_t *)(uintptr_t)base;
    int node;

    GUEST_CHECK(fdt_init(&fdt, gi->dtb, (size_t)gi->dtb_size) == 0, "module 0 is not a DTB");
    node = fdt_path(&fdt, "/serial@i2f8");
    if (node >= 0) {
        uint32_t irq = dt_irq(&fdt, node, "/serial@i2f8");

        /* Its ISA IRQ n arrives as vector 0x20 + n (no override on COM2's IRQ). */
        uart_start(0x2f8, 0x20 + irq);
        gprintf("com2: IRQ %u at vector %#x: ready\n", irq, 0x20 + irq);
        echo_lines("com2");
        GUEST_CHECK(has_sync && (flags & BH_SHM_OWNER) != 0, "no \"sync\" region to own");
        *sync = 1;
        return;
    }
    if (has_sync) {
        uint64_t start = rdtsc(), total = 0;

        guest_irq_init();
        __asm__ __volatile__("sti" ::: "memory");
        gprintf("watch: ready\n");
        while (*sync == 0) {
            GUEST_CHECK(rdtsc() - start < WAIT_TSC, "the peer never finished");
            __asm__ __volatile__("pause" ::: "memory");
        }
        for (uint32_t v = 0x20; v <= 0xff; v++) {
            if (guest_irq_count(v) != 0) {
                gprintf("watch: %llu interrupts at vector %#x\n",
                        (unsigned long long)guest_irq_count(v), v);
            }
            total += guest_irq_count(v);
        }
        GUEST_CHECK(total == 0, "%llu interrupts reached a partition that owns no device",
                    (unsigned long long)total);
        gprintf("watch: no interrupt while the peer's COM2 was busy\n");
        return;
    }
    node = fdt_path(&fdt, "/serial@i3f8");
    GUEST_CHECK(node >= 0, "no virtual console UART in the DTB");
    uart_start(0x3f8, dt_irq(&fdt, node, "/serial@i3f8"));
    gprintf("echo: ready\n");
    echo_lines("echo");
}
