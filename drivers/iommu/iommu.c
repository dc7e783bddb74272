// SPDX-License-Identifier: Apache-2.0
/*
 * The generic IOMMU layer (include/hv/iommu.h): unit registry, domains, device assignment,
 * and the notify-before-map protocol that keeps depth growth out of the mapping path.
 *
 * Why notify-before-map: growing a domain's table replaces its root, so the device-table /
 * stream-table entry of every device of the domain must be rewritten and invalidated (AMD
 * IOMMU spec 2.2.2 DTE, 2.4 INVALIDATE_DEVTAB_ENTRY; SMMUv3 spec 4.3 CFGI_STE). That walk
 * needs the device-assignment lock, and a mapping path that already holds the domain mapping
 * lock must never take it (assignment -> mapping is the order). Growing inside map_pages
 * would invert the order; never growing would let a DFN beyond the reach alias onto an
 * in-range page on hardware that truncates (BRIEF §7, QEMU's AMD-Vi). So every mapping batch
 * first announces its highest DFN through iommu_notify_dfn(), which grows under both locks in
 * the right order, and map_pages refuses anything that was not announced.
 *
 * The core owns the I/O page table (dom->pt, the shared walker with the driver's format): it
 * allocates the root and grows it, maps, unmaps and frees, so the rules of the protocol are
 * written once. It also keeps the bookkeeping every driver would otherwise repeat: the
 * notified high-water mark, rollback of batches, IOTLB flushes after unmap (the walker's
 * flush hook calls the driver's iotlb_flush before freed table pages are reused), table-page
 * and mapped-page accounting and the console messages. Drivers only program their hardware
 * (struct iommu_ops). It never names an architecture or an IOMMU model.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/time.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/iommu.h>
#include <hv/lockorder.h>
#include <hv/panic.h>

#include "iommu_core.h"

LOCK_CLASS(iommu_assign_class, "iommu.assign", LOCK_RANK_IOMMU_ASSIGN);
LOCK_CLASS(iommu_mapping_class, "iommu.mapping", LOCK_RANK_IOMMU_MAPPING);

/*
 * The device-assignment lock. Global rather than per unit or per domain: growth rewrites the
 * entries of the domain's devices while assignment moves devices between domains, and both
 * are rare (boot, partition reset), so one lock is simplest and cannot be taken in two orders.
 */
spinlock_t iommu_assign_lock = SPINLOCK_INIT_CLASS(&iommu_assign_class);

static struct iommu *iommu_units;
static struct iommu_domain *iommu_domains;
static iommu_fault_cb_t iommu_fault_cb;

/*
 * The devices blocked most recently and the domain each left (iommu_domain_destroy(),
 * iommu_unassign_device()): the rest of a DMA burst still in the fault queue when its
 * partition was contained is attributed to that domain, not to "an unassigned device".
 * Written under the assignment lock, read lock-free by fault reports (only messages and the
 * idempotent fault callback depend on it).
 */
#define IOMMU_FORMER_MAX 16
static struct iommu_former {
    const struct iommu *iommu;
    uint32_t sid;
    struct iommu_domain *dom;
} iommu_former[IOMMU_FORMER_MAX];
static unsigned int iommu_former_next;

/*
 * Fault counts per stream (IOMMU_STREAM_FAULT_LIMIT): a small table, the least recently
 * faulting entry reused. Its lock is a leaf: nothing is taken inside it, and the driver's
 * assign_device(NULL) that disables a stream runs after it is released.
 */
static LOCK_CLASS(iommu_stream_class, "iommu.streams", LOCK_RANK_LEAF);
static spinlock_t iommu_stream_lock = SPINLOCK_INIT_CLASS(&iommu_stream_class);
static struct iommu_stream {
    const struct iommu *iommu; /* NULL: free */
    uint32_t sid;
    unsigned long faults; /* records since the stream's last assignment */
    unsigned long last;   /* iommu_stream_tick when it last faulted (reuse order) */
    bool disabled;        /* blocked by the core (once) */
} iommu_streams[IOMMU_STREAMS_TRACKED];
static unsigned long iommu_stream_tick;

