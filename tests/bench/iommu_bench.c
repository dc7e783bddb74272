// SPDX-License-Identifier: Apache-2.0
/*
 * Host bench for the IOMMU layer (run by tests/bench/iommu_notify.sh under callgrind): the
 * production drivers/iommu/iommu.c and core/mm/pgtable.c with the fake IOMMU driver
 * (tests/unit/fake_iommu.c, AMD-Vi format), built without sanitizers.
 *
 *   iommu_bench batch          map 1 GiB at DFN 0x40000 in 512-page batches, the domain
 *                              starting at depth 1 and grown by notify (one per batch)
 *   iommu_bench fixed DEPTH    the same with the root fixed at DEPTH levels from the start
 *                              (the grown run's final depth: the same reach, nothing to grow)
 *   iommu_bench tables         table pages per partition layout, grown vs fixed at 4 levels
 *
 * The mapping runs in one noinline function, bench_batch(), so callgrind counts only it
 * (--toggle-collect=bench_batch). Host pages are 4 KiB but not 2 MiB aligned, so both build
 * the same 4 KiB-leaf table.
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

__attribute__((noinline)) void bench_batch(struct iommu_domain *dom)
{
    for (uint64_t p = 0; p < GIB_PAGES; p += BATCH) {
        check(iommu_map_range(dom, dfn(BASE_DFN + p), hpa(HPA_BASE + p * PAGE_SIZE), BATCH, RW),
              "map_range");
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
    /* Target in tests/bench/targets: never more pages than the fixed table. */
    printf("iommu_table_pages_%s_grown_vs_fixed4: %.3f x (%lu pages, depth %u / %llu pages)\n",
           l->name, (double)dom.stats.table_pages / (double)pt_table_pages(&fixed),
           dom.stats.table_pages, dom.pt.depth, (unsigned long long)pt_table_pages(&fixed));
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

    if (strcmp(mode, "tables") == 0) {
        check(fake_iommu_register(&fi), "register");
        for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
            tables(&layouts[i]);
        }
        return 0;
    }
    if (strcmp(mode, "batch") == 0) {
        check(fake_iommu_register(&fi), "register");
    } else if (strcmp(mode, "fixed") == 0 && argc == 3) {
        check(fake_iommu_register_depth(&fi, (unsigned int)strtoul(argv[2], NULL, 0)), "register");
    } else {
        fprintf(stderr, "usage: iommu_bench batch | fixed DEPTH | tables\n");
        return 2;
    }
    check(iommu_domain_init(&dom, &fi.unit, 1), "domain_init");
    bench_batch(&dom);
    /* Same result whatever the mode: the whole GiB in 4 KiB pages. */
    if (dom.stats.mapped_pages != GIB_PAGES) {
        fprintf(stderr, "iommu_bench: %lu pages mapped\n", dom.stats.mapped_pages);
        return 1;
    }
    printf("notifies=%lu table_pages=%lu depth=%u\n", dom.stats.notifies, dom.stats.table_pages,
           dom.pt.depth);
    return 0;
}
