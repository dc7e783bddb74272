// SPDX-License-Identifier: Apache-2.0
/*
 * Arm SMMUv3 driver, stage 2 only (Arm System MMU Architecture Specification v3, IHI 0070).
 *
 * Probe: every DT node compatible with "arm,smmu-v3" (its reg). Per unit: IDR0 must offer
 * stage 2 (S2P) with AArch64 tables, IDR5 a 4 KiB granule; OAS sizes S2PS and the input
 * range (IAS = OAS with AArch64-only tables, 3.4.1). Then, with the SMMU disabled and GBPA set
 * to abort (so nothing bypasses while it is off): a stream table (linear when it is small,
 * else 2-level with one 256-STE level-2 table per PCI bus, allocated when a stream of that
 * bus is assigned), every STE valid and aborting (Config 0b000: no DMA, no event) until its
 * device is assigned; a command queue; an event queue; then CMDQEN, EVENTQEN, SMMUEN, and
 * CFGI_ALL + TLBI_NSNH_ALL + CMD_SYNC to prove the command path.
 *
 * Domains use the shared Arm stage-2 format (core/mm/pgtable_arm_s2.c): VMID = domain id,
 * S2T0SZ / S2SL0 from the table depth (pt_arm_s2_t0sz / pt_arm_s2_sl0), never concatenated
 * start tables (QEMU 10 walks them wrongly, BRIEF §7). The smallest depth is 2 (S2T0SZ 34):
 * one level would need S2T0SZ 43 > 39 and S2SL0 0b11, which SMMUv3 does not allow with
 * 4 KiB pages (5.2, S2T0SZ / S2SL0). At depth 4 S2T0SZ is capped at 64 - IAS (a 48-bit
 * reach becomes 44 bits on a 44-bit SMMU; the level-0 table simply has fewer entries).
 * The IOMMU core owns the table: when its notify has allocated or grown the root, reload
 * rewrites the STE of every device of the domain, then CFGI_STE + TLBI_S12_VMALL + CMD_SYNC.
 *
 * Live STE updates: S2T0SZ/S2SL0 (dw2) and S2TTB (dw3) change together on growth but the SMMU
 * reads an STE in 64-bit pieces (3.21.3), so a translating STE is first made an abort STE
 * (dw0 alone), invalidated and synced, then rewritten with dw0 last, invalidated and synced
 * again. DMA in that window is aborted, not misrouted. Growth normally happens while a
 * partition is set up, before its devices run.
 *
 * Completion: CMD_SYNC with CS = SIG_NONE, polling CMDQ_CONS with a time limit (no
 * interrupts are wired). Faults: the event queue and GERROR are read by fault_handler (polled
 * through iommu_poll_faults(false)); runs of records for the same stream, type and page, which a
 * single blocked DMA produces by the hundred (QEMU: one per 4 bytes), are printed and reported once
 * with a count. Locking: the unit's hw_lock (rank LOCK_RANK_IOMMU_HW) serialises the command
 * queue, the stream table and the event queue; callers hold the domain locks as
 * include/hv/iommu.h states.
 *
 * Coherency: when IDR0.COHACC says the SMMU snoops CPU caches (QEMU, and the DT says
 * dma-coherent) tables and queues are accessed write-back inner shareable (CR1, STE S2IR0/
 * S2OR0/S2SH0); otherwise non-cacheable, and every STE, command and page-table write is
 * cleaned to the Point of Coherency first (arch_dcache_clean, pt_mm_ops.sync).
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/time.h>
#include <arch/mm.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/iommu.h>
#include <hv/lockorder.h>
#include <hv/page_alloc.h>
#include <hv/printf.h>
#include <hv/string.h>

#include "smmuv3.h"
#include "smmuv3_hw.h"

/* Command queue: 2^8 16-byte commands (one page); event queue: 2^11 32-byte records. */
#define CMDQ_LOG2 8u
#define EVTQ_LOG2 11u
/* Linear stream tables up to 2^8 STEs (16 KiB); beyond that 2-level, if supported. */
#define LINEAR_MAX_LOG2 8u
/* Without 2-level support, never more than 2^12 STEs (256 KiB): higher ids stay invalid. */
#define LINEAR_CAP_LOG2 12u
/* Stage-2 depths the driver uses (see the header comment). */
#define S2_MIN_DEPTH 2u
#define S2_MAX_DEPTH 4u
/* Stage-1 fallback: input (VA) bits at the deepest table; context descriptors, one per
 * domain id (VMIDs and ASIDs are the domain id, 8 bits without VMID16). */
#define S1_VA_BITS 48u
#define S1_NR_CDS 256u
/* Ranges up to this many pages are invalidated page by page, larger ones per VMID. */
#define TLBI_PAGE_MAX 16u

static LOCK_CLASS(smmuv3_hw_class, "smmuv3.hw", LOCK_RANK_IOMMU_HW);

struct smmuv3_unit smmuv3_units[SMMUV3_MAX_UNITS];
unsigned int smmuv3_nunits;

static struct smmuv3_unit *to_unit(struct iommu *iommu)
{
    return container_of(iommu, struct smmuv3_unit, iommu);
}

static uint32_t reg_read(const struct smmuv3_unit *u, unsigned int off)
{
    return mmio_read32(u->mmio + off);
}

static void reg_write(const struct smmuv3_unit *u, unsigned int off, uint32_t val)
{
    mmio_write32(u->mmio + off, val);
}

/* Make CPU writes of [va, va + len) visible to a non-coherent SMMU. */
static void smmu_sync_mem(const struct smmuv3_unit *u, void *va, size_t len)
{
    if (!u->coherent) {
        arch_dcache_clean(va, len);
    }
}