/* The entry of stream sid of iommu, or NULL. Stream lock held. */
static struct iommu_stream *stream_find(const struct iommu *iommu, uint32_t sid)
{
    for (unsigned int i = 0; i < IOMMU_STREAMS_TRACKED; i++) {
        if (iommu_streams[i].iommu == iommu && iommu_streams[i].sid == sid) {
            return &iommu_streams[i];
        }
    }
    return NULL;
}

/*
 * Count n more faults of stream sid; true (once) when that takes it to the limit, with its
 * count in *total: the caller disables it.
 */
static bool stream_count(const struct iommu *iommu, uint32_t sid, unsigned long n,
                         unsigned long *total)
{
    struct iommu_stream *st;
    bool disable = false;

    spin_lock(&iommu_stream_lock);
    st = stream_find(iommu, sid);
    if (st == NULL) {
        st = &iommu_streams[0];
        for (unsigned int i = 0; i < IOMMU_STREAMS_TRACKED && st->iommu != NULL; i++) {
            if (iommu_streams[i].iommu == NULL || iommu_streams[i].last < st->last) {
                st = &iommu_streams[i];
            }
        }
        *st = (struct iommu_stream){.iommu = iommu, .sid = sid};
    }
    st->last = ++iommu_stream_tick;
    st->faults = st->faults > ~0UL - n ? ~0UL : st->faults + n;
    *total = st->faults;
    if (!st->disabled && st->faults >= IOMMU_STREAM_FAULT_LIMIT) {
        st->disabled = true;
        disable = true;
    }
    spin_unlock(&iommu_stream_lock);
    return disable;
}

bool iommu_stream_disabled(const struct iommu *iommu, uint32_t sid, unsigned long *faults)
{
    const struct iommu_stream *st;
    bool off;

    spin_lock(&iommu_stream_lock);
    st = stream_find(iommu, sid);
    off = st != NULL && st->disabled;
    if (faults != NULL) {
        *faults = st != NULL ? st->faults : 0;
    }
    spin_unlock(&iommu_stream_lock);
    return off;
}

void iommu_remember_former(const struct iommu_device *dev, struct iommu_domain *dom)
{
    struct iommu_former *f = &iommu_former[iommu_former_next++ % IOMMU_FORMER_MAX];

    WRITE_ONCE(f->iommu, NULL);
    WRITE_ONCE(f->sid, dev->sid);
    WRITE_ONCE(f->dom, dom);
    __atomic_store_n(&f->iommu, dev->iommu, __ATOMIC_RELEASE);
}

/* Highest DFN of count pages from first, or false when the range wraps around. */
static bool range_last(dfn_t first, size_t count, uint64_t *last)
{
    if (count == 0 || (uint64_t)count - 1 > UINT64_MAX - dfn_val(first)) {
        return false;
    }
    *last = dfn_val(first) + ((uint64_t)count - 1);
    return true;
}

/* Refresh the counters derived from the page table. Mapping lock held. */
static void domain_account(struct iommu_domain *dom)
{
    dom->stats.table_pages = (unsigned long)pt_table_pages(&dom->pt);
    dom->stats.table_pages_peak = MAX(dom->stats.table_pages_peak, dom->stats.table_pages);
    dom->stats.mapped_pages =
        dom->pt.depth != 0 ? (unsigned long)(pt_mapped_total(&dom->pt) >> PAGE_SHIFT) : 0;
}

/*
 * pt_mm_ops flush of every domain's table (the walker calls it after clearing entries and
 * before freeing the table pages it unlinked): the driver's IOTLB invalidation, whose error
 * is kept for the unmap that caused it. Mapping lock held.
 */
