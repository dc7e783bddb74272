/* SPDX-License-Identifier: Apache-2.0 */
/* Arch contract: finding and starting the physical CPUs. Called by hv_main() only. */
#pragma once

#include <hv/fdt.h>
#include <hv/types.h>

/*
 * Discover the physical CPUs (Arm: /cpus in the DT, MPIDR in "reg"; x86: the ACPI MADT) and
 * record their hardware ids. The boot CPU becomes logical CPU 0. Returns the number of CPUs
 * (at most CONFIG_NR_CPUS; extra ones are reported and left off) or a negative errno.
 */
int arch_smp_init(const struct fdt *fdt) __must_check;

/* Hardware id of logical CPU cpu (Arm: MPIDR affinity; x86: local APIC id). */
uint64_t arch_cpu_hwid(unsigned int cpu);

/*
 * Start logical CPU cpu (1 <= cpu < arch_smp_init()) so that it calls hv_secondary_main(cpu)
 * on its own stack with the hypervisor's page tables. Returns once the start request is
 * issued, not when the CPU runs: 0 or a negative errno (e.g. PSCI error mapped to -EIO).
 */
int arch_cpu_start(unsigned int cpu) __must_check;
