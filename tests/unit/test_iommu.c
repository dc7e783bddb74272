// SPDX-License-Identifier: Apache-2.0
/*
 * Host tests of the generic IOMMU layer (drivers/iommu/iommu.c) with the fake IOMMU driver
 * (tests/unit/fake_iommu.c) on the shared AMD-Vi page-table format: notify-before-map,
 * growth from no root to Mode 6, refusal of DFNs out of the notified range, rollback,
 * lock order, table-page accounting, device assignment. Each rule of the notify-before-map
 * contract has a negative test.
 */
#include <stdlib.h>

#include <hv/errno.h>
#include <hv/iommu.h>
#include <hv/lockorder.h>

#include "fake_iommu.h"
#include "unit.h"

/* AMD-Vi: 9 index bits per level over 4 KiB pages (AMD IOMMU spec 2.2.3). */
#define LEVEL_BITS 9
/* Host pages 4 KiB but not 2 MiB aligned, so every mapping is a 4 KiB leaf. */
#define HPA_BASE UINT64_C(0x80001000)
#define HPA_2M UINT64_C(0x80000000)
#define RW (IOMMU_READ | IOMMU_WRITE)

static struct fake_iommu fi;
static struct iommu_domain dom;
static bool fi_registered;

static unsigned long violations_seen;
static struct lockorder_violation last_violation;

static void record_violation(const struct lockorder_violation *v)
{
    violations_seen++;
    last_violation = *v;
}

/* Fresh unit state and a fresh domain 5 with nothing notified. */
static void setup(void)
{
    if (!fi_registered) {
        if (fake_iommu_register(&fi) != 0) {
            abort();
        }
        fi_registered = true;
    } else {
        fake_iommu_reset(&fi);
    }
    if (iommu_domain_init(&dom, &fi.unit, 5) != 0) {
        abort();
    }
    fake_console_clear();
    violations_seen = 0;
    lockorder_set_handler(record_violation);
}

static void teardown(void)
{
    iommu_domain_destroy(&dom);
    lockorder_set_handler(NULL);
}

/* Page mapped at d, or hpa(~0) if none. */
static uint64_t lookup(uint64_t d)
{
    hpa_t out;

    if (dom.pt.depth == 0 || pt_lookup(&dom.pt, d << PAGE_SHIFT, &out, NULL, NULL) != 0) {
        return UINT64_MAX;
    }
    return hpa_val(out);
}

static bool console_has(const char *s)
{
    return strstr(fake_console_log, s) != NULL;
}

TEST(register_rejects_incomplete_and_duplicate_units)
{
    static const struct iommu_ops no_notify = {0};
    struct iommu bad = {.ops = &no_notify, .name = "bad", .max_dfn = 1};

    setup();
    CHECK_EQ(iommu_register(&bad), -EINVAL);
    CHECK_EQ(iommu_register(&fi.unit), -EEXIST);
    CHECK(iommu_first() == &fi.unit);
    teardown();
}

TEST(new_domain_has_no_root_and_devices_blocked)
{
    struct iommu_device dev = {.iommu = &fi.unit, .sid = 3};

    setup();
    CHECK_EQ(dom.pt.depth, 0);
    CHECK_EQ(dom.stats.table_pages, 0);
    CHECK(fi.dte[3].valid && !fi.dte[3].translate);
    /* Assigned before any notify: still blocked (no root to point at). */
    REQUIRE(iommu_assign_device(&dom, &dev) == 0);
    CHECK(!fi.dte[3].translate);
    CHECK_EQ(fi.dte[3].domain_id, 5);
    CHECK_EQ(fi.table_allocs, 0);
    /* The first notify allocates the root and points the device at it. */
    REQUIRE(iommu_notify_dfn(&dom, dfn(0)) == 0);
    CHECK_EQ(dom.pt.depth, 1);
    CHECK(fi.dte[3].translate);
    CHECK_EQ(hpa_val(fi.dte[3].root), hpa_val(dom.pt.root));
    CHECK_EQ(iommu_unassign_device(&dev), 0);
    CHECK(!fi.dte[3].translate);
    teardown();
}

/*
 * From no root to the deepest table (Mode 6), mapping the last DFN below and the first DFN
 * above every level boundary: each boundary DFN 2^(9d) needs depth d + 1. After every growth
 * every earlier mapping still translates to its page (new root entry 0 = old root) and the
 * assigned device's entry follows the root.
 */