static int walker_flush(struct pgtable *pt, uint64_t in_addr, uint64_t size)
{
    struct iommu_domain *dom = container_of(pt, struct iommu_domain, pt);
    uint64_t pages = size >> PAGE_SHIFT;
    /* A flush the size of the address space (AMD-Vi Mode 6) is one of the whole domain. */
    size_t count = pages == 0 || pages > SIZE_MAX ? 0 : (size_t)pages;
    int err = dom->iommu->ops->iotlb_flush(dom, dfn(in_addr >> PAGE_SHIFT), count);

    if (err != 0) {
        hv_printf("iommu %s: domain %u: IOTLB flush of DFN %#llx (+%zu) failed: %s\n",
                  dom->iommu->name, dom->id, (unsigned long long)(in_addr >> PAGE_SHIFT), count,
                  errno_name(err));
        dom->flush_err = err;
    }
    return err; /* an error leaks the unlinked tables (the IOMMU may still walk them) */
}

int iommu_register(struct iommu *iommu)
{
    const struct iommu_ops *ops = iommu->ops;
    struct iommu **tail = &iommu_units;
    int err;

    /* The hooks without which notify-before-map or isolation cannot work are mandatory. */
    if (ops == NULL || ops->pt_fmt == NULL || ops->pt_mm == NULL || ops->init == NULL ||
        ops->reload == NULL || ops->iotlb_flush == NULL || ops->assign_device == NULL ||
        iommu->name == NULL || iommu->max_dfn == 0 || iommu->max_levels == 0 ||
        iommu->max_levels > ops->pt_fmt->max_depth || ops->pt_min_depth > iommu->max_levels) {
        return -EINVAL;
    }
    while (*tail != NULL) {
        if (*tail == iommu) {
            return -EEXIST;
        }
        tail = &(*tail)->next;
    }
    iommu->pt_mm = *ops->pt_mm;
    iommu->pt_mm.flush = walker_flush;
    err = ops->init(iommu);
    if (err != 0) {
        hv_printf("iommu %s: initialisation failed: %s\n", iommu->name, errno_name(err));
        return err;
    }
    iommu->next = NULL;
    *tail = iommu;
    return 0;
}

struct iommu *iommu_first(void)
{
    return iommu_units;
}

int iommu_domain_init(struct iommu_domain *dom, struct iommu *iommu, uint16_t id)
{
    struct iommu_domain *next = NULL, *d;
    bool listed = false;
    int err;

    /* Initialising a listed domain again (without destroy) must not list it twice. */
    for (d = iommu_domains; d != NULL; d = d->next_domain) {
        if (d == dom) {
            listed = true;
            next = dom->next_domain;
            break;
        }
    }
    *dom = (struct iommu_domain){0};
    dom->next_domain = next;
    dom->id = id;
    dom->iommu = iommu;
    spin_lock_init_class(&dom->map_lock, &iommu_mapping_class);
    if (iommu->ops->domain_init != NULL) {
        err = iommu->ops->domain_init(dom);
        if (err != 0) {
            hv_printf("iommu %s: domain %u: set-up failed: %s\n", iommu->name, id, errno_name(err));
            return err;
        }
    }
    /* Domains live as long as their partition; the list is only read by fault reports. */
    if (!listed) {
        spin_lock(&iommu_assign_lock);
        dom->next_domain = iommu_domains;
        __atomic_store_n(&iommu_domains, dom, __ATOMIC_RELEASE);
        spin_unlock(&iommu_assign_lock);
    }
    return 0;
}

