/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generic boot sequence, entered by the arch once it has a stack, a clear BSS and its own
 * page tables with the MMU and caches on.
 */
#pragma once

#include <hv/fdt.h>
#include <hv/table.h>

/* The configuration DTB embedded in the image (core/dtb_blob.S). */
extern const uint8_t __dtb_start[], __dtb_end[];

/* The boot CPU's generic entry. Never returns. */
__noreturn void hv_main(void);

/* A secondary CPU's generic entry, called on its own stack with the MMU on. */
__noreturn void hv_secondary_main(unsigned int cpu);

/* CONFIG_PARTITIONS (core/partition.c): a secondary CPU waits for its vCPU and runs it. */
__noreturn void vcpu_cpu_main(unsigned int cpu);

/* The parsed configuration DTB, valid once hv_main() has checked it. */
const struct fdt *hv_config_fdt(void);

/*
 * Test builds (CONFIG_TEST_EXIT): print "test: boot passed|FAILED" (every CPU that was found
 * reported online) and end QEMU with that verdict. Does nothing in other builds. Called by
 * hv_main() when no partition runs, else by whichever CPU sees the last partition stop
 * (core/partition/test_monitor.c).
 */
void hv_boot_verdict(void);

/* Number of CPUs that have reported online so far. */
unsigned int hv_cpus_online(void);

/*
 * Boot units: hv_main() runs each unit's init() once, in ascending order, after the console
 * and every CPU are up. A unit that fails stops the boot with its name and error.
 */
struct hv_unit {
    const char *name;
    unsigned int order;
    int (*init)(const struct fdt *fdt) __must_check;
};

#define HV_UNIT(var, unit_name, unit_order, fn)                                                    \
    static const struct hv_unit var HV_TABLE_ENTRY(hv_units) = {unit_name, unit_order, fn}
