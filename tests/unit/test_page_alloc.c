// SPDX-License-Identifier: Apache-2.0
/* core/mm/page_alloc.c over a malloc'd arena standing in for hypervisor-owned RAM. */
#include <setjmp.h>
#include <stdlib.h>

#include <hv/errno.h>
#include <hv/lockorder.h>
#include <hv/page_alloc.h>
#include <hv/panic.h>

#include "unit.h"

#define ARENA_PAGES 600
#define ARENA_HPA UINT64_C(0x48001000) /* deliberately not 2 MiB aligned */

static uint8_t *arena;

/* page_free() panics on bad frees; the test catches that instead of stopping. */
static jmp_buf panic_jmp;
static bool panic_armed;
static int panics;

void panic(const char *fmt, ...)
{
    panics++;
    if (panic_armed) {
        longjmp(panic_jmp, 1);
    }
    fprintf(stderr, "unexpected panic: %s\n", fmt);
    abort();
}

static void pool_setup(struct page_pool *pool, uint64_t pages)
{
    if (!arena) {
        arena = aligned_alloc(PAGE_SIZE, ARENA_PAGES * PAGE_SIZE);
    }
    memset(arena, 0xee, ARENA_PAGES * PAGE_SIZE); /* dirty, to prove zeroing */
    if (page_pool_init(pool, hpa(ARENA_HPA), hpa(ARENA_HPA + pages * PAGE_SIZE), arena) != 0) {
        fprintf(stderr, "page_pool_init failed\n");
        abort();
    }
}

