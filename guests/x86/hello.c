// SPDX-License-Identifier: Apache-2.0
/* The smallest scenario: boot information checked by the runtime, a CPUID probe, pass. */
#include "rt.h"

void guest_main(struct guest_info *gi)
{
    uint32_t a = 0x40000000u, b, c = 0, d;

    (void)gi;
    __asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    GUEST_CHECK(b == 0x6b6c7542u && c == 0x64616568u, "CPUID 0x40000000: no Bulkhead signature");
    gprintf("hello: CPUID 0x40000000 says BulkheadHV\n");
}
