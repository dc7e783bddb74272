/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trapped-MMIO emulation, generic half. A partition owns a small table of emulated regions:
 * guest-physical ranges that are deliberately left out of its stage-2 table, so that every
 * access to them traps. The arch decodes the trap (arm64: a stage-2 data abort with a valid
 * instruction syndrome, Arm ARM D17.2.40) into one access of 1, 2, 4 or 8 bytes and calls
 * vmmio_dispatch() (host tests: vmmio_access()); on success it completes the instruction (a
 * load gets *val, sign- or zero-extended per the syndrome) and resumes the guest after it.
 * Everything else (no syndrome, no region, a handler error) stays a fault that stops the partition.
 *
 * Regions never overlap the partition's memory, shared-memory windows, passed-through device
 * ranges or each other: vmmio_register() refuses a clash as a configuration error naming the
 * partition's node path. The table is built once per partition at setup (boot CPU, before the
 * partition runs) and is read-only afterwards, so lookups take no lock; each device locks its
 * own state.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/errno.h>
#include <hv/types.h>

struct partition;
struct vcpu;

/* Emulated regions per partition, at most. */
#define VMMIO_MAX_REGIONS 8

/*
 * A device's register handlers. offset is relative to the region base; size is 1, 2, 4 or
 * 8 and offset is a multiple of size (vmmio_dispatch() checks both). v is the vCPU that made
 * the access, on its own CPU, no lock held. A read fills *val with size bytes (zero-extended)
 * and never makes an interrupt pending for v itself (it may lower a line): the arch delivers
 * what v's own accesses raise after writes only. A write gets the low size bytes in val. 0, or a
 * negative errno to stop the partition with a fault report (an access the device cannot take, e.g.
 * a size it does not support).
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

/* The region of v's partition containing addr, or NULL; when found, *hint (v's own, see
 * vmmio_dispatch()) points at it. */
const struct vmmio_region *vmmio_lookup(struct vcpu *v, const struct vmmio_region **hint,
                                        uint64_t addr);

/*
 * Emulate one access of v at addr: size bytes (1, 2, 4, 8), naturally aligned, wholly
 * inside one region. A write takes the low size bytes of *val; a read stores the value
 * zero-extended to 64 bits in *val. 0; -ENOENT when addr is in no region (the caller's
 * ordinary fault path); -EINVAL for a bad size, a misaligned or region-straddling access;
 * or the handler's error. v's own CPU, no lock held. The host tests' and fuzzers' entry
 * (tests/unit/vmmio_access.c); the arch trap paths call vmmio_dispatch() directly.
 */
int vmmio_access(struct vcpu *v, gpa_t addr, unsigned int size, bool is_write,
                 uint64_t *val) __must_check;

/*
 * vmmio_access()'s body, inline for an arch's trap path (arm64: traps.c), where it is most of
 * the work: *hint is v's region of its previous access (a driver polls one device at a
 * time), tried first, the table searched on a miss (vmmio_lookup()). The hint only ever
 * points at an entry of v's partition's table, which does not change while the partition
 * runs (vmmio_partition_init() leaves it at the first entry and zeroes every entry past the
 * count, which then matches nothing), and it is checked like any other entry.
 */
static inline __attribute__((always_inline)) int vmmio_dispatch(struct vcpu *v,
                                                                const struct vmmio_region **hint,
                                                                uint64_t addr, unsigned int size,
                                                                bool is_write, uint64_t *val)
{
    const struct vmmio_region *r = *hint;
    uint64_t offset = addr - gpa_val(r->base), rsize = r->size, data;
    int err;

    /* offset < size: no overflow for any addr (unsigned wrap makes addr < base fail). */
    if (unlikely(offset >= rsize)) {
        r = vmmio_lookup(v, hint, addr);
        if (r == NULL) {
            return -ENOENT;
        }
        offset = addr - gpa_val(r->base);
        rsize = r->size;
    }
    /* size is 1, 2, 4 or 8 (a power of two up to 8: size & (size - 1) == 0) and offset a
     * multiple of it, in one test. Natural alignment also keeps the access inside the region
     * when the region's size is a multiple of 8 (every region is page sized); check anyway,
     * it costs little. */
    if (size - 1 > 7 || ((offset | size) & (size - 1)) != 0 || offset + size > rsize) {
        return -EINVAL;
    }
    if (is_write) {
        return r->ops->write(r->dev, v, offset, size,
                             *val & (~UINT64_C(0) >> ((0u - size * 8) & 63)));
    }
    /* The handler gets a fresh zero, not *val: nothing the caller left there reaches the
     * guest, and the caller's variable stays in a register. */
    data = 0;
    err = r->ops->read(r->dev, v, offset, size, &data);
    /* The contract: zero-extended. (64 - 8 * size) & 63 == (0 - 8 * size) & 63 (one
     * instruction), and a shift by 0 keeps all 64 bits for size 8. */
    *val = data & (~UINT64_C(0) >> ((0u - size * 8) & 63));
    return err;
}
