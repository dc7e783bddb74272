/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor page allocator: 4 KiB pages out of hypervisor-owned RAM (the board DT's
 * /reserved-memory child compatible "bulkhead,hypervisor-memory", the part after the image).
 * The caller hands a pool its [start, end) range and the pointer at which start is mapped
 * (hpa -> pointer is linear over the pool). The pool keeps its bitmap (one bit per page) in
 * its own first pages, so it needs no static sizing. Every call takes the pool's spinlock;
 * allocation is first-fit over the bitmap, which suits a static hypervisor that allocates at
 * boot and on the rare shared-memory or IOMMU growth event.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/spinlock.h>
#include <hv/types.h>

#include <hv/pgtable.h>

/* Counters of a pool, in pages. */
struct page_pool_stats {
    uint64_t total;  /* pages the pool manages (bitmap pages excluded) */
    uint64_t used;   /* pages currently allocated */
    uint64_t peak;   /* highest "used" seen */
    uint64_t failed; /* allocation requests that returned -ENOMEM */
};

/* A pool of pages. Fields are private to core/mm/page_alloc.c; use the functions below. */
struct page_pool {
    spinlock_t lock;
    uint64_t base;    /* host physical address of page 0 of the managed range */
    uint8_t *virt;    /* pointer to page 0 of the managed range */
    uint64_t npages;  /* pages managed */
    uint64_t *bitmap; /* bit i set: page i allocated */
    uint64_t hint;    /* first page index worth searching from for single pages */
    struct page_pool_stats stats;
};

/* The hypervisor's own pool, set up once at boot with page_pool_init(). */
extern struct page_pool hv_page_pool;

/*
 * Make pool manage the pages of [start, end) (rounded inward to 4 KiB), whose first byte the
 * hypervisor reaches at virt. 0, -EINVAL (empty or misaligned pointer), -ENOMEM (too small to
 * hold its own bitmap plus one page).
 */
int page_pool_init(struct page_pool *pool, hpa_t start, hpa_t end, void *virt) __must_check;

/*
 * Allocate npages (>= 1) contiguous, zeroed pages whose first page is aligned to align_pages
 * pages (a power of two; 0 or 1: no constraint beyond 4 KiB). 0 and *pa, -EINVAL, -ENOMEM.
 */
int page_alloc(struct page_pool *pool, uint64_t npages, uint64_t align_pages,
               hpa_t *pa) __must_check;

/* Allocate one zeroed page: page_alloc(pool, 1, 1, pa). */
int page_alloc_one(struct page_pool *pool, hpa_t *pa) __must_check;

/*
 * Free npages pages at pa from page_alloc. Freeing pages the pool does not own or that are
 * not allocated is a bug: panics (debug: reports exactly which page).
 */
void page_free(struct page_pool *pool, hpa_t pa, uint64_t npages);

/* Pointer to the pool page at pa (NULL if pa is outside the pool). */
void *page_to_virt(const struct page_pool *pool, hpa_t pa);

/* A consistent copy of the pool's counters. */
struct page_pool_stats page_pool_stats(struct page_pool *pool);

/*
 * Ready-made struct pt_mm_ops callbacks for page tables whose pt->ctx is a struct page_pool:
 * pt_mm_pool.alloc_table/free_table/phys_to_virt draw table pages from that pool, sync and
 * flush are NULL. Owners that need a flush copy it and set their own flush.
 */
int page_pool_pt_alloc(struct pgtable *pt, hpa_t *pa) __must_check;
void page_pool_pt_free(struct pgtable *pt, hpa_t pa);
void *page_pool_pt_virt(struct pgtable *pt, hpa_t pa);
extern const struct pt_mm_ops pt_mm_pool;
