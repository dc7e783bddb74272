// SPDX-License-Identifier: Apache-2.0
/*
 * AMD-Vi IOMMU driver (AMD I/O Virtualization Technology (IOMMU) Specification rev 3.x).
 *
 * Probe: the IVRS table (through arch_acpi_table()) names each IOMMU's MMIO base and the
 * requester ids behind it; one unit per distinct base. Per unit: a device table sized for the
 * highest bus the IVRS mentions, every entry blocking (V = 1, TV = 1, Mode 0, IR = IW = 0); a
 * 256-entry command ring; a 256-entry event log; then IOMMUEn | EventLogEn | CmdBufEn.
 *
 * Domains use the shared AMD-Vi page-table format (core/mm/pgtable_amdvi.c, pt_fmt_amdvi),
 * owned by the IOMMU core: the table depth is the DTE Mode. When the core has allocated or
 * grown a root (notify), reload rewrites the DTE of every device of the domain, then
 * INVALIDATE_DEVTAB_ENTRY + INVALIDATE_IOMMU_PAGES + COMPLETION_WAIT.
 *
 * Every register write is 64 bits wide: QEMU latches the base registers on 8-byte writes
 * only (BRIEF §8). Commands complete through COMPLETION_WAIT with a store to memory, polled
 * with a time limit (no interrupts are wired). Locking: the unit's hw_lock (rank
 * LOCK_RANK_IOMMU_HW) serialises the command ring and device-table writes; callers hold the
 * domain locks as include/hv/iommu.h states.
 */
#include <arch/acpi.h>
#include <arch/io.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/iommu.h>
#include <hv/lockorder.h>
#include <hv/page_alloc.h>
#include <hv/printf.h>
#include <hv/string.h>

#include "amdvi.h"
#include "amdvi_hw.h"
#include "ivrs.h"

/* Ring sizes: 2^8 = 256 entries of 16 bytes = one 4 KiB page each (3.4.2, 3.4.3). */
#define RING_LOG2 8
#define RING_ENTRIES (1u << RING_LOG2)
/* The highest DFN a Mode 6 table translates: 64-bit device addresses (2.2.3). */
#define AMDVI_MAX_DFN ((UINT64_C(1) << (64 - PAGE_SHIFT)) - 1)

static LOCK_CLASS(amdvi_hw_class, "amd-vi.hw", LOCK_RANK_IOMMU_HW);

struct amdvi_unit amdvi_units[AMDVI_MAX_UNITS];
unsigned int amdvi_nunits;

static struct amdvi_unit *to_unit(struct iommu *iommu)
{
    return container_of(iommu, struct amdvi_unit, iommu);
}

static uint64_t reg_read(const struct amdvi_unit *u, unsigned int off)
{
    return mmio_read64(u->mmio + off);
}

static void reg_write(const struct amdvi_unit *u, unsigned int off, uint64_t val)
{
    mmio_write64(u->mmio + off, val);
}

/* --- Command ring ---------------------------------------------------------------------- */

/* Queue one command; hw_lock held. -ETIMEDOUT when the ring stays full. */
static int cmd_queue(struct amdvi_unit *u, const struct amdvi_cmd *cmd)
{
    uint32_t next = (u->cmd_tail + 1) % RING_ENTRIES;
    /* Full when the tail would catch up with the head (3.3.1: head == tail means empty); the
     * head register holds the byte offset of the entry. */
    int err = iommu_poll(u->mmio + AMDVI_CMDBUF_HEAD, IOMMU_UNTIL_NE64,
                         (RING_ENTRIES - 1) * AMDVI_CMD_SIZE, (uint64_t)next * AMDVI_CMD_SIZE);

    if (err != 0) {
        return err;
    }
    WRITE_ONCE(u->cmdbuf[u->cmd_tail].q[0], cmd->q[0]);
    WRITE_ONCE(u->cmdbuf[u->cmd_tail].q[1], cmd->q[1]);
    u->cmd_tail = next;
    /* The command bytes must be visible before the IOMMU sees the new tail. */
    dma_wmb();
    reg_write(u, AMDVI_CMDBUF_TAIL, (uint64_t)next * AMDVI_CMD_SIZE);
    return 0;
}

