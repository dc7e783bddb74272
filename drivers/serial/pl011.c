// SPDX-License-Identifier: Apache-2.0
/*
 * Arm PL011 UART, the hypervisor console: transmit, and receive by polling or on its
 * receive interrupt (RXIM + RTIM, unmasked when the console input is interrupt-driven). Register
 * offsets and bits from the PrimeCell UART (PL011) Technical Reference Manual, r1p5, 3.2-3.3. The
 * boot loader (or QEMU) has already set the baud rate; Bulkhead enables the FIFOs, the
 * transmitter and the receiver.
 */
#include <arch/io.h>
#include <hv/console.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTLCR_H 0x2c
#define UARTCR 0x30
#define UARTIMSC 0x38
#define UARTICR 0x44
/* Receive and receive-timeout interrupts (TRM 3.3.10): together they fire for every byte,
 * whether or not the FIFO reaches its trigger level; reading the FIFO empty clears both. */
#define UART_RXI_BITS ((1u << 4) | (1u << 6))
#define UARTFR_BUSY (1u << 3)   /* transmitting */
#define UARTFR_RXFE (1u << 4)   /* receive FIFO empty */
#define UARTFR_TXFF (1u << 5)   /* transmit FIFO full */
#define UARTFR_TXFE (1u << 7)   /* transmit FIFO empty */
#define UARTLCR_H_FEN (1u << 4) /* FIFOs enabled */
/* Transmit FIFO depth: 16 bytes, 32 from revision r1p5 on: the smaller serves every revision. */
#define PL011_TX_FIFO 16u
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
    uint32_t lcr = mmio_read32(pl011_reg(port, UARTLCR_H));

    /* The FIFOs on (UARTLCR_H.FEN), as the boot loader may not have left them: without, the
     * transmit side is a one-byte holding register and every byte waits for the last. The
     * line control register changes only with the UART disabled and idle (TRM 3.3.7, 3.3.8). */
    if ((lcr & UARTLCR_H_FEN) == 0) {
        while (mmio_read32(pl011_reg(port, UARTFR)) & UARTFR_BUSY) {
        }
        mmio_write32(pl011_reg(port, UARTCR), cr & ~UARTCR_UARTEN);
        mmio_write32(pl011_reg(port, UARTLCR_H), lcr | UARTLCR_H_FEN);
    }
    mmio_write32(pl011_reg(port, UARTCR), cr | UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE);
    return 0;
}

/* Send c once the transmit FIFO has room. *room: bytes it takes without a look at UARTFR (the
 * FIFOs are on, pl011_init()): a whole FIFO's worth once it was seen empty, else one. */
static inline void pl011_send(volatile void *fr, volatile void *dr, unsigned int *room, char c)
{
    uint32_t f;

    if (*room == 0) {
        while ((f = mmio_read32(fr)) & UARTFR_TXFF) {
        }
        *room = (f & UARTFR_TXFE) != 0 ? PL011_TX_FIFO : 1;
    }
    (*room)--;
    mmio_write32(dr, (uint8_t)c);
}

/* Boot prints a few KiB: a flag read per FIFO's worth of bytes, not per byte. */
static void pl011_write(struct serial_port *port, const char *s, size_t len)
{
    volatile void *fr = pl011_reg(port, UARTFR), *dr = pl011_reg(port, UARTDR);
    unsigned int room = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            pl011_send(fr, dr, &room, '\r');
        }
        pl011_send(fr, dr, &room, s[i]);
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
