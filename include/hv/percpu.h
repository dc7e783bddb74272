/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-CPU data: one struct percpu per logical CPU (arch_cpu_id()), statically sized by
 * CONFIG_NR_CPUS. A CPU changes only its own entry, except where a field says otherwise;
 * fields other CPUs read are accessed atomically.
 */
#pragma once

#include <arch/cpu.h>
#include <hv/types.h>

struct vcpu;

struct percpu {
    /* The vCPU this CPU runs (set once at boot by core/partition/partition.c, before the CPU is
     * asked to run it; NULL for CPU 0 and CPUs no partition owns). Read by its own CPU only. */
    struct vcpu *vcpu;
};

extern struct percpu hv_percpu[CONFIG_NR_CPUS];

/* The entry of logical CPU cpu (< CONFIG_NR_CPUS). */
static inline struct percpu *per_cpu(unsigned int cpu)
{
    return &hv_percpu[cpu];
}

/* The calling CPU's entry. */
static inline struct percpu *this_cpu(void)
{
    return &hv_percpu[arch_cpu_id()];
}