void iommu_domain_destroy(struct iommu_domain *dom)
{
    const struct iommu_ops *ops = dom->iommu->ops;

    spin_lock(&iommu_assign_lock);
    /* Block the devices first: no DMA may walk the tables that are about to be freed. */
    while (dom->devices != NULL) {
        struct iommu_device *dev = dom->devices;
        int err = ops->assign_device(NULL, dev);

        if (err != 0) {
            /* Freeing tables a device may still walk would be a use-after-free by DMA. */
            panic("iommu %s: domain %u: cannot block device %#x: %s", dom->iommu->name, dom->id,
                  dev->sid, errno_name(err));
        }
        dom->devices = dev->next;
        dev->next = NULL;
        dev->domain = NULL;
        iommu_remember_former(dev, dom);
    }
    spin_lock(&dom->map_lock);
    if (dom->pt.depth != 0) {
        /* The devices are blocked; no IOTLB entry may outlive the pages about to be reused. */
        int err = ops->iotlb_flush(dom, dfn(0), 0);

        if (err != 0) {
            hv_printf("iommu %s: domain %u: IOTLB flush on destroy failed: %s\n", dom->iommu->name,
                      dom->id, errno_name(err));
        }
        pt_destroy(&dom->pt);
    }
    dom->pt = (struct pgtable){0};
    dom->notified_end = 0;
    domain_account(dom);
    spin_unlock(&dom->map_lock);
    /* Unlist it. A fault report walking the list concurrently may still step onto dom: its
     * next_domain is left intact and its memory stays valid (partitions are static). */
    for (struct iommu_domain **pp = &iommu_domains; *pp != NULL; pp = &(*pp)->next_domain) {
        if (*pp == dom) {
            __atomic_store_n(pp, dom->next_domain, __ATOMIC_RELEASE);
            break;
        }
    }
    spin_unlock(&iommu_assign_lock);
}

int iommu_assign_device(struct iommu_domain *dom, struct iommu_device *dev)
{
    int err = 0;

    if (dev->iommu == NULL || dev->iommu->ops != dom->iommu->ops) {
        return -EINVAL;
    }
    spin_lock(&iommu_assign_lock);
    if (dev->domain != NULL) {
        err = dev->domain == dom ? 0 : -EBUSY;
    } else {
        /* The mapping lock keeps the root and depth stable while the entry is written. */
        spin_lock(&dom->map_lock);
        err = dom->iommu->ops->assign_device(dom, dev);
        spin_unlock(&dom->map_lock);
    }
    if (err == 0 && dev->domain == NULL) {
        /* Its new entry translates: the stream's fault count starts over. */
        struct iommu_stream *st;

        spin_lock(&iommu_stream_lock);
        st = stream_find(dev->iommu, dev->sid);
        if (st != NULL) {
            *st = (struct iommu_stream){0};
        }
        spin_unlock(&iommu_stream_lock);
        dev->domain = dom;
        dev->next = dom->devices;
        /* Published for the lock-free fault lookup. */
        __atomic_store_n(&dom->devices, dev, __ATOMIC_RELEASE);
    }
    spin_unlock(&iommu_assign_lock);
    if (err != 0) {
        hv_printf("iommu %s: domain %u: assigning device %#x failed: %s\n", dom->iommu->name,
                  dom->id, dev->sid, errno_name(err));
    }
    return err;
}

/*
 * The locked part of iommu_notify_dfn(): make DFN last reachable in dom->pt, allocating the
 * root at the smallest depth that covers it (at least the driver's pt_min_depth) or growing
 * the table (pt_grow: a new root whose entry 0 is the old root, so every mapping stays
 * valid), then let the driver reload its entries. 0 (also when last was in reach already),
 * -ERANGE when it lies beyond max_dfn or needs more levels than the unit has, pt_init /
 * pt_grow's error (nothing changed, nothing leaked: pt_grow allocates every new level before
 * linking any) or the driver's. Both domain locks held.
 */
static int domain_reach(struct iommu_domain *dom, dfn_t last)
{
    const struct iommu *iommu = dom->iommu;
    uint64_t last_addr = dfn_val(last) << PAGE_SHIFT | (PAGE_SIZE - 1);
    unsigned int old = dom->pt.depth;
    int depth, err;

    if (dfn_val(last) > iommu->max_dfn) {
        return -ERANGE;
    }
    if (old != 0 && pt_covers(&dom->pt, last_addr)) {
        return 0;
    }
    depth = pt_depth_for(iommu->ops->pt_fmt, last_addr);
    if (depth < 0) {
        return depth;
    }
    depth = MAX(depth, (int)iommu->ops->pt_min_depth);
    if ((unsigned int)depth > iommu->max_levels) {
        return -ERANGE;
    }
    if (old == 0) {
        err = pt_init(&dom->pt, iommu->ops->pt_fmt, &iommu->pt_mm, iommu->pt_ctx,
                      (unsigned int)depth);
    } else {
        err = pt_grow(&dom->pt, (unsigned int)depth);
    }
    if (err != 0) {
        return err;
    }
    dom->stats.grows++;
    err = iommu->ops->reload(dom);
    if (err != 0) {
        return err;
    }
    hv_printf("iommu %s: domain %u: depth %u -> %u for DFN %#llx (root %#llx, %lu table "
              "pages)\n",
              iommu->name, dom->id, old, dom->pt.depth, (unsigned long long)dfn_val(last),
              (unsigned long long)hpa_val(dom->pt.root), (unsigned long)pt_table_pages(&dom->pt));
    return 0;
}

