// SPDX-License-Identifier: Apache-2.0
/*
 * AMD-Vi I/O page-table format for host translations (AMD I/O Virtualization Technology
 * (IOMMU) Specification rev 3.x, 2.2.3 "I/O Page Tables for Host Translations", 4 KiB
 * tables of 512 64-bit entries, up to six levels).
 *
 * Entry bits: PR (present) bit 0; NextLevel bits[11:9]; address bits[51:12]; IR (read
 * permission) bit 61; IW (write) bit 62. A PDE's NextLevel names the level of the table it
 * points at; with generic level L (AMD level L + 1) that is L. A PTE has NextLevel 0: at AMD
 * level 1 it maps 4 KiB, at level 2 2 MiB and at level 3 1 GiB (the level's natural size;
 * NextLevel 7 with a size-encoded address is not used). Permissions are the AND over every
 * level of the walk, so PDEs grant IR and IW and the PTE decides.
 *
 * Growth (BRIEF §5, §8): a new root's entry 0 = old root with NextLevel = old depth, e.g.
 * 0x6000000005100401 under Mode 3 for an old Mode-2 root at 0x5100000.
 */
#include <hv/pgtable.h>

#define AMDVI_PR (UINT64_C(1) << 0)
#define AMDVI_NEXT_SHIFT 9
#define AMDVI_NEXT_MASK (UINT64_C(7) << AMDVI_NEXT_SHIFT)
#define AMDVI_NEXT_SIZED 7 /* NextLevel 7: PTE with a size-encoded address */
#define AMDVI_IR (UINT64_C(1) << 61)
#define AMDVI_IW (UINT64_C(1) << 62)
#define AMDVI_ADDR_MASK UINT64_C(0x000ffffffffff000)

static unsigned int amdvi_next_level(uint64_t pte)
{
    return (unsigned int)((pte & AMDVI_NEXT_MASK) >> AMDVI_NEXT_SHIFT);
}

static uint64_t amdvi_make_table(hpa_t table, unsigned int level)
{
    return (hpa_val(table) & AMDVI_ADDR_MASK) | ((uint64_t)level << AMDVI_NEXT_SHIFT) | AMDVI_IR |
           AMDVI_IW | AMDVI_PR;
}

static uint64_t amdvi_make_leaf(hpa_t out, unsigned int level, const struct pt_attrs *a)
{
    (void)level; /* NextLevel 0: the level's natural page size */
    return (hpa_val(out) & AMDVI_ADDR_MASK) | (a->r ? AMDVI_IR : 0) | (a->w ? AMDVI_IW : 0) |
           AMDVI_PR;
}

static bool amdvi_is_valid(uint64_t pte, unsigned int level __unused)
{
    return pte & AMDVI_PR;
}

static bool amdvi_is_table(uint64_t pte, unsigned int level)
{
    unsigned int next = amdvi_next_level(pte);

    return level > 0 && next != 0 && next != AMDVI_NEXT_SIZED;
}

static hpa_t amdvi_output(uint64_t pte, unsigned int level __unused)
{
    return hpa(pte & AMDVI_ADDR_MASK);
}

static void amdvi_attrs(uint64_t pte, unsigned int level __unused, struct pt_attrs *a)
{
    a->r = pte & AMDVI_IR;
    a->w = pte & AMDVI_IW;
    a->x = false;               /* no execute permission in host I/O page tables */
    a->type = PT_MEM_NORMAL_WB; /* DMA is coherent; no memory type in the entry */
}

const struct pt_format pt_fmt_amdvi = {
    .name = "amd-vi",
    .page_shift = 12,
    .bits_per_level = 9,
    .min_depth = 1,
    .max_depth = 6,
    .ia_bits = 64,
    .leaf_levels = 0x7, /* 4 KiB, 2 MiB, 1 GiB with NextLevel 0 */
    .make_table = amdvi_make_table,
    .make_leaf = amdvi_make_leaf,
    .is_valid = amdvi_is_valid,
    .is_table = amdvi_is_table,
    .output = amdvi_output,
    .attrs = amdvi_attrs,
};
