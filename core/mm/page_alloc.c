// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor page allocator: a first-fit bitmap over a linear range of hypervisor-owned
 * RAM. The bitmap lives in the range's own first pages, which the pool never hands out.
 * A static-partitioning hypervisor allocates at boot (stage-2 and IOMMU tables, per-CPU
 * data) and rarely afterwards, so simplicity and exact accounting matter more than speed;
 * the single-page hint keeps the common table-page case from rescanning the bitmap prefix.
 */
#include <hv/errno.h>
#include <hv/lockorder.h>
#include <hv/page_alloc.h>
#include <hv/panic.h>
#include <hv/string.h>

#define BITS_PER_WORD 64

struct page_pool hv_page_pool;

/*
 * Pool locks rank innermost but one: table pages are allocated under an IOMMU domain's
 * mapping lock (and stage-2 locks), never the other way round (include/hv/lockorder.h).
 */
static LOCK_CLASS(page_pool_lock_class, "page_pool", LOCK_RANK_PAGE_POOL);

static inline bool pool_bit(const struct page_pool *pool, uint64_t i)
{
    return (pool->bitmap[i / BITS_PER_WORD] >> (i % BITS_PER_WORD)) & 1;
}

static inline void pool_set(struct page_pool *pool, uint64_t i, bool v)
{
    uint64_t *word = &pool->bitmap[i / BITS_PER_WORD], bit = UINT64_C(1) << (i % BITS_PER_WORD);

    *word = v ? *word | bit : *word & ~bit;
}

int page_pool_init(struct page_pool *pool, hpa_t start, hpa_t end, void *virt)
{
    uint64_t s = ALIGN_UP(hpa_val(start), PAGE_SIZE);
    uint64_t e = ALIGN_DOWN(hpa_val(end), PAGE_SIZE);
    uint8_t *v = (uint8_t *)virt + (s - hpa_val(start));
    uint64_t pages, bitmap_pages, bitmap_bytes;

    if (!virt || hpa_val(end) <= hpa_val(start) || e <= s ||
        ((uintptr_t)v & (PAGE_SIZE - 1)) != 0) {
        return -EINVAL;
    }
    pages = (e - s) / PAGE_SIZE;
    /*
     * The bitmap covers the pages after it: with b bitmap pages, n = pages - b pages need
     * ceil(n / (8 * PAGE_SIZE)) bitmap pages. Start from the bound for all pages; it is at
     * most one page more than needed and keeps the arithmetic simple.
     */
    bitmap_pages = (pages + 8 * PAGE_SIZE - 1) / (8 * PAGE_SIZE);
    if (pages <= bitmap_pages) {
        return -ENOMEM;
    }
    *pool = (struct page_pool){0};
    spin_lock_init_class(&pool->lock, &page_pool_lock_class);
    pool->npages = pages - bitmap_pages;
    pool->base = s + bitmap_pages * PAGE_SIZE;
    pool->virt = v + bitmap_pages * PAGE_SIZE;
    pool->bitmap = (uint64_t *)v;
    bitmap_bytes = ALIGN_UP((pool->npages + 7) / 8, sizeof(uint64_t));
    memset(pool->bitmap, 0, bitmap_bytes);
    pool->stats.total = pool->npages;
    return 0;
}

/*
 * Smallest index i >= from with (first + i) a multiple of align, where first is the page
 * frame number of the pool's page 0: alignment is of the physical address, and the pool's
 * base is only page aligned.
 */
static uint64_t pool_align(const struct page_pool *pool, uint64_t from, uint64_t align)
{
    uint64_t pfn = pool->base / PAGE_SIZE + from;

    return from + ((align - (pfn & (align - 1))) & (align - 1));
}

/* First index >= from of n free pages at an aligned address; pool->npages if none. */
static uint64_t pool_find(const struct page_pool *pool, uint64_t from, uint64_t n, uint64_t align)
{
    uint64_t i = pool_align(pool, from, align);

    while (i < pool->npages && n <= pool->npages - i) {
        uint64_t j;

        /* Skip fully allocated bitmap words quickly (the common single-page case). */
        if (i % BITS_PER_WORD == 0 && pool->bitmap[i / BITS_PER_WORD] == UINT64_MAX) {
            i = pool_align(pool, i + BITS_PER_WORD, align);
            continue;
        }
        for (j = 0; j < n && !pool_bit(pool, i + j); j++) {
        }
        if (j == n) {
            return i;
        }
        /* Page i + j is taken: the next candidate starts after it. */
        i = pool_align(pool, i + j + 1, align);
    }
    return pool->npages;
}