TEST(growth_from_empty_to_max_depth_across_every_boundary)
{
    struct iommu_device dev = {.iommu = &fi.unit, .sid = 7};
    uint64_t dfns[16];
    unsigned int n = 0;

    setup();
    REQUIRE(iommu_assign_device(&dom, &dev) == 0);
    REQUIRE(iommu_map_range(&dom, dfn(0), hpa(HPA_BASE), 1, RW) == 0);
    CHECK_EQ(dom.pt.depth, 1);
    dfns[n++] = 0;
    for (unsigned int d = 1; d < 6; d++) {
        uint64_t boundary = UINT64_C(1) << (LEVEL_BITS * d);
        unsigned long inval = fi.dte_invalidations;

        /* Below the boundary: the current depth d covers it, no growth. */
        REQUIRE(iommu_map_range(&dom, dfn(boundary - 1), hpa(HPA_BASE + n * PAGE_SIZE), 1, RW) ==
                0);
        CHECK_EQ(dom.pt.depth, d);
        CHECK_EQ(fi.dte_invalidations, inval);
        dfns[n++] = boundary - 1;
        /* Above it: one more level, device entry rewritten and invalidated. */
        REQUIRE(iommu_map_range(&dom, dfn(boundary), hpa(HPA_BASE + n * PAGE_SIZE), 1, RW) == 0);
        CHECK_EQ(dom.pt.depth, d + 1);
        CHECK_EQ(fi.dte[7].depth, d + 1);
        CHECK_EQ(hpa_val(fi.dte[7].root), hpa_val(dom.pt.root));
        CHECK_EQ(fi.dte_invalidations, inval + 1);
        dfns[n++] = boundary;
        for (unsigned int i = 0; i < n; i++) {
            CHECK_EQ(lookup(dfns[i]), HPA_BASE + i * PAGE_SIZE);
        }
    }
    /* The very last DFN of the 64-bit device address space. */
    REQUIRE(iommu_map_range(&dom, dfn(UINT64_MAX >> PAGE_SHIFT), hpa(HPA_BASE + n * PAGE_SIZE), 1,
                            RW) == 0);
    CHECK_EQ(dom.pt.depth, 6);
    dfns[n++] = UINT64_MAX >> PAGE_SHIFT;
    for (unsigned int i = 0; i < n; i++) {
        CHECK_EQ(lookup(dfns[i]), HPA_BASE + i * PAGE_SIZE);
    }
    /* Root allocation + five growths, one notify per map. */
    CHECK_EQ(dom.stats.grows, 6);
    CHECK_EQ(dom.stats.notifies, n);
    CHECK_EQ(dom.stats.mapped_pages, n);
    CHECK(fi.reload_locks_ok);
    CHECK_EQ(fi.reload_calls, 6);
    CHECK_EQ(violations_seen, 0);
    teardown();
}

TEST(map_without_notify_is_refused_and_changes_nothing)
{
    setup();
    CHECK_EQ(iommu_map_pages(&dom, dfn(0), hpa(HPA_BASE), 1, RW), -ERANGE);
    CHECK_EQ(dom.pt.depth, 0);
    CHECK_EQ(fi.table_allocs, 0);
    CHECK_EQ(dom.stats.maps, 0);
    CHECK_EQ(dom.stats.refused, 1);
    CHECK(console_has("domain 5") && console_has("refused"));
    teardown();
}

TEST(map_above_notified_dfn_is_refused_and_never_grows)
{
    setup();
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x1ff)) == 0);
    REQUIRE(iommu_map_pages(&dom, dfn(0x100), hpa(HPA_BASE), 1, RW) == 0);
    unsigned long pages = dom.stats.table_pages, allocs = fi.table_allocs;
    unsigned int depth = dom.pt.depth;

    /* Wholly above, and straddling the notified end: refused, table untouched. */
    CHECK_EQ(iommu_map_pages(&dom, dfn(0x200), hpa(HPA_BASE), 1, RW), -ERANGE);
    CHECK_EQ(iommu_map_pages(&dom, dfn(0x1ff), hpa(HPA_BASE), 2, RW), -ERANGE);
    CHECK_EQ(dom.pt.depth, depth);
    CHECK_EQ(dom.stats.table_pages, pages);
    CHECK_EQ(fi.table_allocs, allocs);
    CHECK_EQ(lookup(0x1ff), UINT64_MAX);
    CHECK_EQ(lookup(0x100), HPA_BASE);
    CHECK_EQ(dom.stats.mapped_pages, 1);
    CHECK_EQ(dom.stats.refused, 2);
    /* A lower notify later does not shrink what was announced. */
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x10)) == 0);
    CHECK_EQ(dom.notified_end, 0x200);
    teardown();
}

