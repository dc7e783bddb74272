// SPDX-License-Identifier: Apache-2.0
/*
 * The generic page-table walker. Every size comes from the format descriptor and every
 * descriptor bit from its hooks, so the same code builds Arm stage-2 and AMD-Vi tables.
 *
 * Changes are made in two phases (STYLE 11): a read-only "count" pass over the range works
 * out how many table pages the change needs and whether it is allowed at all (-EEXIST), the
 * pages are then allocated up front, and only then does a "commit" pass write entries. The
 * commit pass cannot fail, so an error always leaves the table bit-for-bit unchanged.
 *
 * Prepared and to-be-freed table pages are kept on singly linked lists threaded through the
 * pages themselves (the first 64-bit word holds the next page's address), so a change of any
 * size needs no bookkeeping memory. A page taken off the list has that word cleared again,
 * which restores the all-zero (all-invalid) table the allocator handed out. An unlinked page
 * may still be in a walk cache until the flush, so every link word must be an invalid entry
 * in every format: page addresses and PT_LIST_END have bit 0 clear, the valid/present bit of
 * Arm VMSA (D8.3), AMD-Vi (PR, 2.2.3) and x86 (P, SDM 4.5) descriptors.
 *
 * Invariant: a table below the root is never empty (unmap frees tables that become empty),
 * which keeps "table pages in use" exact and lets map treat an existing table under a whole
 * block-sized range as an overlap signal (it descends and finds the overlapping leaf).
 */
#include <hv/errno.h>
#include <hv/pgtable.h>

/* Sentinel ending a page list: not page aligned (no table's address), bit 0 clear (invalid). */
#define PT_LIST_END (UINT64_MAX - 1)

struct pt_walk;
struct pt_span;

/*
 * One entry's part of a change (pt_map_entry, pt_unmap_entry): the entry at s->idx of tbl, a
 * table at level, and the part [s->addr, s->sub_last] of the range inside it. 0 or -EEXIST
 * (map's count pass only).
 */
typedef int pt_entry_fn(struct pt_walk *w, uint64_t *tbl, unsigned int level, struct pt_span *s);

/* State of one pt_map / pt_unmap call, shared by its recursive passes. */
struct pt_walk {
    struct pgtable *pt;
    pt_entry_fn *entry; /* what the change does to each entry it touches */
    bool commit;        /* false: count pass (read only); true: commit pass (writes) */
    uint64_t in_addr;   /* map: first input address, with out: the output offset */
    uint64_t out;       /* map: output address of in_addr */
    const struct pt_attrs *attrs;
    uint64_t needed;      /* count pass: table pages the commit pass may take */
    uint64_t prepared;    /* head of the list of prepared (zeroed) table pages */
    uint64_t to_free;     /* head of the list of unlinked table pages, freed after the flush */
    uint64_t flush_first; /* unmap: input range to flush, grown to cover freed tables' spans */
    uint64_t flush_last;
    bool changed;  /* unmap: some entry was cleared (else there is nothing to flush) */
    int flush_err; /* the first flush error (-errno): to_free is then never freed */
};

static inline uint64_t pt_entries(const struct pt_format *fmt)
{
    return UINT64_C(1) << fmt->bits_per_level;
}

static inline unsigned int pt_shift(const struct pt_format *fmt, unsigned int level)
{
    return fmt->page_shift + level * fmt->bits_per_level;
}

uint64_t pt_level_size(const struct pt_format *fmt, unsigned int level)
{
    return UINT64_C(1) << pt_shift(fmt, level);
}

/* Index of the entry translating addr in a table at level. */
static inline uint64_t pt_index(const struct pt_format *fmt, unsigned int level, uint64_t addr)
{
    return (addr >> pt_shift(fmt, level)) & (pt_entries(fmt) - 1);
}

static inline uint64_t *pt_table(const struct pgtable *pt, hpa_t pa)
{
    return pt->mm->phys_to_virt((struct pgtable *)pt, pa);
}

static inline bool pt_leaf_ok(const struct pt_format *fmt, unsigned int level)
{
    return (fmt->leaf_levels >> level) & 1;
}

unsigned int pt_reach_bits(const struct pt_format *fmt, unsigned int depth)
{
    unsigned int bits = pt_shift(fmt, depth);

    return MIN(bits, fmt->ia_bits);
}

