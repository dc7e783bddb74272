/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared page-table code: one walker (core/mm/pgtable.c) parameterised by a format
 * descriptor, used by the arm64 stage-2 code, the SMMUv3 stage-2 tables and the AMD-Vi I/O
 * page tables alike. The walker knows no architecture: sizes come from struct pt_format,
 * descriptor bits from its hooks, memory and TLB maintenance from struct pt_mm_ops.
 *
 * Levels. Generic code numbers levels from the leaf up: level 0 is the last level (its
 * entries map 4 KiB pages), level 1 entries map 2 MiB, level 2 entries 1 GiB, and so on. A
 * table of depth d has its root at level d - 1. Conversions to the specs' numbering:
 *   - Arm VMSAv8-64 (4 KiB granule): Arm lookup level = 3 - level (root = start level 4 - d);
 *   - AMD-Vi: AMD level = level + 1 (root = DTE Mode = d; a PDE's NextLevel = its own level).
 *
 * Input addresses are plain uint64_t byte addresses because one table serves several address
 * kinds: an IPA/GPA for stage 2 (gpa_val()), a device address for an IOMMU (dfn_val() << 12).
 * Output addresses are always host physical (hpa_t).
 *
 * Locking: a struct pgtable has no lock of its own. The owner serialises every call that
 * changes it (pt_map, pt_unmap, pt_grow, pt_destroy), e.g. under the IOMMU domain mapping
 * lock (BRIEF §5). pt_lookup may run concurrently with changes to *other* ranges: entries are
 * written with single 64-bit stores, never torn.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/types.h>

/* The most levels any format has (AMD-Vi: DTE Mode 6). */
#define PT_MAX_LEVELS 6

/* Memory type of a mapping; each format encodes what it can express (see its descriptor). */
enum pt_memtype {
    PT_MEM_NORMAL_WB = 0, /* Normal, write-back cacheable (RAM, shared memory "wb") */
    PT_MEM_NORMAL_WT,     /* Normal, write-through ("wt") */
    PT_MEM_NORMAL_NC,     /* Normal, non-cacheable ("nc") */
    PT_MEM_DEVICE,        /* Device / uncached MMIO (Arm Device-nGnRE) */
    PT_MEM_TYPES,         /* the number of types (not a type) */
};

/*
 * Generic attributes of a leaf mapping. A format that cannot express a field ignores it on
 * encode and decodes it to a fixed value (AMD-Vi: x = false, memtype = PT_MEM_NORMAL_WB;
 * x86 NPT: r = true).
 */
struct pt_attrs {
    bool r;               /* readable (Arm S2AP[0], AMD-Vi IR) */
    bool w;               /* writable (Arm S2AP[1], AMD-Vi IW) */
    bool x;               /* executable (Arm XN clear); not expressible on AMD-Vi */
    enum pt_memtype type; /* memory type (Arm MemAttr[3:0]); not expressible on AMD-Vi */
};

/*
 * A page-table format: geometry plus primitive descriptor hooks. Entries are 64-bit in every
 * supported format. Hooks are pure functions of their arguments (no table access), so the
 * host tests check them directly against spec values. "level" is the generic level (above).
 */
struct pt_format {
    const char *name;            /* for messages: "arm-s2-4k", "amd-vi" */
    unsigned int page_shift;     /* log2 of the smallest page and of a table page (12) */
    unsigned int bits_per_level; /* index bits resolved per level (9 for 512 entries) */
    unsigned int min_depth;      /* fewest levels a table may have (1) */
    unsigned int max_depth;      /* most levels (Arm 4, AMD-Vi 6), <= PT_MAX_LEVELS */
    unsigned int ia_bits;        /* input-address width cap: Arm 48 (no LPA2), AMD-Vi 64 */
    uint32_t leaf_levels;        /* bit L set: an entry at level L may be a leaf (page/block) */

    /* Entry at level (>= 1) pointing at the next-level table at table (page aligned). */
    uint64_t (*make_table)(hpa_t table, unsigned int level);
    /*
     * Leaf entry at level (a bit of leaf_levels) mapping out (aligned to the level size). The
     * output address sits in place, so the leaf mapping out + k * size is this one plus
     * k * size (the walker writes runs of leaves that way).
     */
    uint64_t (*make_leaf)(hpa_t out, unsigned int level, const struct pt_attrs *attrs);
    /* The entry is present (translates or points at a table). 0 is never valid. */
    bool (*is_valid)(uint64_t pte, unsigned int level);
    /* A valid entry at level points at a next-level table (else it is a leaf). */
    bool (*is_table)(uint64_t pte, unsigned int level);
    /* Table address of a table entry, or output address of a leaf entry. */
    hpa_t (*output)(uint64_t pte, unsigned int level);
    /* Decode the attributes of a leaf entry. */
    void (*attrs)(uint64_t pte, unsigned int level, struct pt_attrs *attrs);
};

/*
 * Arm VMSAv8-64 stage-2 translation, 4 KiB granule (Arm ARM D8.3 descriptors, D8.4
 * attributes): S2AP, MemAttr (Normal WB 0b1111, WT 0b1010, NC 0b0101, Device-nGnRE 0b0001),
 * SH inner shareable, AF set, XN; blocks at levels 1 (2 MiB) and 2 (1 GiB); depth 1..4,
 * never a concatenated start table (BRIEF §7: QEMU 10's SMMU walks those wrongly).
 */
extern const struct pt_format pt_fmt_arm_s2_4k;

/*
 * AMD-Vi I/O page tables for host translations (AMD IOMMU spec rev 3.x, 2.2.3): PDE = table
 * | NextLevel << 9 | IR | IW | PR; leaf PTE NextLevel 0 (4 KiB at level 0, 2 MiB at level 1,
 * 1 GiB at level 2) with IR/IW from the attributes; depth = DTE Mode 1..6.
 */
extern const struct pt_format pt_fmt_amdvi;

/*
 * x86-64 4-level paging as used by AMD nested paging (NPT) (AMD64 APM vol. 2, 5.3, 15.25):
 * U/S set at every level, NX for !x, memory type through PWT/PCD with the power-on PAT
 * (WB, WT, UC- for NC, UC for device); r is always true (x86 has no unreadable present page).
 * 4 KiB and 2 MiB leaves only (1 GiB pages need PDPE1GB); depth 4 only (no growth).
 */
extern const struct pt_format pt_fmt_x86_npt;

/* The same with 1 GiB leaves as well, for CPUs with PDPE1GB (CPUID Fn8000_0001 EDX[26]). */
extern const struct pt_format pt_fmt_x86_npt_1g;

/*
 * Arm VMSAv8-64 stage-1 translation for the EL2 regime (E2H = 0), 4 KiB granule: the
 * hypervisor's own map (arch/arm64/mmu.c). Arm ARM D8.3 descriptors, D8.4 attributes:
 * AttrIndx selects a MAIR_EL2 slot (below), AP[2] read-only for !w, AP[1] RES1 (one
 * privilege level), SH inner shareable for Normal memory, AF set, XN (bit 54) for !x; r is
 * always true (stage 1 cannot express "not readable"). Blocks at levels 1 (2 MiB) and
 * 2 (1 GiB); depth 2..4 (start level 2..0; level 3 would need FEAT_TTST).
 */
extern const struct pt_format pt_fmt_arm_s1_4k;

/* MAIR_EL2 slots the stage-1 format's AttrIndx refers to, one per enum pt_memtype. */
#define PT_ARM_S1_ATTR_DEVICE_nGnRE 0 /* MAIR 0x04: Device-nGnRE */
#define PT_ARM_S1_ATTR_NORMAL_WB 1    /* 0xff: inner/outer write-back, R/W-allocate */
#define PT_ARM_S1_ATTR_NORMAL_NC 2    /* 0x44: inner/outer non-cacheable */
#define PT_ARM_S1_ATTR_NORMAL_WT 3    /* 0xbb: inner/outer write-through, R/W-allocate */
/* The MAIR_EL2 value matching those slots (Arm ARM D8.6.1, MAIR_ELx.Attr<n> encodings). */
#define PT_ARM_S1_MAIR                                                                             \
    (UINT64_C(0x04) << (8 * PT_ARM_S1_ATTR_DEVICE_nGnRE) |                                         \
     UINT64_C(0xff) << (8 * PT_ARM_S1_ATTR_NORMAL_WB) |                                            \
     UINT64_C(0x44) << (8 * PT_ARM_S1_ATTR_NORMAL_NC) |                                            \
     UINT64_C(0xbb) << (8 * PT_ARM_S1_ATTR_NORMAL_WT))

struct pgtable;

/*
 * Memory and TLB maintenance, injected so host tests can replace them (count, fail). Every
 * callback receives the table; the owner finds its own state through pt->ctx or by embedding
 * the struct pgtable (container_of).
 */
struct pt_mm_ops {
    /*
     * Allocate one zeroed table page (1 << page_shift bytes, naturally aligned): 0 and *pa,
     * or -ENOMEM. Called with the owner's mapping lock held; must not call back into pt_*.
     */
    int (*alloc_table)(struct pgtable *pt, hpa_t *pa) __must_check;
    /*
     * Free a table page from alloc_table. The walker has unlinked and flushed it (never
     * called for a page unlinked by a change whose flush failed: see flush).
     */
    void (*free_table)(struct pgtable *pt, hpa_t pa);
    /* The hypervisor's pointer to a table page (identity map, or the host-test arena). */
    void *(*phys_to_virt)(struct pgtable *pt, hpa_t pa);
    /*
     * Optional (NULL: the walker is cache coherent): make len bytes of table entries at va,
     * just written, visible to the hardware walker (clean to PoC for a non-coherent SMMU).
     * Called after every batch of entry writes, before any flush.
     */
    void (*sync)(struct pgtable *pt, void *va, size_t len);
    /*
     * Optional (NULL: nothing to do): invalidate cached translations of the input range
     * [in_addr, in_addr + size) after entries there changed from valid to something else
     * (unmap, block split under break-before-make) and before freed tables are reused. Must
     * complete the invalidation before returning (Arm: TLBI + DSB; SMMU/AMD-Vi: command + sync).
     * Never called for map into empty entries (no format caches invalid entries), nor by an
     * unmap that found nothing mapped. 0, or -errno if the invalidation may not have
     * completed: the walker then never frees the tables that change unlinked (a walker may
     * still hold them), they stay counted in table_pages and are lost; a block being split
     * stays unmapped whole (its new table is never linked); pt_unmap returns the error.
     */
    int (*flush)(struct pgtable *pt, uint64_t in_addr, uint64_t size);
};

/* Counters, kept by the walker; read them with the accessors below. */
struct pt_stats {
    uint64_t table_pages;                 /* table pages in use, root(s) included */
    uint64_t mapped_bytes[PT_MAX_LEVELS]; /* bytes mapped by leaf entries at each level */
};

/*
 * One page table. Fields are read-only for users; change them only through pt_* calls. A
 * zeroed struct (depth 0: no root) is a valid "no table yet": pt_map/pt_unmap/pt_lookup
 * return -ERANGE, pt_covers() is false and pt_reach() is 0 until pt_init().
 */
struct pgtable {
    const struct pt_format *fmt;
    const struct pt_mm_ops *mm;
    void *ctx;          /* the owner's context for the mm callbacks (e.g. its page pool) */
    unsigned int depth; /* current number of levels; the root is at level depth - 1 */
    hpa_t root;         /* root table page (program it into VTTBR / STE / DTE) */
    struct pt_stats stats;
};

/*
 * Set up an empty table of depth levels (fmt->min_depth..max_depth): allocates the root.
 * 0, -EINVAL (bad depth or format), -ENOMEM. Nothing is allocated on failure.
 */
int pt_init(struct pgtable *pt, const struct pt_format *fmt, const struct pt_mm_ops *mm, void *ctx,
            unsigned int depth) __must_check;

/*
 * Free every table page, root included, without touching the mapped memory and without a
 * flush: the caller has detached the table from all hardware (and flushed) first. The table
 * must be pt_init'ed again before reuse.
 */
void pt_destroy(struct pgtable *pt);

/*
 * Map [in_addr, in_addr + size) to [out, out + size) with attrs. in_addr, out and size must
 * be page aligned and size non-zero. Each step uses the largest leaf the format allows at
 * which in_addr, out and the remaining size are all aligned (Arm: 1 GiB / 2 MiB blocks).
 * Two phases: prepare allocates every table needed, commit writes the entries and cannot
 * fail. Returns 0, or with the table left bit-for-bit unchanged and no page leaked:
 *   -EINVAL  misaligned, size 0, or overflowing address arithmetic;
 *   -ERANGE  some input address is beyond pt_reach() (map never grows: call pt_grow first);
 *   -EEXIST  some part of the range is already mapped (overlap with a leaf);
 *   -ENOMEM  a table allocation failed.
 */
int pt_map(struct pgtable *pt, uint64_t in_addr, hpa_t out, uint64_t size,
           const struct pt_attrs *attrs) __must_check;

/*
 * Unmap [in_addr, in_addr + size) (page aligned, size non-zero). Holes in the range are
 * allowed (unmap is idempotent). A block only partly covered is split into next-level
 * entries first (break-before-make: the block's whole range is briefly invalid); tables that
 * become empty are freed. Calls mm->flush for the affected range before freeing tables.
 * Returns 0, -EINVAL, -ERANGE (beyond reach), or -ENOMEM (the tables a split may need, at
 * most 2 * level - 1 per partly covered block, could not be reserved beforehand); on those
 * errors the table is unchanged. Or the first -errno of mm->flush: the change was made (and
 * a block being split is unmapped whole) but stale translations may remain cached.
 */
int pt_unmap(struct pgtable *pt, uint64_t in_addr, uint64_t size) __must_check;

/*
 * Translate in_addr: *out = the host physical address of that byte, *attrs = the leaf's
 * attributes, *level = the level of the leaf (its size is pt_level_size()), or for -ENOENT the
 * level of the invalid entry (the whole aligned span of that size is unmapped). Any out
 * pointer may be NULL. 0, or -ENOENT when unmapped, -ERANGE when beyond reach.
 */
int pt_lookup(const struct pgtable *pt, uint64_t in_addr, hpa_t *out, struct pt_attrs *attrs,
              unsigned int *level) __must_check;

/*
 * Called by pt_for_each_leaf() for one valid leaf: input address, output address, size (the
 * leaf's level size) and decoded attributes. Non-zero stops the walk and is returned.
 */
typedef int (*pt_leaf_fn)(void *ctx, uint64_t in_addr, hpa_t out, uint64_t size,
                          const struct pt_attrs *attrs);

/*
 * Call fn for every valid leaf entry of pt, in increasing input-address order, reading the
 * entries themselves (not the walker's counters): what the hardware would translate. For
 * audits (core/mm/pgtable_leaves.c, test builds only); the caller holds the owner's mapping
 * lock. 0, or fn's first non-zero result.
 */
int pt_for_each_leaf(const struct pgtable *pt, pt_leaf_fn fn, void *ctx) __must_check;

/*
 * Grow the table to new_depth levels (> current, <= fmt->max_depth): each new root's entry
 * 0 points at the previous root (the AMD-Vi / SMMU growth shape, BRIEF §5), so every existing
 * mapping keeps its input address. pt->root changes: the caller then reprograms and
 * invalidates the DTE / STE / VTTBR. new_depth == depth is a no-op. 0, -EINVAL (new_depth
 * below the current depth or above the maximum), -ENOMEM (the old table is left intact).
 */
int pt_grow(struct pgtable *pt, unsigned int new_depth) __must_check;

/* Size in bytes of what one entry at level maps (level 0: the page size). */
uint64_t pt_level_size(const struct pt_format *fmt, unsigned int level);

/* Width in bits of the input addresses a table of depth levels translates (capped at ia_bits). */
unsigned int pt_reach_bits(const struct pt_format *fmt, unsigned int depth);

/*
 * Highest input address + 1 of the table at its current depth; UINT64_MAX when the reach is
 * the whole 64-bit space (AMD-Vi Mode 6); 0 without a table. Prefer pt_covers() for checks.
 */
uint64_t pt_reach(const struct pgtable *pt);

/* Whether input address last (inclusive) is within the table's current reach. */
bool pt_covers(const struct pgtable *pt, uint64_t last);

/*
 * Smallest depth of fmt whose reach includes input address last (inclusive), at least
 * fmt->min_depth: a positive depth, or -ERANGE when no depth covers it.
 */
int pt_depth_for(const struct pt_format *fmt, uint64_t last) __must_check;

/* Table pages in use (root included). */
static inline uint64_t pt_table_pages(const struct pgtable *pt)
{
    return pt->stats.table_pages;
}

/* Bytes mapped by leaf entries at level (0 when level is out of range). */
static inline uint64_t pt_mapped_bytes(const struct pgtable *pt, unsigned int level)
{
    return level < PT_MAX_LEVELS ? pt->stats.mapped_bytes[level] : 0;
}

/* Total bytes mapped, all levels. */
uint64_t pt_mapped_total(const struct pgtable *pt);

/*
 * Format-specific register-field helpers, shared by the code that programs the hardware
 * (arch/arm64 VTCR_EL2, the SMMUv3 STE, the AMD-Vi DTE) so every user derives them the same
 * way from the table.
 */

/* Arm stage 2: T0SZ / S2T0SZ = 64 - reach bits for the table's depth (D8.2, VTCR_EL2.T0SZ). */
unsigned int pt_arm_s2_t0sz(const struct pgtable *pt);

/*
 * Arm stage 2, 4 KiB granule: SL0 / S2SL0 for the start level 4 - depth (VTCR_EL2.SL0):
 * start level 2 -> 0, 1 -> 1, 0 -> 2, 3 -> 3 (the last needs FEAT_TTST; with SL2 = 0).
 */
unsigned int pt_arm_s2_sl0(const struct pgtable *pt);