/*
 * COMPLETION_WAIT with a store (2.4.1): every command queued before it has completed once the
 * IOMMU has written the sequence number to the semaphore. hw_lock held.
 */
static int cmd_sync(struct amdvi_unit *u)
{
    uint64_t seq = ++u->sem_seq;
    struct amdvi_cmd c = amdvi_cmd_completion_wait(u->sem_pa, seq);
    int err = cmd_queue(u, &c);

    if (err != 0) {
        return err;
    }
    err = iommu_poll(u->sem, IOMMU_UNTIL_EQ64, UINT64_MAX, seq);
    if (err != 0) {
        hv_printf("%s: COMPLETION_WAIT %llu timed out (status %#llx)\n", u->iommu.name,
                  (unsigned long long)seq, (unsigned long long)reg_read(u, AMDVI_STATUS));
        return err;
    }
    u->stats.syncs++;
    return 0;
}

/* Queue n commands then wait for all of them; hw_lock held. */
int amdvi_cmd_run(struct amdvi_unit *u, const struct amdvi_cmd *cmds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int err = cmd_queue(u, &cmds[i]);

        if (err != 0) {
            return err;
        }
    }
    return cmd_sync(u);
}

/* --- Device table ---------------------------------------------------------------------- */

/*
 * Write the DTE of devid. The hardware may fetch a DTE at any time: the upper quadwords go
 * first and bits 63:0 (V, TV, Mode, root) last with one 64-bit store, so the entry is never
 * seen half-written (a live entry changing only its root and mode flips atomically).
 * hw_lock held. The caller invalidates the entry afterwards.
 */
void amdvi_dte_write(struct amdvi_unit *u, uint16_t devid, const struct amdvi_dte *dte)
{
    struct amdvi_dte *e = &u->devtab[devid];

    WRITE_ONCE(e->q[3], dte->q[3]);
    WRITE_ONCE(e->q[2], dte->q[2]);
    WRITE_ONCE(e->q[1], dte->q[1]);
    /* The IOMMU may read the entry at any time: quadword 0 (V, TV, mode, root) goes last. */
    dma_wmb();
    WRITE_ONCE(e->q[0], dte->q[0]);
}

/* Whether the IVRS device entries of u name requester id id. */
static bool ivrs_names(const struct amdvi_unit *u, uint16_t id)
{
    for (unsigned int i = 0; i < u->nranges; i++) {
        if (id >= u->ranges[i].first && id <= u->ranges[i].last) {
            return true;
        }
    }
    return false;
}

/* The DTE a device of dom gets now: translating once dom has a root, blocking before. */
static struct amdvi_dte dte_for(const struct iommu_domain *dom)
{
    if (dom == NULL) {
        return amdvi_dte_blocked(0);
    }
    if (dom->pt.depth == 0) {
        return amdvi_dte_blocked(dom->id);
    }
    /* IR/IW in the DTE are the device-wide ceiling; each leaf PTE narrows it (2.2.3). */
    return amdvi_dte_translate(dom->pt.root, dom->pt.depth, dom->id, true, true);
}

/* --- iommu_ops ------------------------------------------------------------------------- */

