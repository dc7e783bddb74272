/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ticket spinlock: FIFO fair, so no CPU starves while others keep taking the lock. Built on
 * the compiler's __atomic builtins (acquire on lock, release on unlock), which the arch
 * compilers lower to the right instructions; needs caches and MMU on (Arm exclusives need
 * Normal cacheable memory, Arm ARM B2.9).
 *
 * In debug builds (CONFIG_DEBUG) a lock may carry a lock class (include/hv/lockorder.h): every
 * acquisition of a classed lock is checked against the global lock order. SPINLOCK_INIT makes
 * an unclassed lock (not checked); SPINLOCK_INIT_CLASS(&cls) / spin_lock_init_class() a
 * classed one. Release builds carry no class and do no checking.
 */
#pragma once

#include <arch/cpu.h>
#include <hv/lockorder.h>
#include <hv/types.h>

typedef struct {
    uint16_t next;  /* ticket handed to the next arrival */
    uint16_t owner; /* ticket currently served */
#ifdef CONFIG_DEBUG
    const struct lock_class *cls; /* lock-order class, NULL = unchecked */
#endif
} spinlock_t;

#ifdef CONFIG_DEBUG
#define SPINLOCK_CLASS_INIT_(c) , .cls = (c)
#else
#define SPINLOCK_CLASS_INIT_(c)
#endif

/* Static initialiser of an unclassed lock. */
#define SPINLOCK_INIT                                                                              \
    {                                                                                              \
        .next = 0, .owner = 0                                                                      \
    }

/* Static initialiser of a lock of class c (a const struct lock_class *). */
#define SPINLOCK_INIT_CLASS(c)                                                                     \
    {                                                                                              \
        .next = 0, .owner = 0 SPINLOCK_CLASS_INIT_(c)                                              \
    }

/*
 * The checker's entry points are weak references here: a host program that links code with
 * unclassed locks only (core/console.c) need not link core/lockorder.c. The hypervisor links
 * it in debug builds (core/build.mk), the only ones in which spin_lock() calls it.
 */
void lockorder_acquire(const struct lock_class *cls, const void *lock) __weak;
void lockorder_release(const struct lock_class *cls, const void *lock) __weak;

/* Initialise l as an unlocked lock of class cls (NULL: unchecked). */
static inline void spin_lock_init_class(spinlock_t *l, const struct lock_class *cls)
{
    l->next = 0;
    l->owner = 0;
#ifdef CONFIG_DEBUG
    l->cls = cls;
#else
    (void)cls;
#endif
}

static inline void spin_lock_init(spinlock_t *l)
{
    spin_lock_init_class(l, NULL);
}

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me;

#ifdef CONFIG_DEBUG
    if (l->cls != NULL) {
        lockorder_acquire(l->cls, l);
    }
#endif
    me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me) {
        arch_cpu_relax();
    }
}

static inline void spin_unlock(spinlock_t *l)
{
#ifdef CONFIG_DEBUG
    if (l->cls != NULL) {
        lockorder_release(l->cls, l);
    }
#endif
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}
