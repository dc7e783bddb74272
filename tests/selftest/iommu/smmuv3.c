// SPDX-License-Identifier: Apache-2.0
/*
 * SMMUv3 self-test on QEMU (CONFIG_IOMMU_SELFTEST, run by tests/system/arm64_iommu_edu.sh):
 * QEMU's "edu" PCI device (docs/specs/edu.rst) copies between RAM and its 4 KiB internal
 * buffer at device address 0x40000 (source 0x80, destination 0x88, count 0x90, command 0x98:
 * bit 0 start, bit 1 direction, 1 = buffer to RAM), each transfer taking 100 ms of virtual
 * time. Its DMA goes through an SMMUv3 stage-2 domain built with the generic API:
 *
 *   1. config space from the DT ECAM (pci_ecam_init_dt); nobody assigned BARs (QEMU -kernel
 *      runs no firmware), so BAR0 gets the start of the DT's 32-bit memory window;
 *   2. assigned but not yet notified: the STE aborts, a DMA changes nothing; a map before
 *      any notify is refused (-ERANGE);
 *   3. notify + map two low DFNs: depth 2 (S2T0SZ 34); RAM -> buffer -> RAM, data checked;
 *   4. notify + map a DFN above 2^40, two more levels: depth 4 (S2T0SZ 20, capped by the
 *      44-bit IAS); DMA through the new high mapping and the old low one;
 *   5. DMA to an unmapped DFN: blocked, F_TRANSLATION read from the event queue;
 *   6. DMA write to a read-only mapping: blocked, F_PERMISSION; a DMA read of it works.
 *
 * The blocked IOVAs equal the host address of a planted page, so a DMA that bypassed the
 * SMMU would visibly land there. Ends QEMU through arch_test_exit().
 */
#include <arch/io.h>
#include <arch/test.h>
#include <arch/time.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/iommu.h>
#include <hv/page_alloc.h>
#include <hv/pci.h>
#include <hv/printf.h>
#include <hv/string.h>

#include "edu.h"

#include "smmuv3.h"

/* edu (QEMU docs/specs/edu.rst). */
/* A transfer takes 100 ms of virtual time; allow for a slow TCG host. */

/* The self-test's domain id (VMID): above the partition ids a layout normally uses. */
#define SELFTEST_DOMAIN 60

/* IOVAs as DFNs. LOW/LOW2/RO: depth 2. HIGH: 2^40 + LOW, depth 4 (41 bits). */
#define DFN_LOW UINT64_C(0x10)
#define DFN_LOW2 UINT64_C(0x11)
#define DFN_RO UINT64_C(0x12)
#define DFN_HIGH (DFN_LOW + (UINT64_C(1) << (40 - PAGE_SHIFT)))

enum { PG_LOW, PG_LOW2, PG_HIGH, PG_RO, PG_TRAP, NPAGES };

struct selftest {
    volatile uint8_t *edu;
    uint16_t edu_bdf;
    struct smmuv3_unit *unit;
    struct iommu_domain dom;
    struct iommu_device dev;
    hpa_t pa[NPAGES];
    uint8_t *va[NPAGES];
    struct selftest_tally tally;
};

/* The last fault reported (fault callback) and how many. */
static struct iommu_fault last_fault;
static unsigned long nfaults;

static void on_fault(struct iommu_domain *dom, const struct iommu_fault *f)
{
    (void)dom;
    last_fault = *f;
    nfaults++;
}

static uint64_t addr(uint64_t dfn_v)
{
    return dfn_v << PAGE_SHIFT;
}

/*
 * A DMA write that must be blocked: plant a pattern in page (the page at iova, or the page
 * whose host address is iova), DMA the buffer there, expect the page unchanged and, when
 * want_type is not IOMMU_FAULT_OTHER, a fault of that type at iova from the event queue.
 */
static void expect_blocked_write(struct selftest *t, uint64_t iova, uint8_t *page, const char *name,
                                 enum iommu_fault_type want_type)
{
    char fault_name[64];
    unsigned long before;

