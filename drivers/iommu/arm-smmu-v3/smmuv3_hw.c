// SPDX-License-Identifier: Apache-2.0
/*
 * SMMUv3 encodings (IHI 0070; section numbers in smmuv3_hw.h). Kept free of I/O so the host
 * tests can hold every bit against the spec and the QEMU-verified values of BRIEF §7/§8.
 */
#include <hv/printf.h>

#include "smmuv3_hw.h"

/* Address fields: bits [51:6] of STRTAB_BASE / L1STD, [51:5] of the queue bases. */
#define ADDR_51_6 UINT64_C(0x000fffffffffffc0)
#define ADDR_51_5 UINT64_C(0x000fffffffffffe0)
#define ADDR_51_4 UINT64_C(0x000ffffffffffff0)
#define RA_WA (UINT64_C(1) << 62) /* read- / write-allocate hint of the base registers */

/* STE fields (5.2). */
#define STE_CONFIG_SHIFT 1
#define STE_SHCFG_INCOMING (UINT64_C(1) << 44) /* dw1[45:44] = 0b01 */
#define STE_S2T0SZ_SHIFT 32
#define STE_S2SL0_SHIFT 38
#define STE_S2IR0_SHIFT 40 /* S2IR0, S2OR0 (42), S2SH0 (44): wb_ish() */
/* S2TG, dw2[47:46], stays 0b00: 4 KiB granule. */
#define STE_S2PS_SHIFT 48
#define STE_S2AA64 (UINT64_C(1) << 51)
#define STE_S2R (UINT64_C(1) << 58)

/*
 * The inner-cacheability, outer-cacheability, shareability triple (2 bits each, IR at bit
 * shift) of STE S2*0 / S1C*, CD *0 (5.2, 5.4) and of CR1's queue and table fields (6.3.11):
 * for a coherent SMMU write-back read- and write-allocate (0b01) inner and outer, inner
 * shareable (0b11); else 0, non-cacheable and non-shareable (software cleans to PoC).
 */
static uint64_t wb_ish(bool coherent, unsigned int shift)
{
    return coherent ? (UINT64_C(1) | UINT64_C(1) << 2 | UINT64_C(3) << 4) << shift : 0;
}

unsigned int smmuv3_oas_bits(unsigned int code)
{
    static const unsigned int bits[] = {32, 36, 40, 42, 44, 48, 52};

    return code < ARRAY_SIZE(bits) ? bits[code] : 0;
}

uint64_t smmuv3_strtab_base(hpa_t table)
{
    return RA_WA | (hpa_val(table) & ADDR_51_6);
}

uint32_t smmuv3_strtab_cfg(unsigned int fmt, unsigned int split, unsigned int log2size)
{
    return (fmt & 3u) << 16 | (split & 0x1fu) << 6 | (log2size & 0x3fu);
}

uint64_t smmuv3_queue_base(hpa_t queue, unsigned int log2size)
{
    return RA_WA | (hpa_val(queue) & ADDR_51_5) | (log2size & 0x1fu);
}

uint32_t smmuv3_cr1(bool coherent)
{
    /* QUEUE_IC/OC/SH at bits 0/2/4 and TABLE_IC/OC/SH at 6/8/10: the same triple twice. */
    return (uint32_t)(wb_ish(coherent, SMMU_CR1_QUEUE_IC_SHIFT) |
                      wb_ish(coherent, SMMU_CR1_TABLE_IC_SHIFT));
}

struct smmuv3_ste smmuv3_ste_abort(void)
{
    return (struct smmuv3_ste){
        .dw = {SMMU_STE_V | (uint64_t)SMMU_STE_CFG_ABORT << STE_CONFIG_SHIFT}};
}

struct smmuv3_ste smmuv3_ste_s2(const struct smmuv3_s2_cfg *cfg)
{
    struct smmuv3_ste ste = {{0}};

    ste.dw[0] = SMMU_STE_V | (uint64_t)SMMU_STE_CFG_S2 << STE_CONFIG_SHIFT;
    ste.dw[1] = STE_SHCFG_INCOMING;
    /* S2AA64 is mandatory: QEMU 10 aborts on an AArch32 stage-2 STE (BRIEF §7). */
    ste.dw[2] = cfg->vmid | (uint64_t)(cfg->t0sz & 0x3fu) << STE_S2T0SZ_SHIFT |
                (uint64_t)(cfg->sl0 & 3u) << STE_S2SL0_SHIFT |
                wb_ish(cfg->coherent, STE_S2IR0_SHIFT) |
                (uint64_t)(cfg->ps & 7u) << STE_S2PS_SHIFT | STE_S2AA64 | STE_S2R;
    ste.dw[3] = hpa_val(cfg->ttb) & ADDR_51_4;
    return ste;
}

