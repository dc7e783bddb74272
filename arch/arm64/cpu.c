// SPDX-License-Identifier: Apache-2.0
/*
 * The running CPU and time (contracts: include/arch/cpu.h, time.h); the test exit of test
 * builds is in test.c.
 */
#include <arch/cpu.h>
#include <arch/time.h>
#include <hv/percpu.h>

#include "arm64.h"

/* Set by test.c once arch_test_exit() has started (arm64.h); stays false in product builds. */
bool arm64_test_exiting;

/* head.S and arm64_secondary_entry point TPIDR_EL2 at the CPU's struct percpu before any C:
 * the trap path reaches the running vCPU in one load (guest.S, traps.c). */
unsigned int arch_cpu_id(void)
{
    return (unsigned int)((read_sysreg(tpidr_el2) - (uintptr_t)hv_percpu) / sizeof(struct percpu));
}

void arch_cpu_relax(void)
{
    __asm__ __volatile__("yield" ::: "memory");
}

void arch_halt(void)
{
    __asm__ __volatile__("msr daifset, #0xf" ::: "memory");
    for (;;) {
        dsb(sy);
        __asm__ __volatile__("wfi" ::: "memory");
    }
}

/*
 * Physical count (CNTPCT_EL0) scaled by CNTFRQ_EL0, read every time: QEMU's frequency
 * depends on the CPU model (62.5 MHz on cortex-a57, 1 GHz on max). The isb keeps the read
 * from being taken early (Arm ARM D12.1.2). Split so that nothing overflows: the quotient
 * part is exact, and the remainder is below CNTFRQ (< 2^32), times 10^6 < 2^52.
 */
uint64_t arch_time_us(void)
{
    uint64_t freq = read_sysreg(cntfrq_el0) & 0xffffffffu;
    uint64_t ticks;

    isb();
    ticks = read_sysreg(cntpct_el0);
    if (freq == 0) {
        return 0; /* firmware did not program CNTFRQ: no time base at all */
    }
    return (ticks / freq) * 1000000u + (ticks % freq) * 1000000u / freq;
}
