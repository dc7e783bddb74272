// SPDX-License-Identifier: Apache-2.0
/*
 * AMD-Vi hardware encodings: DTEs, commands, events (AMD IOMMU spec rev 3.x, 2.2.2, 2.4,
 * 2.5). No hardware access here, so every encoding is host-tested (tests/unit/test_amdvi_hw.c).
 */
#include <hv/printf.h>

#include "amdvi_hw.h"

struct amdvi_dte amdvi_dte_translate(hpa_t root, unsigned int mode, uint16_t domid, bool ir,
                                     bool iw)
{
    struct amdvi_dte d = {{0}};

    d.q[0] = AMDVI_DTE_V | AMDVI_DTE_TV | (uint64_t)(mode & 7) << AMDVI_DTE_MODE_SHIFT |
             (hpa_val(root) & AMDVI_ADDR_MASK) | (ir ? AMDVI_DTE_IR : 0) | (iw ? AMDVI_DTE_IW : 0);
    d.q[1] = domid;
    return d;
}

struct amdvi_dte amdvi_dte_blocked(uint16_t domid)
{
    struct amdvi_dte d = {{0}};

    d.q[0] = AMDVI_DTE_V | AMDVI_DTE_TV;
    d.q[1] = domid;
    return d;
}

uint64_t amdvi_devtab_reg(hpa_t base, unsigned int pages)
{
    /* 3.4.1: Size is the number of 4 KiB pages minus one, at most 1FFh (2 MiB, 64K DTEs). */
    return (hpa_val(base) & AMDVI_ADDR_MASK) | ((pages - 1) & 0x1ff);
}

uint64_t amdvi_ring_reg(hpa_t base, unsigned int log2_entries)
{
    /* 3.4.2 / 3.4.3: ComLen / EventLen in bits 59:56, 1000b (256 entries) and up. */
    return (hpa_val(base) & AMDVI_ADDR_MASK) | (uint64_t)(log2_entries & 0xf) << 56;
}

static uint64_t opcode(unsigned int op)
{
    return (uint64_t)op << 60;
}

struct amdvi_cmd amdvi_cmd_completion_wait(hpa_t store, uint64_t data)
{
    /* Store address [51:3] sits in place in bits 51:3; S (store) is bit 0. */
    return (struct amdvi_cmd){
        {(hpa_val(store) & UINT64_C(0x000ffffffffffff8)) | 1 | opcode(AMDVI_CMD_COMPLETION_WAIT),
         data}};
}

struct amdvi_cmd amdvi_cmd_inv_devtab_entry(uint16_t devid)
{
    return (struct amdvi_cmd){{devid | opcode(AMDVI_CMD_INV_DEVTAB_ENTRY), 0}};
}

/* INVALIDATE_IOMMU_PAGES: DomainID in bits 47:32; S bit 64, PDE bit 65, address 127:76. */
#define INV_S 1u
#define INV_PDE 2u
#define INV_ALL_ADDR UINT64_C(0x7ffffffffffff000)

struct amdvi_cmd amdvi_cmd_inv_pages(uint16_t domid, dfn_t first, uint64_t npages)
{
    uint64_t q0 = (uint64_t)domid << 32 | opcode(AMDVI_CMD_INV_IOMMU_PAGES);
    uint64_t lo = dfn_val(first), hi = lo + npages - 1;
    unsigned int order = 0;

    if (npages <= 1) {
        return (struct amdvi_cmd){{q0, lo << PAGE_SHIFT | INV_PDE}};
    }
    /* Smallest 2^order-page block containing both ends: they agree above bit order. */
    while (order < 64 && (lo >> order) != (hi >> order)) {
        order++;
    }
    if (hi < lo || order >= 52) {
        return amdvi_cmd_inv_domain(domid);
    }
    /* 2.4.3 Table 44: with S = 1, address bits 12..(12 + order - 2) set and bit
     * 12 + order - 1 clear mean a 2^order-page range. */
    lo = (lo >> order << order) | ((UINT64_C(1) << (order - 1)) - 1);
    return (struct amdvi_cmd){{q0, lo << PAGE_SHIFT | INV_S | INV_PDE}};
}

struct amdvi_cmd amdvi_cmd_inv_domain(uint16_t domid)
{
    return (struct amdvi_cmd){{(uint64_t)domid << 32 | opcode(AMDVI_CMD_INV_IOMMU_PAGES),
                               INV_ALL_ADDR | INV_S | INV_PDE}};
}

