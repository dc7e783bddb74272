// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile: a read-only borrower of "ring0" writes its shared-memory mapping. Reading must
 * work; the write must take a stage-2 permission fault that stops this partition (the
 * layout expects "fault"). Surviving the write is a fail verdict.
 */
#include "rt.h"

void guest_main(struct guest_info *gi)
{
    const struct guest_shm *s = dt_shm(gi, "ring0");
    volatile uint64_t *p;
    uint64_t v;

    guest_describe(gi);
    GUEST_CHECK(s != NULL && !s->owner && !s->writable, "needs \"ring0\" borrowed read-only");
    p = (void *)(uintptr_t)s->base;
    v = *p;
    gprintf("shm_ro_write: read 0x%llx from \"ring0\" at 0x%llx\n", (unsigned long long)v,
            (unsigned long long)s->base);
    gprintf("shm_ro_write: writing read-only \"ring0\" at 0x%llx\n", (unsigned long long)s->base);
    *p = ~v;
    guest_dmb();
    guest_fail("the write to read-only shared memory went through (now 0x%llx)",
               (unsigned long long)*p);
}
