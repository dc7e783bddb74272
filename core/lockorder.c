// SPDX-License-Identifier: Apache-2.0
/*
 * Run-time lock-order checker (include/hv/lockorder.h). Each CPU records the classed locks it
 * holds in a small stack of its own, indexed by arch_cpu_id(); only that CPU ever touches
 * its entry, so the checker itself needs no lock and cannot deadlock. An acquisition is
 * checked against every held lock, not only the top one, because release order is free
 * (a CPU may drop an outer lock first) and the top is then not the highest rank.
 *
 * Built into debug hypervisors only (Kconfig DEBUG, core/build.mk): without CONFIG_DEBUG
 * spin_lock() never calls in here. Host unit tests link it with CONFIG_DEBUG set.
 */
#include <arch/cpu.h>
#include <hv/lockorder.h>
#include <hv/panic.h>

/* The classed locks one CPU holds, in acquisition order. */
struct lockorder_cpu {
    const struct lock_class *cls[LOCKORDER_MAX_HELD];
    const void *lock[LOCKORDER_MAX_HELD];
    unsigned int depth;   /* entries in use */
    unsigned int dropped; /* acquisitions not recorded because the stack was full */
};

static struct lockorder_cpu lockorder_cpus[CONFIG_NR_CPUS];
static lockorder_handler_t lockorder_handler;
static unsigned long lockorder_count;

static struct lockorder_cpu *this_cpu(void)
{
    unsigned int cpu = arch_cpu_id();

    BUG_ON(cpu >= CONFIG_NR_CPUS);
    return &lockorder_cpus[cpu];
}

const char *lockorder_error_name(enum lockorder_error error)
{
    switch (error) {
    case LOCKORDER_BAD_ORDER:
        return "order";
    case LOCKORDER_TOO_DEEP:
        return "too deep";
    case LOCKORDER_NOT_HELD:
        return "not held";
    }
    return "?";
}

lockorder_handler_t lockorder_set_handler(lockorder_handler_t handler)
{
    lockorder_handler_t old = lockorder_handler;

    lockorder_handler = handler;
    return old;
}

unsigned long lockorder_violations(void)
{
    return __atomic_load_n(&lockorder_count, __ATOMIC_RELAXED);
}

static void violation(enum lockorder_error error, const struct lock_class *held,
                      const struct lock_class *wanted)
{
    struct lockorder_violation v = {error, arch_cpu_id(), held, wanted};

    __atomic_fetch_add(&lockorder_count, 1, __ATOMIC_RELAXED);
    if (lockorder_handler != NULL) {
        lockorder_handler(&v);
        return;
    }
    /* A lock-order bug is a broken invariant of the hypervisor itself: stop here, where the
     * report names both locks, instead of deadlocking later with no message at all. */
    switch (error) {
    case LOCKORDER_BAD_ORDER:
        panic("lock order: taking %s (rank %u) while holding %s (rank %u)", wanted->name,
              wanted->rank, held->name, held->rank);
    case LOCKORDER_TOO_DEEP:
        panic("lock order: taking %s with %u classed locks held (innermost %s)", wanted->name,
              LOCKORDER_MAX_HELD, held->name);
    case LOCKORDER_NOT_HELD:
        panic("lock order: releasing %s, which this CPU does not hold", wanted->name);
    }
}

void lockorder_acquire(const struct lock_class *cls, const void *lock)
{
    struct lockorder_cpu *c = this_cpu();

    /* Report the first conflict only: one message names the pair to look at. */
    for (unsigned int i = 0; i < c->depth; i++) {
        if (c->cls[i]->rank >= cls->rank) {
            violation(LOCKORDER_BAD_ORDER, c->cls[i], cls);
            break;
        }
    }
    if (c->depth == LOCKORDER_MAX_HELD) {
        violation(LOCKORDER_TOO_DEEP, c->cls[c->depth - 1], cls);
        c->dropped++;
        return;
    }
    c->cls[c->depth] = cls;
    c->lock[c->depth] = lock;
    c->depth++;
}

void lockorder_release(const struct lock_class *cls, const void *lock)
{
    struct lockorder_cpu *c = this_cpu();

    /* Search from the top: the innermost lock is the usual one to go. */
    for (unsigned int i = c->depth; i-- > 0;) {
        if (c->lock[i] == lock) {
            for (unsigned int j = i + 1; j < c->depth; j++) {
                c->cls[j - 1] = c->cls[j];
                c->lock[j - 1] = c->lock[j];
            }
            c->depth--;
            return;
        }
    }
    if (c->dropped > 0) {
        /* Balances an acquisition the full stack could not record (already reported). */
        c->dropped--;
        return;
    }
    violation(LOCKORDER_NOT_HELD, NULL, cls);
}

bool lockorder_held(const struct lock_class *cls)
{
    const struct lockorder_cpu *c = this_cpu();

    if (!IS_ENABLED(CONFIG_DEBUG)) {
        return true;
    }
    for (unsigned int i = 0; i < c->depth; i++) {
        if (c->cls[i] == cls) {
            return true;
        }
    }
    return false;
}

unsigned int lockorder_depth(void)
{
    return this_cpu()->depth;
}
