// SPDX-License-Identifier: Apache-2.0
/*
 * The well-behaved peer of the hostile scenarios: describe the partition (PARTITION_INFO,
 * DTB ranges, SHM_INFO, the "no host address" check), leave a pattern at the start of every
 * shared-memory region it owns, and pass.
 */
#include "rt.h"

#define HELLO_PATTERN 0x48454c4c4f21ull

void guest_main(struct guest_info *gi)
{
    guest_describe(gi);
    for (unsigned int i = 0; i < gi->nshm; i++) {
        const struct guest_shm *s = &gi->shm[i];

        if (s->owner && s->writable) {
            volatile uint64_t *p = (void *)(uintptr_t)s->base;

            *p = HELLO_PATTERN;
            guest_dmb();
            GUEST_CHECK(*p == HELLO_PATTERN, "shm \"%s\" does not keep what was written", s->id);
        }
    }
    gprintf("hello: done\n");
}
