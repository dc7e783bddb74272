// SPDX-License-Identifier: Apache-2.0
/*
 * The per-partition virtual console UART (asm/vpl011.h), a virtual device (include/hv/vdev.h):
 * the PL011 registers Linux's amba-pl011 driver and the test guests use (Arm PrimeCell UART
 * PL011 TRM, DDI 0183, chapter 3).
 *
 *   UARTDR     write: one character to the writing vCPU's console line (vcpu_console_put,
 *              the BH_HC_CONSOLE_WRITE path: printed whole as "<label>: <line>"), sent at
 *              once; read: the oldest received byte (0 when none)
 *   UARTFR     TXFE always (the transmitter is always idle and empty: TXFF and BUSY clear,
 *              so a driver never waits); RXFE / RXFF from the receive FIFO
 *   UARTRIS    RXRIS (4) while the receive FIFO holds a byte; RTRIS (6) set when a byte
 *              arrives, cleared by UARTICR or when the FIFO empties; TXRIS (5) set by every
 *              character sent (the FIFO drains through its trigger level at once, as in
 *              QEMU's own PL011), cleared by UARTICR
 *   UARTMIS    RIS & IMSC;  UARTICR  write-1-to-clear RTRIS / TXRIS (reads 0)
 *   UARTCR, UARTIMSC, UARTLCR_H, UARTIBRD, UARTFBRD, UARTIFLS
 *              accept writes (masked to the register's width) and read them back; IMSC
 *              gates the interrupt, the others have no effect (no baud rate, no FIFO levels)
 *   PeriphID0..3, PCellID0..3 (0xfe0..0xffc)
 *              the PL011 r1p5 values, so an AMBA bus driver's probe recognises the part
 *              (and Linux takes a 32-byte FIFO, revision 3)
 *   anything else reads 0 and ignores writes (RSR, DMACR, reserved space)
 *
 * Receive: bytes typed at the hypervisor console while the partition has the input focus
 * (include/hv/console_input.h) enter a 32-byte FIFO (VPL011_RX_FIFO); a byte that finds it
 * full is dropped, like an overrun.
 *
 * Interrupt: the UART's output is UARTMIS != 0 (the PL011's UARTINTR, TRM 2.8), delivered as
 * a virtual SPI of the partition (arch_irq_virtual_alloc(), include/arch/irq.h; the first
 * one it allocates, so the top SPI the GIC implements; none without an interrupt controller,
 * and then no "interrupts" in the guest DT: a guest polls).
 * The virtual GIC is edge-driven, so the SPI is raised on each rising edge of the output:
 * drivers handle every cause until UARTMIS reads 0 (Linux's pl011_int() loops so), so the
 * output falls before it can rise again and no cause is lost.
 *
 * Accesses of 1, 2 or 4 bytes work on any register: the register's 32-bit value is read
 * and the addressed bytes returned; a write at a register's offset sets it, a write into
 * a register's upper bytes is ignored (no driver does either). 8-byte accesses are refused
 * (the PL011 is a 32-bit APB peripheral): the partition stops with a fault report.
 *
 * Guest DT: "/serial@9000000" (compatible "arm,pl011", "arm,primecell", reg, interrupts =
 * <its virtual SPI, level-high>, clocks = <&apb-pclk &apb-pclk> with clock-names
 * "uartclk", "apb_pclk": the AMBA bus and the Linux pl011 driver need both clocks to probe,
 * earlycon needs none), the fixed 24 MHz "/apb-pclk" those clocks refer to
 * (GUEST_DT_PHANDLE_CLOCK), and /chosen stdout-path (vdev_set_console()).
 *
 * Locking: the register state is per partition (vpl011s[p->index]), under its lock (a leaf:
 * no lock is taken inside it). Console output and arch_irq_raise() happen outside it.
 */
#include <arch/irq.h>
#include <asm/vpl011.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt_write.h>
#include <hv/guest_dt.h>
#include <hv/partition.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/vdev.h>
#include <hv/vmmio.h>

/* Its clock's rate: what QEMU's virt gives its PL011s (the vUART has no baud rate, any would
 * do). */
#define VPL011_CLOCK_HZ 24000000u

/* The read/write registers, UARTIBRD..UARTIMSC (0x24..0x38, one word each): their index in
 * struct vpl011's rw, and the bits each one has. */
#define VPL011_RW(reg) (((reg)-VPL011_IBRD) / 4)
#define VPL011_RW_COUNT 6u

