/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fake IOMMU driver for host tests and benches: implements struct iommu_ops on top of the
 * shared page-table code with the AMD-Vi format (core/mm/pgtable.c, pt_fmt_amdvi), with a
 * device table in memory, counters for every invalidation, and fault injection (failing
 * table allocations, failing notify, a notify that forgets to grow). Table pages come from
 * the host heap; their "host physical address" is their pointer value.
 *
 * Programs using it link tests/unit/fake/fake_console.c for the console.
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
    struct fake_dte dte[FAKE_IOMMU_DEVICES];
    /* Counters */
    unsigned long dte_invalidations; /* entry invalidations (assign, block, growth) */
    unsigned long iotlb_flushes;     /* iotlb_flush hook + walker flushes */
    unsigned long notify_calls;      /* notify_dfn hook calls */
    unsigned long map_calls;         /* map_pages hook calls */
    unsigned long table_allocs;      /* table pages allocated */
    unsigned long table_frees;       /* table pages freed */
    bool notify_locks_ok;            /* every notify ran with assign + mapping lock held */
    bool map_locks_ok;               /* every map ran with the mapping lock, not assign */
    /* Fault injection */
    long alloc_fail_after; /* allocations that still succeed; < 0: never fail */
    int notify_error;      /* non-zero: notify_dfn returns it */
    bool notify_no_grow;   /* bug: notify allocates a depth-1 root and never grows */
    /* Map in pieces that end at multiples of this many pages, one pt_map each, so that an
     * allocation failure can leave a request partly mapped; 0: one pt_map per request. */
    unsigned long map_chunk_pages;
};

/* Set up fi (zeroed, not yet registered: all devices blocked, no injection) and register
 * it. 0 or -errno. */
int fake_iommu_register(struct fake_iommu *fi) __must_check;

/* Reset a registered fi between tests: counters, injection, every device blocked. */
void fake_iommu_reset(struct fake_iommu *fi);

/* The fake unit of a domain. */
struct fake_iommu *fake_iommu_of(const struct iommu_domain *dom);