int iommu_notify_dfn(struct iommu_domain *dom, dfn_t last)
{
    int err;

    /* Order: assignment lock, then mapping lock (include/hv/lockorder.h). The driver
     * rewrites the entries of dom->devices, which the assignment lock keeps stable. */
    spin_lock(&iommu_assign_lock);
    spin_lock(&dom->map_lock);
    err = domain_reach(dom, last);
    dom->stats.notifies++;
    if (err == 0) {
        /* max_dfn < UINT64_MAX for every unit (input addresses are at most 64-bit
         * byte addresses), so last + 1 cannot wrap. */
        dom->notified_end = MAX(dom->notified_end, dfn_val(last) + 1);
    } else {
        dom->stats.notify_failures++;
    }
    domain_account(dom);
    spin_unlock(&dom->map_lock);
    spin_unlock(&iommu_assign_lock);
    if (err != 0) {
        hv_printf("iommu %s: domain %u: notify of DFN %#llx failed: %s; mapping aborted\n",
                  dom->iommu->name, dom->id, (unsigned long long)dfn_val(last), errno_name(err));
    }
    return err;
}

/*
 * Remove the mappings of [first, first + count), skipping what lies beyond the table's reach
 * (nothing can be mapped there) and a domain without a root. The walker flushes the IOTLB
 * for what it cleared (walker_flush); a failed flush is returned too. Mapping lock held.
 */
static int domain_unmap(struct iommu_domain *dom, dfn_t first, size_t count)
{
    uint64_t start = dfn_val(first) << PAGE_SHIFT;
    uint64_t size = (uint64_t)count << PAGE_SHIFT;
    uint64_t reach = pt_reach(&dom->pt); /* 0 without a root: nothing to unmap */
    int err;

    if (reach != UINT64_MAX) {
        if (start >= reach) {
            return 0;
        }
        size = MIN(size, reach - start);
    }
    dom->flush_err = 0;
    err = pt_unmap(&dom->pt, start, size);
    return err != 0 ? err : dom->flush_err;
}

int iommu_map_pages(struct iommu_domain *dom, dfn_t first, hpa_t hpa, size_t count,
                    unsigned int flags)
{
    /* Normal write-back (the IOMMUs handled are cache coherent for DMA), never executable. */
    const struct pt_attrs attrs = {
        .r = (flags & IOMMU_READ) != 0,
        .w = (flags & IOMMU_WRITE) != 0,
        .x = false,
        .type = PT_MEM_NORMAL_WB,
    };
    uint64_t last;
    int err;

    if (!range_last(first, count, &last) || (flags & ~(IOMMU_READ | IOMMU_WRITE)) != 0 ||
        (flags & (IOMMU_READ | IOMMU_WRITE)) == 0 || !IS_ALIGNED(hpa_val(hpa), PAGE_SIZE) ||
        (uint64_t)count > (UINT64_MAX - hpa_val(hpa)) >> PAGE_SHIFT) {
        return -EINVAL;
    }
    spin_lock(&dom->map_lock);
    if (last >= dom->notified_end) {
        /* Not announced: the table may not reach it, and map never grows. */
        dom->stats.refused++;
        spin_unlock(&dom->map_lock);
        hv_printf("iommu %s: domain %u: map of DFN %#llx refused: beyond the notified DFN "
                  "range (end %#llx); notify first\n",
                  dom->iommu->name, dom->id, (unsigned long long)last,
                  (unsigned long long)dom->notified_end);
        return -ERANGE;
    }
    /* Two phases (allocate every table, then write), so a failure maps nothing; beyond the
     * current reach, or without a root, it is -ERANGE (pt_check_range()): map never grows.
     * Only valid entries are cached by the IOMMUs handled (SMMUv3 3.21.1; AMD-Vi without
     * NpCache), so filling empty entries needs no invalidation. */
    err =
        pt_map(&dom->pt, dfn_val(first) << PAGE_SHIFT, hpa, (uint64_t)count << PAGE_SHIFT, &attrs);
    if (err == 0) {
        dom->stats.maps++;
    } else if (err == -ERANGE) {
        dom->stats.refused++;
    }
    domain_account(dom);
    spin_unlock(&dom->map_lock);
    if (err != 0) {
        hv_printf("iommu %s: domain %u: map of DFN %#llx (+%zu) failed: %s; nothing mapped\n",
                  dom->iommu->name, dom->id, (unsigned long long)dfn_val(first), count,
                  errno_name(err));
    }
    return err;
}