/* STE dw0 S1ContextPtr [51:6]; dw1 S1CIR/S1COR/S1CSH, PRIVCFG (5.2). */
#define STE_S1CIR_SHIFT 2 /* S1CIR, S1COR (4), S1CSH (6): wb_ish() */
#define STE_PRIVCFG_PRIV (UINT64_C(3) << 48)
/* CD dw0 (5.4). */
#define CD_IR0_SHIFT 8 /* IR0, OR0 (10), SH0 (12): wb_ish() */
#define CD_EPD1 (UINT64_C(1) << 30)
#define CD_V (UINT64_C(1) << 31)
#define CD_IPS_SHIFT 32
#define CD_AFFD (UINT64_C(1) << 35)
#define CD_AA64 (UINT64_C(1) << 41)
#define CD_R (UINT64_C(1) << 45)
#define CD_A (UINT64_C(1) << 46)
#define CD_ASID_SHIFT 48

struct smmuv3_ste smmuv3_ste_s1(const struct smmuv3_s1_cfg *cfg)
{
    struct smmuv3_ste ste = {{0}};

    ste.dw[0] =
        SMMU_STE_V | (uint64_t)SMMU_STE_CFG_S1 << STE_CONFIG_SHIFT | (hpa_val(cfg->cd) & ADDR_51_6);
    ste.dw[1] = STE_SHCFG_INCOMING | STE_PRIVCFG_PRIV | wb_ish(cfg->coherent, STE_S1CIR_SHIFT);
    ste.dw[2] = cfg->vmid;
    return ste;
}

struct smmuv3_cd smmuv3_cd_s1(const struct smmuv3_s1_cfg *cfg)
{
    struct smmuv3_cd cd = {{0}};

    /* TG0 0 (4 KiB), EPD0 0; A = 1 as the terminate model requires without stall. */
    cd.dw[0] = (cfg->t0sz & 0x3fu) | CD_EPD1 | CD_V | (uint64_t)(cfg->ips & 7u) << CD_IPS_SHIFT |
               CD_AFFD | CD_AA64 | CD_R | CD_A | (uint64_t)cfg->asid << CD_ASID_SHIFT |
               wb_ish(cfg->coherent, CD_IR0_SHIFT);
    cd.dw[1] = hpa_val(cfg->ttb) & ADDR_51_4;
    cd.dw[3] = cfg->mair;
    return cd;
}

unsigned int smmuv3_ste_config(const struct smmuv3_ste *ste)
{
    return (unsigned int)(ste->dw[0] >> STE_CONFIG_SHIFT) & 7u;
}

uint64_t smmuv3_l1std(hpa_t l2, unsigned int span)
{
    return (hpa_val(l2) & ADDR_51_6) | (span & 0x1fu);
}

struct smmuv3_cmd smmuv3_cmd(unsigned int opcode, uint32_t id, uint64_t dw1)
{
    return (struct smmuv3_cmd){.dw = {(opcode & 0xffu) | (uint64_t)id << 32, dw1}};
}

/* Where an event record carries an address (7.3). */
enum evt_addr {
    EVT_NO_ADDR,
    EVT_FETCH,    /* 7.3.4 / 7.3.10: FetchAddr[51:3] in dw3 */
    EVT_INPUT,    /* 7.3.12-7.3.17: dw1 flags (RnW bit 34, S2 bit 38), dw2 InputAddr */
    EVT_INPUT_RW, /* the same, and the message names the direction and stage */
};

