// SPDX-License-Identifier: Apache-2.0
/*
 * Host bench of DMA isolation in the real partition map path (run by
 * tests/bench/partition_dma.sh under callgrind): the production core/partition/ (with
 * core/partition/dma.c), drivers/iommu/iommu.c and core/mm/pgtable.c on the fake arch, with
 * the fake IOMMU (tests/unit/fake_iommu.c, AMD-Vi format), built without sanitizers.
 *
 *   partition_dma_bench LAYOUT grown|fixed
 *
 * sets up one partition of LAYOUT whose DMA master sits behind a fake IOMMU, through
 * partition_init() exactly as at boot, and prints the IOMMU table pages of its domain and the
 * pages the domain maps. "grown": the domain's root is allocated as deep as the partition
 * needs (notify-before-map); "fixed": every root is 4 levels deep, as a driver without growth
 * would build it (the same reach as the stage-2 tables of the arm64 and x86 ports). The
 * script counts the instructions of iommu_notify_dfn() and iommu_map_pages() (what the
 * partition map path spends on the IOMMU) with --toggle-collect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/errno.h>
#include <hv/guest_image.h>
#include <hv/panic.h>
#include <hv/partition.h>

#include "fake.h"
#include "fake_iommu.h"
#include "fake_vcpu.h"
#include "pt_arena.h"

#define MIB (UINT64_C(1) << 20)
#define FAKE_IOMMU_BASE UINT64_C(0x09050000)
#define FIXED_DEPTH 4u

/* One range of a layout: guest, host, size; ro: a read-only borrowed window. */
struct range {
    uint64_t guest, host, size;
    bool ro;
};

/* A layout: memory triplets and shared windows of one partition. */
struct layout {
    const char *name;
    unsigned int nmem, nshm;
    struct range mem[2], shm[2];
};

static const struct layout layouts[] = {
    /* The default arm64 layout's "control": 128 MiB of RAM, a 2 MiB window it owns and one
     * it borrows read-only, all 2 MiB aligned (block mappings). */
    {"default",
     1,
     2,
     {{0x40000000, 0x48000000, 128 * MIB, false}},
     {{0x50000000, 0x60000000, 2 * MIB, false}, {0x50200000, 0x60200000, 2 * MIB, true}}},
    /* 16 MiB of RAM at a host address that is only 4 KiB aligned: every page a leaf. */
    {"16M_4k", 1, 0, {{0x40000000, 0x48001000, 16 * MIB, false}}, {{0}}},
    /* 1 GiB plus 64 MiB above 4 GiB (a split around a device hole), 2 MiB aligned. */
    {"1G_64M_above_4G",
     2,
     0,
     {{0x40000000, 0x80000000, 1024 * MIB, false}, {0x100000000, 0xc0000000, 64 * MIB, false}},
     {{0}}},
};

static struct hv_config cfg;
static struct fake_iommu fi;

/* core/panic.c is not linked: a panic is a failed bench. */
void panic(const char *fmt, ...)
{
    fprintf(stderr, "panic: %s\n", fmt);
    exit(1);
}

static void config(const struct layout *l)
{
    struct hv_config_partition *p = &cfg.partitions[0];

    cfg.nr_partitions = 1;
    *p = (struct hv_config_partition){.id = 1,
                                      .label = "bench",
                                      .cpu_count = 1,
                                      .mem_count = (uint16_t)l->nmem,
                                      .shm_count = (uint16_t)l->nshm,
                                      .dma_count = 1};
    cfg.nr_cpus = 1;
    cfg.cpus[0] = (struct hv_config_cpu){"cpu@1", 1, 0};
    cfg.nr_mem = l->nmem;
    for (unsigned int i = 0; i < l->nmem; i++) {
        cfg.mem[i] =
            (struct hv_config_mem){gpa(l->mem[i].guest), hpa(l->mem[i].host), l->mem[i].size};
    }
    /* Each window its own region: an owner's (rw) or a borrower's whose owner is elsewhere. */
    cfg.nr_shm = l->nshm;
    for (unsigned int i = 0; i < l->nshm; i++) {
        cfg.shm[i] = (struct hv_config_shm){
            .role = l->shm[i].ro ? SHM_ROLE_BORROWER : SHM_ROLE_OWNER,
            .access = l->shm[i].ro ? SHM_ACCESS_RO : SHM_ACCESS_RW,
            .guest = gpa(l->shm[i].guest),
            .host = hpa(l->shm[i].host),
            .size = l->shm[i].size,
            .owner = (uint16_t)i,
        };
        (void)snprintf(cfg.shm[i].id, sizeof(cfg.shm[i].id), "w%u", i);
    }
    cfg.nr_dma = 1;
    cfg.dma[0] = (struct hv_config_dma){.name = "00:02.0",
                                        .pci = true,
                                        .rid = 0x10,
                                        .isolated = true,
                                        .iommu = FAKE_IOMMU_BASE,
                                        .sid = 0x10};
}

int main(int argc, char **argv)
{
    const struct layout *l = NULL;
    struct partition *p = &partitions[0];
    bool fixed;

    for (size_t i = 0; argc == 3 && i < ARRAY_SIZE(layouts); i++) {
        if (strcmp(argv[1], layouts[i].name) == 0) {
            l = &layouts[i];
        }
    }
    fixed = argc == 3 && strcmp(argv[2], "fixed") == 0;
    if (l == NULL || (!fixed && strcmp(argv[2], "grown") != 0)) {
        fprintf(stderr, "usage: partition_dma_bench default|16M_4k|1G_64M_above_4G grown|fixed\n");
        return 2;
    }
    fi.unit.base = FAKE_IOMMU_BASE;
    if (fake_iommu_register_depth(&fi, fixed ? FIXED_DEPTH : 1) != 0) {
        return 1;
    }
    fake_vcpu.cpus_online = 2;
    config(l);
    pt_arena_reset(); /* stage-2 table pages, as in the page-table tests */
    if (partition_init(p, &cfg, 0, &pt_arena_ops) != 0) {
        fprintf(stderr, "partition_dma_bench: setup failed\n%s", fake_console_log);
        return 1;
    }
    nr_partitions = 1;
    printf("depth=%u table_pages=%lu mapped_pages=%lu notifies=%lu\n", p->dma.domain.pt.depth,
           p->dma.domain.stats.table_pages, p->dma.domain.stats.mapped_pages,
           p->dma.domain.stats.notifies);
    return 0;
}
