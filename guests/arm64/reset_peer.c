// SPDX-License-Identifier: Apache-2.0
/*
 * The peer of the reset scenario: a read-only borrower of the resetter's "ring0" that keeps
 * running while its owner resets again and again, and passes once the owner's last boot has
 * raised the done flag at the start of its window (reset.c). Keeping it running also keeps
 * the hypervisor's page pool still while the resets are counted.
 */
#include "rt.h"

#define DONE_FLAG 0x444f4e45ull
#define WAIT_MS 300000u

static bool done(void *arg)
{
    volatile const uint64_t *flag = arg;

    guest_dmb();
    return *flag == DONE_FLAG;
}

void guest_main(struct guest_info *gi)
{
    const struct guest_shm *ring = dt_shm(gi, "ring0");

    GUEST_CHECK(ring != NULL && !ring->owner, "no borrowed ring0");
    guest_describe(gi);
    GUEST_CHECK(guest_wait(done, (void *)(uintptr_t)ring->base, WAIT_MS),
                "the owner never finished its resets");
    gprintf("reset_peer: owner done, still running\n");
}
