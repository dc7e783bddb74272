// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile: read just past the partition's memory (a guest address no range covers). The
 * hypervisor must report the stage-2 fault with that guest address and stop the partition
 * (the layout expects "fault"); reading anything is a fail verdict.
 */
#include "oob.h"

void guest_main(struct guest_info *gi)
{
    uint64_t a = oob_address(gi, 0);
    volatile uint64_t *p = (void *)(uintptr_t)a;

    guest_describe(gi);
    gprintf("oob_read: reading guest address 0x%llx\n", (unsigned long long)a);
    uint64_t v = *p;
    guest_fail("read outside the partition's memory returned 0x%llx", (unsigned long long)v);
}
