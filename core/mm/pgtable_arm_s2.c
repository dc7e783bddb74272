// SPDX-License-Identifier: Apache-2.0
/*
 * Arm VMSAv8-64 stage-2 translation table format, 4 KiB granule, 48-bit input and output
 * addresses (no LPA2). Used by arch/arm64 stage 2 and by the SMMUv3 stage-2 tables.
 *
 * Descriptors (Arm ARM D8.3): bits[1:0] = 0b11 table (levels 0-2) or page (level 3), 0b01
 * block (levels 1-2); next-level or output address in bits[47:12]. Stage-2 leaf attributes
 * (D8.4, D8.5): MemAttr[3:0] bits[5:2] (with HCR_EL2.FWB = 0), S2AP bits[7:6] (bit 6 read,
 * bit 7 write), SH bits[9:8], AF bit 10, XN[1] bit 54 (XN[0], bit 53, is left 0, so without
 * FEAT_XNX it reads as RES0 and with it "execute never at EL1 and EL0" is preserved).
 *
 * Generic level L is Arm lookup level 3 - L: level 0 = 4 KiB pages, 1 = 2 MiB blocks,
 * 2 = 1 GiB blocks, 3 = level-0 tables (no blocks there with a 4 KiB granule).
 */
#include "pgtable_arm.h"

#define S2_MEMATTR_SHIFT 2
#define S2_MEMATTR_MASK (UINT64_C(0xf) << S2_MEMATTR_SHIFT)
#define S2_S2AP_R (UINT64_C(1) << 6)
#define S2_S2AP_W (UINT64_C(1) << 7)

/* Stage-2 MemAttr[3:0] values, Arm ARM D8.5.5 (FWB = 0). */
#define S2_MEMATTR_DEVICE_nGnRE 0x1
#define S2_MEMATTR_NORMAL_NC 0x5
#define S2_MEMATTR_NORMAL_WT 0xa
#define S2_MEMATTR_NORMAL_WB 0xf

static const uint8_t s2_memattr[PT_MEM_TYPES] = {
    [PT_MEM_NORMAL_WB] = S2_MEMATTR_NORMAL_WB,
    [PT_MEM_NORMAL_WT] = S2_MEMATTR_NORMAL_WT,
    [PT_MEM_NORMAL_NC] = S2_MEMATTR_NORMAL_NC,
    [PT_MEM_DEVICE] = S2_MEMATTR_DEVICE_nGnRE,
};

static uint64_t s2_make_leaf(hpa_t out, unsigned int level, const struct pt_attrs *a)
{
    uint64_t pte = (hpa_val(out) & ARM_DESC_ADDR_MASK) | arm_desc_leaf_type(level) | ARM_DESC_AF |
                   ARM_DESC_SH_INNER;

    pte |= (uint64_t)s2_memattr[arm_memtype(a->type)] << S2_MEMATTR_SHIFT;
    pte |= a->r ? S2_S2AP_R : 0;
    pte |= a->w ? S2_S2AP_W : 0;
    pte |= a->x ? 0 : ARM_DESC_XN;
    return pte;
}

static void s2_attrs(uint64_t pte, unsigned int level __unused, struct pt_attrs *a)
{
    a->r = pte & S2_S2AP_R;
    a->w = pte & S2_S2AP_W;
    a->x = !(pte & ARM_DESC_XN);
    a->type = arm_memtype_of(s2_memattr, (pte & S2_MEMATTR_MASK) >> S2_MEMATTR_SHIFT);
}

const struct pt_format pt_fmt_arm_s2_4k = {
    .name = "arm-s2-4k",
    .page_shift = 12,
    .bits_per_level = 9,
    .min_depth = 1,
    .max_depth = 4,
    .ia_bits = 48,
    .leaf_levels = 0x7, /* pages, 2 MiB and 1 GiB blocks (D8.3: no level-0 blocks at 4K) */
    .make_table = arm_desc_make_table,
    .make_leaf = s2_make_leaf,
    .is_valid = arm_desc_is_valid,
    .is_table = arm_desc_is_table,
    .output = arm_desc_output,
    .attrs = s2_attrs,
};

unsigned int pt_arm_s2_t0sz(const struct pgtable *pt)
{
    return 64 - pt_reach_bits(pt->fmt, pt->depth);
}

unsigned int pt_arm_s2_sl0(const struct pgtable *pt)
{
    /*
     * VTCR_EL2.SL0 with TG0 = 4 KiB (Arm ARM D8.2.5): 0b00 start at level 2, 0b01 level 1,
     * 0b10 level 0, 0b11 level 3 (FEAT_TTST). The start level is 4 - depth.
     */
    static const unsigned int sl0_by_start_level[4] = {2, 1, 0, 3};

    return sl0_by_start_level[4 - pt->depth];
}
