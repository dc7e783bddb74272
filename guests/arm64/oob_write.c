// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile: write a page above the partition's memory (a guest address no range covers). The
 * hypervisor must report the stage-2 fault with that guest address and stop the partition
 * (the layout expects "fault"); surviving the write is a fail verdict.
 */
#include "oob.h"

void guest_main(struct guest_info *gi)
{
    uint64_t a = oob_address(gi, 0x10000);
    volatile uint64_t *p = (void *)(uintptr_t)a;

    guest_describe(gi);
    gprintf("oob_write: writing guest address 0x%llx\n", (unsigned long long)a);
    *p = 0xbadc0ffee0ddf00dull;
    guest_dmb();
    guest_fail("write outside the partition's memory went through");
}
