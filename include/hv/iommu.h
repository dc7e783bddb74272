/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generic IOMMU layer: one ops table per IOMMU driver (AMD-Vi, SMMUv3), one domain per
 * partition, devices assigned to domains, and the notify-before-map protocol.
 *
 * Notify-before-map. A domain's I/O page table starts without a root and grows in depth
 * only as far as the partition's DMA addresses need (a 128 MiB partition at 0x48000000 needs
 * 3 AMD-Vi levels, not 4..6). Growing replaces the root and rewrites the device-table /
 * stream-table entry of every device of the domain, so it must run under the
 * device-assignment lock, which no mapping path may take while holding a mapping lock. Hence
 * growth is pulled out of map:
 *
 *  1. every code path that installs mappings first calls iommu_notify_dfn(dom, last) once per
 *     batch, with the highest DFN of the batch. The core allocates the root if missing and
 *     grows the depth until last is in reach (a new root whose first entry points at the old
 *     root), then the driver's reload hook updates the device entries, invalidates them and
 *     the IOTLB and awaits completion;
 *  2. then map. iommu_map_pages() never allocates a root and never grows: a DFN above what
 *     has been notified, or out of the table's reach, fails with -ERANGE and changes nothing.
 *
 * iommu_map_range() / iommu_map_batch() do both steps. A failed notify aborts the caller's
 * mapping with a console message (domain, DFN, error) and nothing mapped; a failure part-way
 * through a batch unmaps what the batch had mapped. Mapping is all-or-nothing.
 *
 * Lock order (include/hv/lockorder.h, checked at run time in debug builds):
 *     iommu device-assignment lock (global)  ->  domain mapping lock  ->  driver HW locks
 * iommu_notify_dfn() and device assignment take the first two; map and unmap take the
 * mapping lock only. Callers of every entry point below hold no IOMMU lock.
 *
 * Drivers register their units with iommu_register() from a boot unit (HV_UNIT) after
 * probing; every device of a unit is blocked until assigned.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/pgtable.h>
#include <hv/spinlock.h>
#include <hv/types.h>

struct iommu;
struct iommu_domain;
struct iommu_device;
struct iommu_fault;

/* Mapping permissions (flags of map calls): at least one of them. */
#define IOMMU_READ (1u << 0)  /* device may read the page */
#define IOMMU_WRITE (1u << 1) /* device may write the page */

/*
 * An IOMMU driver: only what differs between IOMMU models. The core owns the I/O page table
 * (dom->pt, the shared walker of core/mm/pgtable.c): it allocates the root and grows it in
 * iommu_notify_dfn(), maps and unmaps, frees the tables on destroy, and keeps the
 * bookkeeping. A driver names its table format and table memory, and implements the
 * hardware side: reloading the device-table / stream-table entries after the root changed,
 * IOTLB invalidation, device assignment and its fault queue. Every hook returns 0 or a
 * negative errno. "Domain locks" below means the device-assignment lock and dom->map_lock;
 * drivers take only their own HW locks (rank LOCK_RANK_IOMMU_HW) inside hooks and never call
 * back into the iommu_* entry points.
 */
struct iommu_ops {
    /* The I/O page-table format (AMD-Vi: pt_fmt_amdvi; SMMUv3 stage 2: pt_fmt_arm_s2_4k). */
    const struct pt_format *pt_fmt;
    /* The smallest depth a root may have (SMMUv3 stage 2 with 4 KiB pages: 2). */
    unsigned int pt_min_depth;
    /*
     * Table memory: alloc_table / free_table / phys_to_virt with ctx = iommu->pt_ctx, and sync
     * for a walker that does not snoop CPU caches. Its flush is ignored: the core's walker
     * flush calls iotlb_flush.
     */
    const struct pt_mm_ops *pt_mm;

    /*
     * Bring up unit iommu (tables, queues, enable) with every device blocked: a device's DMA
     * faults until iommu_assign_device(). Called once by iommu_register(), no lock held.
     */
    int (*init)(struct iommu *iommu) __must_check;

