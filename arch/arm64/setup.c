// SPDX-License-Identifier: Apache-2.0
/*
 * C entry of the boot CPU. head.S has put the EL2 registers in a known state, cleared BSS
 * and set up CPU 0's stack; the MMU is still off. Turn on the MMU, then hand over to the
 * generic boot sequence.
 */
#include <hv/boot.h>

#include "arm64.h"

void arm64_boot_main(void)
{
    arm64_mmu_init();
    hv_main();
}

void arm64_secondary_main(unsigned int cpu)
{
    hv_secondary_main(cpu);
}
