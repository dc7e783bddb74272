/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AMD-Vi hardware encodings (AMD I/O Virtualization Technology (IOMMU) Specification rev 3.x):
 * MMIO register layout, device table entries, commands and event log entries. Pure functions
 * of their arguments, so the host tests check them against spec and BRIEF §8 values; the
 * driver (amdvi.c) is the only place that touches the hardware.
 */
#pragma once

#include <hv/types.h>

/* MMIO registers (3.4, "IOMMU MMIO Registers"); the block is 16 KiB (0x4000). */
#define AMDVI_MMIO_SIZE 0x4000
#define AMDVI_DEVTAB_BASE 0x0000 /* [51:12] base, [8:0] size in 4 KiB pages - 1 */
#define AMDVI_CMDBUF_BASE 0x0008 /* [51:12] base, [59:56] ComLen = log2(entries) */
#define AMDVI_EVTLOG_BASE 0x0010 /* [51:12] base, [59:56] EventLen = log2(entries) */
#define AMDVI_CONTROL 0x0018
#define AMDVI_EXT_FEATURES 0x0030
#define AMDVI_CMDBUF_HEAD 0x2000 /* byte offsets into the ring, bits [18:4] */
#define AMDVI_CMDBUF_TAIL 0x2008
#define AMDVI_EVTLOG_HEAD 0x2010
#define AMDVI_EVTLOG_TAIL 0x2018
#define AMDVI_STATUS 0x2020

/* Extended Feature Register: HATS, host address translation size, bits 11:10 (3.4.5). */
static inline unsigned int amdvi_efr_hats(uint64_t efr)
{
    return (unsigned int)(efr >> 10) & 3;
}

/* Control register bits (3.4.3). */
#define AMDVI_CTRL_IOMMU_EN (UINT64_C(1) << 0)
#define AMDVI_CTRL_EVTLOG_EN (UINT64_C(1) << 2)
#define AMDVI_CTRL_EVT_INT_EN (UINT64_C(1) << 3)
#define AMDVI_CTRL_COMWAIT_INT_EN (UINT64_C(1) << 4)
#define AMDVI_CTRL_COHERENT (UINT64_C(1) << 10)
#define AMDVI_CTRL_CMDBUF_EN (UINT64_C(1) << 12)

/* Status register bits (3.4.10); the first three are write-1-to-clear. */
#define AMDVI_STATUS_EVT_OVERFLOW (UINT64_C(1) << 0)
#define AMDVI_STATUS_EVT_INT (UINT64_C(1) << 1)
#define AMDVI_STATUS_COMWAIT_INT (UINT64_C(1) << 2)
#define AMDVI_STATUS_EVTLOG_RUN (UINT64_C(1) << 3)
#define AMDVI_STATUS_CMDBUF_RUN (UINT64_C(1) << 4)

/* Address bits [51:12] of base registers, DTE roots and command addresses. */
#define AMDVI_ADDR_MASK UINT64_C(0x000ffffffffff000)

/* Device table: one 256-bit entry per 16-bit requester id (2.2.2). */
#define AMDVI_DTE_SIZE 32
#define AMDVI_DTE_PER_BUS 256

/* DTE bits 63:0 (2.2.2.1, Table 7). */
#define AMDVI_DTE_V (UINT64_C(1) << 0)
#define AMDVI_DTE_TV (UINT64_C(1) << 1)
#define AMDVI_DTE_MODE_SHIFT 9
#define AMDVI_DTE_MODE_MASK (UINT64_C(7) << AMDVI_DTE_MODE_SHIFT)
#define AMDVI_DTE_IR (UINT64_C(1) << 61)
#define AMDVI_DTE_IW (UINT64_C(1) << 62)
/* DTE bits 127:64: DomainID in [15:0]. */
#define AMDVI_DTE_DOMID_MASK UINT64_C(0xffff)

/* Deepest I/O page table a DTE can name (Mode 6: 64-bit DVAs). */
#define AMDVI_MAX_MODE 6

/* One device table entry, as the hardware reads it. */
struct amdvi_dte {
    uint64_t q[4];
};

/*
 * A translating DTE: V, TV, Mode mode (1..6), page-table root (4 KiB aligned host physical),
 * DomainID domid, IR/IW as the device's overall read/write permission (the leaf PTEs narrow
 * it further). Interrupt remapping stays off (IV = 0: interrupts pass unremapped, 2.2.5).
 */
struct amdvi_dte amdvi_dte_translate(hpa_t root, unsigned int mode, uint16_t domid, bool ir,
                                     bool iw);

/*
 * A blocking DTE for a device no partition owns: V = 1, TV = 1, Mode 0, IR = IW = 0. With
 * translation on and no permission every DMA of the device is target-aborted and logged as
 * IO_PAGE_FAULT (2.2.2.1 Mode 0 "translation disabled, access controlled by IR/IW").
 */
struct amdvi_dte amdvi_dte_blocked(uint16_t domid);

/* Mode (0..7) of a DTE (what the tests check of an entry). */
static inline unsigned int amdvi_dte_mode(const struct amdvi_dte *dte)
{
    return (unsigned int)((dte->q[0] & AMDVI_DTE_MODE_MASK) >> AMDVI_DTE_MODE_SHIFT);
}