void amdvi_event_decode(const uint64_t raw[2], struct amdvi_event *ev)
{
    uint32_t w0 = (uint32_t)raw[0], w1 = (uint32_t)(raw[0] >> 32);

    *ev = (struct amdvi_event){.code = w1 >> 28, .addr = raw[1]};
    switch (ev->code) {
    case AMDVI_EVT_IO_PAGE_FAULT:
    case AMDVI_EVT_PAGE_TAB_HARDWARE_ERROR:
        /* 2.5.3/2.5.5: DomainID in bits 47:32 (PASID shares the field when GN = 1). */
        ev->domid = (uint16_t)w1;
        /* fall through */
    case AMDVI_EVT_ILLEGAL_DEV_TABLE_ENTRY:
    case AMDVI_EVT_DEV_TAB_HARDWARE_ERROR:
    case AMDVI_EVT_IOTLB_INV_TIMEOUT:
    case AMDVI_EVT_INVALID_DEVICE_REQUEST:
    case AMDVI_EVT_INVALID_PPR_REQUEST:
        ev->devid = (uint16_t)w0;
        ev->flags = (uint16_t)((w1 >> 16) & 0xfff);
        break;
    default:
        /* Command errors carry only the command's address; others are not decoded. */
        break;
    }
}

const char *amdvi_event_name(unsigned int code)
{
    static const char *const names[] = {
        [AMDVI_EVT_ILLEGAL_DEV_TABLE_ENTRY] = "ILLEGAL_DEV_TABLE_ENTRY",
        [AMDVI_EVT_IO_PAGE_FAULT] = "IO_PAGE_FAULT",
        [AMDVI_EVT_DEV_TAB_HARDWARE_ERROR] = "DEV_TAB_HARDWARE_ERROR",
        [AMDVI_EVT_PAGE_TAB_HARDWARE_ERROR] = "PAGE_TAB_HARDWARE_ERROR",
        [AMDVI_EVT_ILLEGAL_COMMAND_ERROR] = "ILLEGAL_COMMAND_ERROR",
        [AMDVI_EVT_COMMAND_HARDWARE_ERROR] = "COMMAND_HARDWARE_ERROR",
        [AMDVI_EVT_IOTLB_INV_TIMEOUT] = "IOTLB_INV_TIMEOUT",
        [AMDVI_EVT_INVALID_DEVICE_REQUEST] = "INVALID_DEVICE_REQUEST",
        [AMDVI_EVT_INVALID_PPR_REQUEST] = "INVALID_PPR_REQUEST",
        [AMDVI_EVT_EVENT_COUNTER_ZERO] = "EVENT_COUNTER_ZERO",
    };

    if (code < ARRAY_SIZE(names) && names[code] != NULL) {
        return names[code];
    }
    return "UNKNOWN_EVENT";
}

int amdvi_event_format(const struct amdvi_event *ev, char *buf, size_t size)
{
    const char *name = amdvi_event_name(ev->code);

    switch (ev->code) {
    case AMDVI_EVT_IO_PAGE_FAULT:
    case AMDVI_EVT_PAGE_TAB_HARDWARE_ERROR:
        return hv_snprintf(buf, size, "%s dev %02x:%02x.%x domain %u addr %#llx %s%s%s%s", name,
                           ev->devid >> 8, (ev->devid >> 3) & 0x1f, ev->devid & 7, ev->domid,
                           (unsigned long long)ev->addr,
                           ev->flags & AMDVI_EVF_RW ? "write" : "read",
                           ev->flags & AMDVI_EVF_PR ? " present" : " not-present",
                           ev->flags & AMDVI_EVF_PE ? " permission" : "",
                           ev->flags & AMDVI_EVF_RZ ? " reserved-bit" : "");
    case AMDVI_EVT_ILLEGAL_DEV_TABLE_ENTRY:
    case AMDVI_EVT_DEV_TAB_HARDWARE_ERROR:
    case AMDVI_EVT_IOTLB_INV_TIMEOUT:
    case AMDVI_EVT_INVALID_DEVICE_REQUEST:
    case AMDVI_EVT_INVALID_PPR_REQUEST:
        return hv_snprintf(buf, size, "%s dev %02x:%02x.%x addr %#llx flags %#x", name,
                           ev->devid >> 8, (ev->devid >> 3) & 0x1f, ev->devid & 7,
                           (unsigned long long)ev->addr, ev->flags);
    case AMDVI_EVT_ILLEGAL_COMMAND_ERROR:
    case AMDVI_EVT_COMMAND_HARDWARE_ERROR:
        return hv_snprintf(buf, size, "%s command at %#llx", name, (unsigned long long)ev->addr);
    default:
        return hv_snprintf(buf, size, "%s code %#x addr %#llx", name, ev->code,
                           (unsigned long long)ev->addr);
    }
}
