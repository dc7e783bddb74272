/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AMD-Vi driver internals shared by the driver (amdvi.c) and its QEMU self-test (selftest.c).
 * Everything else uses the generic IOMMU API (include/hv/iommu.h).
 */
#pragma once

#include <hv/iommu.h>
#include <hv/spinlock.h>
#include <hv/types.h>

#include "amdvi_hw.h"

/* IOMMUs handled (one per distinct IVHD MMIO base). */
#define AMDVI_MAX_UNITS 4
/* IVRS device-entry ranges (the requester ids a unit serves) remembered per unit. */
#define AMDVI_MAX_RANGES 32

/* Requester ids [first, last] the IVRS names; with has_alias their requests reach the IOMMU
 * with requester id alias (IVRS 42h/43h). */
struct amdvi_range {
    uint16_t first, last, alias;
    bool has_alias;
};

/* Counters of one unit. */
struct amdvi_stats {
    unsigned long syncs;        /* COMPLETION_WAITs completed */
    unsigned long mode_changes; /* root allocations + depth increases, all domains */
    unsigned long events;       /* event log entries drained */
};

/* One AMD-Vi unit. */
struct amdvi_unit {
    struct iommu iommu;       /* generic half (ops, name, limits) */
    char name[24];            /* "amd-vi@fed80000" */
    hpa_t mmio_base;          /* from the IVHD */
    uint16_t devid;           /* the IOMMU's own PCI requester id */
    volatile uint8_t *mmio;   /* mapped registers */
    uint16_t max_devid;       /* highest requester id the IVRS names for it */
    uint64_t efr;             /* Extended Feature Register */
    struct amdvi_dte *devtab; /* device table, devtab_pages pages */
    hpa_t devtab_pa;
    unsigned int devtab_pages;
    struct amdvi_cmd *cmdbuf; /* command ring, one page */
    hpa_t cmdbuf_pa;
    uint32_t cmd_tail; /* next slot to fill (entries) */
    uint64_t *evtlog;  /* event log, one page */
    hpa_t evtlog_pa;
    uint32_t evt_head;      /* next entry to read (entries) */
    volatile uint64_t *sem; /* COMPLETION_WAIT store target */
    hpa_t sem_pa;
    uint64_t sem_seq; /* last sequence number queued */
    struct amdvi_range ranges[AMDVI_MAX_RANGES];
    unsigned int nranges;
    spinlock_t hw_lock; /* command ring and device table writes */
    struct amdvi_stats stats;
};

/* The probed units (amdvi.c). */
extern struct amdvi_unit amdvi_units[AMDVI_MAX_UNITS];
extern unsigned int amdvi_nunits;

/* Unit idx (0-based, probe order), or NULL: for the self-tests and host unit tests only
 * (amdvi_test.c, never in a product build). */
struct amdvi_unit *amdvi_unit(unsigned int idx);

/*
 * Driver internals the self-test (tests/selftest/iommu/amdvi.c) drives directly, hw_lock held:
 * queue n commands and wait for their completion (0 or -ETIMEDOUT / the queue's error); write
 * the DTE of devid, bits 63:0 last (the caller invalidates the entry afterwards).
 */
int amdvi_cmd_run(struct amdvi_unit *u, const struct amdvi_cmd *cmds, size_t n) __must_check;
void amdvi_dte_write(struct amdvi_unit *u, uint16_t devid, const struct amdvi_dte *dte);
