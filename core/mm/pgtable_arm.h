/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the two Arm VMSAv8-64 formats (core/mm/pgtable_arm_s1.c, core/mm/pgtable_arm_s2.c) share:
 * the descriptor layout of a 4 KiB granule without LPA2 (Arm ARM D8.3): bits[1:0] = 0b11 table
 * (levels 0-2) or page (level 3), 0b01 block (levels 1-2); next-level or output address in
 * bits[47:12]; SH bits[9:8], AF bit 10 and the execute-never bit 54 sit at the same place in
 * stage-1 and stage-2 leaves. Internal to core/.
 */
#pragma once

#include <hv/pgtable.h>

#define ARM_DESC_VALID (UINT64_C(1) << 0)
#define ARM_DESC_TABLE_OR_PAGE (UINT64_C(1) << 1) /* bits[1:0] 0b11 vs 0b01 (block) */
#define ARM_DESC_SH_INNER (UINT64_C(3) << 8)
#define ARM_DESC_AF (UINT64_C(1) << 10)
#define ARM_DESC_XN (UINT64_C(1) << 54)
#define ARM_DESC_ADDR_MASK UINT64_C(0x0000fffffffff000)

/* Table descriptor with no hierarchical attributes (APTable, XNTable... all 0, D8.4.2). */
static inline uint64_t arm_desc_make_table(hpa_t table, unsigned int level)
{
    (void)level;
    return (hpa_val(table) & ARM_DESC_ADDR_MASK) | ARM_DESC_TABLE_OR_PAGE | ARM_DESC_VALID;
}

/* The bits[1:0] of a leaf: page at generic level 0 (Arm level 3), block above. */
static inline uint64_t arm_desc_leaf_type(unsigned int level)
{
    return level == 0 ? ARM_DESC_TABLE_OR_PAGE | ARM_DESC_VALID : ARM_DESC_VALID;
}

static inline bool arm_desc_is_valid(uint64_t pte, unsigned int level)
{
    (void)level;
    return pte & ARM_DESC_VALID;
}

static inline bool arm_desc_is_table(uint64_t pte, unsigned int level)
{
    return level > 0 && (pte & ARM_DESC_TABLE_OR_PAGE);
}

static inline hpa_t arm_desc_output(uint64_t pte, unsigned int level)
{
    (void)level;
    return hpa(pte & ARM_DESC_ADDR_MASK);
}

/* type as an index of a per-type encoding table; anything out of range encodes as WB. */
static inline unsigned int arm_memtype(enum pt_memtype type)
{
    return (unsigned int)type < PT_MEM_TYPES ? (unsigned int)type : PT_MEM_NORMAL_WB;
}

/* The memory type whose encoding in table (indexed by type) is field; WB when none is. */
static inline enum pt_memtype arm_memtype_of(const uint8_t table[PT_MEM_TYPES], uint64_t field)
{
    for (unsigned int t = 0; t < PT_MEM_TYPES; t++) {
        if (table[t] == field) {
            return (enum pt_memtype)t;
        }
    }
    return PT_MEM_NORMAL_WB;
}
