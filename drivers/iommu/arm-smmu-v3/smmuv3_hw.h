/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMMUv3 hardware encodings (Arm System MMU Architecture Specification v3, IHI 0070):
 * registers (6.3), stream table entries (5.2), level-1 stream table descriptors (5.1),
 * commands (4.1-4.7) and event records (7.3). Pure functions, no I/O: host-tested in
 * tests/unit/test_smmuv3_hw.c against the values verified on QEMU 10 (BRIEF §7/§8).
 */
#pragma once

#include <hv/compiler.h>
#include <hv/iommu.h>
#include <hv/types.h>

/* --- Registers (6.3), offsets from the base of page 0 ----------------------------------- */
#define SMMU_IDR0 0x00
#define SMMU_IDR1 0x04
#define SMMU_IDR5 0x14
#define SMMU_CR0 0x20
#define SMMU_CR0ACK 0x24
#define SMMU_CR1 0x28
#define SMMU_CR2 0x2c
#define SMMU_GBPA 0x44
#define SMMU_IRQ_CTRL 0x50
#define SMMU_IRQ_CTRLACK 0x54
/* IRQ_CTRL (6.3.21): wired or MSI interrupt enables. */
#define SMMU_IRQ_CTRL_GERROR_IRQEN (1u << 0)
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN (1u << 2)
/* MSI configuration (6.3.19, 6.3.33): ADDR 0 sends no MSI, so a wired interrupt is used. */
#define SMMU_GERROR_IRQ_CFG0 0x68 /* 64-bit */
#define SMMU_EVENTQ_IRQ_CFG0 0xb0 /* 64-bit */
#define SMMU_GERROR 0x60
#define SMMU_GERRORN 0x64
#define SMMU_STRTAB_BASE 0x80 /* 64-bit */
#define SMMU_STRTAB_BASE_CFG 0x88
#define SMMU_CMDQ_BASE 0x90 /* 64-bit */
#define SMMU_CMDQ_PROD 0x98
#define SMMU_CMDQ_CONS 0x9c
#define SMMU_EVENTQ_BASE 0xa0 /* 64-bit */
/* The event queue indexes live in page 1 (6.3.27, 6.3.28: offsets 0x100a8 / 0x100ac). */
#define SMMU_EVENTQ_PROD 0x100a8
#define SMMU_EVENTQ_CONS 0x100ac
/* Two 64 KiB register pages; the base is 64 KiB aligned. */
#define SMMU_PAGE_SIZE 0x10000
#define SMMU_MMIO_SIZE 0x20000

/* IDR0 (6.3.1). */
#define SMMU_IDR0_S2P (1u << 0)
#define SMMU_IDR0_S1P (1u << 1)
#define SMMU_IDR0_TTF_SHIFT 2 /* 2 bits: 0b10 AArch64 tables only, 0b11 both */
#define SMMU_IDR0_COHACC (1u << 4)
#define SMMU_IDR0_VMID16 (1u << 18)
#define SMMU_IDR0_ST_LEVEL_SHIFT 27 /* 2 bits: 0 linear only, 1 2-level supported */

/* IDR1 (6.3.2). */
#define SMMU_IDR1_SIDSIZE_MASK 0x3fu
#define SMMU_IDR1_EVENTQS_SHIFT 16
#define SMMU_IDR1_CMDQS_SHIFT 21
#define SMMU_IDR1_QS_MASK 0x1fu

/* IDR5 (6.3.6). */
#define SMMU_IDR5_OAS_MASK 0x7u
#define SMMU_IDR5_GRAN4K (1u << 4)

/* CR0 / CR0ACK (6.3.9). */
#define SMMU_CR0_SMMUEN (1u << 0)
#define SMMU_CR0_EVENTQEN (1u << 2)
#define SMMU_CR0_CMDQEN (1u << 3)

/* CR1 (6.3.11): cacheability / shareability of queue and table accesses, each an IC, OC, SH
 * triple of 2-bit fields (queues at bit 0, tables at bit 6: smmuv3_cr1()). */
#define SMMU_CR1_QUEUE_IC_SHIFT 0
#define SMMU_CR1_TABLE_IC_SHIFT 6

/* CR2 (6.3.12): record C_BAD_STREAMID for invalid stream ids; private TLB maintenance. */
#define SMMU_CR2_RECINVSID (1u << 1)
#define SMMU_CR2_PTM (1u << 2)

/* GBPA (6.3.14): ABORT terminates transactions while SMMUEN = 0; UPDATE handshakes. */
#define SMMU_GBPA_ABORT (1u << 20)
#define SMMU_GBPA_UPDATE (1u << 31)

/* GERROR / GERRORN (6.3.17): an error is active while the two bits differ. */
#define SMMU_GERROR_CMDQ_ERR (1u << 0)
#define SMMU_GERROR_EVTQ_ABT_ERR (1u << 2)
#define SMMU_GERROR_SFM_ERR (1u << 8)