static int amdvi_init(struct iommu *iommu)
{
    struct amdvi_unit *u = to_unit(iommu);
    struct amdvi_dte blocked = amdvi_dte_blocked(0);
    uint8_t *va;
    hpa_t pa;
    int err;

    u->mmio = arch_iomap(u->mmio_base, AMDVI_MMIO_SIZE);
    if (u->mmio == NULL) {
        return -ENODEV;
    }
    /* Quiesce whatever firmware left running before the tables change under it (3.4.3). */
    reg_write(u, AMDVI_CONTROL, 0);
    u->efr = reg_read(u, AMDVI_EXT_FEATURES);
    /* EFR HATS (3.4.5): host page tables may have 4 + HATS levels (11b reserved). Without
     * an EFR (all zero) the unit predates the field: assume the full 6 levels. */
    if (u->efr != 0 && amdvi_efr_hats(u->efr) < 3) {
        iommu->max_levels = 4 + amdvi_efr_hats(u->efr);
        if (iommu->max_levels < AMDVI_MAX_MODE) {
            iommu->max_dfn =
                (UINT64_C(1) << (pt_reach_bits(&pt_fmt_amdvi, iommu->max_levels) - PAGE_SHIFT)) - 1;
        }
    }

    /* One zeroed allocation: the device table, then a page each for the command buffer, the
     * event log and the completion semaphore (all 4 KiB aligned, 3.3.1-3.3.3). */
    err = page_alloc(&hv_page_pool, u->devtab_pages + 3, 1, &pa);
    if (err != 0) {
        return err;
    }
    va = page_to_virt(&hv_page_pool, pa);
    u->devtab_pa = pa;
    u->devtab = (struct amdvi_dte *)va;
    u->cmdbuf_pa = hpa(hpa_val(pa) + (uint64_t)u->devtab_pages * PAGE_SIZE);
    u->cmdbuf = (void *)(va + (size_t)u->devtab_pages * PAGE_SIZE);
    u->evtlog_pa = hpa(hpa_val(u->cmdbuf_pa) + PAGE_SIZE);
    u->evtlog = (void *)((uint8_t *)u->cmdbuf + PAGE_SIZE);
    u->sem_pa = hpa(hpa_val(u->evtlog_pa) + PAGE_SIZE);
    u->sem = (void *)((uint8_t *)u->evtlog + PAGE_SIZE);
    for (uint32_t id = 0; id < u->devtab_pages * (PAGE_SIZE / AMDVI_DTE_SIZE); id++) {
        u->devtab[id] = blocked;
    }

    reg_write(u, AMDVI_DEVTAB_BASE, amdvi_devtab_reg(u->devtab_pa, u->devtab_pages));
    reg_write(u, AMDVI_CMDBUF_BASE, amdvi_ring_reg(u->cmdbuf_pa, RING_LOG2));
    reg_write(u, AMDVI_EVTLOG_BASE, amdvi_ring_reg(u->evtlog_pa, RING_LOG2));
    reg_write(u, AMDVI_CMDBUF_HEAD, 0);
    reg_write(u, AMDVI_CMDBUF_TAIL, 0);
    reg_write(u, AMDVI_EVTLOG_HEAD, 0);
    reg_write(u, AMDVI_EVTLOG_TAIL, 0);
    reg_write(u, AMDVI_STATUS,
              AMDVI_STATUS_EVT_OVERFLOW | AMDVI_STATUS_EVT_INT | AMDVI_STATUS_COMWAIT_INT);
    u->cmd_tail = 0;
    u->evt_head = 0;
    reg_write(u, AMDVI_CONTROL, AMDVI_CTRL_IOMMU_EN | AMDVI_CTRL_EVTLOG_EN | AMDVI_CTRL_CMDBUF_EN);

    /* Prove the command path before anything depends on it: a first COMPLETION_WAIT. */
    spin_lock(&u->hw_lock);
    err = cmd_sync(u);
    spin_unlock(&u->hw_lock);
    if (err != 0) {
        return err;
    }
    hv_printf("%s: devtab %#llx (%u pages, ids 0..%#x), cmdbuf %#llx, evtlog %#llx, efr %#llx "
              "(%u levels), status %#llx\n",
              iommu->name, (unsigned long long)hpa_val(u->devtab_pa), u->devtab_pages,
              u->devtab_pages * (unsigned int)(PAGE_SIZE / AMDVI_DTE_SIZE) - 1,
              (unsigned long long)hpa_val(u->cmdbuf_pa), (unsigned long long)hpa_val(u->evtlog_pa),
              (unsigned long long)u->efr, iommu->max_levels,
              (unsigned long long)reg_read(u, AMDVI_STATUS));
    return 0;
}

/*
 * Write dte as the entry of every requester id whose DTE governs DMA of sid: sid itself and,
 * when the IVRS says requests of sid reach the IOMMU under another id (alias entries
 * 42h/43h), that alias; and queue the invalidation of both cached copies. -EINVAL for a sid
 * beyond the device table. hw_lock held.
 */
