/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Address ranges as (base, size): the one definition of "inside" and "overlap" used by the
 * configuration checks and the emulated-MMIO table. A range is valid when size > 0 and
 * base + size - 1 does not wrap; "last" is the inclusive end, so a range may end at 2^64 - 1
 * without any computation overflowing.
 */
#pragma once

#include <hv/types.h>

/* Inclusive last address of a non-empty range, false when it would wrap past 2^64. */
static inline bool range_last(uint64_t base, uint64_t size, uint64_t *last)
{
    if (size == 0 || base > UINT64_MAX - (size - 1)) {
        return false;
    }
    *last = base + (size - 1);
    return true;
}

/* Whether [a, a + as) and [b, b + bs) share a byte; both ranges valid (see range_last). */
static inline bool ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a <= b + (bs - 1) && b <= a + (as - 1);
}

/* Whether [a, a + as) lies inside [outer, outer + os); both ranges valid. */
static inline bool range_inside(uint64_t a, uint64_t as, uint64_t outer, uint64_t os)
{
    return a >= outer && a + (as - 1) <= outer + (os - 1);
}