/* A zeroed buffer of bytes (rounded up to pages) from the pool, aligned to its size in
 * pages (5.1: a level-2 stream table is aligned to its size): its address and *pa, or NULL. */
static void *alloc_bytes(uint64_t bytes, hpa_t *pa)
{
    uint64_t pages = ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;

    return page_alloc(&hv_page_pool, pages, pages, pa) == 0 ? page_to_virt(&hv_page_pool, *pa)
                                                            : NULL;
}

/* Write CR0 and wait for CR0ACK to follow (6.3.9, 6.3.10). */
static int cr0_write(const struct smmuv3_unit *u, uint32_t val)
{
    reg_write(u, SMMU_CR0, val);
    return iommu_poll(u->mmio + SMMU_CR0ACK, IOMMU_UNTIL_EQ32, UINT32_MAX, val);
}

/* --- Command queue --------------------------------------------------------------------- */

/* Index + wrap bit of a queue of 2^log2 entries; the wrap bit is bit log2 (7.2). */
static uint32_t q_mask(unsigned int log2)
{
    return (UINT32_C(2) << log2) - 1;
}

/*
 * A command failed (GERROR.CMDQ_ERR): print why, replace it by a CMD_SYNC (harmless) so the
 * queue can go on, and acknowledge the error (7.1). hw_lock held.
 */
static void cmdq_error(struct smmuv3_unit *u)
{
    uint32_t cons = reg_read(u, SMMU_CMDQ_CONS);
    uint32_t idx = cons & ((UINT32_C(1) << u->cmdq_log2) - 1);
    struct smmuv3_cmd sync = smmuv3_cmd(SMMU_CMD_SYNC, 0, 0);

    hv_printf("%s: command %#llx at %u failed: CMDQ_CONS.ERR %#x\n", u->iommu.name,
              (unsigned long long)u->cmdq[idx].dw[0], idx, SMMU_CMDQ_CONS_ERR(cons));
    u->cmdq[idx] = sync;
    smmu_sync_mem(u, &u->cmdq[idx], sizeof(sync));
    dma_wmb();
    reg_write(u, SMMU_GERRORN, reg_read(u, SMMU_GERRORN) ^ SMMU_GERROR_CMDQ_ERR);
}

/* Queue one command; hw_lock held. -ETIMEDOUT when the queue stays full. */
static int cmd_queue(struct smmuv3_unit *u, const struct smmuv3_cmd *c)
{
    /* Full while CONS has the same index as PROD and the other wrap bit. */
    uint32_t full = (u->cmdq_prod ^ (UINT32_C(1) << u->cmdq_log2)) & q_mask(u->cmdq_log2);
    uint32_t idx;
    int err = iommu_poll(u->mmio + SMMU_CMDQ_CONS, IOMMU_UNTIL_NE32, q_mask(u->cmdq_log2), full);

    if (err != 0) {
        return err;
    }
    idx = u->cmdq_prod & ((UINT32_C(1) << u->cmdq_log2) - 1);
    WRITE_ONCE(u->cmdq[idx].dw[0], c->dw[0]);
    WRITE_ONCE(u->cmdq[idx].dw[1], c->dw[1]);
    smmu_sync_mem(u, &u->cmdq[idx], sizeof(*c));
    u->cmdq_prod = (u->cmdq_prod + 1) & q_mask(u->cmdq_log2);
    /* The command must be in memory before the SMMU sees the new PROD (7.2). */
    dma_wmb();
    reg_write(u, SMMU_CMDQ_PROD, u->cmdq_prod);
    return 0;
}

/*
 * CMD_SYNC, then wait until CMDQ_CONS has passed it: every earlier command (invalidations
 * included) has completed (4.7.3). hw_lock held.
 */