/*
 * Defence in depth: should the notified mark ever run ahead of the table's reach (the bug a
 * notify that forgot to grow would be), map still refuses rather than aliasing.
 */
TEST(map_refuses_out_of_reach_even_when_notified)
{
    setup();
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x1ff)) == 0);
    CHECK_EQ(dom.pt.depth, 1);
    dom.notified_end = 0x2000; /* white box: the broken state */
    unsigned long pages = dom.stats.table_pages;

    CHECK_EQ(iommu_map_pages(&dom, dfn(0x1000), hpa(HPA_BASE), 1, RW), -ERANGE);
    CHECK_EQ(dom.pt.depth, 1);
    CHECK_EQ(dom.stats.table_pages, pages);
    CHECK_EQ(dom.stats.mapped_pages, 0);
    CHECK(console_has("ERANGE"));
    teardown();
}

TEST(notify_counted_once_per_batch_with_highest_dfn)
{
    const struct iommu_map_req reqs[] = {
        {dfn(0x48000), hpa(HPA_BASE), 16, RW},
        {dfn(0x10), hpa(HPA_BASE + 0x100000), 4, IOMMU_READ},
        {dfn(0x4ffff), hpa(HPA_BASE + 0x200000), 1, RW},
    };

    setup();
    REQUIRE(iommu_map_batch(&dom, reqs, ARRAY_SIZE(reqs)) == 0);
    CHECK_EQ(dom.stats.notifies, 1);
    CHECK_EQ(fi.reload_calls, 1);
    CHECK_EQ(dom.notified_end, 0x50000);
    /* Depth chosen for the highest DFN, once: 0x4ffff << 12 needs Mode 3. */
    CHECK_EQ(dom.pt.depth, 3);
    CHECK_EQ(dom.stats.grows, 1);
    CHECK_EQ(dom.stats.mapped_pages, 21);
    CHECK_EQ(lookup(0x4ffff), HPA_BASE + 0x200000);
    /* A 1000-page range is one batch too. */
    REQUIRE(iommu_map_range(&dom, dfn(0x1000), hpa(HPA_BASE + 0x400000), 1000, RW) == 0);
    CHECK_EQ(dom.stats.notifies, 2);
    CHECK_EQ(dom.stats.mapped_pages, 1021);
    teardown();
}

TEST(failed_notify_aborts_with_nothing_mapped)
{
    const struct iommu_map_req reqs[] = {
        {dfn(0), hpa(HPA_BASE), 8, RW},
        {dfn(0x48000), hpa(HPA_BASE), 8, RW},
    };

    setup();
    fi.alloc_fail_after = 0;
    CHECK_EQ(iommu_map_batch(&dom, reqs, ARRAY_SIZE(reqs)), -ENOMEM);
    CHECK_EQ(dom.stats.maps, 0);
    CHECK_EQ(dom.pt.depth, 0);
    CHECK_EQ(dom.stats.mapped_pages, 0);
    CHECK_EQ(dom.stats.notify_failures, 1);
    CHECK_EQ(dom.notified_end, 0);
    /* The message names the domain, the DFN and the error. */
    CHECK(console_has("domain 5: notify of DFN 0x48007 failed: ENOMEM"));
    /* A growth whose allocation fails leaves the table as it was, nothing leaked. */
    fi.alloc_fail_after = -1;
    REQUIRE(iommu_map_range(&dom, dfn(0), hpa(HPA_BASE), 8, RW) == 0);
    unsigned long pages = pt_table_pages(&dom.pt);
    fi.alloc_fail_after = 1; /* growth 1 -> 3 needs two new levels: the second fails */
    CHECK_EQ(iommu_map_range(&dom, dfn(0x48000), hpa(HPA_BASE), 8, RW), -ENOMEM);
    CHECK_EQ(dom.pt.depth, 1);
    CHECK_EQ(dom.stats.mapped_pages, 8);
    CHECK_EQ(dom.notified_end, 8);
    CHECK_EQ(fi.table_allocs - fi.table_frees, pages);
    /* A driver that cannot reload its entries fails the notify: the mark does not move. */
    fi.alloc_fail_after = -1;
    fi.reload_error = -EIO;
    CHECK_EQ(iommu_map_range(&dom, dfn(0x48000), hpa(HPA_BASE), 8, RW), -EIO);
    CHECK_EQ(dom.stats.mapped_pages, 8);
    CHECK_EQ(dom.notified_end, 8);
    CHECK(console_has("notify of DFN 0x48007 failed: EIO"));
    teardown();
}

