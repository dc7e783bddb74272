/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arch contract: the running CPU. Implemented in arch/<arch>/ (inline bodies may live in
 * <asm/cpu.h>, which this header includes) and in tests/unit/fake/ for host tests.
 */
#pragma once

#include <asm/cpu.h>
#include <hv/types.h>

/* Logical id of the calling CPU: 0 for the boot CPU, then 1.. in start order. Any context. */
unsigned int arch_cpu_id(void);

/* Hint that the caller is spinning (Arm YIELD, x86 PAUSE). Any context. */
void arch_cpu_relax(void);

/* Stop the calling CPU for good, in its lowest-power wait, interrupts masked. */
__noreturn void arch_halt(void);