    /*
     * Check that the unit can hold a new domain (dom->id and dom->iommu are set, dom->pt is
     * zeroed), e.g. that the id fits its domain-id field. Optional. No lock held.
     */
    int (*domain_init)(struct iommu_domain *dom) __must_check;

    /*
     * The root or depth of dom->pt changed (iommu_notify_dfn allocated or grew it): write the
     * entry of every device on dom->devices for the new root and depth, invalidate those
     * entries and the whole IOTLB of dom (cached walks of the old root), and wait for
     * completion. On error the core keeps the new root (the old one is its entry 0, so every
     * mapping stays valid) and fails the notify. Both domain locks held.
     */
    int (*reload)(struct iommu_domain *dom) __must_check;

    /*
     * Invalidate the IOTLB of dom for count pages from dfn, or for the whole domain when count
     * is 0, and wait. Called after unmaps (through the walker's flush, before freed table
     * pages are reused) and before a domain's tables are freed. Mapping lock held.
     */
    int (*iotlb_flush)(struct iommu_domain *dom, dfn_t dfn, size_t count) __must_check;

    /*
     * Point dev's device-table / stream-table entry at dom (dom->pt.root and depth; a
     * domain without a root yet translates nothing, so the device stays blocked until the
     * first notify installs one) or, with dom NULL, block dev. Invalidate the entry and wait.
     * -EINVAL when dev->sid is beyond what the unit serves. Called with both domain locks of
     * dom held (only the assignment lock when dom is NULL). A blocked entry aborts every
     * transaction and records nothing more (SMMUv3: STE V=1 Config=abort; AMD-Vi: DTE V=1
     * TV=1 mode 0, IR=IW=0), which is also how the core disables a stream that faulted
     * IOMMU_STREAM_FAULT_LIMIT times: from a fault report (the fault interrupt or polling),
     * dom NULL and no domain lock held, until the stream's next assignment.
     */
    int (*assign_device)(struct iommu_domain *dom, struct iommu_device *dev) __must_check;

    /*
     * Drain the unit's fault / event queue, passing each record to iommu_report_fault().
     * Called from the fault interrupt or iommu_poll_faults(); no domain lock held. Optional.
     */
    void (*fault_handler)(struct iommu *iommu);

    /*
     * Turn the unit's fault interrupts (iommu->irq[]) on at the unit (SMMUv3: IRQ_CTRL
     * EVENTQ_IRQEN | GERROR_IRQEN, wired rather than MSI); after the core has claimed them.
     * Optional (a unit without it is polled).
     */
    int (*irq_enable)(struct iommu *iommu) __must_check;
};

/* Fault interrupts of one unit, at most (SMMUv3: event queue and GERROR). */
#define IOMMU_MAX_IRQS 2
/* Cells of one DT interrupt specifier the driver keeps, at most (GICv3: 3). */
#define IOMMU_IRQ_CELLS_MAX 4

/*
 * One IOMMU unit. Drivers embed it in their own unit structure (container_of) and fill in
 * the fields marked "driver" before iommu_register().
 */
struct iommu {
    const struct iommu_ops *ops; /* driver */
    const char *name;            /* driver: for messages, e.g. "amd-vi@fed80000" */
    uint64_t base;               /* driver: MMIO base, as the IOMMU's DT node reg names it */
    uint64_t max_dfn;            /* driver: highest DFN the unit can translate at full depth */
    unsigned int max_levels;     /* driver: deepest table the unit supports */
    void *pt_ctx;                /* driver: ctx of its table memory (ops->pt_mm) */
    struct pt_mm_ops pt_mm;      /* core: ops->pt_mm with the core's IOTLB flush */
    /* driver: its wired fault interrupts as the DT specifies them ("interrupts" entries,
     * irq_cells cells each, host order), decoded by the core with arch_irq_from_dt() */
    uint32_t irq_spec[IOMMU_MAX_IRQS][IOMMU_IRQ_CELLS_MAX];
    unsigned int irq_cells;          /* driver: cells per specifier */
    unsigned int nr_irqs;            /* driver: how many; 0 = none wired (polled) */
    bool irq_edge;                   /* driver: they are edge-triggered */
    uint32_t irq[IOMMU_MAX_IRQS];    /* core: the decoded interrupt numbers */
    bool irq_on;                     /* core: claimed and enabled (no polling needed) */
    unsigned int irq_cpu;            /* core: the CPU they are routed to */
    unsigned long faults;            /* core: faults reported by this unit */
    unsigned long unassigned_faults; /* core: faults in a row of one device of no domain */
    uint32_t unassigned_sid;         /* core: that device */
    struct iommu *next;              /* core: the registry list */
};

