// SPDX-License-Identifier: Apache-2.0
/*
 * The peer of the x86 reset scenario (the twin of guests/arm64/reset_peer.c): a read-only
 * borrower of the resetter's "ring0" that keeps running while its owner resets again and
 * again, and passes once the owner's last boot has raised the done flag at the start of its
 * window (reset_many.c). Keeping it running also keeps the hypervisor's page pool still while
 * the resets are counted.
 */
#include "rt.h"

#define DONE_FLAG 0x444f4e45ull /* "DONE" */
/* About 7 minutes of TSC at the 2.6 GHz QEMU reports: beyond any test's QEMU timeout. */
#define WAIT_TSC (UINT64_C(1) << 40)

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

void guest_main(struct guest_info *gi)
{
    uint64_t base, size, flags, start = rdtsc();
    volatile const uint64_t *flag;

    (void)gi;
    GUEST_CHECK(guest_shm("ring0", &base, &size, &flags) == 0, "no borrowed ring0");
    flag = (volatile const uint64_t *)(uintptr_t)base;
    while (*flag != DONE_FLAG) {
        GUEST_CHECK(rdtsc() - start < WAIT_TSC, "the owner never finished its resets");
        __asm__ __volatile__("pause");
    }
    gprintf("reset_peer: owner done, still running\n");
}
