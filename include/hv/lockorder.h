/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run-time lock-order checking (debug builds).
 *
 * Every hypervisor lock that takes part in nesting carries a lock class: a name for messages
 * and a rank. The one global rule: a CPU may only acquire a lock whose rank is strictly above
 * the rank of every lock it already holds. Holding two locks of one class (two domains'
 * mapping locks, or one lock twice) therefore is a violation too. With CONFIG_DEBUG each CPU
 * keeps the stack of classed locks it holds (indexed by arch_cpu_id()), so an ordering bug is
 * reported the first time the wrong order runs, not when two CPUs finally deadlock on it.
 *
 * A violation panics in the hypervisor, naming both locks. Host unit tests install a handler
 * with lockorder_set_handler() to observe violations instead.
 *
 * Locks without a class (SPINLOCK_INIT) are not checked: use them only for leaf locks that
 * never nest (the console lock).
 */
#pragma once

#include <hv/types.h>

/* A lock class. Define with LOCK_CLASS(); compared by address. */
struct lock_class {
    const char *name;  /* for messages, e.g. "iommu.assign" */
    unsigned int rank; /* position in the global order: enum lock_rank */
};

/*
 * The documented global lock order, outermost first. A lock may be taken only while every
 * held lock has a lower rank. Keep gaps so that new classes slot in without renumbering.
 */
enum lock_rank {
    /* partition.lock: one partition's state and stage-2 table (core/partition/partition.c). */
    LOCK_RANK_PARTITION = 50,
    /* A virtual PCI function's lock (include/hv/vpci.h): its header and INTx state; its INTx
     * level changes take the vGIC's lock inside it. */
    LOCK_RANK_VPCI = 70,
    /* A vCPU's virtual-interrupt state (include/arch/irq.h), taken under a partition lock
     * or alone, never around another lock but the page pool's. */
    LOCK_RANK_VIRQ = 80,
    /* iommu_assign_lock: device assignment; serialises depth growth against assignment,
     * because growing rewrites the device-table / stream-table entry of every device. */
    LOCK_RANK_IOMMU_ASSIGN = 100,
    /* iommu_domain.map_lock: one domain's page table (map, unmap, grow). */
    LOCK_RANK_IOMMU_MAPPING = 200,
    /* An IOMMU unit's command queue / invalidation registers (drivers). */
    LOCK_RANK_IOMMU_HW = 300,
    /* The page allocator's pool lock: taken to allocate table pages under the mapping lock. */
    LOCK_RANK_PAGE_POOL = 500,
    /* Innermost: locks under which no other lock is ever taken. */
    LOCK_RANK_LEAF = 1000,
};

/*
 * Define lock class var with a name string and a rank (enum lock_rank). Release builds
 * (!CONFIG_DEBUG) keep no class in their locks, so a class only a static initialiser names
 * is unused there: __unused keeps -Werror quiet about it.
 */
#define LOCK_CLASS(var, lname, lrank) const struct lock_class var __unused = {(lname), (lrank)}

/* How many classed locks one CPU may hold at once (deeper nesting is itself a violation). */
#define LOCKORDER_MAX_HELD 8

/* What went wrong. */
enum lockorder_error {
    LOCKORDER_BAD_ORDER, /* wanted's rank is not above held's */
    LOCKORDER_TOO_DEEP,  /* more than LOCKORDER_MAX_HELD classed locks held */
    LOCKORDER_NOT_HELD,  /* release of a lock this CPU does not hold (held is NULL) */
};

/* One violation, as passed to a handler. */
struct lockorder_violation {
    enum lockorder_error error;
    unsigned int cpu;                /* arch_cpu_id() of the offending CPU */
    const struct lock_class *held;   /* the conflicting held lock's class (NULL if none) */
    const struct lock_class *wanted; /* the class being acquired or released */
};

/* A violation handler: returns to let the caller go on (tests); the default panics. */
typedef void (*lockorder_handler_t)(const struct lockorder_violation *v);

/*
 * Install handler (NULL restores the default, which panics with both lock names) and return
 * the previous one. For host tests; the hypervisor keeps the default.
 */
lockorder_handler_t lockorder_set_handler(lockorder_handler_t handler);

/*
 * Called by spin_lock() before it waits for a classed lock: check cls against every lock the
 * calling CPU holds, report a violation, then record lock as held (also after a violation, so
 * that the matching release balances). Checking before waiting turns a would-be deadlock into
 * a report. Any context; touches only the calling CPU's state.
 */
void lockorder_acquire(const struct lock_class *cls, const void *lock);

/* Called by spin_unlock(): forget lock (any position in the stack: release order is free). */
void lockorder_release(const struct lock_class *cls, const void *lock);

/*
 * Whether the calling CPU holds a lock of class cls, for assertions (BUG_ON(!lockorder_held(
 * &c))). Always true without CONFIG_DEBUG, where nothing is tracked.
 */
bool lockorder_held(const struct lock_class *cls);

/* Number of classed locks the calling CPU holds. */
unsigned int lockorder_depth(void);

/* Violations reported since boot (tests compare before and after). */
unsigned long lockorder_violations(void);

/* Short text for an error ("order", "too deep", "not held"). */
const char *lockorder_error_name(enum lockorder_error error);
