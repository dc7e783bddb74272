// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile: write just above the partition's RAM (the highest RAM address of its memory map),
 * where nothing is mapped for it. The partition must be stopped by a nested page fault.
 */
#include "rt.h"

void guest_main(struct guest_info *gi)
{
    gprintf("oob_write: writing at %#llx, past the partition's memory\n",
            (unsigned long long)gi->mem_end);
    *(volatile uint64_t *)(uintptr_t)gi->mem_end = 0xbadbadull;
    guest_fail("the write outside the partition's memory went through");
}