static int dte_queue(struct amdvi_unit *u, uint32_t sid, struct amdvi_dte dte)
{
    uint16_t ids[2] = {(uint16_t)sid};
    unsigned int n = 1;
    int err = 0;

    if (sid >= u->devtab_pages * (PAGE_SIZE / AMDVI_DTE_SIZE)) {
        return -EINVAL;
    }
    for (unsigned int i = 0; i < u->nranges && n == 1; i++) {
        const struct amdvi_range *r = &u->ranges[i];

        if (r->has_alias && sid >= r->first && sid <= r->last && r->alias != sid) {
            ids[n++] = r->alias;
        }
    }
    for (unsigned int i = 0; i < n && err == 0; i++) {
        struct amdvi_cmd c = amdvi_cmd_inv_devtab_entry(ids[i]);

        amdvi_dte_write(u, ids[i], &dte);
        err = cmd_queue(u, &c);
    }
    return err;
}

/*
 * The root or depth changed (iommu_ops.reload): point every device of dom at its current
 * table: DTE writes, INVALIDATE_DEVTAB_ENTRY for each, INVALIDATE_IOMMU_PAGES for the whole
 * domain (cached translations from the old root or from aliasing out-of-reach addresses must
 * go), then COMPLETION_WAIT.
 */
static int amdvi_reload(struct iommu_domain *dom)
{
    struct amdvi_unit *u = to_unit(dom->iommu);
    struct amdvi_dte dte = dte_for(dom);
    struct amdvi_cmd c;
    int err = 0;

    u->stats.mode_changes++;
    spin_lock(&u->hw_lock);
    for (struct iommu_device *d = dom->devices; d != NULL && err == 0; d = d->next) {
        /* A stream the core disabled (too many faults) stays blocked through growth. */
        err = dte_queue(u, d->sid,
                        iommu_stream_disabled(dom->iommu, d->sid, NULL) ? dte_for(NULL) : dte);
    }
    if (err == 0) {
        c = amdvi_cmd_inv_domain(dom->id);
        err = amdvi_cmd_run(u, &c, 1);
    }
    spin_unlock(&u->hw_lock);
    return err;
}

/* INVALIDATE_IOMMU_PAGES for the range (count 0: the whole domain), then wait. */
static int amdvi_iotlb_flush(struct iommu_domain *dom, dfn_t dfn, size_t count)
{
    struct amdvi_unit *u = to_unit(dom->iommu);
    struct amdvi_cmd c =
        count == 0 ? amdvi_cmd_inv_domain(dom->id) : amdvi_cmd_inv_pages(dom->id, dfn, count);
    int err;

    spin_lock(&u->hw_lock);
    err = amdvi_cmd_run(u, &c, 1);
    spin_unlock(&u->hw_lock);
    return err;
}

static int amdvi_assign_device(struct iommu_domain *dom, struct iommu_device *dev)
{
    struct amdvi_unit *u = to_unit(dev->iommu);
    int err;

    /* A requester id the IVRS does not name is not behind this IOMMU (IVRS 5.2.2): giving
     * it a domain would isolate nothing. Blocking it is always allowed: the blocking DTE
     * (and its IVRS alias's: V=1, TV=1, Mode 0, IR=IW=0, every access target-aborted,
     * 2.2.2.1), also for a stream the core disables (not shown on QEMU, whose model never
     * writes the event log). */
    if (dom != NULL && !ivrs_names(u, (uint16_t)dev->sid)) {
        hv_printf("%s: requester id %#x is not in the IVRS\n", u->iommu.name, dev->sid);
        return -ENODEV;
    }
    /* Wait for the IOMMU to have dropped the cached copies. */
    spin_lock(&u->hw_lock);
    err = dte_queue(u, dev->sid, dte_for(dom));
    if (err == 0) {
        err = cmd_sync(u);
    }
    spin_unlock(&u->hw_lock);
    return err;
}