/* CMDQ_CONS.ERR (6.3.26): why the command at CONS failed. */
#define SMMU_CMDQ_CONS_ERR(cons) (((cons) >> 24) & 0x7fu)
/* Queue PROD/CONS: index and wrap bit below bit log2size; bit 31 overflow flags (7.4). */
#define SMMU_Q_OVF (1u << 31)

/* STRTAB_BASE_CFG.FMT (6.3.24). */
#define SMMU_STRTAB_LINEAR 0u
#define SMMU_STRTAB_2LVL 1u

/* OAS / S2PS encoding -> bits: 32, 36, 40, 42, 44, 48, 52 (6.3.6); 0 for a reserved code. */
unsigned int smmuv3_oas_bits(unsigned int code);

/* STRTAB_BASE (6.3.23): RA | address[51:6]. */
uint64_t smmuv3_strtab_base(hpa_t table);

/* STRTAB_BASE_CFG: format, split (2-level only) and log2 of the number of stream ids. */
uint32_t smmuv3_strtab_cfg(unsigned int fmt, unsigned int split, unsigned int log2size);

/* CMDQ_BASE / EVENTQ_BASE (6.3.25, 6.3.26): RA or WA (bit 62) | address[51:5] | log2size. */
uint64_t smmuv3_queue_base(hpa_t queue, unsigned int log2size);

/* CR1 for coherent (write-back, inner shareable) or non-cacheable table and queue accesses. */
uint32_t smmuv3_cr1(bool coherent);

/* --- Stream table (5.1, 5.2) --------------------------------------------------------------- */
#define SMMU_STE_SIZE 64
#define SMMU_STE_DWORDS 8
#define SMMU_L1STD_SIZE 8

/* STE.Config (5.2, dw0[3:1]). */
#define SMMU_STE_V (UINT64_C(1) << 0)
#define SMMU_STE_CFG_ABORT 0x0u
#define SMMU_STE_CFG_BYPASS 0x4u
#define SMMU_STE_CFG_S2 0x6u

struct smmuv3_ste {
    uint64_t dw[SMMU_STE_DWORDS];
};

/* The stage-2 translation of a stream: one domain's table. */
struct smmuv3_s2_cfg {
    uint16_t vmid;     /* S2VMID: the domain id */
    unsigned int t0sz; /* S2T0SZ: 64 - IPA bits */
    unsigned int sl0;  /* S2SL0 (4 KiB granule: 0 level 2, 1 level 1, 2 level 0) */
    unsigned int ps;   /* S2PS: output size code (IDR5.OAS) */
    bool coherent;     /* walks cacheable (WB, inner shareable) or non-cacheable */
    hpa_t ttb;         /* S2TTB: the root table */
};

/* Stage-1 translation (SMMUs without stage 2, or forced): one context descriptor. */
#define SMMU_STE_CFG_S1 0x5u
#define SMMU_CD_SIZE 64
#define SMMU_CD_DWORDS 8

struct smmuv3_cd {
    uint64_t dw[SMMU_CD_DWORDS];
};

/* What a stage-1 STE and its context descriptor need. */
struct smmuv3_s1_cfg {
    uint16_t vmid;     /* S2VMID (tags stage-1 TLB entries where stage 2 exists): domain id */
    uint16_t asid;     /* CD ASID: the domain id */
    unsigned int t0sz; /* CD T0SZ: 64 - input bits */
    unsigned int ips;  /* CD IPS: output size code (IDR5.OAS) */
    uint64_t mair;     /* CD MAIR0: the memory types the table's AttrIndx selects */
    bool coherent;     /* walks and CD fetches cacheable (WB, inner shareable) */
    hpa_t ttb;         /* CD TTB0: the root table */
    hpa_t cd;          /* STE S1ContextPtr: the CD (64-byte aligned) */
};

/*
 * A stage-1 STE (5.2: Config 0b101, S1Fmt 0, S1CDMax 0: one CD at S1ContextPtr; STRW NS-EL1;
 * PRIVCFG privileged, so table entries need no EL0 permission) and its CD (5.4: AArch64,
 * 4 KiB granule, TTB1 walks disabled, faults recorded and aborted, no stall, access flag
 * faults disabled).
 */
struct smmuv3_ste smmuv3_ste_s1(const struct smmuv3_s1_cfg *cfg);
struct smmuv3_cd smmuv3_cd_s1(const struct smmuv3_s1_cfg *cfg);

/* A valid STE that aborts every transaction, no event recorded (5.2, Config 0b000). */
struct smmuv3_ste smmuv3_ste_abort(void);

/*
 * A valid stage-2-only STE (Config 0b110): S2AA64, S2R (record faults), 4 KiB granule,
 * walk attributes from cfg->coherent, SHCFG "use incoming". BRIEF §7: dw0 = 0xd, dw2 =
 * 0x040c3522_0000_0005 for VMID 5, S2T0SZ 34, S2SL0 0, S2PS 44-bit, coherent.
 */
