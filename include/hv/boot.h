/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generic boot sequence, entered by the arch once it has a stack, a clear BSS and its own
 * page tables with the MMU and caches on.
 */
#pragma once

#include <hv/fdt.h>
#include <hv/table.h>

/* The configuration DTB embedded in the image (core/boot/dtb_blob.S). */
extern const uint8_t __dtb_start[], __dtb_end[];

/*
 * The embedded configuration DTB's reader, checked and indexed (parents, phandles, cell counts)
 * by the first call, which any early arch code may make before hv_main() (e.g. to map RAM from
 * the /memory nodes before the MMU is on): the checking walk then runs once per boot. Returns
 * fdt_init_index()'s result: 0, -ENOSPC (valid, but more nodes than the index holds: lookups
 * walk the tree) or -EINVAL (malformed: *fdt is then empty). Boot CPU only.
 */
int hv_boot_fdt(const struct fdt **fdt);

/* The boot CPU's generic entry. Never returns. */
__noreturn void hv_main(void);

/* A secondary CPU's generic entry, called on its own stack with the MMU on. */
__noreturn void hv_secondary_main(unsigned int cpu);

/* CONFIG_PARTITIONS (core/partition/partition.c): a secondary CPU waits for its vCPU and runs it.
 */
__noreturn void vcpu_cpu_main(unsigned int cpu);

/*
 * Test builds (CONFIG_TEST_EXIT): print "test: boot passed|FAILED" (every CPU that was found
 * reported online) and end QEMU with that verdict. Does nothing in other builds. Called by
 * hv_main() when no partition runs, else by whichever CPU sees the last partition stop
 * (partitions_stopped_check(), core/partition/partition_boot.c). core/cpus.c.
 */
void hv_boot_verdict(void);

/* How many CPUs the boot CPU found (arch_smp_init), for hv_boot_verdict(). Boot CPU, once. */
void hv_cpus_set_present(unsigned int n);

/* Number of CPUs that have reported online so far (core/cpus.c). Any CPU. */
unsigned int hv_cpus_online(void);

/* Count the calling CPU as online; once per CPU, by the boot sequence (core/cpus.c). */
void hv_cpu_set_online(void);

/*
 * Boot units: hv_main() runs each unit's init() once, in ascending order, after the console
 * and every CPU are up. A unit that fails stops the boot with its name and error.
 */
struct hv_unit {
    const char *name;
    unsigned int order;
    int (*init)(const struct fdt *fdt) __must_check;
};

/*
 * The boot order, in one place: every HV_UNIT() takes one of these. Units of equal order run
 * in link order; leave gaps for new ones.
 */
enum hv_unit_order {
    HV_UNIT_ORDER_ARCH_REPORT = 0, /* the arch's reports (arm64-boot, arm64-mmu) */
    HV_UNIT_ORDER_CONFIG = 10,     /* parse and check the configuration: all others use it */
    HV_UNIT_ORDER_IOMMU = 40,      /* probe the IOMMUs, block every device (amd-vi, smmuv3) */
    HV_UNIT_ORDER_PCI = 45,        /* probe passed-through PCI functions, place their BARs */
    HV_UNIT_ORDER_PARTITIONS = 50, /* set up the partitions (after the IOMMUs block DMA) */
    HV_UNIT_ORDER_SELFTEST = 90,   /* test builds: self-tests that take over a device */
    /* test builds: the deliberate fault, after everything that returns */
    HV_UNIT_ORDER_LAST = 800,
    /* test builds: start device work that is to land once the partitions run */
    HV_UNIT_ORDER_SELFTEST_KICK = 850,
    /* start the partitions; with any started, the boot CPU then runs its vCPU: never returns */
    HV_UNIT_ORDER_PARTITIONS_START = 900,
};

#define HV_UNIT(var, unit_name, unit_order, fn)                                                    \
    static const struct hv_unit var HV_TABLE_ENTRY(hv_units) = {unit_name, unit_order, fn}
