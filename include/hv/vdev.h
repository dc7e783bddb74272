/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-partition virtual devices (in the spirit of Jailhouse's per-cell unit hooks): every
 * device a partition gets without owning hardware (the arm64 vUART today; the vGIC and
 * doorbells next) plugs in here, so the partition code never names one.
 *
 * A device registers a struct vdev_ops with VDEV() in a linker-section table; the partition
 * code walks the table in ascending order (entries of equal order in link order):
 *   - vdev_partition_init() when a partition is set up (boot CPU, before it runs): each
 *     device resets its state for the partition and claims its guest-physical registers
 *     with vmmio_register() (include/hv/vmmio.h), which refuses a clash with anything the
 *     partition maps;
 *   - vdev_partition_reset() on PSCI SYSTEM_RESET: back to the values a fresh boot finds;
 *   - vdev_guest_dt() while the partition's guest DT is written: each device's node(s).
 *
 * A device keeps its per-partition state itself: a static array indexed by partition index
 * (p->index, < HV_MAX_PARTITIONS), or for an arch device a field of struct partition_arch.
 * struct partition embeds no device.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/table.h>
#include <hv/types.h>

struct fdt_writer;
struct partition;

struct vdev_ops {
    const char *name; /* "vuart", "vgic", "doorbell": for messages */
    /*
     * Boot CPU, before p runs, no lock held: reset the device's state for p and register its
     * emulated regions (vmmio_register()). 0, or a negative errno (reported by the device or
     * by vmmio_register()) that fails p's setup.
     */
    int (*init)(struct partition *p) __must_check;
    /*
     * PSCI SYSTEM_RESET of p, while none of p's vCPUs runs: back to reset values. The regions
     * stay registered. p->lock may be held, so the device takes only leaf locks.
     */
    void (*reset)(struct partition *p);
    /*
     * Write the device's node(s) into p's guest DT at the root level (after the passed-through
     * devices), guest addresses only; the writer's errors are sticky. May be NULL.
     */
    void (*guest_dt)(struct fdt_writer *w, const struct partition *p);
    /*
     * A byte typed at the hypervisor console while p has the input focus
     * (include/hv/console_input.h): into the device's receive buffer, raising its interrupt.
     * 0, or -ENOSPC when the buffer is full (the byte is dropped, as a full UART FIFO drops
     * it). Boot CPU, no lock held. NULL: the device takes no input.
     */
    int (*console_input)(struct partition *p, char c);
    /*
     * Write the device's properties of p's guest-DT /chosen node (the virtual PCI host's
     * "linux,pci-probe-only"); the writer's errors are sticky. May be NULL.
     */
    void (*chosen)(struct fdt_writer *w, const struct partition *p);
};

/* One table entry: the order among devices and the device. */
struct vdev_entry {
    unsigned int order;
    const struct vdev_ops *ops;
};

/*
 * Register the device *ops_ptr as sym with order (ascending; the interrupt controller before
 * the devices whose interrupts it routes). Like HV_UNIT() in include/hv/boot.h.
 */
#define VDEV(sym, order_, ops_ptr)                                                                 \
    static const struct vdev_entry sym HV_TABLE_ENTRY(hv_vdevs) = {.order = (order_),              \
                                                                   .ops = (ops_ptr)}

/* Orders of the devices the tree has (one place, like the boot units' in include/hv/boot.h). */
enum vdev_order {
    VDEV_ORDER_INTC = 10,    /* the interrupt controller: others may route through it */
    VDEV_ORDER_CONSOLE = 20, /* the console UART */
    VDEV_ORDER_DOORBELL = 30,
    VDEV_ORDER_VPCI = 35,      /* the virtual PCI host (include/hv/vpci.h): before its functions */
    VDEV_ORDER_VPCI_FUNC = 40, /* virtual PCI functions: vpci_add_func() from their init() */
    VDEV_ORDER_VPCI_PT = 45,   /* passed-through functions: in the slots the others left */
};

/*
 * Empty p's emulated-MMIO table and run every device's init() in order. 0, or the first
 * error (devices after it are not initialised; p's setup fails and p never runs).
 */
int vdev_partition_init(struct partition *p) __must_check;

/* Run every device's reset() in order (PSCI SYSTEM_RESET; p->lock may be held). */
void vdev_partition_reset(struct partition *p);

/* Write every device's guest-DT node(s) in order (guest_dtb_build()). */
void vdev_guest_dt(struct fdt_writer *w, const struct partition *p);

/* Write every device's /chosen properties in order (guest_dtb_build(), inside /chosen). */
void vdev_chosen(struct fdt_writer *w, const struct partition *p);

/*
 * The partition's console: the device that is p's console calls vdev_set_console() from its
 * init() with its guest-DT node path ("/serial@9000000"); the guest-DT writer puts it in
 * /chosen stdout-path. path must stay valid (a string literal or static buffer). At most one
 * per partition; NULL clears it.
 */
void vdev_set_console(const struct partition *p, const char *path);

/* p's console node path, or NULL when no device claimed it. */
const char *vdev_console(const struct partition *p);

/* Whether some device takes console input (a console_input hook): partitions can then have
 * the input focus. Pure. */
bool vdev_has_console_input(void);

/* Give console byte c to p's first device with a console_input hook: its result, or -ENODEV
 * when there is none. Boot CPU, no lock held. */
int vdev_console_input(struct partition *p, char c);
