// SPDX-License-Identifier: Apache-2.0
/*
 * SMP: the boot vCPU starts vCPU 1 with PSCI CPU_ON; vCPU 1 reports (its own index from
 * PARTITION_INFO) and waits to be released, then switches itself off with CPU_OFF. The boot
 * vCPU checks AFFINITY_INFO on and off, that a second CPU_ON of a running vCPU is refused,
 * and that the vCPU can be started a second time after CPU_OFF.
 */
#include "rt.h"

#define SMP_TIMEOUT_MS 10000u

static volatile uint64_t seen;     /* vCPU 1: how many times it came up */
static volatile uint64_t released; /* boot vCPU: rounds vCPU 1 may finish */

static bool seen_reached(void *arg)
{
    return seen >= (uint64_t)(uintptr_t)arg;
}

static bool vcpu1_off(void *arg)
{
    (void)arg;
    return (int64_t)hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0, 0, 0).a0 == PSCI_AFF_OFF;
}

static bool is_released(void *arg)
{
    return released >= (uint64_t)(uintptr_t)arg;
}

void guest_secondary(unsigned int vcpu)
{
    struct smccc_res r = hvc_call(BH_HC_PARTITION_INFO, 0, 0, 0, 0, 0);
    uint64_t mpidr, round;

    __asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(mpidr));
    GUEST_CHECK((int64_t)r.a0 == BH_HC_OK && r.a3 == vcpu, "vcpu %u: PARTITION_INFO says vCPU %llu",
                vcpu, (unsigned long long)r.a3);
    round = seen + 1;
    gprintf("smp: vcpu %u up (round %llu, MPIDR_EL1 0x%llx)\n", vcpu, (unsigned long long)round,
            (unsigned long long)mpidr);
    guest_dmb();
    seen = round;
    guest_dmb();
    GUEST_CHECK(guest_wait(is_released, (void *)(uintptr_t)round, SMP_TIMEOUT_MS),
                "vcpu %u: never released", vcpu);
    gprintf("smp: vcpu %u switching off\n", vcpu);
}

static void one_round(uint64_t round)
{
    int64_t rc = guest_cpu_on(1);

    GUEST_CHECK(rc == PSCI_SUCCESS, "round %llu: CPU_ON(1) returned %lld",
                (unsigned long long)round, (long long)rc);
    GUEST_CHECK(guest_wait(seen_reached, (void *)(uintptr_t)round, SMP_TIMEOUT_MS),
                "round %llu: vcpu 1 did not report", (unsigned long long)round);
    rc = (int64_t)hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0, 0, 0).a0;
    GUEST_CHECK(rc == PSCI_AFF_ON, "AFFINITY_INFO(1) = %lld while it runs", (long long)rc);
    rc = guest_cpu_on(1);
    GUEST_CHECK(rc == PSCI_E_ALREADY_ON, "CPU_ON of a running vCPU returned %lld", (long long)rc);
    guest_dmb();
    released = round;
    guest_dmb();
    GUEST_CHECK(guest_wait(vcpu1_off, NULL, SMP_TIMEOUT_MS), "vcpu 1 did not switch off");
    gprintf("smp: round %llu: vcpu 1 on, reported, off\n", (unsigned long long)round);
}

void guest_main(struct guest_info *gi)
{
    guest_describe(gi);
    GUEST_CHECK(gi->ncpus >= 2, "needs 2 vCPUs, the DTB has %u", gi->ncpus);
    GUEST_CHECK((int64_t)hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0, 0, 0).a0 == PSCI_AFF_OFF,
                "vcpu 1 is not off at boot");
    one_round(1);
    one_round(2);
    gprintf("smp: both vCPUs reported\n");
}