    iommu_poll_faults(false);
    before = nfaults;
    selftest_fill(page, 0x5a);
    if (edu_dma(t->edu, iova, true) != 0) {
        selftest_check(&t->tally, false, name, "DMA did not finish");
        return;
    }
    selftest_check(&t->tally, selftest_holds(page, 0x5a), name, "data reached memory");
    iommu_poll_faults(false);
    if (want_type == IOMMU_FAULT_OTHER) {
        hv_snprintf(fault_name, sizeof(fault_name), "%s-no-event", name);
        selftest_check(&t->tally, nfaults == before, fault_name,
                       "an event was recorded for an aborting STE");
        return;
    }
    hv_snprintf(fault_name, sizeof(fault_name), "%s-event", name);
    selftest_check(&t->tally,
                   nfaults > before && last_fault.type == want_type &&
                       last_fault.sid == t->edu_bdf &&
                       last_fault.addr >> PAGE_SHIFT == iova >> PAGE_SHIFT && last_fault.write,
                   fault_name, "no matching event in the event queue");
}

/* Find edu through the DT ECAM, give it a BAR if nobody did, check it answers. */
static int setup_edu(struct selftest *t, const struct fdt *fdt)
{
    uint64_t bar;
    int err = edu_find_dt(fdt, &t->edu_bdf, &bar, &t->edu);

    if (err != 0) {
        return err;
    }
    hv_printf("iommu-selftest: edu %02x:%02x.%x (sid %#x) BAR0 %#llx, SMMU %s\n", t->edu_bdf >> 8,
              (t->edu_bdf >> 3) & 0x1f, t->edu_bdf & 7, t->edu_bdf, (unsigned long long)bar,
              t->unit->iommu.name);
    return 0;
}

static int setup(struct selftest *t, const struct fdt *fdt)
{
    int err;

    t->unit = smmuv3_unit(0);
    if (t->unit == NULL) {
        hv_printf("iommu-selftest: no SMMUv3 (run QEMU with -M virt,iommu=smmuv3)\n");
        return -ENODEV;
    }
    err = setup_edu(t, fdt);
    if (err != 0) {
        return err;
    }
    for (unsigned int i = 0; i < NPAGES; i++) {
        err = page_alloc_one(&hv_page_pool, &t->pa[i]);
        if (err != 0) {
            return err;
        }
        t->va[i] = page_to_virt(&hv_page_pool, t->pa[i]);
    }
    iommu_set_fault_callback(on_fault);
    err = iommu_domain_init(&t->dom, &t->unit->iommu, SELFTEST_DOMAIN);
    if (err != 0) {
        return err;
    }
    t->dev = (struct iommu_device){.iommu = &t->unit->iommu, .sid = t->edu_bdf};
    return iommu_assign_device(&t->dom, &t->dev);
}

/* 2. Assigned, no root: the STE aborts (no event); map before notify is refused. */
static void test_before_notify(struct selftest *t)
{
    struct smmuv3_ste ste;
    int err = smmuv3_read_ste(t->unit, t->edu_bdf, &ste);

    selftest_check(&t->tally,
                   err == 0 && smmuv3_ste_config(&ste) == SMMU_STE_CFG_ABORT && (ste.dw[0] & 1),
                   "ste-abort-before-notify", "STE not valid + abort");
    expect_blocked_write(t, hpa_val(t->pa[PG_TRAP]), t->va[PG_TRAP], "blocked-before-notify",
                         IOMMU_FAULT_OTHER);
    err = iommu_map_pages(&t->dom, dfn(DFN_LOW), t->pa[PG_LOW], 1, IOMMU_READ | IOMMU_WRITE);
    selftest_check(&t->tally, err == -ERANGE, "map-before-notify-refused",
                   "map without notify accepted");
    selftest_check(&t->tally, t->dom.pt.depth == 0, "no-root-before-notify", "domain has a table");
}

