/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the out-of-bounds scenarios: an address no guest range of the partition covers. */
#pragma once

#include "rt.h"

/* The first page at or above dt_memory_end() + skip that is no memory and no shm region. */
static inline uint64_t oob_address(const struct guest_info *gi, uint64_t skip)
{
    uint64_t a = dt_memory_end(gi) + skip;
    bool moved = true;

    while (moved) {
        moved = false;
        for (unsigned int i = 0; i < gi->nshm; i++) {
            if (a >= gi->shm[i].base && a - gi->shm[i].base < gi->shm[i].size) {
                a = gi->shm[i].base + gi->shm[i].size;
                moved = true;
            }
        }
    }
    return a;
}
