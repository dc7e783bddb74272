// SPDX-License-Identifier: Apache-2.0
/*
 * Arm PL011 UART, the hypervisor console: transmit, and receive by polling or on its
 * receive interrupt (RXIM + RTIM, unmasked when the console input is interrupt-driven). Register
 * offsets and bits from the PrimeCell UART (PL011) Technical Reference Manual, r1p5, 3.2-3.3. The
 * boot loader (or QEMU) has already set the baud rate; Bulkhead enables the transmitter and the
 * receiver.
 */
#include <arch/io.h>
#include <hv/console.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTCR 0x30
#define UARTIMSC 0x38
#define UARTICR 0x44
/* Receive and receive-timeout interrupts (TRM 3.3.10): together they fire for every byte,
 * whether or not the FIFO reaches its trigger level; reading the FIFO empty clears both. */
#define UART_RXI_BITS ((1u << 4) | (1u << 6))
#define UARTFR_TXFF (1u << 5) /* transmit FIFO full */
#define UARTFR_RXFE (1u << 4) /* receive FIFO empty */
#define UARTCR_UARTEN (1u << 0)
#define UARTCR_TXE (1u << 8)
#define UARTCR_RXE (1u << 9)

static volatile void *pl011_reg(struct serial_port *port, unsigned int off)
{
    return (volatile void *)(port->base + off);
}

static int pl011_init(struct serial_port *port)
{
    uint32_t cr = mmio_read32(pl011_reg(port, UARTCR));

    mmio_write32(pl011_reg(port, UARTCR), cr | UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE);
    return 0;
}

static void pl011_putc(struct serial_port *port, char c)
{
    while (mmio_read32(pl011_reg(port, UARTFR)) & UARTFR_TXFF) {
    }
    mmio_write32(pl011_reg(port, UARTDR), (uint8_t)c);
}

static void pl011_write(struct serial_port *port, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            pl011_putc(port, '\r');
        }
        pl011_putc(port, s[i]);
    }
}

/* Polled receive (TRM 3.3.1, 3.3.3): UARTDR[7:0] while the FIFO is not empty; the error
 * flags in UARTDR[11:8] are ignored (a console keystroke either arrives or does not). */
static int pl011_getc(struct serial_port *port)
{
    if (mmio_read32(pl011_reg(port, UARTFR)) & UARTFR_RXFE) {
        return -1;
    }
    return (int)(mmio_read32(pl011_reg(port, UARTDR)) & 0xffu);
}

static void pl011_rx_irq(struct serial_port *port, bool enable)
{
    uint32_t imsc = mmio_read32(pl011_reg(port, UARTIMSC));

    mmio_write32(pl011_reg(port, UARTICR), UART_RXI_BITS);
    mmio_write32(pl011_reg(port, UARTIMSC), enable ? imsc | UART_RXI_BITS : imsc & ~UART_RXI_BITS);
}

SERIAL_DRIVER(pl011_driver) = {
    .compatible = "arm,pl011",
    .init = pl011_init,
    .write = pl011_write,
    .getc = pl011_getc,
    .rx_irq = pl011_rx_irq,
};