/* The generic class of an AMD-Vi event (2.5.2): page faults by their PE / PR flags. */
static enum iommu_fault_type fault_type(const struct amdvi_event *ev)
{
    if (ev->code == AMDVI_EVT_IO_PAGE_FAULT) {
        return ev->flags & (AMDVI_EVF_PE | AMDVI_EVF_PR) ? IOMMU_FAULT_PERMISSION
                                                         : IOMMU_FAULT_TRANSLATION;
    }
    return ev->code == AMDVI_EVT_ILLEGAL_DEV_TABLE_ENTRY ? IOMMU_FAULT_BLOCKED : IOMMU_FAULT_OTHER;
}

/*
 * Drain the event log (2.5): decode and print each entry, hand it to the generic fault
 * report, advance the head. Overflow stops logging: clear it and re-enable the log (3.4.10).
 */
static void amdvi_fault_handler(struct iommu *iommu)
{
    struct amdvi_unit *u = to_unit(iommu);
    uint64_t status;

    spin_lock(&u->hw_lock);
    for (;;) {
        uint32_t tail = (uint32_t)(reg_read(u, AMDVI_EVTLOG_TAIL) / AMDVI_EVT_SIZE) % RING_ENTRIES;
        uint64_t raw[2];
        struct amdvi_event ev;
        char line[160];

        if (u->evt_head == tail) {
            break;
        }
        raw[0] = READ_ONCE(u->evtlog[u->evt_head * 2]);
        raw[1] = READ_ONCE(u->evtlog[u->evt_head * 2 + 1]);
        u->evt_head = (u->evt_head + 1) % RING_ENTRIES;
        reg_write(u, AMDVI_EVTLOG_HEAD, (uint64_t)u->evt_head * AMDVI_EVT_SIZE);
        amdvi_event_decode(raw, &ev);
        amdvi_event_format(&ev, line, sizeof(line));
        u->stats.events++;
        spin_unlock(&u->hw_lock);
        hv_printf("%s: event: %s\n", iommu->name, line);
        iommu_report_fault(iommu, &(struct iommu_fault){
                                      .type = fault_type(&ev),
                                      .sid = ev.devid,
                                      .addr = ev.addr,
                                      .write = (ev.flags & AMDVI_EVF_RW) != 0,
                                      .raw = ev.code,
                                  });
        spin_lock(&u->hw_lock);
    }
    status = reg_read(u, AMDVI_STATUS);
    if (status & AMDVI_STATUS_EVT_OVERFLOW) {
        hv_printf("%s: event log overflowed: events were lost\n", iommu->name);
        reg_write(u, AMDVI_CONTROL, AMDVI_CTRL_IOMMU_EN | AMDVI_CTRL_CMDBUF_EN);
        reg_write(u, AMDVI_STATUS, AMDVI_STATUS_EVT_OVERFLOW);
        reg_write(u, AMDVI_CONTROL,
                  AMDVI_CTRL_IOMMU_EN | AMDVI_CTRL_EVTLOG_EN | AMDVI_CTRL_CMDBUF_EN);
    }
    spin_unlock(&u->hw_lock);
}

/* Table pages come from the hypervisor pool; the IOMMU is cache coherent (no sync). */
static const struct iommu_ops amdvi_ops = {
    .pt_fmt = &pt_fmt_amdvi,
    .pt_min_depth = 1,
    .pt_mm = &pt_mm_pool,
    .init = amdvi_init,
    .reload = amdvi_reload,
    .iotlb_flush = amdvi_iotlb_flush,
    .assign_device = amdvi_assign_device,
    .fault_handler = amdvi_fault_handler,
};

/* --- Probe ----------------------------------------------------------------------------- */

static struct amdvi_unit *unit_by_base(uint64_t base)
{
    for (unsigned int i = 0; i < amdvi_nunits; i++) {
        if (hpa_val(amdvi_units[i].mmio_base) == base) {
            return &amdvi_units[i];
        }
    }
    return NULL;
}