int iommu_unmap_pages(struct iommu_domain *dom, dfn_t first, size_t count)
{
    uint64_t last;
    int err;

    if (!range_last(first, count, &last)) {
        return -EINVAL;
    }
    spin_lock(&dom->map_lock);
    /* Stale IOTLB entries would let the device keep reaching the pages after the caller
     * hands them elsewhere: the walker's flush is part of unmap, not an option. */
    err = domain_unmap(dom, first, count);
    dom->stats.unmaps++;
    domain_account(dom);
    spin_unlock(&dom->map_lock);
    if (err != 0) {
        hv_printf("iommu %s: domain %u: unmap of DFN %#llx (+%zu) failed: %s\n", dom->iommu->name,
                  dom->id, (unsigned long long)dfn_val(first), count, errno_name(err));
    }
    return err;
}

const char *iommu_fault_name(enum iommu_fault_type type)
{
    static const char *const names[] = {
        [IOMMU_FAULT_TRANSLATION] = "translation",
        [IOMMU_FAULT_PERMISSION] = "permission",
        [IOMMU_FAULT_ACCESS] = "access",
        [IOMMU_FAULT_BLOCKED] = "blocked device",
    };

    return (unsigned int)type < ARRAY_SIZE(names) && names[type] != NULL ? names[type] : "other";
}

void iommu_set_fault_callback(iommu_fault_cb_t cb)
{
    __atomic_store_n(&iommu_fault_cb, cb, __ATOMIC_RELEASE);
}

/*
 * The domain that owns device sid of unit iommu, or NULL. Lock-free so that it may run in
 * the fault interrupt: domains are only ever added (release-published), and a device's
 * domain pointer is a single aligned word.
 */
static struct iommu_domain *fault_domain(const struct iommu *iommu, uint32_t sid, bool *former)
{
    unsigned int next = READ_ONCE(iommu_former_next);

    *former = false;
    for (struct iommu_domain *d = __atomic_load_n(&iommu_domains, __ATOMIC_ACQUIRE); d != NULL;
         d = d->next_domain) {
        for (const struct iommu_device *dev = READ_ONCE(d->devices); dev != NULL;
             dev = READ_ONCE(dev->next)) {
            if (dev->iommu == iommu && dev->sid == sid) {
                return READ_ONCE(dev->domain);
            }
        }
    }
    /* No owner now: the domain it left last, newest first. */
    for (unsigned int i = 1; i <= IOMMU_FORMER_MAX; i++) {
        const struct iommu_former *f = &iommu_former[(next - i) % IOMMU_FORMER_MAX];

        if (__atomic_load_n(&f->iommu, __ATOMIC_ACQUIRE) == iommu && READ_ONCE(f->sid) == sid) {
            *former = true;
            return READ_ONCE(f->dom);
        }
    }
    return NULL;
}

