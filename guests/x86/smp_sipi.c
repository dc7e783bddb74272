// SPDX-License-Identifier: Apache-2.0
/*
 * SMP bring-up as on hardware, and an IPI out of the partition: vCPU 0 switches its local
 * APIC to x2APIC mode, copies the real-mode start code to 0x8000 and sends INIT then a
 * STARTUP IPI (vector 0x08) to x2APIC id 1; the hypervisor starts vCPU 1 there. Then vCPU 0
 * sends an IPI to x2APIC id 3, which is no vCPU of this partition (the physical CPU of that
 * number belongs to another): the hypervisor must stop this partition and nothing else.
 */
#include <hv/string.h>

#include "rt.h"

#define MSR_APIC_BASE 0x1bu
#define MSR_X2APIC_ID 0x802u
#define MSR_X2APIC_ICR 0x830u
#define APIC_BASE_EXTD (1ull << 10)
#define SIPI_PAGE 0x8000u
#define SPIN_LIMIT 2000000000ull

extern const char sipi_start[], sipi_end[];
static volatile uint32_t secondary_up;

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

void guest_secondary(unsigned int vcpu)
{
    GUEST_CHECK(vcpu == 1, "started as vcpu %u", vcpu);
    secondary_up = 1;
    for (;;) {
        __asm__ __volatile__("pause");
    }
}

void guest_main(struct guest_info *gi)
{
    (void)gi;
    memcpy((void *)(uintptr_t)SIPI_PAGE, sipi_start, (size_t)(sipi_end - sipi_start));
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EXTD);
    GUEST_CHECK(rdmsr(MSR_X2APIC_ID) == 0, "x2APIC id %llu",
                (unsigned long long)rdmsr(MSR_X2APIC_ID));
    wrmsr(MSR_X2APIC_ICR, 1ull << 32 | 0x4500); /* INIT, level assert, to id 1 */
    wrmsr(MSR_X2APIC_ICR, 1ull << 32 | 0x0600 | (SIPI_PAGE >> 12)); /* STARTUP */
    for (uint64_t spins = 0; secondary_up == 0; spins++) {
        GUEST_CHECK(spins < SPIN_LIMIT, "vcpu 1 did not start after INIT/SIPI");
        __asm__ __volatile__("pause");
    }
    gprintf("smp_sipi: vcpu 1 started by INIT/SIPI\n");
    wrmsr(MSR_X2APIC_ICR, 3ull << 32 | 0x40); /* fixed IPI, vector 0x40, to id 3 */
    guest_fail("an IPI to a CPU outside the partition went through");
}
