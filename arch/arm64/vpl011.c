// SPDX-License-Identifier: Apache-2.0
/*
 * The per-partition virtual console UART (asm/vpl011.h), a virtual device (include/hv/vdev.h):
 * the PL011 registers a driver touches to probe and to transmit (Arm PrimeCell UART PL011
 * TRM, DDI 0183, chapter 3).
 *
 *   UARTDR     write: one character to the writing vCPU's console line (vcpu_console_put,
 *              the BH_HC_CONSOLE_WRITE path: printed whole as "<label>: <line>"); read: the
 *              oldest received byte (0 when the receive FIFO is empty)
 *   UARTFR     TXFE always: the transmitter is always idle and empty (TXFF and BUSY clear),
 *              so a polling driver never waits; RXFE / RXFF from the receive FIFO
 *   UARTRIS    TX always (the FIFO is always below its trigger level), RX and RT (receive
 *              timeout) while the receive FIFO holds data: level conditions, so UARTICR
 *              does not clear them; UARTMIS = UARTRIS & UARTIMSC
 *   UARTCR, UARTIMSC, UARTICR, UARTLCR_H, UARTIBRD, UARTFBRD
 *              accept writes (masked to the register's width) and read them back; no baud
 *              rate; UARTIMSC decides the interrupt line
 *   interrupt  the line is UARTMIS != 0, a level-sensitive SPI (VPL011_GUEST_INTID). The
 *              virtual GIC takes edges: the line is raised again after every access that
 *              leaves it high, so an interrupt the guest completed while its condition
 *              remains comes back, as a level interrupt would (Linux's amba-pl011 needs the
 *              interrupt to open ttyAMA0 at all, and uses it for receive)
 *   PeriphID0..3, PCellID0..3 (0xfe0..0xffc)
 *              the PL011 r1p5 values, so an AMBA bus driver's probe recognises the part
 *   anything else reads 0 and ignores writes (RSR, IFLS, RIS, MIS, DMACR, reserved space)
 *
 * Accesses of 1, 2 or 4 bytes work on any register: the register's 32-bit value is read
 * and the addressed bytes returned; a write at a register's offset sets it, a write into
 * a register's upper bytes is ignored (no driver does either). 8-byte accesses are refused
 * (the PL011 is a 32-bit APB peripheral): the partition stops with a fault report.
 *
 * Guest DT: "/serial@9000000" (compatible "arm,pl011", "arm,primecell", reg, clocks =
 * <&apb-pclk &apb-pclk> with clock-names "uartclk", "apb_pclk": the AMBA bus and the Linux
 * pl011 driver need both clocks to probe, earlycon needs none; interrupts = <GIC_SPI 1
 * level-high> when the partition has a virtual GIC), the fixed
 * 24 MHz "/apb-pclk" those clocks refer to (GUEST_DT_PHANDLE_CLOCK), and /chosen
 * stdout-path (vdev_set_console()).
 *
 * Locking: the register state is per partition (vpl011s[p->index]), under its lock (a leaf:
 * no lock is taken inside it). Console output and raising the interrupt happen outside it.
 */
#include <asm/vpl011.h>

#include "gic.h"
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/fdt_write.h>
#include <hv/guest_dt.h>
#include <hv/partition.h>
#include <hv/spinlock.h>
#include <hv/vdev.h>
#include <hv/vmmio.h>

/* Its clock's rate: what QEMU's virt gives its PL011s (the vUART has no baud rate, any would
 * do). */
#define VPL011_CLOCK_HZ 24000000u

/* One partition's register state. */
struct vuart {
    spinlock_t lock; /* class "vuart" (LOCK_RANK_LEAF): the fields below but p and irq */
    uint32_t cr, imsc, icr, lcr_h, ibrd, fbrd;
    uint8_t rx[VPL011_RX_FIFO]; /* receive FIFO: rx_count bytes from rx_head, circular */
    unsigned int rx_head, rx_count;
    struct partition *p; /* the partition (set at init) */
    bool irq;            /* the interrupt is wired (the partition has a virtual GIC) */
};

/* Its node name: "serial@<VPL011_GUEST_BASE in hex>" (the unit address is the reg). */
#define VPL011_NODE_NAME "serial@9000000"
_Static_assert(VPL011_GUEST_BASE == 0x09000000u, "VPL011_NODE_NAME names the unit address");

/* Indexed by partition index. */
static struct vuart vpl011s[HV_MAX_PARTITIONS];

static LOCK_CLASS(vuart_lock_class, "vuart", LOCK_RANK_LEAF);

/* PeriphID0..3 then PCellID0..3 (TRM 3.3.14-3.3.15): part 0x011, designer 0x41 (Arm),
 * revision r1p5 (3), and the PrimeCell identification 0xb105f00d. */