void iommu_report_fault(struct iommu *iommu, const struct iommu_fault *report)
{
    bool former;
    struct iommu_domain *dom = fault_domain(iommu, report->sid, &former);
    iommu_fault_cb_t cb = __atomic_load_n(&iommu_fault_cb, __ATOMIC_ACQUIRE);
    struct iommu_fault fault = *report;
    unsigned long n, total;

    /* Faults so far from the same source: the domain, or this unassigned device in a row
     * (the counters only pace the console; a race costs a line more or less). */
    if (dom == NULL && READ_ONCE(iommu->unassigned_sid) != fault.sid) {
        WRITE_ONCE(iommu->unassigned_sid, fault.sid);
        WRITE_ONCE(iommu->unassigned_faults, 0);
    }
    n = __atomic_fetch_add(dom != NULL ? &dom->stats.faults : &iommu->unassigned_faults, 1,
                           __ATOMIC_RELAXED);

    __atomic_fetch_add(&iommu->faults, 1, __ATOMIC_RELAXED);
    if (n < IOMMU_FAULTS_PRINTED && dom != NULL) {
        hv_printf("iommu %s: domain %u%s: DMA %s fault: device %#x %s %#llx (event %#x)\n",
                  iommu->name, dom->id, former ? " (device blocked)" : "",
                  iommu_fault_name(fault.type), fault.sid, fault.write ? "write" : "read",
                  (unsigned long long)fault.addr, fault.raw);
    } else if (n < IOMMU_FAULTS_PRINTED) {
        hv_printf("iommu %s: DMA %s fault: unassigned device %#x %s %#llx (event %#x)\n",
                  iommu->name, iommu_fault_name(fault.type), fault.sid,
                  fault.write ? "write" : "read", (unsigned long long)fault.addr, fault.raw);
    } else if (n == IOMMU_FAULTS_PRINTED && dom != NULL) {
        hv_printf("iommu %s: domain %u: further DMA faults are counted, not printed\n", iommu->name,
                  dom->id);
    } else if (n == IOMMU_FAULTS_PRINTED) {
        hv_printf("iommu %s: further DMA faults of unassigned devices are counted, not "
                  "printed\n",
                  iommu->name);
    }
    /* Past the per-stream limit: the stream is switched off at the unit, reported once. */
    fault.disabled_after = 0;
    if (stream_count(iommu, fault.sid, fault.count != 0 ? fault.count : 1, &total)) {
        /* Blocked like an unassigned device (iommu_ops.assign_device). */
        struct iommu_device blocked = {.iommu = iommu, .sid = fault.sid};
        int err = iommu->ops->assign_device(NULL, &blocked);

        if (err == 0) {
            fault.disabled_after = total;
            hv_printf("iommu %s: device %#x disabled after %lu faults\n", iommu->name, fault.sid,
                      total);
        } else {
            hv_printf("iommu %s: device %#x: %lu faults, cannot disable it: %s\n", iommu->name,
                      fault.sid, total, errno_name(err));
        }
    }
    if (cb != NULL) {
        cb(dom, &fault);
    }
}

void iommu_poll_faults(bool all)
{
    for (struct iommu *u = iommu_units; u != NULL; u = u->next) {
        if (u->ops->fault_handler != NULL && (all || !READ_ONCE(u->irq_on))) {
            u->ops->fault_handler(u);
        }
    }
}

int iommu_poll(const volatile void *p, enum iommu_poll_until until, uint64_t mask, uint64_t val)
{
    uint64_t start = arch_time_us();
    bool wide = until == IOMMU_UNTIL_EQ64 || until == IOMMU_UNTIL_NE64;
    bool ne = until == IOMMU_UNTIL_NE32 || until == IOMMU_UNTIL_NE64;

    while ((((wide ? mmio_read64(p) : mmio_read32(p)) & mask) == val) == ne) {
        if (arch_time_us() - start > IOMMU_POLL_TIMEOUT_US) {
            return -ETIMEDOUT;
        }
        arch_cpu_relax();
    }
    return 0;
}