/* IVHD: one unit per MMIO base (types 10h, 11h and 40h may all describe the same IOMMU). */
static int probe_ivhd(void *ctx __unused, const struct ivrs_ivhd *h)
{
    struct amdvi_unit *u = unit_by_base(h->base);

    if (u != NULL) {
        return 0;
    }
    if (h->base == 0 || !IS_ALIGNED(h->base, AMDVI_MMIO_SIZE) || h->segment != 0) {
        hv_printf("amd-vi: IVHD %#x: unusable base %#llx / segment %u, skipped\n", h->type,
                  (unsigned long long)h->base, h->segment);
        return 0;
    }
    if (amdvi_nunits == AMDVI_MAX_UNITS) {
        hv_printf("amd-vi: more than %u IOMMUs, %#llx ignored\n", AMDVI_MAX_UNITS,
                  (unsigned long long)h->base);
        return 0;
    }
    u = &amdvi_units[amdvi_nunits++];
    u->mmio_base = hpa(h->base);
    u->devid = h->devid;
    u->max_devid = h->devid;
    hv_snprintf(u->name, sizeof(u->name), "amd-vi@%llx", (unsigned long long)h->base);
    return 0;
}

/* Device entries: the highest requester id (or alias) sizes the device table; the ranges and
 * their aliases are kept. */
static int probe_device(void *ctx __unused, const struct ivrs_ivhd *h, const struct ivrs_dev *d)
{
    struct amdvi_unit *u = unit_by_base(h->base);

    if (u == NULL) {
        return 0;
    }
    u->max_devid = MAX(u->max_devid, d->has_alias ? MAX(d->last, d->alias) : d->last);
    if (u->nranges == AMDVI_MAX_RANGES) {
        hv_printf("%s: too many IVRS device entries\n", u->name);
        return -ENOSPC;
    }
    u->ranges[u->nranges++] = (struct amdvi_range){d->first, d->last, d->alias, d->has_alias};
    return 0;
}

static int probe_ivmd(void *ctx __unused, const struct ivrs_ivmd *m)
{
    /* Unity-mapped ranges firmware wants kept (e.g. USB legacy buffers) are not honoured: a
     * partition's devices see only its own memory. Say so rather than drop it silently. */
    hv_printf("amd-vi: IVMD %#x for ids %#x..%#x [%#llx, +%#llx) flags %#x ignored\n", m->type,
              m->first, m->last, (unsigned long long)m->start, (unsigned long long)m->length,
              m->flags);
    return 0;
}

static int amdvi_probe(const struct fdt *fdt __unused)
{
    static const struct ivrs_visitor visitor = {probe_ivhd, probe_device, probe_ivmd};
    struct ivrs_info info;
    const void *tbl;
    size_t len;
    int err;

    err = arch_acpi_table("IVRS", &tbl, &len);
    if (err == -ENOENT || err == -ENODEV) {
        hv_printf("amd-vi: no IVRS table: no AMD IOMMU, DMA is not isolated\n");
        return 0;
    }
    if (err != 0) {
        return err;
    }
    err = ivrs_parse(tbl, len, &info, &visitor, NULL);
    if (err != 0) {
        hv_printf("amd-vi: IVRS table rejected: %s\n", errno_name(err));
        return err;
    }
    for (unsigned int i = 0; i < amdvi_nunits; i++) {
        struct amdvi_unit *u = &amdvi_units[i];

        /* 8 KiB of DTEs per bus, up to the highest bus the IVRS names (3.4.1). */
        u->devtab_pages = (unsigned int)((u->max_devid >> 8) + 1) *
                          (unsigned int)(AMDVI_DTE_PER_BUS * AMDVI_DTE_SIZE / PAGE_SIZE);
        u->iommu = (struct iommu){
            .ops = &amdvi_ops,
            .name = u->name,
            .base = hpa_val(u->mmio_base),
            .max_dfn = AMDVI_MAX_DFN,
            .max_levels = AMDVI_MAX_MODE,
            .pt_ctx = &hv_page_pool,
        };
        spin_lock_init_class(&u->hw_lock, &amdvi_hw_class);
        err = iommu_register(&u->iommu);
        if (err != 0) {
            hv_printf("%s: initialisation failed: %s\n", u->name, errno_name(err));
            return err;
        }
    }
    hv_printf("amd-vi: IVRS rev %u, IVinfo %#x: %u IOMMU(s)\n", info.revision, info.ivinfo,
              amdvi_nunits);
    return 0;
}

HV_UNIT(amdvi_unit_desc, "amd-vi", HV_UNIT_ORDER_IOMMU, amdvi_probe);
