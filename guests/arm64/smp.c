// SPDX-License-Identifier: Apache-2.0
/*
 * SMP: the boot vCPU starts vCPU 1 with PSCI CPU_ON; vCPU 1 reports (its own index from
 * PARTITION_INFO) and waits to be released, then switches itself off with CPU_OFF. The boot
 * vCPU checks AFFINITY_INFO on and off, that a second CPU_ON of a running vCPU is refused,
 * and that the vCPU can be started a second time after CPU_OFF. The SMC32 ids of CPU_ON and
 * AFFINITY_INFO (round 2 starts vCPU 1 with one) answer as their SMC64 twins do.
 */
#include "rt.h"

#define SMP_TIMEOUT_MS 10000u

/* SMC32 ids (PSCI 1.1, 5.1): arguments are 32 bits, their upper halves ignored (SMCCC 2.5). */
#define PSCI_CPU_ON32 0x84000003u
#define PSCI_AFFINITY_INFO32 0x84000004u

extern char guest_secondary_entry[];

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

/* AFFINITY_INFO(vCPU 1) by both ids, the SMC32 one with junk in the upper half of x1. */
static int64_t affinity1(void)
{
    int64_t rc = (int64_t)hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0, 0, 0).a0;
    int64_t rc32 = (int64_t)hvc_call(PSCI_AFFINITY_INFO32, UINT64_C(0xdead00000001), 0, 0, 0, 0).a0;

    GUEST_CHECK(rc == rc32, "AFFINITY_INFO(1): SMC64 %lld, SMC32 %lld", (long long)rc,
                (long long)rc32);
    return rc;
}

/* CPU_ON of vCPU 1 by the SMC32 id, junk in the upper halves of target, entry and context id
 * (entry below 4 GiB here): any of them not cut to 32 bits refuses or halts vCPU 1. */
static int64_t cpu_on32(void)
{
    return (int64_t)hvc_call(PSCI_CPU_ON32, UINT64_C(0xdead00000001),
                             (uintptr_t)guest_secondary_entry | UINT64_C(0xbeef00000000),
                             UINT64_C(0xf00d00000001), 0, 0)
        .a0;
}

static void one_round(uint64_t round)
{
    int64_t rc = round == 2 ? cpu_on32() : guest_cpu_on(1);

    GUEST_CHECK(rc == PSCI_SUCCESS, "round %llu: CPU_ON(1) returned %lld",
                (unsigned long long)round, (long long)rc);
    GUEST_CHECK(guest_wait(seen_reached, (void *)(uintptr_t)round, SMP_TIMEOUT_MS),
                "round %llu: vcpu 1 did not report", (unsigned long long)round);
    rc = affinity1();
    GUEST_CHECK(rc == PSCI_AFF_ON, "AFFINITY_INFO(1) = %lld while it runs", (long long)rc);
    rc = guest_cpu_on(1);
    GUEST_CHECK(rc == PSCI_E_ALREADY_ON, "CPU_ON of a running vCPU returned %lld", (long long)rc);
    rc = cpu_on32();
    GUEST_CHECK(rc == PSCI_E_ALREADY_ON, "CPU_ON (SMC32) of a running vCPU returned %lld",
                (long long)rc);
    guest_dmb();
    released = round;
    guest_dmb();
    GUEST_CHECK(guest_wait(vcpu1_off, NULL, SMP_TIMEOUT_MS), "vcpu 1 did not switch off");
    gprintf("smp: round %llu: vcpu 1 on, reported, off\n", (unsigned long long)round);
}

/* PSCI 5.2.2: the entry point is known to be invalid. */
#define PSCI_E_INVALID_ADDRESS (-9)

/* CPU_ON of vCPU 1 at entry must be refused as an invalid address, by both ids (the SMC32
 * one sees the low half of entry, invalid too for every entry below). */
