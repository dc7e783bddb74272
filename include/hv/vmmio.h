/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trapped-MMIO emulation, generic half. A partition owns a small table of emulated regions:
 * guest-physical ranges that are deliberately left out of its stage-2 table, so that every
 * access to them traps. The arch decodes the trap (arm64: a stage-2 data abort with a valid
 * instruction syndrome, Arm ARM D17.2.40) into one access of 1, 2, 4 or 8 bytes and calls
 * vmmio_access(); on success it completes the instruction (a load gets *val, sign- or
 * zero-extended per the syndrome) and resumes the guest after it. Everything else (no
 * syndrome, no region, a handler error) stays a fault that stops the partition.
 *
 * Regions never overlap the partition's memory, shared-memory windows, passed-through device
 * ranges or each other: vmmio_register() refuses a clash as a configuration error naming the
 * partition's node path. The table is built once per partition at setup (boot CPU, before the
 * partition runs) and is read-only afterwards, so lookups take no lock; each device locks its
 * own state.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/types.h>

struct partition;
struct vcpu;

/* Emulated regions per partition, at most. */
#define VMMIO_MAX_REGIONS 8

/*
 * A device's register handlers. offset is relative to the region base; size is 1, 2, 4 or
 * 8 and offset is a multiple of size (vmmio_access() checks both). v is the vCPU that made
 * the access, on its own CPU, no lock held. A read fills *val with size bytes (zero-extended);
 * a write gets the low size bytes in val. 0, or a negative errno to stop the partition with
 * a fault report (an access the device cannot take, e.g. a size it does not support).
 */
struct vmmio_ops {
    int (*read)(void *dev, struct vcpu *v, uint64_t offset, unsigned int size,
                uint64_t *val) __must_check;
    int (*write)(void *dev, struct vcpu *v, uint64_t offset, unsigned int size,
                 uint64_t val) __must_check;
};

/* One emulated region: [base, base + size) of guest physical space. */
struct vmmio_region {
    gpa_t base;
    uint64_t size;
    const struct vmmio_ops *ops;
    void *dev;        /* handed to the ops */
    const char *name; /* for messages: "vuart" */
};

/* A partition's emulated regions, embedded in struct partition. */
struct vmmio_table {
    unsigned int count;
    struct vmmio_region regions[VMMIO_MAX_REGIONS];
};

/*
 * Empty p's table (boot CPU, before p runs); the virtual devices then register their regions
 * (vdev_partition_init(), include/hv/vdev.h).
 */
void vmmio_partition_init(struct partition *p);

/*
 * Add region [base, base + size) with ops/dev to p's table. Refused, with a message
 * "<node path>: emulated <name> at 0x<base>+0x<size> overlaps <what> ...", when the range is
 * empty or wraps (-EINVAL), overlaps a memory range, shared-memory window or device range of
 * p's configuration or another emulated region (-EEXIST), or the table is full (-ENOSPC).
 * Boot CPU, before p runs.
 */
int vmmio_register(struct partition *p, gpa_t base, uint64_t size, const struct vmmio_ops *ops,
                   void *dev, const char *name) __must_check;

/* The region of p containing addr, or NULL. Any CPU. */
const struct vmmio_region *vmmio_find(const struct partition *p, gpa_t addr);

/*
 * Emulate one access of v at addr: size bytes (1, 2, 4, 8), naturally aligned, wholly
 * inside one region. A write takes the low size bytes of *val; a read stores the value
 * zero-extended to 64 bits in *val. 0; -ENOENT when addr is in no region (the caller's
 * ordinary fault path); -EINVAL for a bad size, a misaligned or region-straddling access;
 * or the handler's error. v's own CPU, no lock held.
 */
int vmmio_access(struct vcpu *v, gpa_t addr, unsigned int size, bool is_write,
                 uint64_t *val) __must_check;
