// SPDX-License-Identifier: Apache-2.0
/*
 * Cadence UART (the ZynqMP / Zynq "xuartps"), the hypervisor console: transmit, and receive by
 * polling. Register offsets and bits from the Zynq UltraScale+ Device Register Reference
 * (UG1087), module UART: Control_reg0, Channel_sts_reg0, TX_RX_FIFO0; behaviour from the
 * Zynq UltraScale+ TRM (UG1085) chapter 21. The boot loader (or QEMU) has set the baud rate
 * and the mode register (8N1); Bulkhead only enables the transmitter and the receiver, which
 * QEMU's model leaves disabled at reset (BRIEF 9).
 */
#include <arch/io.h>
#include <hv/console.h>

#define CDNS_CR 0x00   /* Control_reg0 */
#define CDNS_SR 0x2c   /* Channel_sts_reg0 */
#define CDNS_FIFO 0x30 /* TX_RX_FIFO0 */
/* Control_reg0: RXEN 2, RXDIS 3, TXEN 4, TXDIS 5. Writing 0 to the other bits starts no
 * reset (RXRES/TXRES 0, 1), no break (STTBRK 7) and no timeout restart (RSTTO 6). */
#define CDNS_CR_RXEN (1u << 2)
#define CDNS_CR_TXEN (1u << 4)
/* Channel_sts_reg0: RXEMPTY 1 (receive FIFO empty), TXFULL 4 (transmit FIFO full). */
#define CDNS_SR_RXEMPTY (1u << 1)
#define CDNS_SR_TXFULL (1u << 4)

static volatile void *cdns_reg(struct serial_port *port, unsigned int off)
{
    return (volatile void *)(port->base + off);
}

static int cdns_init(struct serial_port *port)
{
    /* RXDIS/TXDIS take precedence over RXEN/TXEN (UG1085 21.3.1): write both as wanted. */
    mmio_write32(cdns_reg(port, CDNS_CR), CDNS_CR_RXEN | CDNS_CR_TXEN);
    return 0;
}

static void cdns_putc(struct serial_port *port, char c)
{
    while (mmio_read32(cdns_reg(port, CDNS_SR)) & CDNS_SR_TXFULL) {
    }
    mmio_write32(cdns_reg(port, CDNS_FIFO), (uint8_t)c);
}

static void cdns_write(struct serial_port *port, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            cdns_putc(port, '\r');
        }
        cdns_putc(port, s[i]);
    }
}

static int cdns_getc(struct serial_port *port)
{
    if (mmio_read32(cdns_reg(port, CDNS_SR)) & CDNS_SR_RXEMPTY) {
        return -1;
    }
    return (int)(mmio_read32(cdns_reg(port, CDNS_FIFO)) & 0xffu);
}

/* No rx_irq: the receive interrupt status bits are sticky (write 1 to clear), not a level
 * that drops when the FIFO is empty, so the console's input is polled on this UART. */
SERIAL_DRIVER(cdns_driver) = {
    .compatible = "cdns,uart-r1p12",
    .init = cdns_init,
    .write = cdns_write,
    .getc = cdns_getc,
};
