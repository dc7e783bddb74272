// SPDX-License-Identifier: Apache-2.0
/*
 * BH_HC_SYSTEM_RESET, RESET_COUNT times in a row (the x86 twin of guests/arm64/reset.c): on
 * every boot below RESET_COUNT (bulkhead,boot-count) the guest checks that its image data is
 * fresh, dirties it and asks for a reset; the hypervisor must restart the partition from a
 * fresh copy of its image with the next boot count each time (the test checks the page pool,
 * IOMMU table pages included, after each reset). The last boot passes and raises a flag in
 * the second MiB of its "ring0", which the borrower peer (reset_peer.c) waits for, running
 * all along.
 */
#include "rt.h"

#define RESET_COUNT 100u
#define DONE_FLAG 0x444f4e45ull /* "DONE" */
#define PEER_WINDOW 0x100000ull /* the borrower's offset into ring0 */

static volatile uint64_t marker = 0x5245534554ull; /* .data: reloaded on reset */

void guest_main(struct guest_info *gi)
{
    uint64_t base, size, flags;
    volatile uint64_t *flag;

    GUEST_CHECK(guest_shm("ring0", &base, &size, &flags) == 0 && size > PEER_WINDOW,
                "no ring0 to own");
    flag = (volatile uint64_t *)(uintptr_t)(base + PEER_WINDOW);
    if (gi->boot_count == 0) {
        *flag = 0;
    }
    GUEST_CHECK(marker == 0x5245534554ull, "boot %u: image data not fresh (%#llx)", gi->boot_count,
                (unsigned long long)marker);
    if (gi->boot_count < RESET_COUNT) {
        marker = 0xdeadull;
        guest_barrier();
        if (gi->boot_count == 0) {
            gprintf("reset: boot 0, asking SYSTEM_RESET\n");
        }
        (void)hc_call(BH_HC_SYSTEM_RESET, 0, 0, 0, 0, 0);
        guest_fail("SYSTEM_RESET returned");
    }
    GUEST_CHECK(gi->boot_count == RESET_COUNT, "boot-count %u: reset more than %u times",
                gi->boot_count, RESET_COUNT);
    gprintf("reset: boot %u, running again after %u SYSTEM_RESETs\n", gi->boot_count, RESET_COUNT);
    *flag = DONE_FLAG;
}
