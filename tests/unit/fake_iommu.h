/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fake IOMMU driver for host tests and benches: the hardware half of struct iommu_ops
 * (the core owns the table, in the shared AMD-Vi format pt_fmt_amdvi) with a device table in
 * memory, counters for every invalidation, lock checks and fault injection (failing table
 * allocations, a failing reload). Table pages come from the host heap; their "host physical
 * address" is their pointer value.
 */
#pragma once

#include "fake_console.h"

#include <hv/iommu.h>

#define FAKE_IOMMU_DEVICES 64

/* One device-table entry, as the fake hardware would read it. */
struct fake_dte {
    bool valid;     /* entry written at least once (init blocks every device) */
    bool translate; /* false: DMA blocked */
    hpa_t root;     /* root table (translate only) */
    unsigned int depth;
    uint16_t domain_id;
};

struct fake_iommu {
    struct iommu unit;
    struct iommu_ops ops; /* the fake's ops; pt_min_depth set by fake_iommu_register_depth() */
    struct fake_dte dte[FAKE_IOMMU_DEVICES];
    /* Counters */
    unsigned long dte_invalidations;  /* entry invalidations (assign, block, growth) */
    unsigned long iotlb_flushes;      /* iotlb_flush hook calls + reloads */
    unsigned long domain_flushes;     /* of which whole-domain flushes (count 0) */
    unsigned long reload_calls;       /* reload hook calls (root allocated or grown) */
    unsigned long streams_disabled;   /* assign_device(NULL) from a fault report */
    unsigned long table_allocs;       /* table pages allocated */
    unsigned long table_frees;        /* table pages freed */
    unsigned long allocs_unlocked;    /* table allocations without the mapping lock (a bug) */
    unsigned long allocs_assign_held; /* table allocations under the assignment lock too */
    bool reload_locks_ok;             /* every reload ran with assign + mapping lock held */
    bool flush_locks_ok;              /* every flush ran with the mapping lock held */
    /* Fault injection */
    long alloc_fail_after; /* allocations that still succeed; < 0: never fail */
    int reload_error;      /* non-zero: reload returns it */
    int flush_error;       /* non-zero: iotlb_flush returns it */
};

/* Set up fi (zeroed, not yet registered: all devices blocked, no injection) and register
 * it. 0 or -errno. */
int fake_iommu_register(struct fake_iommu *fi) __must_check;

/*
 * The same with every domain's root allocated at least min_depth levels deep: min_depth =
 * the deepest level makes a fixed-depth table (what a driver without growth builds), for
 * benches comparing it with grown tables.
 */
int fake_iommu_register_depth(struct fake_iommu *fi, unsigned int min_depth) __must_check;

/* Reset a registered fi between tests: counters, injection, every device blocked. */
void fake_iommu_reset(struct fake_iommu *fi);

/* The fake unit of a domain. */
struct fake_iommu *fake_iommu_of(const struct iommu_domain *dom);
