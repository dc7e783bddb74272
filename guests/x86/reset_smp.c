// SPDX-License-Identifier: Apache-2.0
/*
 * SMP start and a reset under a spinning sibling: vCPU 0 starts vCPU 1 (BH_HC_VCPU_START),
 * which counts in a tight loop that never leaves the guest. On boot 0, vCPU 0 then asks
 * SYSTEM_RESET: the hypervisor must get vCPU 1 out of the guest (kick IPI, INTR intercept)
 * to restart the partition. On boot 1 the same start works again and vCPU 0 switches the
 * partition off under the still spinning vCPU 1.
 */
#include "rt.h"

#define SPIN_LIMIT 2000000000ull

static volatile uint64_t counter;

void guest_secondary(unsigned int vcpu)
{
    GUEST_CHECK(vcpu == 1, "started as vcpu %u", vcpu);
    for (;;) {
        counter++;
    }
}

void guest_main(struct guest_info *gi)
{
    int64_t err = guest_cpu_on(1);

    GUEST_CHECK(err == 0, "boot %u: starting vcpu 1: %lld", gi->boot_count, (long long)err);
    err = guest_cpu_on(1);
    GUEST_CHECK(err == BH_HC_E_INVALID, "starting vcpu 1 twice: %lld", (long long)err);
    for (uint64_t spins = 0; counter < 1000; spins++) {
        GUEST_CHECK(spins < SPIN_LIMIT, "boot %u: vcpu 1 does not run", gi->boot_count);
        __asm__ __volatile__("pause");
    }
    gprintf("reset_smp: boot %u: vcpu 1 runs\n", gi->boot_count);
    if (gi->boot_count == 0) {
        (void)hc_call(BH_HC_SYSTEM_RESET, 0, 0, 0, 0, 0);
        guest_fail("SYSTEM_RESET returned");
    }
    GUEST_CHECK(gi->boot_count == 1, "boot-count %u: reset more than once", gi->boot_count);
}