static int cmd_sync(struct smmuv3_unit *u)
{
    struct smmuv3_cmd c = smmuv3_cmd(SMMU_CMD_SYNC, 0, 0);
    uint32_t cons;
    int err = cmd_queue(u, &c);
    uint64_t start = arch_time_us();

    if (err != 0) {
        return err;
    }
    /* A failed command stops CONS short of the sync (GERROR.CMDQ_ERR): handled, the queue
     * resumes. The time limit covers the whole wait, so a command that keeps failing ends it
     * rather than holding hw_lock for ever. */
    while ((cons = reg_read(u, SMMU_CMDQ_CONS) & q_mask(u->cmdq_log2)) != u->cmdq_prod) {
        if ((reg_read(u, SMMU_GERROR) ^ reg_read(u, SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR) {
            cmdq_error(u);
            err = -EIO;
        } else if (arch_time_us() - start > IOMMU_POLL_TIMEOUT_US) {
            hv_printf("%s: CMD_SYNC timed out (prod %#x cons %#x)\n", u->iommu.name, u->cmdq_prod,
                      cons);
            return -ETIMEDOUT;
        }
        arch_cpu_relax();
    }
    return err;
}

/* Queue c then CMD_SYNC; hw_lock held. */
static int cmd_run(struct smmuv3_unit *u, const struct smmuv3_cmd *c)
{
    int err = cmd_queue(u, c);

    return err != 0 ? err : cmd_sync(u);
}

/* --- Stream table ---------------------------------------------------------------------- */

/* The STE slot of sid, or NULL when the table has none (2-level: no level-2 table yet). */
struct smmuv3_ste *smmuv3_ste_slot(const struct smmuv3_unit *u, uint32_t sid)
{
    if (sid >> u->sid_bits != 0) {
        return NULL;
    }
    if (!u->two_level) {
        return (struct smmuv3_ste *)u->strtab + sid;
    }
    if (u->l2[sid >> SMMUV3_L2_SPLIT] == NULL) {
        return NULL;
    }
    return &u->l2[sid >> SMMUV3_L2_SPLIT][sid & ((1u << SMMUV3_L2_SPLIT) - 1)];
}

/* Fill n STEs at ste with the abort STE. */
static void ste_fill_abort(const struct smmuv3_unit *u, struct smmuv3_ste *ste, size_t n)
{
    struct smmuv3_ste abort_ste = smmuv3_ste_abort();

    for (size_t i = 0; i < n; i++) {
        ste[i] = abort_ste;
    }
    smmu_sync_mem(u, ste, n * sizeof(*ste));
}

/*
 * Make sure sid has an STE slot: 2-level tables get the level-2 table of sid's bus now,
 * every entry aborting, and its level-1 descriptor (the caller's CFGI_STE, Leaf 0, drops a
 * cached descriptor). 0, -EINVAL (sid beyond the table), -ENOMEM. hw_lock held.
 */
static int ste_ensure(struct smmuv3_unit *u, uint32_t sid)
{
    const unsigned int n = 1u << SMMUV3_L2_SPLIT;
    uint32_t l1 = sid >> SMMUV3_L2_SPLIT;
    uint64_t *desc;
    hpa_t pa;

    if (sid >> u->sid_bits != 0) {
        return -EINVAL;
    }
    if (smmuv3_ste_slot(u, sid) != NULL) {
        return 0; /* linear, or sid's level-2 table exists */
    }
    /* A level-2 table is aligned to its size (5.1: L2Ptr). */
    u->l2[l1] = alloc_bytes(n * SMMU_STE_SIZE, &pa);
    if (u->l2[l1] == NULL) {
        return -ENOMEM;
    }
    ste_fill_abort(u, u->l2[l1], n);
    desc = (uint64_t *)u->strtab + l1;
    dma_wmb();
    WRITE_ONCE(*desc, smmuv3_l1std(pa, SMMUV3_L2_SPLIT + 1));
    smmu_sync_mem(u, desc, sizeof(*desc));
    return 0;
}

/*
 * Write the n dwords of a live STE or CD at dst from src, dw0 (V, Config) last, each half
 * visible to the SMMU before the next: it reads them in 64-bit pieces (3.21.3).
 */
static void entry_write(const struct smmuv3_unit *u, uint64_t *dst, const uint64_t *src,
                        unsigned int n)
{
    for (unsigned int i = n - 1; i > 0; i--) {
        WRITE_ONCE(dst[i], src[i]);
    }
    smmu_sync_mem(u, dst, n * sizeof(*dst));
    dma_wmb();
    WRITE_ONCE(dst[0], src[0]);
    smmu_sync_mem(u, dst, n * sizeof(*dst));
    dma_wmb();
}

/*
 * Write the STE of sid. dw0 (V, Config) goes last, so a change from abort to translating is
 * never seen half-written; a translating STE is first made aborting (header comment).
 * Queues the CFGI_STEs, does not sync unless it had to break the old entry. hw_lock held.
 */
static int ste_write(struct smmuv3_unit *u, uint32_t sid, const struct smmuv3_ste *ste)
{
    struct smmuv3_ste *e;
    struct smmuv3_cmd c = smmuv3_cmd(SMMU_CMD_CFGI_STE, sid, 0);
    int err = ste_ensure(u, sid);

    if (err != 0) {
        return err;
    }
    e = smmuv3_ste_slot(u, sid);
    if (smmuv3_ste_config(e) != SMMU_STE_CFG_ABORT) {
        WRITE_ONCE(e->dw[0], smmuv3_ste_abort().dw[0]);
        smmu_sync_mem(u, e, sizeof(*e));
        dma_wmb();
        err = cmd_run(u, &c);
        if (err != 0) {
            return err;
        }
    }
    entry_write(u, e->dw, ste->dw, SMMU_STE_DWORDS);
    return cmd_queue(u, &c);
}

/* The stage-1 STE / CD of dom (stage-1 fallback): its CD slot, T0SZ from the depth. */
static struct smmuv3_s1_cfg s1_cfg(const struct smmuv3_unit *u, const struct iommu_domain *dom)
{
    return (struct smmuv3_s1_cfg){
        .vmid = dom->id,
        .asid = dom->id,
        .t0sz = 64 - pt_reach_bits(dom->pt.fmt, dom->pt.depth),
        .ips = u->oas_code,
        .mair = PT_ARM_S1_MAIR,
        .coherent = u->coherent,
        .ttb = dom->pt.root,
        .cd = hpa(hpa_val(u->cds_pa) + (uint64_t)dom->id * SMMU_CD_SIZE),
    };
}

/* The STE a device of dom gets now: translating once dom has a root, else abort. */
static struct smmuv3_ste ste_for(const struct smmuv3_unit *u, const struct iommu_domain *dom)
{
    if (dom == NULL || dom->pt.depth == 0) {
        return smmuv3_ste_abort();
    }
    if (u->stage1) {
        struct smmuv3_s1_cfg c1 = s1_cfg(u, dom);

        return smmuv3_ste_s1(&c1);
    }
    return smmuv3_ste_s2(&(struct smmuv3_s2_cfg){
        .vmid = dom->id,
        .t0sz = MAX(pt_arm_s2_t0sz(&dom->pt), 64 - u->ias_bits), /* capped at the IAS */
        .sl0 = pt_arm_s2_sl0(&dom->pt),
        .ps = u->oas_code,
        .coherent = u->coherent,
        .ttb = dom->pt.root,
    });
}

/* --- Page-table memory and flushes ----------------------------------------------------- */

/* pt_mm_ops sync: table entries must reach memory for a non-coherent walker. */
static void smmuv3_pt_sync(struct pgtable *pt, void *va, size_t len)
{
    struct iommu_domain *dom = container_of(pt, struct iommu_domain, pt);

    smmu_sync_mem(to_unit(dom->iommu), va, len);
}

/*
 * Invalidate [dfn, dfn + count) of dom and wait: per page when few, else (and for count 0)
 * the whole VMID. hw_lock held.
 */
static int iotlb_flush_locked(struct smmuv3_unit *u, struct iommu_domain *dom, dfn_t dfn,
                              size_t count)
{
    /* Stage-1 entries are global (nG = 0, the shared format): by ASID would miss them. */
    struct smmuv3_cmd c = u->stage1 ? smmuv3_cmd(SMMU_CMD_TLBI_NSNH_ALL, 0, 0)
                                    : smmuv3_cmd(SMMU_CMD_TLBI_S12_VMALL, dom->id, 0);
    size_t pages = !u->stage1 && count <= TLBI_PAGE_MAX ? count : 0;
    int err = 0;

    for (size_t i = 0; i < pages && err == 0; i++) {
        struct smmuv3_cmd p =
            smmuv3_cmd(SMMU_CMD_TLBI_S2_IPA, dom->id, (dfn_val(dfn) + i) << PAGE_SHIFT);

        err = cmd_queue(u, &p);
    }
    /* Then the whole-domain invalidation unless it went by page, and CMD_SYNC. */
    return err != 0 ? err : pages == 0 ? cmd_run(u, &c) : cmd_sync(u);
}

/* iommu_ops.iotlb_flush */
static int smmuv3_iotlb_flush(struct iommu_domain *dom, dfn_t dfn, size_t count)
{
    struct smmuv3_unit *u = to_unit(dom->iommu);
    int err;

    spin_lock(&u->hw_lock);
    err = iotlb_flush_locked(u, dom, dfn, count);
    spin_unlock(&u->hw_lock);
    return err;
}

static const struct pt_mm_ops smmuv3_mm_ops = {
    .alloc_table = page_pool_pt_alloc,
    .free_table = page_pool_pt_free,
    .phys_to_virt = page_pool_pt_virt,
    .sync = smmuv3_pt_sync,
};

/* --- iommu_ops ------------------------------------------------------------------------- */

/* Read and check the ID registers; set the unit's limits. */
static int smmuv3_read_ids(struct smmuv3_unit *u)
{
    unsigned int ttf;

    u->idr0 = reg_read(u, SMMU_IDR0);
    u->idr1 = reg_read(u, SMMU_IDR1);
    u->idr5 = reg_read(u, SMMU_IDR5);
    ttf = (u->idr0 >> SMMU_IDR0_TTF_SHIFT) & 3u;
    /* Stage 2 where the SMMU has it; else the stage-1 fallback (header comment). */
    u->stage1 = !(u->idr0 & SMMU_IDR0_S2P) || IS_ENABLED(CONFIG_SMMUV3_FORCE_STAGE1);
    if (u->stage1 && !(u->idr0 & SMMU_IDR0_S1P)) {
        hv_printf("%s: neither stage-2 nor stage-1 translation (IDR0 %#x): unusable\n",
                  u->iommu.name, u->idr0);
        return -ENODEV;
    }
    if (!(ttf & 2u) || !(u->idr5 & SMMU_IDR5_GRAN4K)) {
        hv_printf("%s: no AArch64 4 KiB tables (IDR0 %#x, IDR5 %#x): unusable\n", u->iommu.name,
                  u->idr0, u->idr5);
        return -ENODEV;
    }
    u->oas_code = u->idr5 & SMMU_IDR5_OAS_MASK;
    u->ias_bits = MIN(smmuv3_oas_bits(u->oas_code), 48u);
    if (u->ias_bits == 0) {
        return -ENODEV;
    }
    /* IAS = OAS when only AArch64 tables exist; with AArch32 support it is at least 40. */
    if (ttf == 3u && u->ias_bits < 40) {
        u->ias_bits = 40;
    }
    u->coherent = (u->idr0 & SMMU_IDR0_COHACC) != 0;
    u->iommu.max_levels = S2_MAX_DEPTH;
    /* Stage-1 input is a 48-bit VA (T0SZ 16 at 4 levels) whatever the output size. */
    u->iommu.max_dfn = (UINT64_C(1) << ((u->stage1 ? S1_VA_BITS : u->ias_bits) - PAGE_SHIFT)) - 1;
    return 0;
}

/* Allocate and describe the stream table (3.3). */
static int strtab_init(struct smmuv3_unit *u)
{
    unsigned int sidsize = u->idr1 & SMMU_IDR1_SIDSIZE_MASK;
    bool can_2lvl = ((u->idr0 >> SMMU_IDR0_ST_LEVEL_SHIFT) & 3u) == 1;
    size_t l1_count = (size_t)1 << (sidsize > SMMUV3_L2_SPLIT ? sidsize - SMMUV3_L2_SPLIT : 0);
    uint32_t cfg;
    hpa_t l2_pa;

    u->two_level = can_2lvl && sidsize > LINEAR_MAX_LOG2;
    if (u->two_level) {
        u->sid_bits = sidsize;
        cfg = smmuv3_strtab_cfg(SMMU_STRTAB_2LVL, SMMUV3_L2_SPLIT, sidsize);
        /* The level-1 table (every descriptor invalid: span 0) and the pointer array. */
        u->strtab = alloc_bytes(l1_count * SMMU_L1STD_SIZE, &u->strtab_pa);
        u->l2 = u->strtab != NULL ? alloc_bytes(l1_count * sizeof(void *), &l2_pa) : NULL;
        if (u->strtab == NULL || u->l2 == NULL) {
            return -ENOMEM;
        }
        smmu_sync_mem(u, u->strtab, l1_count * SMMU_L1STD_SIZE);
    } else {
        u->sid_bits = MIN(sidsize, LINEAR_CAP_LOG2);
        cfg = smmuv3_strtab_cfg(SMMU_STRTAB_LINEAR, 0, u->sid_bits);
        u->strtab = alloc_bytes(((uint64_t)1 << u->sid_bits) * SMMU_STE_SIZE, &u->strtab_pa);
        if (u->strtab == NULL) {
            return -ENOMEM;
        }
        ste_fill_abort(u, u->strtab, (size_t)1 << u->sid_bits);
    }
    mmio_write64(u->mmio + SMMU_STRTAB_BASE, smmuv3_strtab_base(u->strtab_pa));
    reg_write(u, SMMU_STRTAB_BASE_CFG, cfg);
    return 0;
}

/* Allocate the command and event queues, sized within IDR1.CMDQS / EVENTQS. */
static int queues_init(struct smmuv3_unit *u)
{
    u->cmdq_log2 = MIN(CMDQ_LOG2, (u->idr1 >> SMMU_IDR1_CMDQS_SHIFT) & SMMU_IDR1_QS_MASK);
    u->evtq_log2 = MIN(EVTQ_LOG2, (u->idr1 >> SMMU_IDR1_EVENTQS_SHIFT) & SMMU_IDR1_QS_MASK);
    u->cmdq = alloc_bytes((UINT64_C(1) << u->cmdq_log2) * SMMU_CMD_SIZE, &u->cmdq_pa);
    u->evtq = u->cmdq != NULL
                  ? alloc_bytes((UINT64_C(1) << u->evtq_log2) * SMMU_EVT_SIZE, &u->evtq_pa)
                  : NULL;
    if (u->cmdq == NULL || u->evtq == NULL) {
        return -ENOMEM;
    }
    mmio_write64(u->mmio + SMMU_CMDQ_BASE, smmuv3_queue_base(u->cmdq_pa, u->cmdq_log2));
    reg_write(u, SMMU_CMDQ_PROD, 0);
    reg_write(u, SMMU_CMDQ_CONS, 0);
    mmio_write64(u->mmio + SMMU_EVENTQ_BASE, smmuv3_queue_base(u->evtq_pa, u->evtq_log2));
    reg_write(u, SMMU_EVENTQ_PROD, 0);
    reg_write(u, SMMU_EVENTQ_CONS, 0);
    u->cmdq_prod = 0;
    u->evtq_cons = u->evtq_ovack = 0;
    return 0;
}

static int smmuv3_init(struct iommu *iommu)
{
    struct smmuv3_unit *u = to_unit(iommu);
    struct smmuv3_cmd cfgi = smmuv3_cmd(SMMU_CMD_CFGI_ALL, 0, SMMU_CMD_RANGE_ALL);
    struct smmuv3_cmd tlbi = smmuv3_cmd(SMMU_CMD_TLBI_NSNH_ALL, 0, 0);
    uint32_t gbpa;
    int err;

    /* Disable everything firmware may have left running before the tables change (6.3.9). */
    err = cr0_write(u, 0);
    if (err != 0) {
        return err;
    }
    /* While disabled, abort rather than bypass (6.3.14); UPDATE completes the write. */
    gbpa = (reg_read(u, SMMU_GBPA) & ~SMMU_GBPA_UPDATE) | SMMU_GBPA_ABORT;
    reg_write(u, SMMU_GBPA, gbpa | SMMU_GBPA_UPDATE);
    err = iommu_poll(u->mmio + SMMU_GBPA, IOMMU_UNTIL_EQ32, SMMU_GBPA_UPDATE, 0);
    if (err != 0) {
        return err;
    }
    /* Polled until the core claims the wired interrupts (irq_enable); CMD_SYNC via CONS. */
    reg_write(u, SMMU_IRQ_CTRL, 0);
    reg_write(u, SMMU_CR1, smmuv3_cr1(u->coherent));
    reg_write(u, SMMU_CR2, SMMU_CR2_RECINVSID | SMMU_CR2_PTM);
    err = strtab_init(u);
    if (err == 0) {
        err = queues_init(u);
    }
    if (err == 0 && u->stage1) {
        u->cds = alloc_bytes(S1_NR_CDS * SMMU_CD_SIZE, &u->cds_pa);
        err = u->cds == NULL ? -ENOMEM : 0;
    }
    if (err != 0) {
        return err;
    }
    /* Stale errors from before must not be taken for ours. */
    reg_write(u, SMMU_GERRORN, reg_read(u, SMMU_GERROR));
    /* Device-nGnRE accesses to one peripheral stay in order: no barrier before CR0. */
    err = cr0_write(u, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    if (err == 0) {
        err = cr0_write(u, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    }
    if (err != 0) {
        return err;
    }
    /* Prove the command path before anything depends on it; drop any cached config. */
    spin_lock(&u->hw_lock);
    err = cmd_queue(u, &cfgi);
    err = err != 0 ? err : cmd_run(u, &tlbi);
    spin_unlock(&u->hw_lock);
    if (err != 0) {
        return err;
    }
    hv_printf("%s: IDR0 %#x IDR1 %#x IDR5 %#x: %s, %u-bit IPA/PA, %s, %s stream table "
              "(%u-bit sids) %#llx, cmdq %#llx (2^%u), evtq %#llx (2^%u), GBPA abort\n",
              iommu->name, u->idr0, u->idr1, u->idr5,
              u->stage1 ? "stage 1 (fallback: context descriptors)" : "stage 2", u->ias_bits,
              u->coherent ? "coherent" : "non-coherent", u->two_level ? "2-level" : "linear",
              u->sid_bits, (unsigned long long)hpa_val(u->strtab_pa),
              (unsigned long long)hpa_val(u->cmdq_pa), u->cmdq_log2,
              (unsigned long long)hpa_val(u->evtq_pa), u->evtq_log2);
    return 0;
}

static int smmuv3_domain_init(struct iommu_domain *dom)
{
    struct smmuv3_unit *u = to_unit(dom->iommu);

    /* VMIDs are 8 bits without IDR0.VMID16; the root is notify_dfn's job. */
    if (!(u->idr0 & SMMU_IDR0_VMID16) && dom->id > 0xff) {
        return -EINVAL;
    }
    return 0;
}

/*
 * Stage-1 fallback: rewrite dom's context descriptor for its current root and depth. T0SZ and
 * TTB0 change together but the SMMU reads a CD in 64-bit pieces, so every STE of dom is made
 * aborting first (ste_write breaks a live one), then the CD is written with dw0 (V) last and
 * every cached configuration dropped (CFGI_ALL, which covers CDs: 4.3.3). hw_lock held.
 */
static int cd_update(struct smmuv3_unit *u, const struct iommu_domain *dom)
{
    struct smmuv3_s1_cfg cfg = s1_cfg(u, dom);
    struct smmuv3_cd cd = smmuv3_cd_s1(&cfg);
    struct smmuv3_cd *e = &u->cds[dom->id];
    struct smmuv3_ste abort_ste = smmuv3_ste_abort();
    struct smmuv3_cmd c = smmuv3_cmd(SMMU_CMD_CFGI_ALL, 0, SMMU_CMD_RANGE_ALL);
    int err = 0;

    for (struct iommu_device *d = dom->devices; d != NULL && err == 0; d = d->next) {
        err = ste_write(u, d->sid, &abort_ste);
    }
    if (err == 0) {
        err = cmd_sync(u);
    }
    if (err != 0) {
        return err;
    }
    WRITE_ONCE(e->dw[0], 0); /* invalid while the rest changes */
    entry_write(u, e->dw, cd.dw, SMMU_CD_DWORDS);
    return cmd_run(u, &c);
}

/*
 * The root or depth changed (iommu_ops.reload): point every device of dom at its current
 * table: (stage 1: its CD rewritten first) STE writes with CFGI_STE each, then the whole-domain
 * flush, TLBI_S12_VMALL for the VMID (stage 1: TLBI_NSNH_ALL; translations and walk-cache
 * entries of the old root must go) and CMD_SYNC.
 */
static int smmuv3_reload(struct iommu_domain *dom)
{
    struct smmuv3_unit *u = to_unit(dom->iommu);
    struct smmuv3_ste ste = ste_for(u, dom);
    int err = 0;

    u->stats.depth_changes++;
    spin_lock(&u->hw_lock);
    if (u->stage1) {
        err = cd_update(u, dom);
    }
    for (struct iommu_device *d = dom->devices; d != NULL && err == 0; d = d->next) {
        struct smmuv3_ste abort_ste = smmuv3_ste_abort();

        /* A stream the core disabled (too many faults) stays aborting through growth. */
        err = ste_write(u, d->sid,
                        iommu_stream_disabled(dom->iommu, d->sid, NULL) ? &abort_ste : &ste);
    }
    /* The CFGI_STEs stay queued: the flush's CMD_SYNC completes them too, under the same
     * hold of hw_lock, so a failed CFGI_STE is reported here, not to another caller's sync. */
    err = err != 0 ? err : iotlb_flush_locked(u, dom, dfn(0), 0);
    spin_unlock(&u->hw_lock);
    return err;
}

/* Without dom (blocking, or the core disabling a stream that faulted too often) the STE
 * aborts: the device gets the abort and no event is recorded (5.2, STE.Config 0b000), so the
 * stream can no longer fill the event queue. */
static int smmuv3_assign_device(struct iommu_domain *dom, struct iommu_device *dev)
{
    struct smmuv3_unit *u = to_unit(dev->iommu);
    struct smmuv3_ste ste = ste_for(u, dom);
    int err;

    /* ste_write() and CMD_SYNC: -EINVAL for a sid beyond the stream table. */
    spin_lock(&u->hw_lock);
    err = ste_write(u, dev->sid, &ste);
    if (err == 0) {
        err = cmd_sync(u);
    }
    spin_unlock(&u->hw_lock);
    return err;
}

/*
 * The core claimed the unit's wired interrupts: no MSI (IRQ_CFG0 ADDR 0, 6.3.19 / 6.3.33),
 * then the event-queue and GERROR interrupts on (6.3.21), acknowledged by IRQ_CTRLACK.
 */
static int smmuv3_irq_enable(struct iommu *iommu)
{
    struct smmuv3_unit *u = to_unit(iommu);
    const uint32_t on = SMMU_IRQ_CTRL_EVENTQ_IRQEN | SMMU_IRQ_CTRL_GERROR_IRQEN;

    mmio_write64(u->mmio + SMMU_GERROR_IRQ_CFG0, 0);
    mmio_write64(u->mmio + SMMU_EVENTQ_IRQ_CFG0, 0);
    reg_write(u, SMMU_IRQ_CTRL, on);
    return iommu_poll(u->mmio + SMMU_IRQ_CTRLACK, IOMMU_UNTIL_EQ32, on, on);
}

/*
 * The wired interrupts of the SMMU's DT node (Linux's arm,smmu-v3 binding): "interrupts"
 * entries named by "interrupt-names"; the driver takes "eventq" and "gerror" (priq and
 * cmdq-sync are not used: no PRI, CMD_SYNC completion is polled). Kept as specifiers for the
 * core to decode; edge-triggered (IHI 0070 3.18: the SMMU's wired interrupts are pulses).
 */
static void smmuv3_dt_irqs(struct smmuv3_unit *u, const struct fdt *fdt, int node)
{
    struct fdt_prop names, irqs;
    unsigned int count = 0, cells = 0;
    const char *name;

    /* u->iommu.nr_irqs is 0: the probe has just set the unit up. */
    if (fdt_prop(fdt, node, "interrupt-names", &names) == 0 &&
        fdt_prop(fdt, node, "interrupts", &irqs) == 0 && fdt_stringlist_count(&names) > 0) {
        /* One specifier of `cells` cells per name. */
        count = (unsigned int)fdt_stringlist_count(&names);
        cells = irqs.len % (4 * count) == 0 ? irqs.len / (4 * count) : 0;
    }
    if (cells == 0 || cells > IOMMU_IRQ_CELLS_MAX) {
        return;
    }
    name = names.data;
    for (unsigned int i = 0; i < count; i++, name += strlen(name) + 1) {
        if ((strcmp(name, "eventq") != 0 && strcmp(name, "gerror") != 0) ||
            u->iommu.nr_irqs == IOMMU_MAX_IRQS) {
            continue;
        }
        for (unsigned int c = 0; c < cells; c++) {
            u->iommu.irq_spec[u->iommu.nr_irqs][c] =
                fdt_be32((const uint8_t *)irqs.data + 4 * (i * cells + c));
        }
        u->iommu.nr_irqs++;
    }
    u->iommu.irq_cells = cells;
    u->iommu.irq_edge = true;
}

/* Two records describe the same fault run: same type, stream, direction and page. */
static bool same_run(const struct smmuv3_event *a, const struct smmuv3_event *b)
{
    return a->type == b->type && a->sid == b->sid && a->read == b->read &&
           (a->addr >> PAGE_SHIFT) == (b->addr >> PAGE_SHIFT);
}

/* Print and report one run of n identical-looking records (first is its first record). */
static void report_run(struct smmuv3_unit *u, const struct smmuv3_event *first, unsigned long n)
{
    struct iommu_fault f = {
        .type = smmuv3_event_fault(first->type),
        .sid = first->sid,
        .addr = first->addr,
        .write = first->has_addr && !first->read,
        .raw = first->type,
        .count = n,
    };
    char line[160];

    smmuv3_event_format(first, line, sizeof(line));
    if (n > 1) {
        hv_printf("%s: event: %s (x%lu, same stream and page)\n", u->iommu.name, line, n);
    } else {
        hv_printf("%s: event: %s\n", u->iommu.name, line);
    }
    iommu_report_fault(&u->iommu, &f);
}

/*
 * Drain the event queue (7.2, 7.3): decode each record, coalesce runs, report, advance CONS.
 * PROD.OVFLG toggles on each overflow (the SMMU dropped records because the queue was full)
 * and CONS.OVACKFLG acknowledges it by copying it (3.5.2, 7.4). The acknowledged value lives
 * in the unit under hw_lock, and every PROD read compares against it, so an overflow while
 * the lock is dropped to report a run, or another CPU's drain, is counted exactly once.
 * GERROR.EVENTQ_ABT_ERR (6.3.17) means its write of a record aborted (QEMU raises it for a
 * full queue instead of the overflow). Each is counted, acknowledged and printed as what it is.
 */
static void smmuv3_fault_handler(struct iommu *iommu)
{
    struct smmuv3_unit *u = to_unit(iommu);
    struct smmuv3_event run = {0}, ev;
    unsigned long run_len = 0, ovf = 0;
    uint32_t gerr, other;

    spin_lock(&u->hw_lock);
    for (;;) {
        uint32_t idx = u->evtq_cons & ((UINT32_C(1) << u->evtq_log2) - 1);
        uint32_t prod = reg_read(u, SMMU_EVENTQ_PROD);

        ovf += ((prod ^ u->evtq_ovack) & SMMU_Q_OVF) != 0;
        u->evtq_ovack = prod & SMMU_Q_OVF;
        if (!((prod ^ u->evtq_cons) & q_mask(u->evtq_log2))) {
            break;
        }
        /* PROD was read before the record: order the record reads after it (7.2); a
         * non-coherent SMMU wrote it to memory, past any line a previous lap left cached. The
         * record is decoded in place: the SMMU does not rewrite it before CONS passes it, so
         * its reads complete before the CONS write that frees the slot (DMB LD orders earlier
         * loads before later stores too). */
        dma_rmb();
        if (!u->coherent) {
            arch_dcache_inval(&u->evtq[idx * 4], SMMU_EVT_SIZE);
        }
        smmuv3_event_decode(&u->evtq[idx * 4], &ev);
        dma_rmb();
        u->evtq_cons = (u->evtq_cons + 1) & q_mask(u->evtq_log2);
        reg_write(u, SMMU_EVENTQ_CONS, u->evtq_cons | u->evtq_ovack);
        u->stats.events++;
        if (run_len != 0 && same_run(&run, &ev)) {
            run_len++;
            continue;
        }
        if (run_len != 0) {
            spin_unlock(&u->hw_lock);
            report_run(u, &run, run_len);
            spin_lock(&u->hw_lock);
        }
        run = ev;
        run_len = 1;
    }
    /* Every global error but CMDQ_ERR (cmd_sync handles it where the command failed). */
    gerr = (reg_read(u, SMMU_GERROR) ^ reg_read(u, SMMU_GERRORN)) & ~SMMU_GERROR_CMDQ_ERR;
    u->stats.events_lost += ovf + ((gerr & SMMU_GERROR_EVTQ_ABT_ERR) != 0);
    reg_write(u, SMMU_EVENTQ_CONS, u->evtq_cons | u->evtq_ovack); /* the last PROD's overflow */
    /* EVTQ_ABT_ERR after the queue was drained; the others, MSI write aborts, PRIQ_ABT_ERR
     * and SFM_ERR (6.3.17), are acknowledged and reported. */
    if (gerr != 0) {
        reg_write(u, SMMU_GERRORN, reg_read(u, SMMU_GERRORN) ^ gerr);
    }
    other = gerr & ~SMMU_GERROR_EVTQ_ABT_ERR;
    spin_unlock(&u->hw_lock);
    if (run_len != 0) {
        report_run(u, &run, run_len);
    }
    if (other != 0) {
        /* Service failure mode: the SMMU aborts every transaction until it is reset (3.20). */
        hv_printf("%s: GERROR %#x%s\n", iommu->name, other,
                  other & SMMU_GERROR_SFM_ERR ? ": service failure mode, every DMA aborts" : "");
    }
    if (ovf != 0) {
        hv_printf("%s: event queue overflow (x%lu): events were lost\n", iommu->name, ovf);
    }
    if (gerr & SMMU_GERROR_EVTQ_ABT_ERR) {
        hv_printf("%s: GERROR.EVENTQ_ABT_ERR: the SMMU could not write an event record\n",
                  iommu->name);
    }
}

static const struct iommu_ops smmuv3_ops = {
    .pt_fmt = &pt_fmt_arm_s2_4k,
    .pt_min_depth = S2_MIN_DEPTH,
    .pt_mm = &smmuv3_mm_ops,
    .init = smmuv3_init,
    .domain_init = smmuv3_domain_init,
    .reload = smmuv3_reload,
    .iotlb_flush = smmuv3_iotlb_flush,
    .assign_device = smmuv3_assign_device,
    .fault_handler = smmuv3_fault_handler,
    .irq_enable = smmuv3_irq_enable,
};

/* The stage-1 fallback's ops: smmuv3_ops over the stage-1 format, set up by the probe. */
static struct iommu_ops smmuv3_s1_ops;

/* --- Probe ----------------------------------------------------------------------------- */

static int smmuv3_probe(const struct fdt *fdt)
{
    int node = -1;
    int err;

    while ((node = fdt_find_compatible(fdt, node, "arm,smmu-v3")) >= 0) {
        struct smmuv3_unit *u;
        uint64_t base, size;

        err = fdt_reg(fdt, node, 0, &base, &size);
        if (err != 0 || size < SMMU_MMIO_SIZE || !IS_ALIGNED(base, SMMU_PAGE_SIZE)) {
            hv_printf("smmuv3: %s: unusable reg (%s), skipped\n", fdt_node_name(fdt, node),
                      err != 0 ? errno_name(err) : "size or alignment");
            continue;
        }
        if (smmuv3_nunits == SMMUV3_MAX_UNITS) {
            hv_printf("smmuv3: more than %u SMMUs, %#llx ignored\n", SMMUV3_MAX_UNITS,
                      (unsigned long long)base);
            continue;
        }
        u = &smmuv3_units[smmuv3_nunits];
        hv_snprintf(u->name, sizeof(u->name), "smmuv3@%llx", (unsigned long long)base);
        u->iommu = (struct iommu){
            .ops = &smmuv3_ops, .name = u->name, .base = base, .pt_ctx = &hv_page_pool};
        u->mmio = arch_iomap(hpa(base), SMMU_MMIO_SIZE);
        if (u->mmio == NULL) {
            return -ENODEV;
        }
        if (smmuv3_read_ids(u) != 0) {
            continue;
        }
        smmuv3_dt_irqs(u, fdt, node);
        if (u->stage1) {
            /* The same driver over the stage-1 table format (pgtable_arm_s1.c). */
            smmuv3_s1_ops = smmuv3_ops;
            smmuv3_s1_ops.pt_fmt = &pt_fmt_arm_s1_4k;
            u->iommu.ops = &smmuv3_s1_ops;
        }
        spin_lock_init_class(&u->hw_lock, &smmuv3_hw_class);
        smmuv3_nunits++;
        /* iommu_register prints a failed bring-up. */
        err = iommu_register(&u->iommu);
        if (err != 0) {
            return err;
        }
    }
    if (smmuv3_nunits == 0) {
        hv_printf("smmuv3: no usable SMMUv3: DMA is not isolated\n");
    }
    return 0;
}

HV_UNIT(smmuv3_unit_desc, "smmuv3", HV_UNIT_ORDER_IOMMU, smmuv3_probe);