/*
 * XSA-311 (Xen removed on-demand AMD IOMMU table growth for two bugs: a missing lock, and
 * tables leaked when one growth added several levels). Here one notify grows by three levels
 * (Mode 1 -> 4): every new level is allocated under both domain locks, a failure at any of
 * the three allocations leaves the table exactly as it was with nothing leaked, and the
 * success keeps every old mapping and frees everything on destroy.
 */
TEST(growth_by_several_levels_in_one_notify_leaks_nothing_and_is_locked)
{
    struct iommu_device dev = {.iommu = &fi.unit, .sid = 2};
    const uint64_t high = UINT64_C(1) << 30; /* DFN 2^30 needs Mode 4 */

    setup();
    REQUIRE(iommu_assign_device(&dom, &dev) == 0);
    REQUIRE(iommu_map_range(&dom, dfn(0x10), hpa(HPA_BASE), 1, RW) == 0);
    REQUIRE(dom.pt.depth == 1);
    hpa_t root = dom.pt.root;
    unsigned long pages = fi.table_allocs - fi.table_frees;

    for (long ok = 0; ok < 3; ok++) {
        fi.alloc_fail_after = ok;
        CHECK_EQ(iommu_notify_dfn(&dom, dfn(high)), -ENOMEM);
        CHECK_EQ(dom.pt.depth, 1);
        CHECK_EQ(hpa_val(dom.pt.root), hpa_val(root));
        CHECK_EQ(fi.table_allocs - fi.table_frees, pages);
        CHECK_EQ(fi.dte[2].depth, 1);
        CHECK_EQ(lookup(0x10), HPA_BASE);
    }
    fi.alloc_fail_after = -1;
    unsigned long under_assign = fi.allocs_assign_held;

    REQUIRE(iommu_notify_dfn(&dom, dfn(high)) == 0);
    CHECK_EQ(dom.pt.depth, 4);
    CHECK_EQ(fi.allocs_assign_held - under_assign, 3);
    CHECK_EQ(fi.table_allocs - fi.table_frees, pages + 3);
    CHECK_EQ(fi.dte[2].depth, 4);
    CHECK_EQ(hpa_val(fi.dte[2].root), hpa_val(dom.pt.root));
    CHECK_EQ(lookup(0x10), HPA_BASE);
    REQUIRE(iommu_map_pages(&dom, dfn(high), hpa(HPA_BASE + PAGE_SIZE), 1, RW) == 0);
    CHECK_EQ(lookup(high), HPA_BASE + PAGE_SIZE);
    CHECK_EQ(fi.allocs_unlocked, 0);
    CHECK(fi.reload_locks_ok);
    CHECK_EQ(violations_seen, 0);
    iommu_domain_destroy(&dom);
    CHECK_EQ(fi.table_allocs, fi.table_frees);
    teardown();
}

TEST(notify_beyond_unit_input_range_fails)
{
    setup();
    fi.unit.max_dfn = (UINT64_C(1) << 36) - 1; /* a 48-bit unit */
    CHECK_EQ(iommu_map_range(&dom, dfn(UINT64_C(1) << 36), hpa(HPA_BASE), 1, RW), -ERANGE);
    CHECK_EQ(fi.reload_calls, 0);
    CHECK_EQ(dom.pt.depth, 0);
    CHECK_EQ(dom.stats.notify_failures, 1);
    fi.unit.max_dfn = UINT64_MAX >> PAGE_SHIFT;
    teardown();
}

