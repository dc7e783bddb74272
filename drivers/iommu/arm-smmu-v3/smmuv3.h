/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMMUv3 driver internals shared by the driver (smmuv3.c), its test accessors
 * (smmuv3_test.c) and its QEMU self-test (tests/selftest/iommu/smmuv3.c). Everything else
 * uses the generic IOMMU API (include/hv/iommu.h).
 */
#pragma once

#include <hv/iommu.h>
#include <hv/spinlock.h>
#include <hv/types.h>

#include "smmuv3_hw.h"

/* SMMUs handled (one per "arm,smmu-v3" DT node). */
#define SMMUV3_MAX_UNITS 4
/* Level-2 stream tables of a 2-level stream table: 256 STEs (one PCI bus) each. */
#define SMMUV3_L2_SPLIT 8

/* Counters of one unit. */
struct smmuv3_stats {
    unsigned long depth_changes; /* root allocations + depth increases, all domains */
    unsigned long events;        /* event records drained */
    unsigned long events_lost;   /* queue overflows seen */
};

/* One SMMUv3. */
struct smmuv3_unit {
    struct iommu iommu;     /* generic half (ops, name, limits) */
    char name[24];          /* "smmuv3@9050000" */
    volatile uint8_t *mmio; /* mapped registers (two 64 KiB pages) */
    uint32_t idr0, idr1, idr5;
    bool coherent;         /* IDR0.COHACC: table walks and queues snoop CPU caches */
    unsigned int oas_code; /* IDR5.OAS, used as S2PS */
    unsigned int ias_bits; /* input (IPA) size: = OAS for AArch64-only tables (3.4.1) */
    unsigned int sid_bits; /* stream-id bits the stream table covers */
    bool two_level;        /* 2-level stream table (else linear) */
    bool stage1;           /* domains translate at stage 1 (no S2P, or forced by Kconfig) */
    struct smmuv3_cd *cds; /* stage 1: one context descriptor per domain id (256) */
    hpa_t cds_pa;
    void *strtab; /* linear: STEs; 2-level: level-1 descriptors */
    hpa_t strtab_pa;
    struct smmuv3_ste **l2; /* 2-level: level-2 tables by L1 index (NULL: none yet) */
    struct smmuv3_cmd *cmdq;
    hpa_t cmdq_pa;
    unsigned int cmdq_log2;
    uint32_t cmdq_prod; /* next slot to fill, with the wrap bit */
    uint64_t *evtq;     /* event records, 4 dwords each */
    hpa_t evtq_pa;
    unsigned int evtq_log2;
    uint32_t evtq_cons;  /* next record to read, with the wrap bit */
    uint32_t evtq_ovack; /* PROD.OVFLG last acknowledged in CONS.OVACKFLG (7.4) */
    spinlock_t hw_lock;  /* command queue, stream table and event queue */
    struct smmuv3_stats stats;
};

/* The probed units (smmuv3.c), in probe order. */
extern struct smmuv3_unit smmuv3_units[SMMUV3_MAX_UNITS];
extern unsigned int smmuv3_nunits;

/* The STE slot of sid, or NULL when the table has none (2-level: no level-2 table yet).
 * hw_lock held. */
struct smmuv3_ste *smmuv3_ste_slot(const struct smmuv3_unit *u, uint32_t sid);

/* For the self-tests and host unit tests only (smmuv3_test.c, CONFIG_IOMMU_SELFTEST): */

/* Unit idx (0-based, probe order), or NULL. */
struct smmuv3_unit *smmuv3_unit(unsigned int idx);

/* The live STE of sid (self-test checks), copied under the lock: 0, or -ENOENT. */
int smmuv3_read_ste(struct smmuv3_unit *u, uint32_t sid, struct smmuv3_ste *ste) __must_check;