int page_alloc(struct page_pool *pool, uint64_t npages, uint64_t align_pages, hpa_t *pa)
{
    uint64_t align = align_pages ? align_pages : 1;
    uint64_t i;

    if (npages == 0 || (align & (align - 1)) != 0) {
        return -EINVAL;
    }
    spin_lock(&pool->lock);
    /* Every page below the hint is allocated, so single pages start searching there. */
    i = pool_find(pool, npages == 1 ? pool->hint : 0, npages, align);
    if (i >= pool->npages) {
        pool->stats.failed++;
        spin_unlock(&pool->lock);
        return -ENOMEM;
    }
    for (uint64_t j = 0; j < npages; j++) {
        pool_set(pool, i + j, true);
    }
    if (npages == 1 && i == pool->hint) {
        pool->hint = i + 1;
    }
    pool->stats.used += npages;
    pool->stats.peak = MAX(pool->stats.peak, pool->stats.used);
    spin_unlock(&pool->lock);
    /* Zero outside the lock: the pages are ours now. */
    memset(pool->virt + i * PAGE_SIZE, 0, npages * PAGE_SIZE);
    *pa = hpa(pool->base + i * PAGE_SIZE);
    return 0;
}

int page_alloc_one(struct page_pool *pool, hpa_t *pa)
{
    return page_alloc(pool, 1, 1, pa);
}

/*
 * A bad free is a hypervisor bug that would otherwise surface later as two owners of one
 * page (e.g. a partition's stage-2 table reused as an IOMMU table): stop at the cause.
 */
void page_free(struct page_pool *pool, hpa_t pa, uint64_t npages)
{
    uint64_t a = hpa_val(pa);
    uint64_t i = (a - pool->base) / PAGE_SIZE;

    if (a < pool->base || (a & (PAGE_SIZE - 1)) || npages > pool->npages ||
        i > pool->npages - npages) {
        panic("page_free: %#llx + %llu pages is not in the pool", (unsigned long long)a,
              (unsigned long long)npages);
    }
    spin_lock(&pool->lock);
    for (uint64_t j = 0; j < npages; j++) {
        if (!pool_bit(pool, i + j)) {
            spin_unlock(&pool->lock);
            panic("page_free: page %#llx is not allocated (double free?)",
                  (unsigned long long)(a + j * PAGE_SIZE));
        }
        pool_set(pool, i + j, false);
    }
    /* Keep "every page below the hint is allocated" true. */
    pool->hint = MIN(pool->hint, i);
    pool->stats.used -= npages;
    spin_unlock(&pool->lock);
}

/* The pool is mapped linearly (identity at EL2 / in long mode, an arena on the host). */
void *page_to_virt(const struct page_pool *pool, hpa_t pa)
{
    uint64_t a = hpa_val(pa);

    if (a < pool->base || a - pool->base >= pool->npages * PAGE_SIZE) {
        return NULL;
    }
    return pool->virt + (a - pool->base);
}

struct page_pool_stats page_pool_stats(struct page_pool *pool)
{
    struct page_pool_stats s;

    spin_lock(&pool->lock);
    s = pool->stats;
    spin_unlock(&pool->lock);
    return s;
}

/*
 * struct pt_mm_ops adapters: table pages are single zeroed pages, which is exactly what the
 * walker requires of alloc_table (every entry starts invalid).
 */
int page_pool_pt_alloc(struct pgtable *pt, hpa_t *pa)
{
    return page_alloc_one(pt->ctx, pa);
}

void page_pool_pt_free(struct pgtable *pt, hpa_t pa)
{
    page_free(pt->ctx, pa, 1);
}

void *page_pool_pt_virt(struct pgtable *pt, hpa_t pa)
{
    return page_to_virt(pt->ctx, pa);
}

const struct pt_mm_ops pt_mm_pool = {
    .alloc_table = page_pool_pt_alloc,
    .free_table = page_pool_pt_free,
    .phys_to_virt = page_pool_pt_virt,
};
