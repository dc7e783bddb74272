// SPDX-License-Identifier: Apache-2.0
/*
 * Host bench for the IOMMU layer (run by tests/bench/iommu_notify.sh under callgrind): the
 * production drivers/iommu/iommu.c and core/mm/pgtable.c with the fake IOMMU driver
 * (tests/unit/fake_iommu.c, AMD-Vi format), built without sanitizers.
 *
 *   iommu_bench batch | per-page | once-per-page   map 1 GiB at DFN 0x40000 in batches of 512
 *   iommu_bench tables                            table pages per partition layout
 *
 * The mapping modes do their work in one noinline function each, so callgrind counts only
 * the mapping phase (--toggle-collect=<function>):
 *   batch          per batch: one notify with the batch's last DFN, one 512-page map;
 *   per-page       per page: notify that page, map that page (growth checked on every map,
 *                  the shape notify-before-map replaces);
 *   once-per-page  per batch: one notify, then 512 one-page maps (isolates the notify cost).
 * Host pages are 4 KiB but not 2 MiB aligned, so all three build the same 4 KiB-leaf table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/errno.h>
#include <hv/iommu.h>

#include "fake_iommu.h"

#define GIB_PAGES (UINT64_C(1) << 18)
#define BATCH 512u
#define BASE_DFN UINT64_C(0x40000)
#define HPA_BASE UINT64_C(0x100001000)
#define RW (IOMMU_READ | IOMMU_WRITE)

static struct fake_iommu fi;

static void check(int err, const char *what)
{
    if (err != 0) {
        fprintf(stderr, "iommu_bench: %s: %s\n%s", what, errno_name(err), fake_console_log);
        exit(1);
    }
}

__attribute__((noinline)) void bench_batch(struct iommu_domain *dom);
__attribute__((noinline)) void bench_per_page(struct iommu_domain *dom);
__attribute__((noinline)) void bench_once_per_page(struct iommu_domain *dom);

__attribute__((noinline)) void bench_batch(struct iommu_domain *dom)
{
    for (uint64_t p = 0; p < GIB_PAGES; p += BATCH) {
        check(iommu_map_range(dom, dfn(BASE_DFN + p), hpa(HPA_BASE + p * PAGE_SIZE), BATCH, RW),
              "map_range");
    }
}

__attribute__((noinline)) void bench_per_page(struct iommu_domain *dom)
{
    for (uint64_t p = 0; p < GIB_PAGES; p++) {
        check(iommu_notify_dfn(dom, dfn(BASE_DFN + p)), "notify");
        check(iommu_map_pages(dom, dfn(BASE_DFN + p), hpa(HPA_BASE + p * PAGE_SIZE), 1, RW), "map");
    }
}

__attribute__((noinline)) void bench_once_per_page(struct iommu_domain *dom)
{
    for (uint64_t p = 0; p < GIB_PAGES; p += BATCH) {
        check(iommu_notify_dfn(dom, dfn(BASE_DFN + p + BATCH - 1)), "notify");
        for (uint64_t i = 0; i < BATCH; i++) {
            check(iommu_map_pages(dom, dfn(BASE_DFN + p + i), hpa(HPA_BASE + (p + i) * PAGE_SIZE),
                                  1, RW),
                  "map");
        }
    }
}

/* One memory range of a partition layout: guest (= device) address, host address, size. */
struct range {
    uint64_t guest, host, size;
};

struct layout {
    const char *name;
    struct range r[3];
};

/* Table pages and depth for a layout: notify-grown domain versus a fixed 4-level table. */
static void tables(const struct layout *l)
{
    static struct iommu_domain dom;
    struct iommu_map_req reqs[3];
    struct pgtable fixed;
    size_t n = 0;

    check(iommu_domain_init(&dom, &fi.unit, 1), "domain_init");
    for (; n < 3 && l->r[n].size != 0; n++) {
        reqs[n] = (struct iommu_map_req){dfn(l->r[n].guest >> PAGE_SHIFT), hpa(l->r[n].host),
                                         (size_t)(l->r[n].size >> PAGE_SHIFT), RW};
    }
    check(iommu_map_batch(&dom, reqs, n), "map_batch");

    /* The same mappings in a table fixed at 4 levels (what a driver without growth uses). */
    check(pt_init(&fixed, dom.pt.fmt, dom.pt.mm, dom.pt.ctx, 4), "pt_init");
    for (size_t i = 0; i < n; i++) {
        const struct pt_attrs a = {.r = true, .w = true};

        check(pt_map(&fixed, l->r[i].guest, hpa(l->r[i].host), l->r[i].size, &a), "pt_map");
    }
    printf("iommu_table_pages_%s_grown: %lu pages\n", l->name, dom.stats.table_pages);
    printf("iommu_table_pages_%s_fixed4: %llu pages\n", l->name,
           (unsigned long long)pt_table_pages(&fixed));
    printf("iommu_walk_levels_%s_grown: %u levels\n", l->name, dom.pt.depth);
    printf("iommu_walk_levels_%s_fixed4: 4 levels\n", l->name);
    if (dom.stats.table_pages > pt_table_pages(&fixed)) {
        printf("iommu_bench: %s: the grown table is larger than the fixed one\n", l->name);
        exit(1);
    }
    pt_destroy(&fixed);
    iommu_domain_destroy(&dom);
}

static const struct layout layouts[] = {
    /* BRIEF §4's example partition: 128 MiB guest 0x40000000 -> host 0x48000000. */
    {"128M_at_0x40000000", {{0x40000000, 0x48000000, 128 << 20}}},
    /* The same memory at guest 0x48000000 (identity), plus a 2 MiB shared-memory ring. */
    {"128M_at_0x48000000_shm2M",
     {{0x48000000, 0x48000000, 128 << 20}, {0x50000000, 0x70000000, 2 << 20}}},
    /* A small bare-metal partition: 16 MiB low, 4 KiB-aligned host memory only. */
    {"16M_at_0x40000000_4k", {{0x40000000, 0x60001000, 16 << 20}}},
    /* A Linux partition on x86: 2 GiB low plus 1 GiB above 4 GiB. */
    {"2G_low_1G_high",
     {{0x0, 0x80000000, UINT64_C(2) << 30},
      {UINT64_C(0x100000000), UINT64_C(0x180000000), UINT64_C(1) << 30}}},
};

int main(int argc, char **argv)
{
    static struct iommu_domain dom;
    const char *mode = argc > 1 ? argv[1] : "";

    check(fake_iommu_register(&fi), "register");
    if (strcmp(mode, "tables") == 0) {
        for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
            tables(&layouts[i]);
        }
        return 0;
    }
    check(iommu_domain_init(&dom, &fi.unit, 1), "domain_init");
    if (strcmp(mode, "batch") == 0) {
        bench_batch(&dom);
    } else if (strcmp(mode, "per-page") == 0) {
        bench_per_page(&dom);
    } else if (strcmp(mode, "once-per-page") == 0) {
        bench_once_per_page(&dom);
    } else {
        fprintf(stderr, "usage: iommu_bench batch|per-page|once-per-page|tables\n");
        return 2;
    }
    /* Same result whatever the mode: the whole GiB in 4 KiB pages. */
    if (dom.stats.mapped_pages != GIB_PAGES) {
        fprintf(stderr, "iommu_bench: %lu pages mapped\n", dom.stats.mapped_pages);
        return 1;
    }
    printf("notifies=%lu table_pages=%lu depth=%u\n", dom.stats.notifies, dom.stats.table_pages,
           dom.pt.depth);
    return 0;
}
