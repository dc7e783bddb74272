// SPDX-License-Identifier: Apache-2.0
/*
 * Arm VMSAv8-64 stage-1 translation table format for the EL2 translation regime (HCR_EL2.E2H
 * = 0: one VA range, TTBR0_EL2, and one privilege level), 4 KiB granule, 48-bit input and
 * output addresses (no LPA2). Used by arch/arm64 for the hypervisor's own identity map.
 *
 * Descriptors (Arm ARM D8.3.1, D8.3.2): bits[1:0] = 0b11 table (levels 0-2) or page
 * (level 3), 0b01 block (levels 1-2); next-level or output address in bits[47:12]. Table
 * descriptors carry no hierarchical attributes (APTable, XNTable, PXNTable all 0: no extra
 * restriction, D8.4.2). Stage-1 leaf attributes (D8.4, D8.6):
 *   AttrIndx[2:0] bits[4:2]  index into MAIR_EL2 (PT_ARM_S1_MAIR below)
 *   AP[2:1]       bits[7:6]  AP[2] = 1 read-only, 0 read/write. AP[1] selects EL0 access in
 *                            regimes with two privilege levels; the EL2 regime has none, so
 *                            AP[1] is RES1 there (D8.4.1.2): always set
 *   SH[1:0]       bits[9:8]  inner shareable for Normal memory; 0 for Device (Device memory is
 *                            always treated as Outer Shareable, D8.6.2)
 *   AF            bit 10     set: no hardware access-flag management is enabled
 *   nG            bit 11     0: the EL2 regime has no ASIDs
 *   XN            bit 54     execute-never. In a one-privilege-level regime bit 54 is XN and
 *                            bit 53 is RES0 (D8.4.1.3)
 * Stage 1 has no "not readable" encoding: a valid entry is always readable, so pt_attrs.r is
 * ignored on encode and decodes as true.
 *
 * Generic level L is Arm lookup level 3 - L: level 0 = 4 KiB pages, 1 = 2 MiB blocks,
 * 2 = 1 GiB blocks, 3 = level-0 tables (no level-0 blocks with a 4 KiB granule and no LPA2).
 * Depth 2..4: a walk starting at level 3 (depth 1) needs FEAT_TTST (D8.2.5, T0SZ max 39).
 */
#include "pgtable_arm.h"

#define S1_ATTRINDX_SHIFT 2
#define S1_ATTRINDX_MASK (UINT64_C(7) << S1_ATTRINDX_SHIFT)
#define S1_AP1 (UINT64_C(1) << 6) /* RES1 in the EL2 regime */
#define S1_AP2_RO (UINT64_C(1) << 7)

/* The MAIR_EL2 slot of each memory type (the slots PT_ARM_S1_MAIR fills). */
static const uint8_t s1_attrindx[PT_MEM_TYPES] = {
    [PT_MEM_NORMAL_WB] = PT_ARM_S1_ATTR_NORMAL_WB,
    [PT_MEM_NORMAL_WT] = PT_ARM_S1_ATTR_NORMAL_WT,
    [PT_MEM_NORMAL_NC] = PT_ARM_S1_ATTR_NORMAL_NC,
    [PT_MEM_DEVICE] = PT_ARM_S1_ATTR_DEVICE_nGnRE,
};

static uint64_t s1_make_leaf(hpa_t out, unsigned int level, const struct pt_attrs *a)
{
    uint64_t pte =
        (hpa_val(out) & ARM_DESC_ADDR_MASK) | arm_desc_leaf_type(level) | ARM_DESC_AF | S1_AP1;

    pte |= (uint64_t)s1_attrindx[arm_memtype(a->type)] << S1_ATTRINDX_SHIFT;
    pte |= a->type == PT_MEM_DEVICE ? 0 : ARM_DESC_SH_INNER;
    pte |= a->w ? 0 : S1_AP2_RO;
    pte |= a->x ? 0 : ARM_DESC_XN;
    return pte;
}

static void s1_attrs(uint64_t pte, unsigned int level __unused, struct pt_attrs *a)
{
    a->r = true;
    a->w = !(pte & S1_AP2_RO);
    a->x = !(pte & ARM_DESC_XN);
    a->type = arm_memtype_of(s1_attrindx, (pte & S1_ATTRINDX_MASK) >> S1_ATTRINDX_SHIFT);
}

const struct pt_format pt_fmt_arm_s1_4k = {
    .name = "arm-s1-el2-4k",
    .page_shift = 12,
    .bits_per_level = 9,
    .min_depth = 2,
    .max_depth = 4,
    .ia_bits = 48,
    .leaf_levels = 0x7, /* pages, 2 MiB and 1 GiB blocks (D8.3.1: no level-0 blocks at 4K) */
    .make_table = arm_desc_make_table,
    .make_leaf = s1_make_leaf,
    .is_valid = arm_desc_is_valid,
    .is_table = arm_desc_is_table,
    .output = arm_desc_output,
    .attrs = s1_attrs,
};