/*
 * Allocation failure part-way: request 0 needs one leaf table, request 1 two (it crosses a
 * 512-page boundary), and only two allocations succeed. Request 1 maps nothing (pt_map
 * allocates before it writes); the core undoes request 0.
 */
TEST(partial_batch_failure_is_rolled_back)
{
    const struct iommu_map_req reqs[] = {
        {dfn(0), hpa(HPA_BASE), 512, RW},
        {dfn(0x10100), hpa(HPA_BASE + 0x400000), 512, RW},
    };
    struct iommu_device dev = {.iommu = &fi.unit, .sid = 1};

    setup();
    REQUIRE(iommu_assign_device(&dom, &dev) == 0);
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x102ff)) == 0);
    CHECK_EQ(dom.pt.depth, 2);
    unsigned long pages = dom.stats.table_pages;
    unsigned long flushes = fi.iotlb_flushes;

    fi.alloc_fail_after = 2;
    CHECK_EQ(iommu_map_batch(&dom, reqs, ARRAY_SIZE(reqs)), -ENOMEM);
    CHECK_EQ(dom.stats.mapped_pages, 0);
    CHECK_EQ(pt_mapped_total(&dom.pt), 0);
    CHECK_EQ(lookup(0), UINT64_MAX);
    CHECK_EQ(lookup(0x101ff), UINT64_MAX);
    CHECK_EQ(dom.stats.rollbacks, 1);
    CHECK(fi.iotlb_flushes > flushes);
    /* Empty leaf tables are freed again: back to the tables before the batch. */
    CHECK_EQ(dom.stats.table_pages, pages);
    CHECK_EQ(fi.table_allocs - fi.table_frees, pt_table_pages(&dom.pt));
    CHECK(console_has("nothing mapped") && console_has("batch mapping failed at DFN 0x10100"));
    teardown();
}

TEST(failed_single_map_maps_nothing)
{
    setup();
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x3ff)) == 0);
    fi.alloc_fail_after = 1;
    CHECK_EQ(iommu_map_pages(&dom, dfn(0x100), hpa(HPA_BASE), 0x200, RW), -ENOMEM);
    CHECK_EQ(dom.stats.mapped_pages, 0);
    CHECK_EQ(lookup(0x100), UINT64_MAX);
    CHECK_EQ(fi.table_allocs - fi.table_frees, pt_table_pages(&dom.pt));
    teardown();
}

/* A failed batch unmaps only what it mapped: older mappings it collided with stay. */
TEST(failed_batch_keeps_earlier_mappings)
{
    const struct iommu_map_req reqs[] = {
        {dfn(0x40), hpa(HPA_BASE + 0x100000), 4, RW},
        {dfn(0x0f), hpa(HPA_BASE + 0x200000), 2, RW}, /* 0x10 is already mapped */
    };

    setup();
    REQUIRE(iommu_map_range(&dom, dfn(0x10), hpa(HPA_BASE), 4, RW) == 0);
    CHECK_EQ(iommu_map_batch(&dom, reqs, ARRAY_SIZE(reqs)), -EEXIST);
    CHECK_EQ(lookup(0x10), HPA_BASE);
    CHECK_EQ(lookup(0x13), HPA_BASE + 3 * PAGE_SIZE);
    CHECK_EQ(lookup(0x40), UINT64_MAX);
    CHECK_EQ(lookup(0x0f), UINT64_MAX);
    CHECK_EQ(dom.stats.mapped_pages, 4);
    teardown();
}

TEST(malformed_requests_change_nothing)
{
    const struct iommu_map_req wrap[] = {
        {dfn(0), hpa(HPA_BASE), 1, RW},
        {dfn(UINT64_MAX), hpa(HPA_BASE), 2, RW},
    };

    setup();
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x1ff)) == 0);
    CHECK_EQ(iommu_map_pages(&dom, dfn(0), hpa(HPA_BASE), 0, RW), -EINVAL);
    CHECK_EQ(iommu_map_pages(&dom, dfn(0), hpa(HPA_BASE), 1, 0), -EINVAL);
    CHECK_EQ(iommu_map_pages(&dom, dfn(0), hpa(HPA_BASE), 1, 0x80), -EINVAL);
    CHECK_EQ(iommu_map_pages(&dom, dfn(0), hpa(HPA_BASE + 8), 1, RW), -EINVAL);
    CHECK_EQ(iommu_map_batch(&dom, wrap, 0), -EINVAL);
    CHECK_EQ(iommu_map_batch(&dom, wrap, ARRAY_SIZE(wrap)), -EINVAL);
    CHECK_EQ(iommu_unmap_pages(&dom, dfn(0), 0), -EINVAL);
    CHECK_EQ(dom.stats.notifies, 1);
    CHECK_EQ(dom.stats.maps, 0);
    CHECK_EQ(dom.stats.mapped_pages, 0);
    teardown();
}