/* Highest input address (inclusive) of a table of fmt with depth levels. */
static uint64_t pt_last_of(const struct pt_format *fmt, unsigned int depth)
{
    unsigned int bits = pt_reach_bits(fmt, depth);

    return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

uint64_t pt_reach(const struct pgtable *pt)
{
    if (pt->depth == 0) {
        return 0; /* no table (never initialised, or destroyed) */
    }
    uint64_t last = pt_last_of(pt->fmt, pt->depth);

    return last == UINT64_MAX ? UINT64_MAX : last + 1;
}

bool pt_covers(const struct pgtable *pt, uint64_t last)
{
    return pt->depth != 0 && last <= pt_last_of(pt->fmt, pt->depth);
}

int pt_depth_for(const struct pt_format *fmt, uint64_t last)
{
    for (unsigned int d = fmt->min_depth; d <= fmt->max_depth; d++) {
        if (last <= pt_last_of(fmt, d)) {
            return (int)d;
        }
    }
    return -ERANGE;
}

uint64_t pt_mapped_total(const struct pgtable *pt)
{
    uint64_t sum = 0;

    for (unsigned int l = 0; l < PT_MAX_LEVELS; l++) {
        sum += pt->stats.mapped_bytes[l];
    }
    return sum;
}

/*
 * Table writes are a single 64-bit store each (WRITE_ONCE: never torn for a concurrent
 * hardware walk), then the optional sync hook for non-coherent walkers over the entries just
 * written.
 */
static void pt_sync(struct pgtable *pt, uint64_t *tbl, uint64_t first, uint64_t last)
{
    if (pt->mm->sync) {
        pt->mm->sync(pt, &tbl[first], (size_t)((last - first + 1) * sizeof(uint64_t)));
    }
}

/* Flush through the hook: 0 or its -errno, the first of which w keeps. */
static int pt_flush(struct pt_walk *w, uint64_t in_addr, uint64_t size)
{
    int err = w->pt->mm->flush ? w->pt->mm->flush(w->pt, in_addr, size) : 0;

    if (w->flush_err == 0) {
        w->flush_err = err;
    }
    return err;
}

/*
 * Order the writes filling a new table before the store that links it: a concurrent walker
 * that sees the link must see the entries (a release fence is the portable form of the
 * barrier the architectures need here, e.g. Arm DMB ISHST).
 */
static inline void pt_publish_barrier(void)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

/* Push a (zeroed but for the link word) table page on a list. */
static void pt_list_push(struct pgtable *pt, uint64_t *head, hpa_t pa)
{
    uint64_t *page = pt_table(pt, pa);

    page[0] = *head;
    *head = hpa_val(pa);
}

/* Pop a page from a non-empty list, restoring its first word to 0. */
static hpa_t pt_list_pop(struct pgtable *pt, uint64_t *head)
{
    hpa_t pa = hpa(*head);
    uint64_t *page = pt_table(pt, pa);

    *head = page[0];
    page[0] = 0;
    return pa;
}

/* Return every page of a list (prepared or unlinked: counted as in use) to the allocator. */
static void pt_list_free(struct pgtable *pt, uint64_t *head)
{
    while (*head != PT_LIST_END) {
        pt->mm->free_table(pt, pt_list_pop(pt, head));
        pt->stats.table_pages--;
    }
}

/*
 * Allocate n zeroed table pages onto w->prepared; all or nothing (-ENOMEM frees what was
 * taken). The pages count as in use from here; the caller gives back any left over.
 */
static int pt_prepare(struct pt_walk *w, uint64_t n)
{
    struct pgtable *pt = w->pt;

    for (uint64_t i = 0; i < n; i++) {
        hpa_t pa;
        int err = pt->mm->alloc_table(pt, &pa);

        if (err) {
            pt_list_free(pt, &w->prepared);
            return err;
        }
        pt->stats.table_pages++;
        pt_list_push(pt, &w->prepared, pa);
    }
    return 0;
}

/* Whether a table has no valid entry left. */
static bool pt_table_empty(const struct pgtable *pt, const uint64_t *tbl, unsigned int level)
{
    for (uint64_t i = 0; i < pt_entries(pt->fmt); i++) {
        if (pt->fmt->is_valid(READ_ONCE(tbl[i]), level)) {
            return false;
        }
    }
    return true;
}

/*
 * Free the tables below tbl (at level), then tbl itself, uncounting the bytes its leaves map:
 * a destroyed table, or a split's new table that no walker ever saw.
 */
static void pt_free_level(struct pgtable *pt, hpa_t pa, unsigned int level)
{
    const struct pt_format *fmt = pt->fmt;
    uint64_t *tbl = pt_table(pt, pa);

    for (uint64_t i = 0; i < pt_entries(fmt); i++) {
        uint64_t pte = tbl[i];

        if (!pte || !fmt->is_valid(pte, level)) {
            continue;
        }
        if (level > 0 && fmt->is_table(pte, level)) {
            pt_free_level(pt, fmt->output(pte, level), level - 1);
        } else {
            pt->stats.mapped_bytes[level] -= pt_level_size(fmt, level);
        }
    }
    pt->mm->free_table(pt, pa);
    pt->stats.table_pages--;
}

/* Checks shared by map and unmap: alignment, size, overflow, reach. */
static int pt_check_range(const struct pgtable *pt, uint64_t in_addr, uint64_t size)
{
    if (pt->depth == 0) {
        return -ERANGE; /* no root: nothing is in reach (map never allocates it) */
    }
    uint64_t page_mask = pt_level_size(pt->fmt, 0) - 1;

    if (size == 0 || (in_addr & page_mask) || (size & page_mask)) {
        return -EINVAL;
    }
    if (in_addr + (size - 1) < in_addr) {
        return -EINVAL;
    }
    return pt_covers(pt, in_addr + (size - 1)) ? 0 : -ERANGE;
}

/*
 * One step of a walk over the entries of a table that the range [.., last] touches: the
 * entry's index and span [base, end], and the part of the range inside it [addr, sub_last].
 */
struct pt_span {
    uint64_t idx, base, end, addr, sub_last, last, size;
};

static inline void pt_span_fill(struct pt_span *s)
{
    s->base = s->addr & ~(s->size - 1);
    s->end = s->base + (s->size - 1);
    s->sub_last = MIN(s->end, s->last);
}

/* The first entry of a table at level touched by [addr, last]. */
static inline struct pt_span pt_span_first(const struct pt_format *fmt, unsigned int level,
                                           uint64_t addr, uint64_t last)
{
    struct pt_span s = {.idx = pt_index(fmt, level, addr),
                        .addr = addr,
                        .last = last,
                        .size = pt_level_size(fmt, level)};

    pt_span_fill(&s);
    return s;
}

/* Move to the next entry; false when the range ends in this one. */
static inline bool pt_span_next(struct pt_span *s)
{
    if (s->sub_last == s->last) {
        return false;
    }
    s->addr = s->sub_last + 1;
    s->idx++;
    pt_span_fill(s);
    return true;
}

/* The range covers the entry's whole span. */
static inline bool pt_span_whole(const struct pt_span *s)
{
    return s->addr == s->base && s->sub_last == s->end;
}

/* ---- map ---- */

/*
 * The run of whole entries of tbl (a table at level, NULL in the count pass for a table that
 * does not exist yet) from s's, which is empty and takes a leaf: as many leaves as the table
 * and the range allow, in one pass rather than one loop turn each. Count pass: -EEXIST when
 * one of them is valid (a leaf, or a table, which is never empty, over part of the range).
 * Commit pass: the leaves, each the previous one plus the level size (struct pt_format: the
 * output address sits in place in a leaf). Leaves s at the run's last entry.
 */
static int pt_map_run(struct pt_walk *w, uint64_t *tbl, unsigned int level, struct pt_span *s,
                      uint64_t out)
{
    const struct pt_format *fmt = w->pt->fmt;
    uint64_t size = s->size, first = s->idx;
    /* The first entry is whole, so last - addr >= size - 1: no overflow at the top. */
    uint64_t n = MIN(pt_entries(fmt) - first, (s->last - s->addr - (size - 1)) / size + 1);

    if (w->commit) {
        uint64_t pte = fmt->make_leaf(hpa(out), level, w->attrs);

        for (uint64_t i = first; i < first + n; i++, pte += size) {
            WRITE_ONCE(tbl[i], pte);
        }
        w->pt->stats.mapped_bytes[level] += n * size;
    } else if (tbl) {
        for (uint64_t i = first + 1; i < first + n; i++) {
            uint64_t pte = READ_ONCE(tbl[i]);

            if (pte && fmt->is_valid(pte, level)) {
                return -EEXIST;
            }
        }
    }
    s->idx += n - 1;
    s->addr += (n - 1) * size;
    pt_span_fill(s);
    return 0;
}

/*
 * The one walk of a change over [addr, last] (inside the span of tbl, a table at level): the
 * change's entry step for every entry the range touches, which recurses through here into
 * the tables below, then the sync of the entries the commit pass wrote.
 */
static int pt_walk_level(struct pt_walk *w, uint64_t *tbl, unsigned int level, uint64_t addr,
                         uint64_t last)
{
    struct pt_span s = pt_span_first(w->pt->fmt, level, addr, last);
    uint64_t first_idx = s.idx;

    do {
        int err = w->entry(w, tbl, level, &s);

        if (err) {
            return err;
        }
    } while (pt_span_next(&s));
    if (w->commit) {
        pt_sync(w->pt, tbl, first_idx, s.idx);
    }
    return 0;
}

/*
 * Map one entry's part of the range. tbl is NULL in the count pass for a table that does not
 * exist yet: all its entries are empty. Returns 0 or -EEXIST (count pass only: the commit
 * pass repeats a walk that already succeeded).
 */
static int pt_map_entry(struct pt_walk *w, uint64_t *tbl, unsigned int level, struct pt_span *s)
{
    struct pgtable *pt = w->pt;
    const struct pt_format *fmt = pt->fmt;
    uint64_t out = w->out + (s->addr - w->in_addr);
    uint64_t pte = tbl ? READ_ONCE(tbl[s->idx]) : 0;
    bool valid = pte && fmt->is_valid(pte, level);
    bool whole = pt_span_whole(s) && (out & (s->size - 1)) == 0;

    if (whole && pt_leaf_ok(fmt, level) && !valid) {
        /* The largest leaves alignment allows (levels are tried root first). */
        return pt_map_run(w, tbl, level, s, out);
    }
    if (level == 0 || (valid && !fmt->is_table(pte, level))) {
        /* Part of the range is a leaf already (a level-0 entry is empty or a leaf). */
        return -EEXIST;
    }
    if (valid) {
        return pt_walk_level(w, pt_table(pt, fmt->output(pte, level)), level - 1, s->addr,
                             s->sub_last);
    }
    if (!w->commit) {
        /* A new table: everything under it is empty. */
        w->needed++;
        return pt_walk_level(w, NULL, level - 1, s->addr, s->sub_last);
    }
    hpa_t child_pa = pt_list_pop(pt, &w->prepared);

    (void)pt_walk_level(w, pt_table(pt, child_pa), level - 1, s->addr, s->sub_last);
    pt_publish_barrier();
    WRITE_ONCE(tbl[s->idx], fmt->make_table(child_pa, level));
    return 0;
}

/*
 * A change of [in_addr, in_addr + size) (checked, in reach) in two phases (header comment):
 * the count pass (map: is the range free, and how many tables does it need? unmap:
 * tables needed to split blocks at the range's ends), the table pages allocated, then the
 * commit pass, which cannot fail. Then the flush of what unmap cleared (map into empty
 * entries needs none, see pt_mm_ops.flush) before the tables it unlinked are freed. Returns
 * the first flush error after the commit: the change is made, its invalidation may not be.
 */
static int pt_change(struct pt_walk *w, uint64_t in_addr, uint64_t size)
{
    struct pgtable *pt = w->pt;
    uint64_t *root = pt_table(pt, pt->root);
    uint64_t last = in_addr + (size - 1);
    int err = pt_walk_level(w, root, pt->depth - 1, in_addr, last);

    if (err == 0) {
        err = pt_prepare(w, w->needed);
    }
    if (err) {
        return err;
    }
    w->commit = true;
    w->flush_first = in_addr;
    w->flush_last = last;
    (void)pt_walk_level(w, root, pt->depth - 1, in_addr, last);
    /* A flush of the whole 64-bit space (AMD-Vi Mode 6) saturates rather than wrapping to 0. */
    if (w->changed) {
        (void)pt_flush(w, w->flush_first,
                       MAX(w->flush_last - w->flush_first + 1, w->flush_last - w->flush_first));
    }
    if (w->flush_err == 0) {
        /* Else quarantine: a walker may still use the unlinked tables, so leak them. */
        pt_list_free(pt, &w->to_free);
    }
    pt_list_free(pt, &w->prepared); /* what a split's bound left over (map counts exactly) */
    return w->flush_err;
}

int pt_map(struct pgtable *pt, uint64_t in_addr, hpa_t out, uint64_t size,
           const struct pt_attrs *attrs)
{
    struct pt_walk w = {
        .pt = pt,
        .entry = pt_map_entry,
        .in_addr = in_addr,
        .out = hpa_val(out),
        .attrs = attrs,
        .prepared = PT_LIST_END,
        .to_free = PT_LIST_END,
    };
    int err = pt_check_range(pt, in_addr, size);

    if (err == 0 && (!attrs || (hpa_val(out) & (pt_level_size(pt->fmt, 0) - 1)) ||
                     hpa_val(out) + (size - 1) < hpa_val(out))) {
        err = -EINVAL;
    }
    return err ? err : pt_change(&w, in_addr, size);
}

/* ---- unmap ---- */

/*
 * Fill the new table child (level - 1) with leaves reproducing the block pte at level: the
 * first step of a split. The block's attributes carry over unchanged.
 */
static void pt_split_fill(struct pgtable *pt, uint64_t *child, uint64_t pte, unsigned int level)
{
    const struct pt_format *fmt = pt->fmt;
    uint64_t csize = pt_level_size(fmt, level - 1);
    uint64_t base = hpa_val(fmt->output(pte, level));
    struct pt_attrs attrs;

    fmt->attrs(pte, level, &attrs);
    for (uint64_t i = 0; i < pt_entries(fmt); i++) {
        WRITE_ONCE(child[i], fmt->make_leaf(hpa(base + i * csize), level - 1, &attrs));
    }
    pt->stats.mapped_bytes[level] -= pt_level_size(fmt, level);
    pt->stats.mapped_bytes[level - 1] += pt_level_size(fmt, level);
}

/* Unmap one entry's part of the range. Count pass: only counts w->needed. Returns 0. */
static int pt_unmap_entry(struct pt_walk *w, uint64_t *tbl, unsigned int level, struct pt_span *s)
{
    struct pgtable *pt = w->pt;
    const struct pt_format *fmt = pt->fmt;
    uint64_t pte = READ_ONCE(tbl[s->idx]);

    if (!pte || !fmt->is_valid(pte, level)) {
        /* A hole: nothing to do. */
    } else if (level > 0 && fmt->is_table(pte, level)) {
        hpa_t child_pa = fmt->output(pte, level);
        uint64_t *child = pt_table(pt, child_pa);

        (void)pt_walk_level(w, child, level - 1, s->addr, s->sub_last);
        if (w->commit && pt_table_empty(pt, child, level - 1)) {
            /* Unlinked now, freed after the flush: a walker may still hold it. */
            WRITE_ONCE(tbl[s->idx], 0);
            pt_list_push(pt, &w->to_free, child_pa);
            w->changed = true;
            /* Walk caches may hold the table for any address of its span. */
            w->flush_first = MIN(w->flush_first, s->base);
            w->flush_last = MAX(w->flush_last, s->end);
        }
    } else if (pt_span_whole(s)) {
        if (w->commit) {
            WRITE_ONCE(tbl[s->idx], 0);
            pt->stats.mapped_bytes[level] -= s->size;
            w->changed = true;
        }
    } else if (!w->commit) {
        /*
         * Splitting a partly covered block takes the table replacing it, then, at each
         * level below, at most one more for each end of the range (an entry covered in
         * part), level-0 entries being pages: 2 * level - 1 at most. A bound, not a
         * count: pt_change() gives back what the commit pass leaves.
         */
        w->needed += 2 * level - 1;
    } else {
        /* Split a partly covered block, then unmap inside the (unlinked) new table. */
        hpa_t child_pa = pt_list_pop(pt, &w->prepared);
        uint64_t *child = pt_table(pt, child_pa);

        pt_split_fill(pt, child, pte, level);
        (void)pt_walk_level(w, child, level - 1, s->addr, s->sub_last);
        pt_sync(pt, child, 0, pt_entries(fmt) - 1);
        /*
         * Break-before-make (Arm ARM D8.14.1): invalidate the block and its TLB entries
         * before the table replacing it becomes visible, so no walker ever holds two
         * translations for one address (SMMUv3: a TLB conflict). If the flush fails the
         * old block may still be cached: the entry stays invalid (the whole block is
         * unmapped, which fails safe), the never-linked new table is dropped and the
         * final flush covers the whole block.
         */
        WRITE_ONCE(tbl[s->idx], 0);
        pt_sync(pt, tbl, s->idx, s->idx);
        if (pt_flush(w, s->base, s->size) != 0) {
            /* The final flush covers the whole block then, a retry of this one. */
            w->flush_first = MIN(w->flush_first, s->base);
            w->flush_last = MAX(w->flush_last, s->end);
            pt_free_level(pt, child_pa, level - 1);
            return 0;
        }
        pt_publish_barrier();
        WRITE_ONCE(tbl[s->idx], fmt->make_table(child_pa, level));
    }
    return 0;
}

int pt_unmap(struct pgtable *pt, uint64_t in_addr, uint64_t size)
{
    struct pt_walk w = {
        .pt = pt,
        .entry = pt_unmap_entry,
        .prepared = PT_LIST_END,
        .to_free = PT_LIST_END,
    };
    int err = pt_check_range(pt, in_addr, size);

    return err ? err : pt_change(&w, in_addr, size);
}

/* ---- lookup, grow, init, destroy ---- */

int pt_lookup(const struct pgtable *pt, uint64_t in_addr, hpa_t *out, struct pt_attrs *attrs,
              unsigned int *level)
{
    const struct pt_format *fmt = pt->fmt;
    uint64_t *tbl;

    if (!pt_covers(pt, in_addr)) {
        return -ERANGE;
    }
    tbl = pt_table(pt, pt->root);
    for (unsigned int l = pt->depth; l-- > 0;) {
        uint64_t pte = READ_ONCE(tbl[pt_index(fmt, l, in_addr)]);

        if (level) {
            *level = l;
        }
        if (!pte || !fmt->is_valid(pte, l)) {
            return -ENOENT;
        }
        if (l > 0 && fmt->is_table(pte, l)) {
            tbl = pt_table(pt, fmt->output(pte, l));
            continue;
        }
        if (out) {
            *out = hpa(hpa_val(fmt->output(pte, l)) + (in_addr & (pt_level_size(fmt, l) - 1)));
        }
        if (attrs) {
            fmt->attrs(pte, l, attrs);
        }
        return 0;
    }
    return -ENOENT; /* unreachable: level 0 entries are leaves */
}

int pt_grow(struct pgtable *pt, unsigned int new_depth)
{
    struct pt_walk w = {.pt = pt, .prepared = PT_LIST_END};
    int err;

    if (pt->depth == 0 || new_depth < pt->depth || new_depth > pt->fmt->max_depth) {
        return -EINVAL;
    }
    err = pt_prepare(&w, new_depth - pt->depth);
    if (err) {
        return err; /* the old table is untouched */
    }
    /*
     * Each new root's entry 0 points at the previous root (AMD IOMMU spec 2.2.3: a PDE at
     * AMD level old_depth + 1 with NextLevel = old_depth), so input addresses below the old
     * reach resolve exactly as before. The caller switches the hardware to the new root.
     */
    while (pt->depth < new_depth) {
        hpa_t pa = pt_list_pop(pt, &w.prepared);
        uint64_t *tbl = pt_table(pt, pa);

        WRITE_ONCE(tbl[0], pt->fmt->make_table(pt->root, pt->depth));
        pt_sync(pt, tbl, 0, 0);
        pt_publish_barrier();
        pt->root = pa;
        pt->depth++;
    }
    return 0;
}

int pt_init(struct pgtable *pt, const struct pt_format *fmt, const struct pt_mm_ops *mm, void *ctx,
            unsigned int depth)
{
    struct pt_walk w = {.pt = pt, .prepared = PT_LIST_END};
    int err;

    /* Splitting relies on every level below the highest leaf level holding leaves too. */
    if (!fmt || !mm || depth < fmt->min_depth || depth > fmt->max_depth ||
        fmt->max_depth > PT_MAX_LEVELS || (fmt->leaf_levels & (fmt->leaf_levels + 1)) != 0 ||
        !(fmt->leaf_levels & 1)) {
        return -EINVAL;
    }
    *pt = (struct pgtable){.fmt = fmt, .mm = mm, .ctx = ctx, .depth = depth};
    err = pt_prepare(&w, 1);
    if (err) {
        pt->depth = 0;
        return err;
    }
    pt->root = pt_list_pop(pt, &w.prepared);
    return 0;
}

void pt_destroy(struct pgtable *pt)
{
    if (pt->fmt && pt->depth) {
        pt_free_level(pt, pt->root, pt->depth - 1);
    }
    pt->depth = 0;
    pt->root = hpa(0);
    pt->stats = (struct pt_stats){0}; /* every page was freed but those a failed flush leaked */
}