/* Each event type the driver names (7.3): its spec name, address and generic fault class. */
static const struct evt_info {
    const char *name; /* NULL: not named, "UNKNOWN" and IOMMU_FAULT_OTHER */
    enum evt_addr addr;
    enum iommu_fault_type fault;
} evt_info[] = {
    [SMMU_EVT_F_UUT] = {"F_UUT", EVT_INPUT, IOMMU_FAULT_OTHER},
    [SMMU_EVT_C_BAD_STREAMID] = {"C_BAD_STREAMID", EVT_NO_ADDR, IOMMU_FAULT_BLOCKED},
    [SMMU_EVT_F_STE_FETCH] = {"F_STE_FETCH", EVT_FETCH, IOMMU_FAULT_OTHER},
    [SMMU_EVT_C_BAD_STE] = {"C_BAD_STE", EVT_NO_ADDR, IOMMU_FAULT_BLOCKED},
    [SMMU_EVT_F_BAD_ATS_TREQ] = {"F_BAD_ATS_TREQ", EVT_NO_ADDR, IOMMU_FAULT_OTHER},
    [SMMU_EVT_F_STREAM_DISABLED] = {"F_STREAM_DISABLED", EVT_NO_ADDR, IOMMU_FAULT_BLOCKED},
    [SMMU_EVT_F_TRANSL_FORBIDDEN] = {"F_TRANSL_FORBIDDEN", EVT_INPUT, IOMMU_FAULT_OTHER},
    [SMMU_EVT_C_BAD_SUBSTREAMID] = {"C_BAD_SUBSTREAMID", EVT_NO_ADDR, IOMMU_FAULT_OTHER},
    [SMMU_EVT_F_CD_FETCH] = {"F_CD_FETCH", EVT_FETCH, IOMMU_FAULT_OTHER},
    [SMMU_EVT_C_BAD_CD] = {"C_BAD_CD", EVT_NO_ADDR, IOMMU_FAULT_OTHER},
    [SMMU_EVT_F_WALK_EABT] = {"F_WALK_EABT", EVT_INPUT_RW, IOMMU_FAULT_OTHER},
    [SMMU_EVT_F_TRANSLATION] = {"F_TRANSLATION", EVT_INPUT_RW, IOMMU_FAULT_TRANSLATION},
    [SMMU_EVT_F_ADDR_SIZE] = {"F_ADDR_SIZE", EVT_INPUT_RW, IOMMU_FAULT_TRANSLATION},
    [SMMU_EVT_F_ACCESS] = {"F_ACCESS", EVT_INPUT_RW, IOMMU_FAULT_ACCESS},
    [SMMU_EVT_F_PERMISSION] = {"F_PERMISSION", EVT_INPUT_RW, IOMMU_FAULT_PERMISSION},
    [SMMU_EVT_F_TLB_CONFLICT] = {"F_TLB_CONFLICT", EVT_NO_ADDR, IOMMU_FAULT_OTHER},
    [SMMU_EVT_F_CFG_CONFLICT] = {"F_CFG_CONFLICT", EVT_NO_ADDR, IOMMU_FAULT_OTHER},
    [SMMU_EVT_E_PAGE_REQUEST] = {"E_PAGE_REQUEST", EVT_NO_ADDR, IOMMU_FAULT_OTHER},
};

static const struct evt_info *evt_of(unsigned int type)
{
    static const struct evt_info unknown = {"UNKNOWN", EVT_NO_ADDR, IOMMU_FAULT_OTHER};

    return type < ARRAY_SIZE(evt_info) && evt_info[type].name != NULL ? &evt_info[type] : &unknown;
}

const char *smmuv3_event_name(unsigned int type)
{
    return evt_of(type)->name;
}

enum iommu_fault_type smmuv3_event_fault(unsigned int type)
{
    return evt_of(type)->fault;
}

void smmuv3_event_decode(const uint64_t raw[4], struct smmuv3_event *ev)
{
    *ev = (struct smmuv3_event){
        .type = (unsigned int)(raw[0] & 0xff),
        .sid = (uint32_t)(raw[0] >> 32),
    };
    if (evt_of(ev->type)->addr >= EVT_INPUT) {
        ev->has_addr = true;
        ev->read = (raw[1] >> 34) & 1;
        ev->s2 = (raw[1] >> 38) & 1;
        ev->addr = raw[2];
    } else if (evt_of(ev->type)->addr == EVT_FETCH) {
        ev->has_addr = true;
        ev->addr = raw[3] & UINT64_C(0x000ffffffffffff8);
    }
}

int smmuv3_event_format(const struct smmuv3_event *ev, char *buf, size_t size)
{
    if (evt_of(ev->type)->addr == EVT_INPUT_RW) {
        return hv_snprintf(buf, size, "%s (%#x) sid %#x addr %#llx %s stage %u",
                           smmuv3_event_name(ev->type), ev->type, ev->sid,
                           (unsigned long long)ev->addr, ev->read ? "read" : "write",
                           ev->s2 ? 2u : 1u);
    }
    if (ev->has_addr) {
        return hv_snprintf(buf, size, "%s (%#x) sid %#x addr %#llx", smmuv3_event_name(ev->type),
                           ev->type, ev->sid, (unsigned long long)ev->addr);
    }
    return hv_snprintf(buf, size, "%s (%#x) sid %#x", smmuv3_event_name(ev->type), ev->type,
                       ev->sid);
}