TEST(unmap_flushes_and_skips_holes)
{
    setup();
    REQUIRE(iommu_map_range(&dom, dfn(0x20), hpa(HPA_BASE), 8, RW) == 0);
    unsigned long flushes = fi.iotlb_flushes;

    /* Range with holes on both sides and beyond the reach. */
    CHECK_EQ(iommu_unmap_pages(&dom, dfn(0x1c), 0x1000), 0);
    CHECK(fi.iotlb_flushes > flushes);
    CHECK_EQ(lookup(0x20), UINT64_MAX);
    CHECK_EQ(dom.stats.mapped_pages, 0);
    CHECK_EQ(dom.stats.unmaps, 1);
    teardown();
}

/* A timed-out IOTLB flush: the unlinked tables are never freed (the IOMMU may still walk them). */
TEST(failed_flush_quarantines_unlinked_tables)
{
    setup();
    REQUIRE(iommu_map_range(&dom, dfn(0x400), hpa(HPA_BASE), 8, RW) == 0);
    REQUIRE(dom.pt.depth == 2); /* root entry 2 -> the one leaf table */
    unsigned long frees = fi.table_frees;
    uint64_t pages = pt_table_pages(&dom.pt);
    uint64_t *root = (uint64_t *)(uintptr_t)hpa_val(dom.pt.root);
    uint64_t *leaf = (uint64_t *)(uintptr_t)hpa_val(dom.pt.fmt->output(root[2], 1));

    fi.flush_error = -ETIMEDOUT;
    CHECK_EQ(iommu_unmap_pages(&dom, dfn(0x400), 8), -ETIMEDOUT);
    CHECK_EQ(fi.table_frees, frees);
    CHECK_EQ(pt_table_pages(&dom.pt), pages); /* the leak stays counted */
    CHECK(console_has("failed: ETIMEDOUT"));
    teardown();
    free(leaf); /* quarantined: only the test may free it */
}

/* The documented order is accepted; taking the assignment lock under a mapping lock is not. */
TEST(lock_order_violation_is_caught)
{
    static spinlock_t other_domain_lock;

    setup();
    REQUIRE(iommu_map_range(&dom, dfn(0), hpa(HPA_BASE), 1, RW) == 0);
    CHECK_EQ(violations_seen, 0);
    CHECK(fi.reload_locks_ok && fi.flush_locks_ok);
    /* A mapping path that notifies while holding a (another domain's) mapping lock. */
    spin_lock_init_class(&other_domain_lock, &iommu_mapping_class);
    spin_lock(&other_domain_lock);
    CHECK_EQ(iommu_notify_dfn(&dom, dfn(1)), 0);
    spin_unlock(&other_domain_lock);
    REQUIRE(violations_seen >= 1);
    CHECK_EQ(lockorder_depth(), 0);
    teardown();
}

TEST(lock_order_violation_names_both_locks)
{
    static spinlock_t outer;

    setup();
    spin_lock_init_class(&outer, &iommu_mapping_class);
    spin_lock(&outer);
    CHECK_EQ(iommu_notify_dfn(&dom, dfn(1)), 0);
    spin_unlock(&outer);
    /* The first report: iommu.assign wanted while iommu.mapping is held. */
    CHECK_EQ(last_violation.error, LOCKORDER_BAD_ORDER);
    CHECK(last_violation.held == &iommu_mapping_class);
    teardown();
}

