/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-partition virtual devices (PROVISIONAL copy of the interface the structure branch adds;
 * the lead reconciles the two). A virtual device registers one descriptor with VDEV(); every
 * partition gets every registered device, in ascending order: init() at setup, reset() at
 * PSCI SYSTEM_RESET, guest_dt() when its guest DT is written. A device keeps its state in the
 * arch half of the partition and vCPU objects or in its own static arrays, never in generic
 * struct partition.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/fdt_write.h>
#include <hv/table.h>

struct partition;

struct vdev_ops {
    const char *name;
    /* Boot CPU, before p runs: reset the device's state for p and vmmio_register() its
     * regions. 0 or a negative errno (already reported); the partition then fails setup. */
    int (*init)(struct partition *p) __must_check;
    /* PSCI SYSTEM_RESET: back to the state init() left; p->lock may be held. */
    void (*reset)(struct partition *p);
    /* Its node(s) in p's guest DT (guest addresses only); errors are sticky in w. */
    void (*guest_dt)(struct fdt_writer *w, const struct partition *p);
};

/* One registered device: descriptor in the hv_vdevs table with an explicit order. */
struct vdev_entry {
    unsigned int order;
    const struct vdev_ops *ops;
};

/* Register ops_ptr as a virtual device of every partition, ordered by order. */
#define VDEV(sym, order_, ops_ptr)                                                                 \
    static const struct vdev_entry sym HV_TABLE_ENTRY(hv_vdevs) = {order_, ops_ptr}

/* Run every device's init for p in order; the first error stops and is returned. */
int vdev_init_all(struct partition *p) __must_check;
/* Run every device's reset for p in order. */
void vdev_reset_all(struct partition *p);
/* Write every device's guest DT nodes for p in order. */
void vdev_guest_dt_all(struct fdt_writer *w, const struct partition *p);