/* Device table size register value for a table of pages 4 KiB pages (1..512) at base. */
uint64_t amdvi_devtab_reg(hpa_t base, unsigned int pages);

/* Command buffer / event log base register for a ring of 2^log2_entries 16-byte entries
 * (8..15: 256 to 32768 entries, 4 KiB to 512 KiB) at base (4 KiB aligned). */
uint64_t amdvi_ring_reg(hpa_t base, unsigned int log2_entries);

/* Commands: 128 bits, opcode in bits 63:60 (2.4, Table 42). */
#define AMDVI_CMD_SIZE 16
#define AMDVI_CMD_COMPLETION_WAIT 0x1
#define AMDVI_CMD_INV_DEVTAB_ENTRY 0x2
#define AMDVI_CMD_INV_IOMMU_PAGES 0x3
#define AMDVI_CMD_INV_IOMMU_ALL 0x8

struct amdvi_cmd {
    uint64_t q[2];
};

/*
 * COMPLETION_WAIT with a store (2.4.1): once every earlier command has completed, the IOMMU
 * writes the 64-bit data to store (8-byte aligned host physical address).
 */
struct amdvi_cmd amdvi_cmd_completion_wait(hpa_t store, uint64_t data);

/* INVALIDATE_DEVTAB_ENTRY (2.4.2): drop the cached DTE of requester id devid. */
struct amdvi_cmd amdvi_cmd_inv_devtab_entry(uint16_t devid);

/*
 * INVALIDATE_IOMMU_PAGES (2.4.3) for domain domid over the DFNs [first, first + npages)
 * (npages >= 1), PDE entries included. One page uses S = 0; more use S = 1 with the smallest
 * naturally aligned power-of-two block that covers the range (the size is the position of the
 * first zero address bit from bit 12 up); a block of 2^52 pages or more invalidates everything
 * (address 0x7ffffffffffff000).
 */
struct amdvi_cmd amdvi_cmd_inv_pages(uint16_t domid, dfn_t first, uint64_t npages);

/* INVALIDATE_IOMMU_PAGES of every page of domain domid. */
struct amdvi_cmd amdvi_cmd_inv_domain(uint16_t domid);

/* Event log entries: 128 bits, event code in bits 63:60 (2.5, Table 48). */
#define AMDVI_EVT_SIZE 16
#define AMDVI_EVT_ILLEGAL_DEV_TABLE_ENTRY 0x1
#define AMDVI_EVT_IO_PAGE_FAULT 0x2
#define AMDVI_EVT_DEV_TAB_HARDWARE_ERROR 0x3
#define AMDVI_EVT_PAGE_TAB_HARDWARE_ERROR 0x4
#define AMDVI_EVT_ILLEGAL_COMMAND_ERROR 0x5
#define AMDVI_EVT_COMMAND_HARDWARE_ERROR 0x6
#define AMDVI_EVT_IOTLB_INV_TIMEOUT 0x7
#define AMDVI_EVT_INVALID_DEVICE_REQUEST 0x8
#define AMDVI_EVT_INVALID_PPR_REQUEST 0x9
#define AMDVI_EVT_EVENT_COUNTER_ZERO 0xa

/* Flags of IO_PAGE_FAULT and the table errors (event bits 59:48, 2.5.3). */
#define AMDVI_EVF_GN (1u << 0) /* guest (PASID) request */
#define AMDVI_EVF_NX (1u << 1) /* execute request */
#define AMDVI_EVF_US (1u << 2) /* user request */
#define AMDVI_EVF_I (1u << 3)  /* interrupt request */
#define AMDVI_EVF_PR (1u << 4) /* the page was present */
#define AMDVI_EVF_RW (1u << 5) /* write (else read) */
#define AMDVI_EVF_PE (1u << 6) /* permission violation */
#define AMDVI_EVF_RZ (1u << 7) /* reserved bit set */
#define AMDVI_EVF_TR (1u << 8) /* translation request */

/* A decoded event. Fields an event code does not define are 0. */
struct amdvi_event {
    unsigned int code; /* AMDVI_EVT_* */
    uint16_t devid;    /* requester id (device-related events) */
    uint16_t domid;    /* DomainID (IO_PAGE_FAULT, PAGE_TAB_HARDWARE_ERROR) */
    uint16_t flags;    /* AMDVI_EVF_* */
    uint64_t addr;     /* DVA, table address, or the faulting command's address */
};

/* Decode the 16-byte event log entry at raw. */
void amdvi_event_decode(const uint64_t raw[2], struct amdvi_event *ev);

/* The spec's name of an event code ("IO_PAGE_FAULT"), "UNKNOWN_EVENT" otherwise. */
const char *amdvi_event_name(unsigned int code);

/*
 * One line describing ev, e.g. "IO_PAGE_FAULT dev 00:03.0 domain 5 addr 0x1234000 write
 * not-present", into buf (snprintf semantics). Returns what snprintf returns.
 */
int amdvi_event_format(const struct amdvi_event *ev, char *buf, size_t size);
