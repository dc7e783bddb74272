// SPDX-License-Identifier: Apache-2.0
/*
 * The smallest scenario: boot information checked by the runtime, then what CPUID shows a
 * partition: the Bulkhead leaf, the hypervisor bit, no SVM (no nested virtualization), the
 * vCPU index as initial APIC id and no physical x2APIC id through the topology leaf.
 */
#include "rt.h"

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    r[0] = leaf;
    r[2] = 0;
    __asm__ __volatile__("cpuid" : "+a"(r[0]), "=b"(r[1]), "+c"(r[2]), "=d"(r[3]));
}

void guest_main(struct guest_info *gi)
{
    uint32_t r[4];

    (void)gi;
    cpuid(0x40000000u, r);
    GUEST_CHECK(r[1] == 0x6b6c7542u && r[2] == 0x64616568u,
                "CPUID 0x40000000: no Bulkhead signature");
    cpuid(1, r);
    GUEST_CHECK((r[2] >> 31) == 1, "CPUID 1: no hypervisor bit");
    GUEST_CHECK((r[1] >> 24) == 0, "CPUID 1: initial APIC id %u, not vCPU 0", r[1] >> 24);
    cpuid(0x80000001u, r);
    GUEST_CHECK((r[2] & (1u << 2)) == 0, "CPUID 0x80000001: SVM visible");
    cpuid(0xb, r);
    GUEST_CHECK(r[3] == 0, "CPUID 0xb: x2APIC id %u visible", r[3]);
    gprintf("hello: CPUID says BulkheadHV, hypervisor bit, no SVM, vCPU 0\n");
}