/*
 * A DMA-capable device as the IOMMU sees it: the unit that translates it and its requester
 * id (AMD-Vi DeviceID = PCI BDF; SMMUv3 StreamID). Owned by the caller (partition setup);
 * the core links it into its domain.
 */
struct iommu_device {
    struct iommu *iommu;         /* unit behind which the device sits */
    uint32_t sid;                /* requester / stream id */
    struct iommu_domain *domain; /* core: owner, NULL while blocked */
    struct iommu_device *next;   /* core: next device of the same domain */
};

/* Per-domain counters (read them under no lock; they are for reports and tests). */
struct iommu_domain_stats {
    unsigned long notifies;         /* iommu_notify_dfn() calls (once per batch) */
    unsigned long notify_failures;  /* of which failed */
    unsigned long grows;            /* core: root allocations + depth increases */
    unsigned long table_pages;      /* core: dom->pt table pages now (root included) */
    unsigned long table_pages_peak; /* core: the most table_pages has been after a call */
    unsigned long mapped_pages;     /* core: 4 KiB pages mapped now */
    unsigned long maps;             /* core: successful iommu_map_pages() calls */
    unsigned long unmaps;           /* core: iommu_unmap_pages() calls */
    unsigned long refused;          /* core: map calls refused (out of notified reach) */
    unsigned long rollbacks;        /* core: failed maps / batches that were unmapped again */
    unsigned long faults;           /* core: DMA faults reported for the domain's devices */
};

/*
 * An IOMMU domain: the DMA address space of one partition. Owned by the partition; set up
 * with iommu_domain_init(). Fields are read by drivers under the domain locks.
 */
struct iommu_domain {
    uint16_t id;                  /* domain id (AMD-Vi DomainID, SMMUv3 VMID): partition id */
    struct iommu *iommu;          /* the unit (and so the driver) that owns the page table */
    struct pgtable pt;            /* core: the I/O page table (shared formats,
                                   * core/mm/pgtable.c); pt.depth == 0 until the first notify */
    uint64_t notified_end;        /* core: DFNs below this were notified; 0 = none yet */
    int flush_err;                /* core: last IOTLB flush error of an unmap (map_lock) */
    spinlock_t map_lock;          /* class iommu.mapping: pt, notified_end, stats */
    struct iommu_device *devices; /* core: assigned devices (assignment lock) */
    struct iommu_domain_stats stats;
    struct iommu_domain *next_domain; /* core: every initialised domain (fault lookup) */
};

/* One range of a batch. */
struct iommu_map_req {
    dfn_t dfn;          /* first DFN */
    hpa_t hpa;          /* first host page, 4 KiB aligned */
    size_t count;       /* pages, > 0 */
    unsigned int flags; /* IOMMU_READ | IOMMU_WRITE */
};

/* Kinds of DMA fault, as drivers classify them. */
enum iommu_fault_type {
    IOMMU_FAULT_TRANSLATION, /* no mapping (or beyond the table's reach) */
    IOMMU_FAULT_PERMISSION,  /* mapping forbids the access */
    IOMMU_FAULT_ACCESS,      /* access-flag fault */
    IOMMU_FAULT_BLOCKED,     /* device not assigned / entry blocks it */
    IOMMU_FAULT_OTHER,       /* anything else; raw has the driver's code */
};