/* One partition's register state. */
struct vpl011 {
    spinlock_t lock; /* class "vuart" (LOCK_RANK_LEAF): everything below */
    struct partition *part;
    uint32_t rw[VPL011_RW_COUNT]; /* UARTIBRD..UARTIMSC, by VPL011_RW() */
    uint32_t latched;             /* RTRIS and TXRIS until UARTICR clears them */
    uint8_t rx[VPL011_RX_FIFO];   /* receive FIFO, a ring */
    unsigned int rx_head, rx_len; /* oldest byte's index, bytes held (rx_len: atomic too) */
    bool line;                    /* the interrupt output (UARTMIS != 0) as last raised */
    /* Its virtual interrupt, fixed at setup; irq_cells == 0: none (no controller). */
    uint32_t virq;
    unsigned int irq_cells;
    uint32_t irq_spec[ARCH_IRQ_DT_CELLS_MAX];
};

/* The bits each read/write register has, by VPL011_RW(). */
static const uint32_t vpl011_rw_mask[VPL011_RW_COUNT] = {
    0xffffu, /* UARTIBRD: 16-bit integer divisor */
    0x3fu,   /* UARTFBRD: 6-bit fractional divisor */
    0xffu,   /* UARTLCR_H: line control, 8 bits */
    0xff87u, /* UARTCR: bits 15..7, 2..0 */
    0x3fu,   /* UARTIFLS: FIFO levels, 6 bits */
    0x7ffu,  /* UARTIMSC: interrupt mask, 11 sources */
};
_Static_assert(VPL011_RW(VPL011_IMSC) == VPL011_RW_COUNT - 1, "UARTIMSC is the last");

/* Its node name: "serial@<VPL011_GUEST_BASE in hex>" (the unit address is the reg). */
#define VPL011_NODE_NAME "serial@9000000"
_Static_assert(VPL011_GUEST_BASE == 0x09000000u, "VPL011_NODE_NAME names the unit address");

/* Indexed by partition index. */
static struct vpl011 vpl011s[HV_MAX_PARTITIONS];

static LOCK_CLASS(vpl011_lock_class, "vuart", LOCK_RANK_LEAF);

/* PeriphID0..3 then PCellID0..3 (TRM 3.3.14-3.3.15): part 0x011, designer 0x41 (Arm),
 * revision r1p5 (3), and the PrimeCell identification 0xb105f00d. */
