// SPDX-License-Identifier: Apache-2.0
/*
 * NXP i.MX UART (i.MX 6/7/8 family, "fsl,imx6q-uart" register set), the hypervisor console:
 * transmit, and receive by polling. Register offsets and bits from the i.MX 8M Plus
 * Applications Processor Reference Manual (IMX8MPRM), UART chapter, "UART Memory Map/Register
 * Definition": URXD, UTXD, UCR1, UCR2, USR2, UTS. The boot loader (or QEMU) has set the baud
 * rate; Bulkhead enables the UART, its transmitter and receiver (QEMU's model leaves them off
 * at reset, BRIEF 9) and selects 8-bit words.
 */
#include <arch/io.h>
#include <hv/console.h>

#define IMX_URXD 0x00
#define IMX_UTXD 0x40
#define IMX_UCR1 0x80
#define IMX_UCR2 0x84
#define IMX_USR2 0x98
#define IMX_UTS 0xb4
#define IMX_UCR1_UARTEN (1u << 0)
/* UCR2: SRST 0 (active low: 1 = no reset), RXEN 1, TXEN 2, WS 5 (8-bit words), IRTS 14
 * (ignore the RTS input: the console has no flow control). */
#define IMX_UCR2_SRST (1u << 0)
#define IMX_UCR2_RXEN (1u << 1)
#define IMX_UCR2_TXEN (1u << 2)
#define IMX_UCR2_WS (1u << 5)
#define IMX_UCR2_IRTS (1u << 14)
#define IMX_USR2_RDR (1u << 0)   /* receive data ready */
#define IMX_UTS_TXFULL (1u << 4) /* transmit FIFO full */

static volatile void *imx_reg(struct serial_port *port, unsigned int off)
{
    return (volatile void *)(port->base + off);
}

static int imx_init(struct serial_port *port)
{
    uint32_t ucr2 = mmio_read32(imx_reg(port, IMX_UCR2));

    mmio_write32(imx_reg(port, IMX_UCR1), mmio_read32(imx_reg(port, IMX_UCR1)) | IMX_UCR1_UARTEN);
    mmio_write32(imx_reg(port, IMX_UCR2), ucr2 | IMX_UCR2_SRST | IMX_UCR2_RXEN | IMX_UCR2_TXEN |
                                              IMX_UCR2_WS | IMX_UCR2_IRTS);
    return 0;
}

static void imx_putc(struct serial_port *port, char c)
{
    while (mmio_read32(imx_reg(port, IMX_UTS)) & IMX_UTS_TXFULL) {
    }
    mmio_write32(imx_reg(port, IMX_UTXD), (uint8_t)c);
}

static void imx_write(struct serial_port *port, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            imx_putc(port, '\r');
        }
        imx_putc(port, s[i]);
    }
}

static int imx_getc(struct serial_port *port)
{
    if ((mmio_read32(imx_reg(port, IMX_USR2)) & IMX_USR2_RDR) == 0) {
        return -1;
    }
    /* URXD[7:0]; the error flags in 14:10 are ignored, as on the other console UARTs. */
    return (int)(mmio_read32(imx_reg(port, IMX_URXD)) & 0xffu);
}

/* No rx_irq yet: the console's input is polled on this UART. */
SERIAL_DRIVER(imx_driver) = {
    .compatible = "fsl,imx6q-uart",
    .init = imx_init,
    .write = imx_write,
    .getc = imx_getc,
};
