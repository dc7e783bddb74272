// SPDX-License-Identifier: Apache-2.0
/*
 * SYSTEM_RESET while another vCPU of the partition still runs guest code that never traps
 * (it only stores to memory): the hypervisor must stop that vCPU (its stage 2 is removed, so
 * its next access traps and it parks), reload the image and regenerate the DTB only once it
 * has, and boot vCPU 0 alone.
 *   boot 0: vCPU 1 spins dirtying the image's data; vCPU 0 asks SYSTEM_RESET.
 *   boot 1: the data is fresh and vCPU 1 off; vCPU 0 spins dirtying the data while vCPU 1
 *           asks SYSTEM_RESET.
 *   boot 2: the data is fresh and vCPU 1 off: pass.
 */
#include "rt.h"

#define FRESH 0x5245534554ull
#define SPIN_TIMEOUT_MS 10000u

static volatile uint64_t marker = FRESH; /* .data: reloaded on reset */
static volatile uint64_t spins;          /* .bss: how often the spinning vCPU stored */
static volatile uint32_t boot;           /* the boot count, for vCPU 1 */

/* Store to the image's data for ever, without a single trap. */
static __noreturn void spin_dirty(void)
{
    for (;;) {
        marker = 0xdeadull;
        spins = spins + 1;
    }
}

static bool spinning(void *arg)
{
    (void)arg;
    return spins > 1000;
}

void guest_secondary(unsigned int vcpu)
{
    if (boot == 0) {
        spin_dirty();
    }
    GUEST_CHECK(guest_wait(spinning, NULL, SPIN_TIMEOUT_MS), "vcpu %u: vcpu 0 never spun", vcpu);
    gprintf("reset_smp: boot 1, vcpu 1 asks SYSTEM_RESET while vcpu 0 spins\n");
    (void)hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0, 0, 0);
    guest_fail("SYSTEM_RESET returned on vcpu %u", vcpu);
}

void guest_main(struct guest_info *gi)
{
    int64_t rc;

    guest_describe(gi);
    GUEST_CHECK(gi->ncpus >= 2, "needs 2 vCPUs, the DTB has %u", gi->ncpus);
    GUEST_CHECK(marker == FRESH, "boot %u: image data not fresh (0x%llx)", gi->boot_count,
                (unsigned long long)marker);
    rc = (int64_t)hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0, 0, 0).a0;
    GUEST_CHECK(rc == PSCI_AFF_OFF, "boot %u: vcpu 1 is not off (AFFINITY_INFO %lld)",
                gi->boot_count, (long long)rc);
    boot = gi->boot_count;
    guest_dmb();
    switch (gi->boot_count) {
    case 0:
        GUEST_CHECK(guest_cpu_on(1) == PSCI_SUCCESS, "CPU_ON(1) failed");
        GUEST_CHECK(guest_wait(spinning, NULL, SPIN_TIMEOUT_MS), "vcpu 1 never spun");
        gprintf("reset_smp: boot 0, vcpu 0 asks SYSTEM_RESET while vcpu 1 spins\n");
        (void)hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0, 0, 0);
        guest_fail("SYSTEM_RESET returned on vcpu 0");
    case 1:
        GUEST_CHECK(guest_cpu_on(1) == PSCI_SUCCESS, "CPU_ON(1) failed");
        spin_dirty();
    default:
        GUEST_CHECK(gi->boot_count == 2, "boot-count %u: reset too often", gi->boot_count);
        gprintf("reset_smp: boot 2, fresh data, vcpu 1 off\n");
    }
}