static const uint8_t vuart_id[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* A read/write register: where it lives in struct vuart and which bits exist. */
struct vuart_reg {
    uint32_t offset;
    size_t field; /* offsetof(struct vuart, ...) */
    uint32_t mask;
};

static const struct vuart_reg vuart_regs[] = {
    {VPL011_IBRD, offsetof(struct vuart, ibrd), 0xffffu}, /* 16-bit integer divisor */
    {VPL011_FBRD, offsetof(struct vuart, fbrd), 0x3fu},   /* 6-bit fractional divisor */
    {VPL011_LCR_H, offsetof(struct vuart, lcr_h), 0xffu}, /* line control, 8 bits */
    {VPL011_CR, offsetof(struct vuart, cr), 0xff87u},     /* control: bits 15..7, 2..0 */
    {VPL011_IMSC, offsetof(struct vuart, imsc), 0x7ffu},  /* interrupt mask, 11 sources */
    {VPL011_ICR, offsetof(struct vuart, icr), 0x7ffu},    /* interrupt clear, 11 sources */
};

static uint32_t *vuart_field(struct vuart *u, const struct vuart_reg *r)
{
    return (uint32_t *)((uint8_t *)u + r->field);
}

static const struct vuart_reg *vuart_reg_at(uint64_t reg)
{
    for (size_t i = 0; i < ARRAY_SIZE(vuart_regs); i++) {
        if (vuart_regs[i].offset == reg) {
            return &vuart_regs[i];
        }
    }
    return NULL;
}

/* UARTRIS (lock held): the level conditions of the model. */
static uint32_t vuart_ris(const struct vuart *u)
{
    return VPL011_INT_TX | (u->rx_count != 0 ? VPL011_INT_RX | VPL011_INT_RT : 0);
}

/* Raise the interrupt if the line is high (called without the lock; see the header). */
static void vuart_update_irq(struct vuart *u)
{
    bool high;

    spin_lock(&u->lock);
    high = (vuart_ris(u) & u->imsc) != 0;
    spin_unlock(&u->lock);
    if (high && u->irq) {
        vgic_raise_spi(u->p, VPL011_GUEST_INTID);
    }
}

/* The 32-bit value of the register at word offset reg (lock held). */
static uint32_t vuart_reg_read(struct vuart *u, uint64_t reg)
{
    const struct vuart_reg *r = vuart_reg_at(reg);
    uint32_t val = 0;

    switch (reg) {
    case VPL011_FR: /* byte lanes above 0 (vuart_read() answers whole reads) */
        return VPL011_FR_TXFE | (u->rx_count == 0 ? VPL011_FR_RXFE : 0) |
               (u->rx_count == VPL011_RX_FIFO ? VPL011_FR_RXFF : 0);
    case VPL011_DR:
        if (u->rx_count != 0) {
            val = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % VPL011_RX_FIFO;
            __atomic_store_n(&u->rx_count, u->rx_count - 1, __ATOMIC_RELEASE);
        }
        return val;
    case VPL011_RIS:
        return vuart_ris(u);
    case VPL011_MIS:
        return vuart_ris(u) & u->imsc;
    default:
        break;
    }
    if (reg >= VPL011_PERIPHID0 && reg < VPL011_SIZE) {
        return vuart_id[(reg - VPL011_PERIPHID0) / 4];
    }
    return r != NULL ? *vuart_field(u, r) : 0;
}

static int vuart_read(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t *val)
{
    struct vuart *u = dev;

    (void)v;
    if (size > 4) {
        return -EINVAL;
    }
    if (offset == VPL011_FR) {
        /* The polling drivers' hot path, without the lock: one snapshot of the FIFO level
         * (the producer and the reader update it under the lock). */
        unsigned int n = __atomic_load_n(&u->rx_count, __ATOMIC_ACQUIRE);

        *val = VPL011_FR_TXFE | (n == 0 ? VPL011_FR_RXFE : 0) |
               (n == VPL011_RX_FIFO ? VPL011_FR_RXFF : 0);
        return 0;
    }
    /* Byte lanes: the addressed bytes of the 32-bit register (little-endian). */
    spin_lock(&u->lock);
    *val = vuart_reg_read(u, offset & ~UINT64_C(3)) >> ((offset & 3) * 8);
    spin_unlock(&u->lock);
    if ((offset & ~UINT64_C(3)) == VPL011_DR) {
        vuart_update_irq(u); /* more received bytes keep the line high */
    }
    return 0;
}

static int vuart_write(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t val)
{
    struct vuart *u = dev;
    const struct vuart_reg *r;
    char c;

    if (size > 4) {
        return -EINVAL;
    }
    if (offset == VPL011_DR) {
        /* UARTDR[7:0] is the character; [11:8] are receive error flags (read only). */
        c = (char)(val & 0xffu);
        vcpu_console_put(v, &c, 1);
    } else if ((r = vuart_reg_at(offset)) != NULL) {
        spin_lock(&u->lock);
        *vuart_field(u, r) = (uint32_t)val & r->mask;
        spin_unlock(&u->lock);
    }
    /* A transmit-interrupt driver writes UARTDR from its handler with TXIM still set: the
     * line stays high, and the interrupt must come back (see the header). */
    vuart_update_irq(u);
    return 0;
}

int vpl011_receive(struct partition *p, char c)
{
    struct vuart *u = &vpl011s[p->index];
    int err = 0;

    spin_lock(&u->lock);
    if (u->rx_count == VPL011_RX_FIFO) {
        err = -ENOSPC; /* a full FIFO drops the byte, as an overrun would */
    } else {
        u->rx[(u->rx_head + u->rx_count) % VPL011_RX_FIFO] = (uint8_t)c;
        __atomic_store_n(&u->rx_count, u->rx_count + 1, __ATOMIC_RELEASE);
    }
    spin_unlock(&u->lock);
    vuart_update_irq(u);
    return err;
}

static const struct vmmio_ops vuart_ops = {
    .read = vuart_read,
    .write = vuart_write,
};

static void vuart_set_reset_values(struct vuart *u)
{
    u->cr = VPL011_CR_RESET;
    u->imsc = u->icr = u->lcr_h = u->ibrd = u->fbrd = 0;
    u->rx_head = u->rx_count = 0;
}

static int vpl011_init(struct partition *p)
{
    struct vuart *u = &vpl011s[p->index];

    spin_lock_init_class(&u->lock, &vuart_lock_class);
    vuart_set_reset_values(u);
    u->p = p;
    /* Without a GIC (none in the board DT) the vUART works polled, with no interrupt. */
    u->irq = vgic_claim_virtual_spi(p, VPL011_GUEST_INTID) == 0;
    vdev_set_console(p, "/" VPL011_NODE_NAME);
    return vmmio_register(p, gpa(VPL011_GUEST_BASE), VPL011_SIZE, &vuart_ops, u, "vuart");
}

static void vpl011_reset(struct partition *p)
{
    struct vuart *u = &vpl011s[p->index];

    spin_lock(&u->lock);
    vuart_set_reset_values(u);
    spin_unlock(&u->lock);
}

/* The vUART and its clock, at the root of p's guest DT. */
static void vpl011_guest_dt(struct fdt_writer *w, const struct partition *p)
{
    static const char compatible[] = "arm,pl011\0arm,primecell";
    static const char clock_names[] = "uartclk\0apb_pclk";
    const uint32_t clocks[2] = {GUEST_DT_PHANDLE_CLOCK, GUEST_DT_PHANDLE_CLOCK};
    const uint32_t reg[4] = {0, VPL011_GUEST_BASE, 0, VPL011_SIZE};

    fdt_write_begin_node(w, "apb-pclk");
    fdt_write_prop_string(w, "compatible", "fixed-clock");
    fdt_write_prop_u32(w, "#clock-cells", 0);
    fdt_write_prop_u32(w, "clock-frequency", VPL011_CLOCK_HZ);
    fdt_write_prop_string(w, "clock-output-names", "clk24mhz");
    fdt_write_prop_u32(w, "phandle", GUEST_DT_PHANDLE_CLOCK);
    fdt_write_end_node(w);

    fdt_write_begin_node(w, VPL011_NODE_NAME);
    fdt_write_prop(w, "compatible", compatible, sizeof(compatible));
    fdt_write_prop_cells(w, "reg", reg, 4);
    fdt_write_prop_cells(w, "clocks", clocks, 2);
    fdt_write_prop(w, "clock-names", clock_names, sizeof(clock_names));
    if (vpl011s[p->index].irq) {
        /* arm,gic-v3 specifier: SPI, its number, level-high (the root's interrupt-parent). */
        const uint32_t irq[3] = {0, VPL011_GUEST_SPI, 4};

        fdt_write_prop_cells(w, "interrupts", irq, 3);
    }
    fdt_write_end_node(w);
}

static const struct vdev_ops vpl011_ops = {
    .name = "vuart",
    .init = vpl011_init,
    .reset = vpl011_reset,
    .guest_dt = vpl011_guest_dt,
    .input = vpl011_receive,
};

VDEV(vpl011_vdev, VDEV_ORDER_CONSOLE, &vpl011_ops);