static const uint8_t vpl011_id[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* Whether reg (4-byte aligned) is a read/write register. */
static bool vpl011_is_rw(uint64_t reg)
{
    return reg - VPL011_IBRD < VPL011_RW_COUNT * 4;
}

/* UARTFR (TRM 3.3.3) with n bytes received. */
static uint32_t vpl011_fr(unsigned int n)
{
    return VPL011_FR_TXFE | (n == 0 ? VPL011_FR_RXFE : 0) |
           (n == VPL011_RX_FIFO ? VPL011_FR_RXFF : 0);
}

/* UARTRIS (TRM 3.3.11); lock held. */
static uint32_t vpl011_ris(const struct vpl011 *u)
{
    return u->latched | (u->rx_len != 0 ? VPL011_INT_RX : 0);
}

/*
 * After a state change: drop the lock, then raise the partition's SPI if the interrupt output
 * rose (outside the lock: the vGIC takes its own). A pop can only lower the output.
 */
static void vpl011_unlock(struct vpl011 *u)
{
    bool line = (vpl011_ris(u) & u->rw[VPL011_RW(VPL011_IMSC)]) != 0;
    bool rose = line && !u->line;

    u->line = line;
    spin_unlock(&u->lock);
    /* -ENODEV without a GIC (no interrupt to give): the guest polls. */
    if (rose && u->irq_cells != 0 && arch_irq_raise(u->part, u->virq) != 0) {
        return;
    }
}

/*
 * Any register but FR, under the lock; out of line so that FR's path needs no stack frame.
 * Byte lanes: the addressed bytes of the register's 32-bit value (little-endian). A read of
 * UARTDR pops a byte, one of its upper bytes (receive status) does not.
 */
static __attribute__((noinline)) int vpl011_read_locked(struct vpl011 *u, uint64_t offset,
                                                        uint64_t *val)
{
    uint64_t reg = offset & ~UINT64_C(3);
    uint32_t word = 0;

    spin_lock(&u->lock);
    if (reg >= VPL011_PERIPHID0 && reg < VPL011_SIZE) {
        word = vpl011_id[(reg - VPL011_PERIPHID0) / 4];
    } else if (offset == VPL011_DR && u->rx_len != 0) {
        word = u->rx[u->rx_head];
        u->rx_head = (u->rx_head + 1) % VPL011_RX_FIFO;
        __atomic_store_n(&u->rx_len, u->rx_len - 1, __ATOMIC_RELEASE);
        if (u->rx_len == 0) {
            u->latched &= ~VPL011_INT_RT; /* the receive timeout ends with the data */
        }
    } else if (reg == VPL011_FR) {
        word = vpl011_fr(u->rx_len);
    } else if (reg == VPL011_RIS || reg == VPL011_MIS) {
        word = vpl011_ris(u) & (reg == VPL011_MIS ? u->rw[VPL011_RW(VPL011_IMSC)] : ~0u);
    } else if (vpl011_is_rw(reg)) {
        word = u->rw[VPL011_RW(reg)];
    }
    vpl011_unlock(u);
    *val = word >> ((offset & 3) * 8);
    return 0;
}

static int vpl011_read(void *dev, struct vcpu *v __unused, uint64_t offset, unsigned int size,
                       uint64_t *val)
{
    struct vpl011 *u = dev;

    if (size > 4) {
        return -EINVAL;
    }
    if (offset == VPL011_FR) {
        /* A polling driver's hot path, without the lock: one snapshot of the FIFO level
         * (its writers update it under the lock); FR changes no state. */
        *val = vpl011_fr(__atomic_load_n(&u->rx_len, __ATOMIC_ACQUIRE));
        return 0;
    }
    return vpl011_read_locked(u, offset, val);
}

static int vpl011_write(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t val)
{
    struct vpl011 *u = dev;
    char c;

    if (size > 4) {
        return -EINVAL;
    }
    if (offset == VPL011_DR) {
        /* UARTDR[7:0] is the character; [11:8] are receive error flags (read only). */
        c = (char)(val & 0xffu);
        vcpu_console_put(v, &c, 1);
    }
    spin_lock(&u->lock);
    if (offset == VPL011_DR) {
        u->latched |= VPL011_INT_TX; /* sent: the transmit FIFO is below its level again */
    } else if (offset == VPL011_ICR) {
        u->latched &= ~((uint32_t)val & (VPL011_INT_TX | VPL011_INT_RT));
    } else if (vpl011_is_rw(offset) && (offset & 3) == 0) {
        u->rw[VPL011_RW(offset)] = (uint32_t)val & vpl011_rw_mask[VPL011_RW(offset)];
    }
    vpl011_unlock(u);
    return 0;
}

static const struct vmmio_ops vpl011_mmio = {
    .read = vpl011_read,
    .write = vpl011_write,
};

/* The registers' reset values, also at init (the lock is initialised by then). */
static void vpl011_reset(struct partition *p)
{
    struct vpl011 *u = &vpl011s[p->index];

    spin_lock(&u->lock);
    memset(u->rw, 0, sizeof(u->rw));
    u->rw[VPL011_RW(VPL011_CR)] = VPL011_CR_RESET;
    u->rw[VPL011_RW(VPL011_IFLS)] = VPL011_IFLS_RESET;
    u->latched = 0;
    u->rx_head = u->rx_len = 0;
    u->line = false;
    spin_unlock(&u->lock);
}

static int vpl011_init(struct partition *p)
{
    struct vpl011 *u = &vpl011s[p->index];
    int err;

    spin_lock_init_class(&u->lock, &vpl011_lock_class);
    u->part = p;
    vpl011_reset(p);
    vdev_set_console(p, "/" VPL011_NODE_NAME);
    /* Level-high: the PL011's UARTINTR is a level (raised here on its rising edges). The
     * interrupt controller's device comes first (VDEV_ORDER_INTC); none without one. */
    u->irq_cells = 0;
    err = arch_irq_virtual_alloc(p, false, &u->virq, u->irq_spec);
    if (err == 0) {
        u->irq_cells = arch_irq_dt_cells();
    } else if (err != -ENODEV) {
        partition_printf(p, "vuart: no virtual interrupt: %s\n", errno_name(err));
        return err;
    }
    return vmmio_register(p, gpa(VPL011_GUEST_BASE), VPL011_SIZE, &vpl011_mmio, u, "vuart");
}

/* A byte typed at the hypervisor console while p has the input focus. */
static int vpl011_console_input(struct partition *p, char c)
{
    struct vpl011 *u = &vpl011s[p->index];
    int err = 0;

    spin_lock(&u->lock);
    if (u->rx_len == VPL011_RX_FIFO) {
        err = -ENOSPC; /* overrun: the byte is lost */
    } else {
        u->rx[(u->rx_head + u->rx_len) % VPL011_RX_FIFO] = (uint8_t)c;
        __atomic_store_n(&u->rx_len, u->rx_len + 1, __ATOMIC_RELEASE);
        u->latched |= VPL011_INT_RT;
    }
    vpl011_unlock(u);
    return err;
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
    if (u->irq_cells != 0) {
        fdt_write_prop_cells(w, "interrupts", u->irq_spec, u->irq_cells);
    }
    fdt_write_prop_cells(w, "clocks", clocks, 2);
    fdt_write_prop(w, "clock-names", clock_names, sizeof(clock_names));
    fdt_write_end_node(w);
}

static const struct vdev_ops vpl011_vdev_ops = {
    .name = "vuart",
    .init = vpl011_init,
    .reset = vpl011_reset,
    .guest_dt = vpl011_guest_dt,
    .console_input = vpl011_console_input,
};

VDEV(vpl011_vdev, VDEV_ORDER_CONSOLE, &vpl011_vdev_ops);
