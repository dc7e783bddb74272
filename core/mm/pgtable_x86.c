// SPDX-License-Identifier: Apache-2.0
/*
 * x86-64 4-level long-mode paging format, as used by AMD nested paging (NPT) for x86
 * partitions (AMD64 APM vol. 2, 5.3 "Long-Mode Page Translation", 5.12 "Page-Protection
 * Checks", 15.25 "Nested Paging").
 *
 * Every entry: P bit 0, R/W bit 1, U/S bit 2, PWT bit 3, PCD bit 4, A bit 5, D bit 6 (leaves),
 * PS bit 7 (2 MiB leaf in a PD), NX bit 63, address bits[51:12]. Nested-table walks are
 * user-mode accesses (APM 15.25.5), so U/S is set at every level; R/W, U/S and NX are ANDed
 * (ORed for NX) over the levels, so table entries grant everything and the leaf decides.
 *
 * Memory type through the PAT index {PAT, PCD, PWT} with the power-on PAT (APM 7.8.2):
 * 0 WB, 1 WT, 2 UC-, 3 UC. Normal NC uses UC- and Device UC. The guest's own PAT combines
 * with this one (APM 15.25.8), so these are the most permissive types the guest can get.
 *
 * Two descriptors: pt_fmt_x86_npt uses 4 KiB and 2 MiB pages only, pt_fmt_x86_npt_1g also
 * 1 GiB pages (a PDPE with PS; its PAT bit is bit 12 too), which need the PDPE1GB feature
 * (CPUID Fn8000_0001 EDX[26]) that not every CPU model under QEMU reports (qemu64 does not,
 * EPYC does): the arch picks one at run time. Depth is fixed at 4 (NPT walks with the
 * host's paging depth; 5-level NPT is not supported).
 */
#include <hv/pgtable.h>

#define X86_P (UINT64_C(1) << 0)
#define X86_RW (UINT64_C(1) << 1)
#define X86_US (UINT64_C(1) << 2)
#define X86_PWT (UINT64_C(1) << 3)
#define X86_PCD (UINT64_C(1) << 4)
#define X86_A (UINT64_C(1) << 5)
#define X86_D (UINT64_C(1) << 6)
#define X86_PS (UINT64_C(1) << 7)
#define X86_NX (UINT64_C(1) << 63)
#define X86_ADDR_MASK UINT64_C(0x000ffffffffff000)
#define X86_LARGE_PAT (UINT64_C(1) << 12) /* PAT bit of a 2 MiB leaf, inside the address */

/* The PCD / PWT bits of each memory type (PAT index 0 WB, 1 WT, 2 UC-, 3 UC). */
static const uint64_t x86_cache[PT_MEM_TYPES] = {
    [PT_MEM_NORMAL_WB] = 0,
    [PT_MEM_NORMAL_WT] = X86_PWT,
    [PT_MEM_NORMAL_NC] = X86_PCD,
    [PT_MEM_DEVICE] = X86_PCD | X86_PWT,
};

static uint64_t x86_make_table(hpa_t table, unsigned int level __unused)
{
    return (hpa_val(table) & X86_ADDR_MASK) | X86_P | X86_RW | X86_US | X86_A;
}

static uint64_t x86_make_leaf(hpa_t out, unsigned int level, const struct pt_attrs *a)
{
    /* A and D preset: the hardware would otherwise set them with locked table writes. */
    uint64_t pte = (hpa_val(out) & X86_ADDR_MASK) | X86_P | X86_US | X86_A | X86_D;

    /* A present x86 page is always readable: r cannot be expressed and decodes as true. */
    pte |= a->w ? X86_RW : 0;
    pte |= a->x ? 0 : X86_NX;
    pte |= level > 0 ? X86_PS : 0;
    /* Out-of-range types encode as WB (PAT index 0). */
    return pte | ((unsigned int)a->type < PT_MEM_TYPES ? x86_cache[a->type] : 0);
}

static bool x86_is_valid(uint64_t pte, unsigned int level __unused)
{
    return pte & X86_P;
}

static bool x86_is_table(uint64_t pte, unsigned int level)
{
    return level > 0 && !(pte & X86_PS);
}

static hpa_t x86_output(uint64_t pte, unsigned int level)
{
    uint64_t mask = X86_ADDR_MASK;

    /* Bit 12 of a large leaf is its PAT bit, not address. */
    if (level > 0 && (pte & X86_PS)) {
        mask &= ~X86_LARGE_PAT;
    }
    return hpa(pte & mask);
}

static void x86_attrs(uint64_t pte, unsigned int level __unused, struct pt_attrs *a)
{
    a->r = true;
    a->w = pte & X86_RW;
    a->x = !(pte & X86_NX);
    a->type = PT_MEM_NORMAL_WB;
    for (unsigned int t = 0; t < PT_MEM_TYPES; t++) {
        if ((pte & (X86_PCD | X86_PWT)) == x86_cache[t]) {
            a->type = (enum pt_memtype)t;
        }
    }
}

/* The two descriptors differ only in name and leaf levels. */
#define X86_NPT_FORMAT(fmt_name, leaves)                                                           \
    {                                                                                              \
        .name = fmt_name, .page_shift = 12, .bits_per_level = 9, .min_depth = 4, .max_depth = 4,   \
        .ia_bits = 48, .leaf_levels = leaves, .make_table = x86_make_table,                        \
        .make_leaf = x86_make_leaf, .is_valid = x86_is_valid, .is_table = x86_is_table,            \
        .output = x86_output, .attrs = x86_attrs,                                                  \
    }

/* 4 KiB pages and 2 MiB pages (no PDPE1GB assumed). */
const struct pt_format pt_fmt_x86_npt = X86_NPT_FORMAT("x86-npt", 0x3);

/* 4 KiB, 2 MiB and 1 GiB pages (PDPE1GB). */
const struct pt_format pt_fmt_x86_npt_1g = X86_NPT_FORMAT("x86-npt-1g", 0x7);