static bool page_is_zero(const struct page_pool *pool, hpa_t pa, uint64_t n)
{
    const uint8_t *p = page_to_virt(pool, pa);

    for (uint64_t i = 0; i < n * PAGE_SIZE; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

TEST(init_sizes_and_errors)
{
    struct page_pool pool;

    pool_setup(&pool, ARENA_PAGES);
    /* One bitmap page covers 32768 pages: 599 usable. */
    CHECK_EQ(page_pool_stats(&pool).total, ARENA_PAGES - 1);
    CHECK_EQ(page_pool_stats(&pool).used, 0);
    /* Unaligned bounds round inward; the pointer must then be page aligned. */
    CHECK_EQ(page_pool_init(&pool, hpa(ARENA_HPA - 0x800), hpa(ARENA_HPA + 3 * PAGE_SIZE + 5),
                            arena - 0x800),
             0);
    CHECK_EQ(page_pool_stats(&pool).total, 2);
    CHECK_EQ(page_pool_init(&pool, hpa(ARENA_HPA), hpa(ARENA_HPA), arena), -EINVAL);
    CHECK_EQ(page_pool_init(&pool, hpa(ARENA_HPA), hpa(ARENA_HPA + PAGE_SIZE), arena), -ENOMEM);
    CHECK_EQ(page_pool_init(&pool, hpa(ARENA_HPA), hpa(ARENA_HPA + 4 * PAGE_SIZE), arena + 8),
             -EINVAL);
    CHECK_EQ(page_pool_init(&pool, hpa(ARENA_HPA), hpa(ARENA_HPA + 4 * PAGE_SIZE), NULL), -EINVAL);
}

TEST(single_pages_until_exhausted)
{
    static hpa_t got[ARENA_PAGES];
    struct page_pool pool;
    uint64_t n = 0;
    hpa_t pa;

    pool_setup(&pool, ARENA_PAGES);
    while (page_alloc_one(&pool, &pa) == 0) {
        CHECK(page_is_zero(&pool, pa, 1));
        CHECK(hpa_val(pa) % PAGE_SIZE == 0);
        CHECK((uint8_t *)page_to_virt(&pool, pa) - pool.virt ==
              (ptrdiff_t)(hpa_val(pa) - pool.base));
        for (uint64_t i = 0; i < n; i++) {
            CHECK(hpa_val(got[i]) != hpa_val(pa));
        }
        memset(page_to_virt(&pool, pa), 0x5a, PAGE_SIZE);
        got[n++] = pa;
    }
    CHECK_EQ(n, ARENA_PAGES - 1);
    CHECK_EQ(page_pool_stats(&pool).used, n);
    CHECK_EQ(page_pool_stats(&pool).failed, 1);
    /* The bitmap page is never handed out and survived the writes. */
    CHECK(page_to_virt(&pool, hpa(ARENA_HPA)) == NULL);
    /* Free every other page, then they come back (zeroed). */
    for (uint64_t i = 0; i < n; i += 2) {
        page_free(&pool, got[i], 1);
    }
    CHECK_EQ(page_pool_stats(&pool).used, n / 2);
    for (uint64_t i = 0; i < n; i += 2) {
        REQUIRE(page_alloc_one(&pool, &pa) == 0);
        CHECK(page_is_zero(&pool, pa, 1));
    }
    CHECK_EQ(page_alloc_one(&pool, &pa), -ENOMEM);
    CHECK_EQ(page_pool_stats(&pool).peak, n);
}

TEST(contiguous_aligned)
{
    struct page_pool pool;
    hpa_t a, b, c, d;

    pool_setup(&pool, ARENA_PAGES);
    REQUIRE(page_alloc_one(&pool, &a) == 0);
    /* 16 pages aligned to 64 KiB, and 512 pages would need a 2 MiB-aligned run: none fits. */
    REQUIRE(page_alloc(&pool, 16, 16, &b) == 0);
    CHECK_EQ(hpa_val(b) % (16 * PAGE_SIZE), 0);
    CHECK(page_is_zero(&pool, b, 16));
    CHECK_EQ(page_alloc(&pool, 512, 512, &c), -ENOMEM);
    /* Unaligned contiguous run fills a gap after the single page. */
    REQUIRE(page_alloc(&pool, 3, 0, &c) == 0);
    CHECK(hpa_val(c) + 3 * PAGE_SIZE <= hpa_val(b) || hpa_val(c) >= hpa_val(b) + 16 * PAGE_SIZE);
    CHECK(hpa_val(c) != hpa_val(a));
    /* An aligned run skips over taken pages. */
    REQUIRE(page_alloc(&pool, 8, 8, &d) == 0);
    CHECK_EQ(hpa_val(d) % (8 * PAGE_SIZE), 0);
    CHECK(hpa_val(d) >= hpa_val(b) + 16 * PAGE_SIZE || hpa_val(d) + 8 * PAGE_SIZE <= hpa_val(b));
    CHECK_EQ(page_pool_stats(&pool).used, 1 + 16 + 3 + 8);
    CHECK_EQ(page_alloc(&pool, 0, 1, &d), -EINVAL);
    CHECK_EQ(page_alloc(&pool, 1, 3, &d), -EINVAL);
    page_free(&pool, b, 16);
    page_free(&pool, c, 3);
    page_free(&pool, d, 8);
    page_free(&pool, a, 1);
    CHECK_EQ(page_pool_stats(&pool).used, 0);
    /* Everything back: one run of all pages. */
    REQUIRE(page_alloc(&pool, ARENA_PAGES - 1, 1, &a) == 0);
    CHECK(page_is_zero(&pool, a, ARENA_PAGES - 1));
}

TEST(bad_free_panics)
{
    struct page_pool pool;
    hpa_t a;

    pool_setup(&pool, 8);
    REQUIRE(page_alloc_one(&pool, &a) == 0);
    panics = 0;
    panic_armed = true;
    if (setjmp(panic_jmp) == 0) {
        page_free(&pool, hpa(hpa_val(a) + PAGE_SIZE), 1); /* never allocated */
    }
    if (setjmp(panic_jmp) == 0) {
        page_free(&pool, hpa(ARENA_HPA + 100 * PAGE_SIZE), 1); /* outside */
    }
    page_free(&pool, a, 1);
    if (setjmp(panic_jmp) == 0) {
        page_free(&pool, a, 1); /* double free */
    }
    panic_armed = false;
    CHECK_EQ(panics, 3);
}

TEST(page_tables_from_the_pool)
{
    struct page_pool pool;
    struct pgtable pt;
    const struct pt_attrs rw = {.r = true, .w = true};

    pool_setup(&pool, 64);
    REQUIRE(pt_init(&pt, &pt_fmt_arm_s2_4k, &pt_mm_pool, &pool, 3) == 0);
    /* Pages over a 2 MiB range: root + level-1 table + level-0 table. */
    CHECK_EQ(pt_map(&pt, 0x40000000, hpa(0x80001000), 0x200000, &rw), 0);
    CHECK_EQ(page_pool_stats(&pool).used, 3);
    CHECK_EQ(pt_table_pages(&pt), 3);
    pt_destroy(&pt);
    CHECK_EQ(page_pool_stats(&pool).used, 0);
    /* Running out of pool pages is a clean -ENOMEM. */
    REQUIRE(pt_init(&pt, &pt_fmt_amdvi, &pt_mm_pool, &pool, 3) == 0);
    CHECK_EQ(pt_map(&pt, 0, hpa(0x1000), 0x8000000, &rw), -ENOMEM); /* needs 65 tables */
    CHECK_EQ(page_pool_stats(&pool).used, 1);
    pt_destroy(&pt);
}

TEST(pool_lock_is_classed_and_balanced)
{
    struct page_pool pool;
    hpa_t a;

    pool_setup(&pool, 8);
    unsigned long before = lockorder_violations();
    REQUIRE(page_alloc_one(&pool, &a) == 0);
    page_free(&pool, a, 1);
    (void)page_pool_stats(&pool);
    CHECK_EQ(lockorder_depth(), 0);
    CHECK_EQ(lockorder_violations(), before);
    CHECK(pool.lock.cls != NULL && pool.lock.cls->rank == LOCK_RANK_PAGE_POOL);
}
