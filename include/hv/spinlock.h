/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ticket spinlock: FIFO fair, so no CPU starves while others keep taking the lock. Built on
 * the compiler's __atomic builtins (acquire on lock, release on unlock), which the arch
 * compilers lower to the right instructions; needs caches and MMU on (Arm exclusives need
 * Normal cacheable memory, Arm ARM B2.9).
 */
#pragma once

#include <arch/cpu.h>
#include <hv/types.h>

typedef struct {
    uint16_t next;  /* ticket handed to the next arrival */
    uint16_t owner; /* ticket currently served */
} spinlock_t;

#define SPINLOCK_INIT                                                                              \
    {                                                                                              \
        0, 0                                                                                       \
    }

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me) {
        arch_cpu_relax();
    }
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}