static void bad_cpu_on(const char *what, uint64_t entry)
{
    int64_t rc = (int64_t)hvc_call(PSCI_CPU_ON, 1, entry, 0, 0, 0).a0;
    int64_t rc32 = (int64_t)hvc_call(PSCI_CPU_ON32, 1, entry, 0, 0, 0).a0;

    GUEST_CHECK(rc == PSCI_E_INVALID_ADDRESS && rc32 == rc,
                "CPU_ON(1) with %s returned %lld (SMC32: %lld)", what, (long long)rc,
                (long long)rc32);
}

/* Hostile CPU_ON, AFFINITY_INFO and FEATURES arguments: each refused with its PSCI code,
 * vCPU 1 stays off and the partition keeps running (a misaligned entry would otherwise start
 * vCPU 1 into a PC alignment fault with no vectors, which stops the partition). */
static void bad_psci_calls(const struct guest_info *gi)
{
    uint64_t entry = (uint64_t)(uintptr_t)guest_secondary_entry;
    int64_t rc;

    bad_cpu_on("a misaligned entry (+2)", entry + 2);
    bad_cpu_on("a misaligned entry (+1)", entry + 1);
    bad_cpu_on("an entry past memory", dt_memory_end(gi));
    bad_cpu_on("an entry in the virtual UART", 0x09000000);
    bad_cpu_on("an entry at the top of the address space", ~0ull & ~3ull);
    rc = (int64_t)hvc_call(PSCI_AFFINITY_INFO, 1, 1, 0, 0, 0).a0;
    GUEST_CHECK(rc == PSCI_E_INVALID_PARAMS, "AFFINITY_INFO(1, level 1) returned %lld",
                (long long)rc);
    rc = (int64_t)hvc_call(PSCI_AFFINITY_INFO32, 1, 1, 0, 0, 0).a0;
    GUEST_CHECK(rc == PSCI_E_INVALID_PARAMS, "AFFINITY_INFO (SMC32) (1, level 1) returned %lld",
                (long long)rc);
    /* The SMC64 id reads all of x1: a target above Aff0 is invalid (affinity1 passes it to
     * the SMC32 id, which must ignore it). */
    rc = (int64_t)hvc_call(PSCI_AFFINITY_INFO, UINT64_C(0xdead00000001), 0, 0, 0, 0).a0;
    GUEST_CHECK(rc == PSCI_E_INVALID_PARAMS, "AFFINITY_INFO(0xdead00000001) returned %lld",
                (long long)rc);
    rc = (int64_t)hvc_call(PSCI_VERSION, 0, 0, 0, 0, 0).a0;
    GUEST_CHECK(rc == 0x10000, "PSCI_VERSION returned %#llx, not 1.0", (unsigned long long)rc);
    for (uint32_t fn = PSCI_CPU_ON32; fn <= PSCI_AFFINITY_INFO32; fn++) {
        rc = (int64_t)hvc_call(PSCI_FEATURES, fn | UINT64_C(0xdead00000000), 0, 0, 0, 0).a0;
        GUEST_CHECK(rc == PSCI_SUCCESS, "FEATURES(%#x) returned %lld", fn, (long long)rc);
    }
    rc = (int64_t)hvc_call(PSCI_FEATURES, 0x84000001u, 0, 0, 0, 0).a0;
    GUEST_CHECK(rc == PSCI_E_NOT_SUPPORTED, "FEATURES(CPU_SUSPEND) returned %lld", (long long)rc);
    GUEST_CHECK(affinity1() == PSCI_AFF_OFF, "vcpu 1 is not off after the refused CPU_ONs");
    gprintf("smp: bad CPU_ON entries refused\n");
}

void guest_main(struct guest_info *gi)
{
    guest_describe(gi);
    GUEST_CHECK(gi->ncpus >= 2, "needs 2 vCPUs, the DTB has %u", gi->ncpus);
    GUEST_CHECK((int64_t)hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0, 0, 0).a0 == PSCI_AFF_OFF,
                "vcpu 1 is not off at boot");
    bad_psci_calls(gi);
    one_round(1);
    one_round(2);
    GUEST_CHECK(affinity1() == PSCI_AFF_OFF, "vcpu 1 is not off at the end");
    gprintf("smp: SMC32 CPU_ON and AFFINITY_INFO answered as SMC64\n");
    gprintf("smp: both vCPUs reported\n");
}