/* One DMA fault, as a driver reports it. */
struct iommu_fault {
    enum iommu_fault_type type;
    uint32_t sid;                 /* requester / stream id */
    uint64_t addr;                /* faulting input address (bytes) */
    bool write;                   /* the access was a write */
    uint32_t raw;                 /* driver-specific event code, for the message */
    unsigned long count;          /* driver: records this report stands for (a merged run); 0 = 1 */
    unsigned long disabled_after; /* core: non-zero once, when this report made the core
                                   * disable the stream: its fault count then */
};

/*
 * Called for each reported fault after it is printed: dom is the device's domain, or the one
 * it left when it was blocked recently (the rest of a burst already queued when its
 * partition was contained: "domain N (device blocked)"), else NULL (a device never assigned).
 */
typedef void (*iommu_fault_cb_t)(struct iommu_domain *dom, const struct iommu_fault *fault);

/*
 * Register unit iommu: call its ops->init() and add it to the registry. 0, -EINVAL (fields
 * missing), -EEXIST (already registered) or the init error. Boot CPU.
 */
int iommu_register(struct iommu *iommu) __must_check;

/* Registered units, in registration order: for (it = iommu_first(); it; it = it->next). */
struct iommu *iommu_first(void);

/*
 * Set up dom (a partition's domain, id = partition id) on unit iommu: no root, no device,
 * nothing notified; dom is listed for fault reports until iommu_domain_destroy(). Its memory
 * must outlive the hypervisor's use of it (partitions are static). 0 or the driver's
 * domain_init error.
 */
int iommu_domain_init(struct iommu_domain *dom, struct iommu *iommu, uint16_t id) __must_check;

/*
 * Block every device of dom, free its tables, reset it and unlist it (iommu_domain_init()
 * may set it up again). Takes both domain locks.
 */
void iommu_domain_destroy(struct iommu_domain *dom);

/*
 * Assign dev to dom (its DMA then translates through dom's table). -EBUSY when dev belongs to
 * another domain, -EINVAL when dev sits behind a unit of another driver, else the driver's
 * error (dev stays blocked). Takes the assignment lock, then dom's mapping lock.
 */
int iommu_assign_device(struct iommu_domain *dom, struct iommu_device *dev) __must_check;

/* Take dev away from its domain and block its DMA. Takes the assignment lock. Test builds
 * only (drivers/iommu/iommu_unassign.c, CONFIG_IOMMU_SELFTEST) and the host unit tests. */
int iommu_unassign_device(struct iommu_device *dev) __must_check;

/*
 * Announce that DFNs up to last are about to be mapped: the core allocates the root or grows
 * the depth as needed (every new level allocated before any is linked) and the driver
 * reloads its device entries. Call once per batch with the batch's highest DFN, holding no
 * IOMMU lock; takes the assignment lock, then dom's mapping lock. 0; -ERANGE when last is
 * beyond the unit's input range or its levels; -ENOMEM (the table is unchanged) or the
 * driver's reload error (the grown table is kept: the old root is its entry 0); either with
 * a console message naming domain, DFN and error, and nothing more notified.
 */
int iommu_notify_dfn(struct iommu_domain *dom, dfn_t last) __must_check;

/*
 * Map count pages from dfn to hpa with flags, all or nothing. Never grows: -ERANGE (nothing
 * changed, console message) when a page lies at or above dom->notified_end or out of the
 * table's reach. -EINVAL for count 0, an unaligned hpa, bad flags or an overflowing range;
 * -EEXIST (a page already mapped) or -ENOMEM (a table): nothing mapped (the walker allocates
 * every table before it writes an entry). Takes dom's mapping lock.
 */
int iommu_map_pages(struct iommu_domain *dom, dfn_t dfn, hpa_t hpa, size_t count,
                    unsigned int flags) __must_check;

/*
 * Unmap count pages from dfn (unmapped pages are skipped) and flush the IOTLB for them
 * (the driver's iotlb_flush, before freed table pages are reused). 0, -EINVAL (count 0 or
 * overflow), the walker's or the flush's error. Takes dom's mapping lock.
 */
int iommu_unmap_pages(struct iommu_domain *dom, dfn_t dfn, size_t count) __must_check;

