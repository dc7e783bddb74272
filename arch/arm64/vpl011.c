// SPDX-License-Identifier: Apache-2.0
/*
 * The per-partition virtual console UART (asm/vpl011.h), a virtual device (include/hv/vdev.h):
 * the PL011 registers a driver touches to probe and to transmit (Arm PrimeCell UART PL011
 * TRM, DDI 0183, chapter 3).
 *
 *   UARTDR     write: one character to the writing vCPU's console line (vcpu_console_put,
 *              the BH_HC_CONSOLE_WRITE path: printed whole as "<label>: <line>"); read: 0
 *   UARTFR     TXFE | RXFE: the transmitter is always idle and empty (TXFF and BUSY clear),
 *              so a polling driver never waits; nothing is ever received
 *   UARTCR, UARTIMSC, UARTICR, UARTLCR_H, UARTIBRD, UARTFBRD
 *              accept writes (masked to the register's width) and read them back; they have
 *              no effect on output (no baud rate; nothing raises the interrupt yet, which
 *              exists so that a driver can request it)
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
 * pl011 driver need both clocks to probe, earlycon needs none; interrupts = its virtual
 * interrupt when the arch has a controller, which Linux needs to open the port), the fixed
 * 24 MHz "/apb-pclk" those clocks refer to (GUEST_DT_PHANDLE_CLOCK), and /chosen
 * stdout-path (vdev_set_console()).
 *
 * Locking: the register state is per partition (vpl011s[p->index]), under its lock (a leaf:
 * no lock is taken inside it). Console output happens outside it, on the writing vCPU's own
 * line buffer.
 */
#include <arch/irq.h>
#include <asm/vpl011.h>
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
struct vpl011 {
    spinlock_t lock; /* class "vuart" (LOCK_RANK_LEAF): the registers below */
    uint32_t cr, imsc, icr, lcr_h, ibrd, fbrd;
    /* Its virtual interrupt (arch_irq_virtual_alloc), fixed at setup: Linux's amba-pl011
     * driver will not open the port without one. irq_cells == 0: no interrupt controller. */
    uint32_t virq;
    unsigned int irq_cells;
    uint32_t irq_spec[ARCH_IRQ_DT_CELLS_MAX];
};

/* Its node name: "serial@<VPL011_GUEST_BASE in hex>" (the unit address is the reg). */
#define VPL011_NODE_NAME "serial@9000000"
_Static_assert(VPL011_GUEST_BASE == 0x09000000u, "VPL011_NODE_NAME names the unit address");

/* Indexed by partition index. */
static struct vpl011 vpl011s[HV_MAX_PARTITIONS];

static LOCK_CLASS(vpl011_lock_class, "vuart", LOCK_RANK_LEAF);

/* PeriphID0..3 then PCellID0..3 (TRM 3.3.14-3.3.15): part 0x011, designer 0x41 (Arm),
 * revision r1p5 (3), and the PrimeCell identification 0xb105f00d. */
