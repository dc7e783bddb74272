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

/* The boot CPU's generic entry. Never returns. */
__noreturn void hv_main(void);

/* A secondary CPU's generic entry, called on its own stack with the MMU on. */
__noreturn void hv_secondary_main(unsigned int cpu);

/* CONFIG_PARTITIONS (core/partition/partition.c): a secondary CPU waits for its vCPU and runs it.
 */
__noreturn void vcpu_cpu_main(unsigned int cpu);

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

#define HV_UNIT(var, unit_name, unit_order, fn)                                                    \
    static const struct hv_unit var HV_TABLE_ENTRY(hv_units) = {unit_name, unit_order, fn}
