// SPDX-License-Identifier: Apache-2.0
/*
 * RDTSCP and TSC_AUX in a partition (arch/x86/svm.c, svm_tsc_aux_reset()): RDTSCP is not
 * intercepted, the guest owns its CPU's TSC_AUX. Each vCPU starts with TSC_AUX = its index
 * (never the physical CPU's value: this partition runs on cpu2 and cpu3); a value the guest
 * writes is what RDTSCP returns; after SYSTEM_RESET vCPU 0 reads its index again, not what
 * the previous boot wrote. Needs a CPU with RDTSCP (-cpu ...,+rdtscp).
 */
#include "rt.h"

#define TSC_AUX 0xc0000103u
#define AUX_WRITTEN 0x5a17u
#define SPIN_LIMIT 2000000000ull

static volatile uint64_t vcpu1_aux = UINT64_MAX; /* .data: reloaded on reset */

static uint32_t rdtscp_aux(void)
{
    uint32_t lo, hi, aux;

    __asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
    return aux;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

void guest_secondary(unsigned int vcpu)
{
    vcpu1_aux = rdtscp_aux();
    (void)vcpu;
    for (;;) {
        __asm__ __volatile__("pause");
    }
}

void guest_main(struct guest_info *gi)
{
    uint32_t r[4], aux = rdtscp_aux();

    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(0x80000001u), "c"(0));
    GUEST_CHECK((r[3] & (1u << 27)) != 0, "no RDTSCP in CPUID");
    GUEST_CHECK(aux == 0, "boot %u: vcpu 0: TSC_AUX %#x, expected its index 0", gi->boot_count,
                aux);
    gprintf("tsc_aux: boot %u: vcpu 0 reads %u\n", gi->boot_count, aux);
    if (gi->boot_count == 1) {
        return;
    }
    GUEST_CHECK(guest_cpu_on(1) == 0, "starting vcpu 1");
    for (uint64_t spins = 0; vcpu1_aux == UINT64_MAX; spins++) {
        GUEST_CHECK(spins < SPIN_LIMIT, "vcpu 1 does not run");
        __asm__ __volatile__("pause");
    }
    GUEST_CHECK(vcpu1_aux == 1, "vcpu 1: TSC_AUX %#llx, expected its index 1",
                (unsigned long long)vcpu1_aux);
    gprintf("tsc_aux: vcpu 1 reads 1\n");
    wrmsr(TSC_AUX, AUX_WRITTEN);
    aux = rdtscp_aux();
    GUEST_CHECK(aux == AUX_WRITTEN, "wrote TSC_AUX %#x, RDTSCP gives %#x", AUX_WRITTEN, aux);
    gprintf("tsc_aux: wrote %#x, RDTSCP gives it; resetting\n", AUX_WRITTEN);
    (void)hc_call(BH_HC_SYSTEM_RESET, 0, 0, 0, 0, 0);
    guest_fail("SYSTEM_RESET returned");
}
