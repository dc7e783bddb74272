// SPDX-License-Identifier: Apache-2.0
/*
 * NS16550-compatible UART (transmit; receive by polling or by its receive interrupt), in MMIO
 * or (x86) I/O-port space.
 * Registers per the TI PC16550D datasheet, section 8. The port is programmed to 115200 8N1 when its
 * input clock is known (1.8432 MHz for PC COM ports); otherwise the loader's setting is kept.
 */
#include <arch/io.h>
#include <hv/console.h>

#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_RBR 0 /* receive buffer (DLAB=0, read) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1 /* divisor latch high (DLAB=1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_LSR_DR 0x01   /* data ready */
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_MCR_DTR_RTS 0x03
#define UART_MCR_OUT2 0x08  /* on PC boards, gates the UART's interrupt onto the ISA IRQ line */
#define UART_IER_ERBFI 0x01 /* received data available (and character timeout) interrupt */
#define UART_BAUD 115200u

static uint8_t ns16550_read(struct serial_port *port, unsigned int reg)
{
    if (IS_ENABLED(CONFIG_HAS_PIO) && port->pio) {
        return pio_read8((uint16_t)(port->base + reg));
    }
    return mmio_read8((volatile void *)(port->base + (reg << port->reg_shift)));
}

static void ns16550_write(struct serial_port *port, unsigned int reg, uint8_t val)
{
    if (IS_ENABLED(CONFIG_HAS_PIO) && port->pio) {
        pio_write8((uint16_t)(port->base + reg), val);
        return;
    }
    mmio_write8((volatile void *)(port->base + (reg << port->reg_shift)), val);
}

static int ns16550_init(struct serial_port *port)
{
    if (port->clock_hz != 0) {
        uint32_t div = port->clock_hz / (16 * UART_BAUD);

        ns16550_write(port, UART_IER, 0);
        ns16550_write(port, UART_LCR, UART_LCR_DLAB);
        ns16550_write(port, UART_DLL, (uint8_t)div);
        ns16550_write(port, UART_DLM, (uint8_t)(div >> 8));
        ns16550_write(port, UART_LCR, UART_LCR_8N1);
        ns16550_write(port, UART_FCR, UART_FCR_ENABLE_CLEAR);
        ns16550_write(port, UART_MCR, UART_MCR_DTR_RTS);
    }
    return 0;
}

static void ns16550_putc(struct serial_port *port, char c)
{
    while (!(ns16550_read(port, UART_LSR) & UART_LSR_THRE)) {
    }
    ns16550_write(port, UART_THR, (uint8_t)c);
}

static void ns16550_send(struct serial_port *port, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            ns16550_putc(port, '\r');
        }
        ns16550_putc(port, s[i]);
    }
}

static int ns16550_getc(struct serial_port *port)
{
    if (!(ns16550_read(port, UART_LSR) & UART_LSR_DR)) {
        return -1;
    }
    return ns16550_read(port, UART_RBR);
}

/* The receive interrupt (PC16550D 8.6.6 IER bit 0): asserted while received data waits, so it
 * falls once getc() has emptied the FIFO. OUT2 connects INTRPT to the ISA IRQ on PCs. */
static void ns16550_rx_irq(struct serial_port *port, bool enable)
{
    uint8_t mcr = ns16550_read(port, UART_MCR);
    uint8_t ier = ns16550_read(port, UART_IER);

    ns16550_write(port, UART_MCR, enable ? mcr | UART_MCR_OUT2 : mcr);
    ns16550_write(port, UART_IER, enable ? ier | UART_IER_ERBFI : ier & (uint8_t)~UART_IER_ERBFI);
}

SERIAL_DRIVER(ns16550_driver) = {
    .compatible = "ns16550a",
    .init = ns16550_init,
    .write = ns16550_send,
    .getc = ns16550_getc,
    .rx_irq = ns16550_rx_irq,
};