/* 3. Low DFNs at depth 2: RAM -> buffer -> RAM. */
static void test_low(struct selftest *t)
{
    const struct iommu_map_req reqs[] = {
        {dfn(DFN_LOW), t->pa[PG_LOW], 1, IOMMU_READ | IOMMU_WRITE},
        {dfn(DFN_LOW2), t->pa[PG_LOW2], 1, IOMMU_READ | IOMMU_WRITE},
    };
    struct smmuv3_ste ste;
    int err = iommu_map_batch(&t->dom, reqs, ARRAY_SIZE(reqs));

    selftest_check(&t->tally, err == 0, "map-low", errno_name(err));
    selftest_check(&t->tally, t->dom.pt.depth == 2, "depth-2-for-low", "wrong depth");
    err = smmuv3_read_ste(t->unit, t->edu_bdf, &ste);
    hv_printf("iommu-selftest: STE sid %#x: dw0 %#llx dw2 %#llx dw3 %#llx\n", t->edu_bdf,
              (unsigned long long)ste.dw[0], (unsigned long long)ste.dw[2],
              (unsigned long long)ste.dw[3]);
    selftest_check(&t->tally,
                   err == 0 && ste.dw[0] == 0xd && ((ste.dw[2] >> 32) & 0x3f) == 34 &&
                       ste.dw[3] == hpa_val(t->dom.pt.root),
                   "ste-s2-depth-2", "STE is not S2 with S2T0SZ 34 at the root");
    selftest_fill(t->va[PG_LOW], 0x11);
    memset(t->va[PG_LOW2], 0, PAGE_SIZE);
    err = edu_dma(t->edu, addr(DFN_LOW), false);
    if (err == 0) {
        err = edu_dma(t->edu, addr(DFN_LOW2), true);
    }
    selftest_check(&t->tally, err == 0 && selftest_holds(t->va[PG_LOW2], 0x11), "dma-low",
                   "data not copied");
}

/* 4. Two more levels (depth 2 -> 4), then DMA through the new and the old mappings. */
static void test_growth(struct selftest *t)
{
    unsigned long grows = t->dom.stats.grows;
    struct smmuv3_ste ste;
    int err = iommu_map_range(&t->dom, dfn(DFN_HIGH), t->pa[PG_HIGH], 1, IOMMU_READ);

    selftest_check(&t->tally, err == 0, "map-high", errno_name(err));
    selftest_check(&t->tally, t->dom.pt.depth == 4, "depth-4-for-high", "wrong depth");
    selftest_check(&t->tally, t->dom.stats.grows == grows + 1, "one-notify-grows-two-levels",
                   "grow count");
    err = smmuv3_read_ste(t->unit, t->edu_bdf, &ste);
    selftest_check(&t->tally,
                   err == 0 && ((ste.dw[2] >> 32) & 0x3f) == 20 && ((ste.dw[2] >> 38) & 3) == 2 &&
                       ste.dw[3] == hpa_val(t->dom.pt.root),
                   "ste-s2-depth-4", "STE not S2T0SZ 20 / S2SL0 2 at the new root");
    selftest_fill(t->va[PG_HIGH], 0x66);
    memset(t->va[PG_LOW2], 0, PAGE_SIZE);
    err = edu_dma(t->edu, addr(DFN_HIGH), false);
    if (err == 0) {
        err = edu_dma(t->edu, addr(DFN_LOW2), true);
    }
    selftest_check(&t->tally, err == 0 && selftest_holds(t->va[PG_LOW2], 0x66),
                   "dma-high-after-growth", "data not copied");
    selftest_fill(t->va[PG_LOW], 0x77);
    memset(t->va[PG_LOW2], 0, PAGE_SIZE);
    err = edu_dma(t->edu, addr(DFN_LOW), false);
    if (err == 0) {
        err = edu_dma(t->edu, addr(DFN_LOW2), true);
    }
    selftest_check(&t->tally, err == 0 && selftest_holds(t->va[PG_LOW2], 0x77),
                   "dma-low-after-growth", "data not copied");
}