/*
 * Notify-then-map a batch: one iommu_notify_dfn() with the highest DFN of all n requests,
 * then iommu_map_pages() for each. All or nothing: on any failure the requests already
 * mapped are unmapped again and a console message names the domain, the failing DFN and the
 * error, which is returned (-EINVAL for an empty or malformed batch, nothing done).
 * drivers/iommu/iommu_batch.c: linked into test builds (CONFIG_IOMMU_SELFTEST) and host
 * tests only; the partition DMA path (core/partition/dma.c) makes the two calls itself.
 */
int iommu_map_batch(struct iommu_domain *dom, const struct iommu_map_req *reqs,
                    size_t n) __must_check;

/* iommu_map_batch() of the single range [dfn, dfn + count). */
int iommu_map_range(struct iommu_domain *dom, dfn_t dfn, hpa_t hpa, size_t count,
                    unsigned int flags) __must_check;

/*
 * Record a DMA fault of unit iommu (drivers, from fault_handler): count it, print it with
 * the owning domain (found by sid) and pass it to the fault callback. Printing is rate
 * limited: the first IOMMU_FAULTS_PRINTED faults of a domain (of a domain build: a reset
 * starts over) and of a run of faults from one unassigned device, then one line saying the
 * rest are only counted; a blocked DMA may raise an event per 4 bytes (QEMU). Any context.
 */
#define IOMMU_FAULTS_PRINTED 8
void iommu_report_fault(struct iommu *iommu, const struct iommu_fault *fault);

/*
 * A stream (unit + stream id) that has faulted this many times (records, counted across
 * reports, from its last assignment) is disabled: the driver's assign_device(NULL) makes its
 * entry abort without recording, so a device that keeps faulting can neither flood the fault
 * queue nor keep a CPU busy draining it. Reported once ("device 0x10 disabled after 64
 * faults"), and the report that crossed the limit carries disabled_after to the callback.
 * Counted per stream, not per domain: one faulting master of a partition does not use up the
 * budget of the others. The count restarts when the stream is assigned again.
 */
#define IOMMU_STREAM_FAULT_LIMIT 64

/* Streams whose fault counts the core keeps at a time (the least recent is reused). */
#define IOMMU_STREAMS_TRACKED 32

/* Whether the core has disabled stream sid of unit iommu (past the limit); with faults, also
 * its fault count since its last assignment. */
bool iommu_stream_disabled(const struct iommu *iommu, uint32_t sid, unsigned long *faults);

/* Install the fault callback (partition code stops the offending partition); NULL = none. */
void iommu_set_fault_callback(iommu_fault_cb_t cb);

/*
 * For the drivers, whose waits for their hardware (command completion, queue space, register
 * acknowledgements) have no interrupt: poll the 32- or 64-bit register or memory word at p,
 * with arch_cpu_relax() between reads, until its bits in mask equal val (..._EQ..) or differ
 * from it (..._NE..), or IOMMU_POLL_TIMEOUT_US have passed. 0, or -ETIMEDOUT.
 */
#define IOMMU_POLL_TIMEOUT_US 100000u
enum iommu_poll_until { IOMMU_UNTIL_EQ32, IOMMU_UNTIL_NE32, IOMMU_UNTIL_EQ64, IOMMU_UNTIL_NE64 };
int iommu_poll(const volatile void *p, enum iommu_poll_until until, uint64_t mask,
               uint64_t val) __must_check;

/*
 * Run the fault_handler of every registered unit whose interrupts are not claimed (polling,
 * where no interrupt is wired), or of every unit when all (the end of a run: the last records
 * of a burst, before the verdict).
 */
void iommu_poll_faults(bool all);

/* Short name of a fault type ("translation", ...). */
const char *iommu_fault_name(enum iommu_fault_type type);

/*
 * The lock classes of the two IOMMU core locks (include/hv/lockorder.h), for assertions in
 * drivers, e.g. lockorder_held(&iommu_assign_class) in notify_dfn.
 */
extern const struct lock_class iommu_assign_class;  /* rank LOCK_RANK_IOMMU_ASSIGN */
extern const struct lock_class iommu_mapping_class; /* rank LOCK_RANK_IOMMU_MAPPING */