static const uint8_t vpl011_id[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* A read/write register: where it lives in struct vpl011 and which bits exist. */
struct vpl011_reg {
    uint32_t offset;
    size_t field; /* offsetof(struct vpl011, ...) */
    uint32_t mask;
};

static const struct vpl011_reg vpl011_regs[] = {
    {VPL011_IBRD, offsetof(struct vpl011, ibrd), 0xffffu}, /* 16-bit integer divisor */
    {VPL011_FBRD, offsetof(struct vpl011, fbrd), 0x3fu},   /* 6-bit fractional divisor */
    {VPL011_LCR_H, offsetof(struct vpl011, lcr_h), 0xffu}, /* line control, 8 bits */
    {VPL011_CR, offsetof(struct vpl011, cr), 0xff87u},     /* control: bits 15..7, 2..0 */
    {VPL011_IMSC, offsetof(struct vpl011, imsc), 0x7ffu},  /* interrupt mask, 11 sources */
    {VPL011_ICR, offsetof(struct vpl011, icr), 0x7ffu},    /* interrupt clear, 11 sources */
};

static uint32_t *vpl011_field(struct vpl011 *u, const struct vpl011_reg *r)
{
    return (uint32_t *)((uint8_t *)u + r->field);
}

static const struct vpl011_reg *vpl011_reg_at(uint64_t reg)
{
    for (size_t i = 0; i < ARRAY_SIZE(vpl011_regs); i++) {
        if (vpl011_regs[i].offset == reg) {
            return &vpl011_regs[i];
        }
    }
    return NULL;
}

/* The 32-bit value of the register at word offset reg. */
static uint32_t vpl011_reg_read(struct vpl011 *u, uint64_t reg)
{
    const struct vpl011_reg *r = vpl011_reg_at(reg);
    uint32_t val = 0;

    if (reg == VPL011_FR) {
        return VPL011_FR_TXFE | VPL011_FR_RXFE;
    }
    if (reg >= VPL011_PERIPHID0 && reg < VPL011_SIZE) {
        return vpl011_id[(reg - VPL011_PERIPHID0) / 4];
    }
    if (r != NULL) {
        spin_lock(&u->lock);
        val = *vpl011_field(u, r);
        spin_unlock(&u->lock);
    }
    return val;
}

static int vpl011_read(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t *val)
{
    (void)v;
    if (size > 4) {
        return -EINVAL;
    }
    /* Byte lanes: the addressed bytes of the 32-bit register (little-endian). */
    *val = vpl011_reg_read(dev, offset & ~UINT64_C(3)) >> ((offset & 3) * 8);
    return 0;
}

static int vpl011_write(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t val)
{
    struct vpl011 *u = dev;
    const struct vpl011_reg *r;
    char c;

    if (size > 4) {
        return -EINVAL;
    }
    if (offset == VPL011_DR) {
        /* UARTDR[7:0] is the character; [11:8] are receive error flags (read only). */
        c = (char)(val & 0xffu);
        vcpu_console_put(v, &c, 1);
        return 0;
    }
    r = vpl011_reg_at(offset);
    if (r != NULL) {
        spin_lock(&u->lock);
        *vpl011_field(u, r) = (uint32_t)val & r->mask;
        spin_unlock(&u->lock);
    }
    return 0;
}

static const struct vmmio_ops vpl011_mmio = {
    .read = vpl011_read,
    .write = vpl011_write,
};

static void vpl011_set_reset_values(struct vpl011 *u)
{
    u->cr = VPL011_CR_RESET;
    u->imsc = u->icr = u->lcr_h = u->ibrd = u->fbrd = 0;
}

static int vpl011_init(struct partition *p)
{
    struct vpl011 *u = &vpl011s[p->index];

    int err;

    spin_lock_init_class(&u->lock, &vpl011_lock_class);
    vpl011_set_reset_values(u);
    /* A virtual interrupt for its DT node (the interrupt controller's device comes first,
     * VDEV_ORDER_INTC); none when there is no controller. Nothing raises it yet. */
    u->irq_cells = 0;
    err = arch_irq_virtual_alloc(p, &u->virq, u->irq_spec);
    if (err == 0) {
        u->irq_cells = arch_irq_dt_cells();
    } else if (err != -ENODEV) {
        return err;
    }
    vdev_set_console(p, "/" VPL011_NODE_NAME);
    return vmmio_register(p, gpa(VPL011_GUEST_BASE), VPL011_SIZE, &vpl011_mmio, u, "vuart");
}

static void vpl011_reset(struct partition *p)
{
    struct vpl011 *u = &vpl011s[p->index];

    spin_lock(&u->lock);
    vpl011_set_reset_values(u);
    spin_unlock(&u->lock);
}

/* The vUART and its clock, at the root of p's guest DT. */
static void vpl011_guest_dt(struct fdt_writer *w, const struct partition *p)
{
    static const char compatible[] = "arm,pl011\0arm,primecell";
    static const char clock_names[] = "uartclk\0apb_pclk";
    const uint32_t clocks[2] = {GUEST_DT_PHANDLE_CLOCK, GUEST_DT_PHANDLE_CLOCK};
    const uint32_t reg[4] = {0, VPL011_GUEST_BASE, 0, VPL011_SIZE};
    const struct vpl011 *u = &vpl011s[p->index];

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
    if (u->irq_cells != 0) {
        fdt_write_prop_cells(w, "interrupts", u->irq_spec, u->irq_cells);
    }
    fdt_write_end_node(w);
}

static const struct vdev_ops vpl011_vdev_ops = {
    .name = "vuart",
    .init = vpl011_init,
    .reset = vpl011_reset,
    .guest_dt = vpl011_guest_dt,
};

VDEV(vpl011_vdev, VDEV_ORDER_CONSOLE, &vpl011_vdev_ops);