/* 5 and 6. Unmapped and read-only targets. */
/*
 * QEMU writes one record per 4 bytes of a blocked 4 KiB DMA (1024): past
 * IOMMU_STREAM_FAULT_LIMIT, so the core has had the stream's STE made aborting. Check that,
 * then assign the device again: it translates with a fresh count.
 */
static void reenable_stream(struct selftest *t, const char *disabled, const char *enabled)
{
    struct smmuv3_ste ste;
    int err;

    iommu_poll_faults(false);
    selftest_check(&t->tally,
                   iommu_stream_disabled(&t->unit->iommu, t->dev.sid, NULL) &&
                       smmuv3_read_ste(t->unit, t->dev.sid, &ste) == 0 &&
                       smmuv3_ste_config(&ste) == SMMU_STE_CFG_ABORT,
                   disabled, "the stream's STE still translates");
    err = iommu_unassign_device(&t->dev);
    if (err == 0) {
        err = iommu_assign_device(&t->dom, &t->dev);
    }
    selftest_check(&t->tally, err == 0 && !iommu_stream_disabled(&t->unit->iommu, t->dev.sid, NULL),
                   enabled, errno_name(err));
}

static void test_blocked(struct selftest *t)
{
    int err;

    /* IOVA = the trap page's host address: in reach at depth 4, never mapped. */
    expect_blocked_write(t, hpa_val(t->pa[PG_TRAP]), t->va[PG_TRAP], "unmapped-dfn-blocked",
                         IOMMU_FAULT_TRANSLATION);
    reenable_stream(t, "stream-disabled-past-the-limit", "stream-enabled-by-reassignment");
    err = iommu_map_range(&t->dom, dfn(DFN_RO), t->pa[PG_RO], 1, IOMMU_READ);
    selftest_check(&t->tally, err == 0, "map-read-only", errno_name(err));
    expect_blocked_write(t, addr(DFN_RO), t->va[PG_RO], "write-to-read-only-blocked",
                         IOMMU_FAULT_PERMISSION);
    reenable_stream(t, "stream-disabled-again", "stream-enabled-again");
    /* Reading the read-only page is allowed: RO page -> buffer -> LOW2. */
    selftest_fill(t->va[PG_RO], 0x42);
    memset(t->va[PG_LOW2], 0, PAGE_SIZE);
    err = edu_dma(t->edu, addr(DFN_RO), false);
    if (err == 0) {
        err = edu_dma(t->edu, addr(DFN_LOW2), true);
    }
    selftest_check(&t->tally, err == 0 && selftest_holds(t->va[PG_LOW2], 0x42),
                   "dma-read-of-read-only", "data not copied");
}

static int iommu_selftest(const struct fdt *fdt)
{
    static struct selftest t;
    int err;

    hv_printf("iommu-selftest: start\n");
    err = setup(&t, fdt);
    if (err != 0) {
        hv_printf("iommu-selftest: FAIL setup: %s\n", errno_name(err));
        arch_test_exit(1);
    }
    test_before_notify(&t);
    test_low(&t);
    test_growth(&t);
    test_blocked(&t);

    iommu_poll_faults(false);
    hv_printf("iommu-selftest: event queue: %lu record(s), %lu fault(s) reported, %lu "
              "overflow(s)\n",
              t.unit->stats.events, nfaults, t.unit->stats.events_lost);
    hv_printf("iommu-selftest: domain %u: depth %u, %lu root/depth changes, %llu table pages\n",
              t.dom.id, t.dom.pt.depth, t.dom.stats.grows,
              (unsigned long long)pt_table_pages(&t.dom.pt));
    hv_printf("iommu-selftest: %s (%u checks, %u failed)\n", t.tally.failures ? "FAIL" : "PASS",
              t.tally.checks, t.tally.failures);
    arch_test_exit(t.tally.failures ? 1 : 0);
}

HV_UNIT(smmuv3_selftest_unit, "iommu-selftest", HV_UNIT_ORDER_SELFTEST, iommu_selftest);
