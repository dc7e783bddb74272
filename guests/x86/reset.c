// SPDX-License-Identifier: Apache-2.0
/*
 * BH_HC_SYSTEM_RESET: on its first boot (bulkhead,boot-count 0) the guest dirties its data
 * and asks for a reset; the hypervisor must restart the partition from a fresh copy of its
 * image with boot-count 1, where the guest passes.
 */
#include "rt.h"

static volatile uint64_t marker = 0x5245534554ull; /* .data: reloaded on reset */

void guest_main(struct guest_info *gi)
{
    GUEST_CHECK(marker == 0x5245534554ull, "boot %u: image data not fresh (%#llx)", gi->boot_count,
                (unsigned long long)marker);
    if (gi->boot_count == 0) {
        marker = 0xdeadull;
        gprintf("reset: boot 0, asking SYSTEM_RESET\n");
        (void)hc_call(BH_HC_SYSTEM_RESET, 0, 0, 0, 0, 0);
        guest_fail("SYSTEM_RESET returned");
    }
    GUEST_CHECK(gi->boot_count == 1, "boot-count %u: reset more than once", gi->boot_count);
    gprintf("reset: boot 1, running again after SYSTEM_RESET\n");
}