TEST(table_page_accounting_for_a_partition_layout)
{
    setup();
    /* 128 MiB at 0x48000000, 2 MiB aligned host memory: Mode 3, 2 MiB leaves, so the table
     * is the root plus one level-2 table. */
    REQUIRE(iommu_map_range(&dom, dfn(0x48000), hpa(HPA_2M), 0x8000, RW) == 0);
    CHECK_EQ(dom.pt.depth, 3);
    CHECK_EQ(dom.stats.table_pages, 2);
    CHECK_EQ(dom.stats.mapped_pages, 0x8000);
    /* The same with 4 KiB-only alignment: plus 64 leaf tables. */
    REQUIRE(iommu_map_range(&dom, dfn(0x58000), hpa(HPA_BASE), 0x8000, RW) == 0);
    CHECK_EQ(dom.stats.table_pages, 2 + 64);
    CHECK_EQ(dom.stats.table_pages_peak, 66);
    CHECK_EQ(fi.table_allocs - fi.table_frees, 66);
    iommu_domain_destroy(&dom);
    CHECK_EQ(dom.stats.table_pages, 0);
    CHECK_EQ(fi.table_allocs, fi.table_frees);
    /* The IOTLB is flushed whole before the freed pages can be reused. */
    CHECK_EQ(fi.domain_flushes, 1);
    teardown();
}

TEST(device_assignment_rules)
{
    static struct iommu_domain other;
    struct iommu_device dev = {.iommu = &fi.unit, .sid = 9};
    struct iommu_device stranger = {.iommu = NULL, .sid = 10};

    setup();
    REQUIRE(iommu_domain_init(&other, &fi.unit, 6) == 0);
    REQUIRE(iommu_assign_device(&dom, &dev) == 0);
    CHECK_EQ(iommu_assign_device(&dom, &dev), 0); /* idempotent */
    CHECK_EQ(iommu_assign_device(&other, &dev), -EBUSY);
    CHECK_EQ(iommu_assign_device(&dom, &stranger), -EINVAL);
    CHECK(dev.domain == &dom);
    REQUIRE(iommu_unassign_device(&dev) == 0);
    CHECK(dev.domain == NULL);
    CHECK(!fi.dte[9].translate);
    CHECK_EQ(iommu_assign_device(&other, &dev), 0);
    CHECK_EQ(fi.dte[9].domain_id, 6);
    iommu_domain_destroy(&other);
    CHECK(dev.domain == NULL);
    teardown();
}

static struct iommu_domain *fault_dom;
static unsigned int fault_calls;
static struct iommu_fault last_fault;

static void on_fault(struct iommu_domain *d, const struct iommu_fault *f)
{
    last_fault = *f;
    fault_dom = d;
    fault_calls++;
}

TEST(faults_are_reported_with_their_domain)
{
    struct iommu_device dev = {.iommu = &fi.unit, .sid = 4};
    const struct iommu_fault f = {
        .type = IOMMU_FAULT_TRANSLATION, .sid = 4, .addr = 0x50000000, .write = true, .raw = 0x10};
    const struct iommu_fault g = {.type = IOMMU_FAULT_BLOCKED, .sid = 11, .addr = 0x1000};

    setup();
    iommu_set_fault_callback(on_fault);
    REQUIRE(iommu_assign_device(&dom, &dev) == 0);
    iommu_report_fault(&fi.unit, &f);
    CHECK(fault_dom == &dom);
    CHECK(console_has("domain 5: DMA translation fault: device 0x4 write 0x50000000"));
    iommu_report_fault(&fi.unit, &g);
    CHECK(fault_dom == NULL);
    CHECK_EQ(fault_calls, 2);
    CHECK(console_has("unassigned device 0xb"));
    /* Blocked with its domain: the rest of its burst is still attributed to that domain. */
    iommu_domain_destroy(&dom);
    iommu_report_fault(&fi.unit, &f);
    CHECK(fault_dom == &dom);
    CHECK(console_has("domain 5 (device blocked): DMA translation fault: device 0x4 write"));
    iommu_set_fault_callback(NULL);
    teardown();
}

/*
 * The per-stream limit: a stream's faults are counted in records (a merged run counts as
 * many), the report that reaches IOMMU_STREAM_FAULT_LIMIT disables it once through the
 * driver and tells the callback; another stream of the same domain keeps its own budget;
 * assigning the stream again starts its count over.
 */
/* The fault count the core keeps for stream sid of the fake unit. */
static unsigned long stream_faults(uint32_t sid)
{
    unsigned long n;

    (void)iommu_stream_disabled(&fi.unit, sid, &n);
    return n;
}

