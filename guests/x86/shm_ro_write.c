// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile: write into a shared region this partition borrows read-only ("ring0" of the
 * default layout). The nested page table must refuse it: the partition is stopped with a
 * nested page fault, and the owner's byte never changes (its peer checks that).
 */
#include "rt.h"

void guest_main(struct guest_info *gi)
{
    uint64_t base, size, flags;

    (void)gi;
    GUEST_CHECK(guest_shm("ring0", &base, &size, &flags) == 0, "no ring0");
    GUEST_CHECK((flags & BH_SHM_WRITABLE) == 0, "ring0 is writable here");
    gprintf("shm_ro_write: writing to read-only ring0 at %#llx\n", (unsigned long long)base);
    *(volatile uint32_t *)(uintptr_t)base = 0xbadbadu;
    guest_fail("the write to read-only shared memory went through");
}
