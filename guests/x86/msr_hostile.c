// SPDX-License-Identifier: Apache-2.0
/*
 * MSRs: EFER reads without SVME and a write that clears SVME is accepted but cannot turn off
 * SVM under the hypervisor; then a write to VM_HSAVE_PA (the host save area of SVM), which
 * must stop the partition ("WRMSR of MSR 0xc0010117 denied").
 */
#include "rt.h"

#define MSR_EFER 0xc0000080u
#define MSR_VM_HSAVE_PA 0xc0010117u
#define EFER_SVME (1ull << 12)

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t val)
{
    __asm__ __volatile__("wrmsr" ::"c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                         : "memory");
}

void guest_main(struct guest_info *gi)
{
    uint64_t efer = rdmsr(MSR_EFER);

    (void)gi;
    GUEST_CHECK((efer & EFER_SVME) == 0, "EFER %#llx shows SVME", (unsigned long long)efer);
    wrmsr(MSR_EFER, efer & ~EFER_SVME);
    GUEST_CHECK(rdmsr(MSR_EFER) == efer, "EFER changed to %#llx",
                (unsigned long long)rdmsr(MSR_EFER));
    gprintf("msr_hostile: EFER %#llx, SVME hidden; writing VM_HSAVE_PA\n",
            (unsigned long long)efer);
    wrmsr(MSR_VM_HSAVE_PA, 0x1000);
    guest_fail("the write to VM_HSAVE_PA went through");
}