TEST(stream_past_the_fault_limit_is_disabled_once)
{
    struct iommu_device a = {.iommu = &fi.unit, .sid = 4};
    struct iommu_device b = {.iommu = &fi.unit, .sid = 6};
    struct iommu_fault run = {.type = IOMMU_FAULT_TRANSLATION,
                              .sid = 4,
                              .addr = 0x7ff00000,
                              .write = true,
                              .count = IOMMU_STREAM_FAULT_LIMIT / 2 - 1};
    struct iommu_fault one = {.type = IOMMU_FAULT_PERMISSION, .sid = 6, .addr = 0x50000000};

    setup();
    iommu_set_fault_callback(on_fault);
    REQUIRE(iommu_assign_device(&dom, &a) == 0);
    REQUIRE(iommu_assign_device(&dom, &b) == 0);
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x100)) == 0);
    REQUIRE(fi.dte[4].translate && fi.dte[6].translate);
    fault_calls = 0;
    iommu_report_fault(&fi.unit, &run);
    iommu_report_fault(&fi.unit, &run);
    CHECK_EQ(stream_faults(4), IOMMU_STREAM_FAULT_LIMIT - 2);
    CHECK(!iommu_stream_disabled(&fi.unit, 4, NULL));
    CHECK_EQ(fi.streams_disabled, 0);
    CHECK(fi.dte[4].translate);
    CHECK_EQ(last_fault.disabled_after, 0);
    /* Stream 6 of the same domain faults too: its own count, far from the limit. */
    for (unsigned int i = 0; i < 10; i++) {
        iommu_report_fault(&fi.unit, &one);
    }
    CHECK_EQ(stream_faults(6), 10);
    CHECK_EQ(fi.streams_disabled, 0);
    /* Two more records of stream 4 reach the limit: disabled, reported once. */
    run.count = 2;
    iommu_report_fault(&fi.unit, &run);
    CHECK(iommu_stream_disabled(&fi.unit, 4, NULL));
    CHECK_EQ(fi.streams_disabled, 1);
    CHECK(!fi.dte[4].translate);
    CHECK(fi.dte[6].translate);
    CHECK_EQ(last_fault.disabled_after, IOMMU_STREAM_FAULT_LIMIT);
    CHECK(console_has("iommu fake-iommu: device 0x4 disabled after 64 faults"));
    /* The rest of its burst: counted, not disabled again, no second line. */
    fake_console_clear();
    iommu_report_fault(&fi.unit, &run);
    CHECK_EQ(fi.streams_disabled, 1);
    CHECK_EQ(last_fault.disabled_after, 0);
    CHECK(!console_has("disabled after"));
    CHECK(!iommu_stream_disabled(&fi.unit, 6, NULL));
    CHECK_EQ(fault_calls, 2 + 10 + 2);
    /* Assigned again (a partition reset rebuilds its domain): a fresh budget. */
    iommu_domain_destroy(&dom);
    REQUIRE(iommu_domain_init(&dom, &fi.unit, 5) == 0);
    a.domain = NULL;
    REQUIRE(iommu_assign_device(&dom, &a) == 0);
    CHECK_EQ(stream_faults(4), 0);
    CHECK(!iommu_stream_disabled(&fi.unit, 4, NULL));
    iommu_set_fault_callback(NULL);
    teardown();
}

/* A single report may stand for more records than the limit (QEMU: 1024 per 4 KiB): the
 * stream is disabled by that one report; a stream of no domain is disabled too. */
TEST(one_long_run_disables_at_once_and_unassigned_streams_count)
{
    struct iommu_fault burst = {
        .type = IOMMU_FAULT_BLOCKED, .sid = 40, .addr = 0x1000, .count = 1024};

    setup();
    iommu_set_fault_callback(on_fault);
    iommu_report_fault(&fi.unit, &burst);
    CHECK(iommu_stream_disabled(&fi.unit, 40, NULL));
    CHECK_EQ(fi.streams_disabled, 1);
    CHECK_EQ(last_fault.disabled_after, 1024);
    CHECK(fault_dom == NULL);
    CHECK(console_has("device 0x28 disabled after 1024 faults"));
    iommu_set_fault_callback(NULL);
    teardown();
}