struct smmuv3_ste smmuv3_ste_s2(const struct smmuv3_s2_cfg *cfg);

/* STE.Config of an STE. */
unsigned int smmuv3_ste_config(const struct smmuv3_ste *ste);

/*
 * Level-1 stream table descriptor (5.1): L2Ptr[51:6] | Span, where the level-2 table holds
 * 2^(span - 1) STEs; span 0 = no level-2 table (streams there are invalid: C_BAD_STREAMID).
 */
uint64_t smmuv3_l1std(hpa_t l2, unsigned int span);

/* --- Commands (4.1-4.7): 16 bytes, opcode in dw0[7:0] ------------------------------------- */
#define SMMU_CMD_SIZE 16
#define SMMU_CMD_CFGI_STE 0x03       /* 4.3.1: the cached STE of sid and its L1STD (Leaf 0) */
#define SMMU_CMD_CFGI_ALL 0x04       /* 4.3.3: CFGI_STE_RANGE, dw1 Range 31: every STE, CD */
#define SMMU_CMD_TLBI_S12_VMALL 0x28 /* 4.4.5: every stage-1 and stage-2 entry of vmid */
#define SMMU_CMD_TLBI_S2_IPA 0x2a    /* 4.4.4: the stage-2 entries of the page at dw1 */
#define SMMU_CMD_TLBI_NSNH_ALL 0x30  /* 4.4.6: every non-secure, non-hypervisor TLB entry */
#define SMMU_CMD_SYNC 0x46           /* 4.7.3, CS = SIG_NONE: seen through CMDQ_CONS */
#define SMMU_CMD_RANGE_ALL 31u       /* CFGI_ALL's Range: 2^(31 + 1) stream ids from 0 */

struct smmuv3_cmd {
    uint64_t dw[2];
};

/*
 * A command (4.1): opcode in dw0[7:0], id in dw0[63:32] (the StreamID of CFGI_STE, the VMID of
 * the TLBIs that take one; 0 for the others, where the field is RES0), dw1 as given: CFGI_ALL's
 * Range, or the page-aligned IPA of TLBI_S2_IPA (Leaf 0, TTL 0, TG 0: any level, walk caches
 * too).
 */
struct smmuv3_cmd smmuv3_cmd(unsigned int opcode, uint32_t id, uint64_t dw1);

/* --- Event records (7.3): 32 bytes ---------------------------------------------------------- */
#define SMMU_EVT_SIZE 32
#define SMMU_EVT_F_UUT 0x01
#define SMMU_EVT_C_BAD_STREAMID 0x02
#define SMMU_EVT_F_STE_FETCH 0x03
#define SMMU_EVT_C_BAD_STE 0x04
#define SMMU_EVT_F_BAD_ATS_TREQ 0x05
#define SMMU_EVT_F_STREAM_DISABLED 0x06
#define SMMU_EVT_F_TRANSL_FORBIDDEN 0x07
#define SMMU_EVT_C_BAD_SUBSTREAMID 0x08
#define SMMU_EVT_F_CD_FETCH 0x09
#define SMMU_EVT_C_BAD_CD 0x0a
#define SMMU_EVT_F_WALK_EABT 0x0b
#define SMMU_EVT_F_TRANSLATION 0x10
#define SMMU_EVT_F_ADDR_SIZE 0x11
#define SMMU_EVT_F_ACCESS 0x12
#define SMMU_EVT_F_PERMISSION 0x13
#define SMMU_EVT_F_TLB_CONFLICT 0x20
#define SMMU_EVT_F_CFG_CONFLICT 0x21
#define SMMU_EVT_E_PAGE_REQUEST 0x24

/* A decoded event record. Fields a type does not define are 0. */
struct smmuv3_event {
    unsigned int type; /* SMMU_EVT_* */
    uint32_t sid;      /* StreamID */
    bool has_addr;     /* the type carries an input / fetch address */
    uint64_t addr;     /* InputAddr (translation faults) or the fetch address */
    bool read;         /* RnW: read (else write); translation faults only */
    bool s2;           /* the fault happened at stage 2 */
};

/* Decode the 32-byte event record at raw: what the fault report and its message use. */
void smmuv3_event_decode(const uint64_t raw[4], struct smmuv3_event *ev);

/* The spec's name of an event type ("F_TRANSLATION"), "UNKNOWN" otherwise. */
const char *smmuv3_event_name(unsigned int type);

/* The generic class of an event type (IOMMU_FAULT_OTHER for those without one). */
enum iommu_fault_type smmuv3_event_fault(unsigned int type);

/*
 * One line describing ev, e.g. "F_TRANSLATION (0x10) sid 0x8 addr 0x1000 write stage 2",
 * into buf (snprintf semantics). Returns what snprintf returns.
 */
int smmuv3_event_format(const struct smmuv3_event *ev, char *buf, size_t size);
