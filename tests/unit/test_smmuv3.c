// SPDX-License-Identifier: Apache-2.0
/*
 * The SMMUv3 driver's own logic (drivers/iommu/arm-smmu-v3/smmuv3.c) against a fake register
 * file on the host: probe from a DT node, bring-up (CR0/CR0ACK, GBPA abort), stream-table
 * entries through assignment, notify and growth (STE fields, the commands and their order),
 * IOTLB invalidation on unmap, and the event queue: decoding, merged runs, attribution to the
 * domain, GERROR acknowledgement. The device model acts in arch_cpu_relax() (the fake
 * arch's relax hook), i.e. while the driver polls, as hardware would: CR0ACK follows CR0,
 * GBPA.Update clears, commands are consumed and logged.
 */
#include <stdio.h>
#include <stdlib.h>

#include <hv/boot.h>
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/fdt_write.h>
#include <hv/iommu.h>
#include <hv/page_alloc.h>

#include "../../drivers/iommu/arm-smmu-v3/smmuv3.h"
#include "../../drivers/iommu/arm-smmu-v3/smmuv3_hw.h"
#include "fake.h"
#include "fake_console.h"
#include "iommu_model.h"
#include "unit.h"

#define MIB (UINT64_C(1) << 20)
#define EDU_SID 0x10u

/*
 * Three register files (two 64 KiB pages each, aligned as the driver requires): SMMU 0 has
 * both stages (stage 2 is used), SMMU 1 only stage 1 (the stage-1 fallback); SMMU 2, probed
 * last by a test of its own, is not modelled (its bring-up fails).
 */
static uint8_t *regs_of[3];
static uint8_t *regs;
static struct smmuv3_unit *unit, *unit_s1;
static struct iommu_domain dom;
static struct iommu_device edu = {.sid = EDU_SID};

static uint32_t rd_at(uint8_t *base, unsigned int off)
{
    return *(volatile uint32_t *)(base + off);
}

static void wr_at(uint8_t *base, unsigned int off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

static uint32_t rd(unsigned int off)
{
    return rd_at(regs, off);
}

static void wr(unsigned int off, uint32_t v)
{
    wr_at(regs, off, v);
}

/* The devices: what each SMMU does while the driver waits. */
static void model(void)
{
    for (unsigned int i = 0; i < 2; i++) {
        struct smmuv3_unit *u = smmuv3_unit(i); /* while probing: not yet unit / unit_s1 */
        uint8_t *r = regs_of[i];
        uint32_t prod, cons, mask;

        wr_at(r, SMMU_CR0ACK, rd_at(r, SMMU_CR0));
        wr_at(r, SMMU_IRQ_CTRLACK, rd_at(r, SMMU_IRQ_CTRL));
        wr_at(r, SMMU_GBPA, rd_at(r, SMMU_GBPA) & ~SMMU_GBPA_UPDATE);
        if (u == NULL || u->cmdq == NULL || !(rd_at(r, SMMU_CR0) & SMMU_CR0_CMDQEN)) {
            continue;
        }
        mask = (UINT32_C(2) << u->cmdq_log2) - 1;
        prod = rd_at(r, SMMU_CMDQ_PROD) & mask;
        cons = rd_at(r, SMMU_CMDQ_CONS) & mask;
        while (cons != prod) {
            const struct smmuv3_cmd *c = &u->cmdq[cons & ((1u << u->cmdq_log2) - 1)];

            model_log_add((unsigned int)(c->dw[0] & 0xff), c->dw[0]);
            cons = (cons + 1) & mask;
        }
        wr_at(r, SMMU_CMDQ_CONS, cons);
    }
}

static unsigned int opcode(unsigned int i)
{
    return model_log.cmds[i].op;
}

/* A DT in buf (2 KiB) with "arm,smmu-v3" nodes whose regs are register files first..end-1. */
static void *smmu_dt(uint8_t *buf, unsigned int first, unsigned int end)
{
    struct fdt_writer w;

    if (fdt_write_init(&w, buf, 2048) != 0) {
        abort();
    }
    fdt_write_begin_node(&w, "");
    fdt_write_prop_u32(&w, "#address-cells", 2);
    fdt_write_prop_u32(&w, "#size-cells", 2);
    for (unsigned int i = first; i < end; i++) {
        uint64_t base = (uint64_t)(uintptr_t)regs_of[i];
        const uint32_t reg[4] = {(uint32_t)(base >> 32), (uint32_t)base, 0, SMMU_MMIO_SIZE};
        char name[] = "iommu@0";

        name[6] = (char)('0' + i);
        fdt_write_begin_node(&w, name);
        fdt_write_prop_string(&w, "compatible", "arm,smmu-v3");
        fdt_write_prop_cells(&w, "reg", reg, 4);
        if (i == 0) {
            /* QEMU virt's wiring: four edge SPIs, names in this order (GIC: 3 cells). */
            static const uint32_t irqs[12] = {0, 74, 1, 0, 75, 1, 0, 76, 1, 0, 77, 1};
            static const char names[] = "eventq\0priq\0cmdq-sync\0gerror";

            fdt_write_prop_cells(&w, "interrupts", irqs, 12);
            fdt_write_prop(&w, "interrupt-names", names, sizeof(names));
        }
        fdt_write_end_node(&w);
    }
    fdt_write_end_node(&w);
    if (fdt_write_finish(&w) < 0) {
        abort();
    }
    return buf;
}

/* Probe once: the unit registered through the driver's own boot unit, as at boot. */
static void setup(void)
{
    static bool once;
    static struct fdt fdt;
    static uint8_t buf[2048];

    fake_console_clear();
    if (once) {
        return;
    }
    once = true;
    /* QEMU 10's ID registers (docs/iommu.md) but linear stream table: S2P, S1P, AArch64
     * tables, coherent; SIDSIZE 8, queues up to 2^8; 4 KiB granule, 44-bit OAS. SMMUs 1
     * and 2 lack S2P. */
    for (unsigned int i = 0; i < 3; i++) {
        regs_of[i] = aligned_alloc(SMMU_PAGE_SIZE, SMMU_MMIO_SIZE);
        memset(regs_of[i], 0, SMMU_MMIO_SIZE);
        wr_at(regs_of[i], SMMU_IDR0,
              (i == 0 ? SMMU_IDR0_S2P : 0) | SMMU_IDR0_S1P | 2u << SMMU_IDR0_TTF_SHIFT |
                  SMMU_IDR0_COHACC);
        wr_at(regs_of[i], SMMU_IDR1,
              8u | 8u << SMMU_IDR1_EVENTQS_SHIFT | 8u << SMMU_IDR1_CMDQS_SHIFT);
        wr_at(regs_of[i], SMMU_IDR5, SMMU_IDR5_GRAN4K | 4u);
    }
    regs = regs_of[0];
    void *pool = aligned_alloc(PAGE_SIZE, 4 * MIB);
    if (page_pool_init(&hv_page_pool, hpa((uint64_t)(uintptr_t)pool),
                       hpa((uint64_t)(uintptr_t)pool + 4 * MIB), pool) != 0 ||
        fdt_init(&fdt, smmu_dt(buf, 0, 2), sizeof(buf)) != 0) {
        abort();
    }
    fake_relax_hook = model;
    hv_table_foreach (struct hv_unit, hv_units, u) {
        if (strcmp(u->name, "smmuv3") == 0 && u->init(&fdt) != 0) {
            fprintf(stderr, "smmuv3 probe failed:\n%s", fake_console_log);
            abort();
        }
    }
    unit = smmuv3_unit(0);
    unit_s1 = smmuv3_unit(1);
    if (unit == NULL || unit_s1 == NULL || unit->stage1 || !unit_s1->stage1) {
        abort();
    }
    model(); /* the commands of the bring-up */
    edu.iommu = &unit->iommu;
    iommu_set_fault_callback(fault_record_cb);
}

static struct smmuv3_ste ste(uint32_t sid)
{
    struct smmuv3_ste s = {0};

    if (smmuv3_read_ste(unit, sid, &s) != 0) {
        abort();
    }
    return s;
}

/* STE fields (SMMUv3 5.2): S2VMID dw2[15:0], S2T0SZ dw2[37:32], S2SL0 dw2[39:38], S2TTB. */
static unsigned int ste_t0sz(const struct smmuv3_ste *s)
{
    return (unsigned int)(s->dw[2] >> 32) & 0x3f;
}

static unsigned int ste_sl0(const struct smmuv3_ste *s)
{
    return (unsigned int)(s->dw[2] >> 38) & 3;
}

TEST(probe_brings_the_smmu_up_aborting)
{
    static const unsigned int bringup[] = {SMMU_CMD_CFGI_ALL, SMMU_CMD_TLBI_NSNH_ALL,
                                           SMMU_CMD_SYNC};
    struct smmuv3_ste s;

    setup();
    CHECK_EQ(rd(SMMU_CR0), SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    CHECK(rd(SMMU_GBPA) & SMMU_GBPA_ABORT);
    CHECK(model_log_in_order(0, bringup, ARRAY_SIZE(bringup)));
    CHECK_EQ(unit->iommu.max_dfn, (UINT64_C(1) << 32) - 1); /* 44 bits of IPA */
    CHECK_EQ(unit->iommu.base, (uint64_t)(uintptr_t)regs);
    s = ste(EDU_SID);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_ABORT);
    CHECK(s.dw[0] & SMMU_STE_V);
}

TEST(notify_writes_the_ste_and_growth_rewrites_it)
{
    static const unsigned int first[] = {SMMU_CMD_CFGI_STE, SMMU_CMD_TLBI_S12_VMALL, SMMU_CMD_SYNC};
    /* A live STE is broken (abort + CFGI + SYNC) before dw2/dw3 change, then rewritten. */
    static const unsigned int grow[] = {SMMU_CMD_CFGI_STE, SMMU_CMD_SYNC, SMMU_CMD_CFGI_STE,
                                        SMMU_CMD_TLBI_S12_VMALL, SMMU_CMD_SYNC};
    struct smmuv3_ste s;
    unsigned int mark;

    setup();
    uint64_t pool_used = page_pool_stats(&hv_page_pool).used;

    REQUIRE(iommu_domain_init(&dom, &unit->iommu, 5) == 0);
    REQUIRE(iommu_assign_device(&dom, &edu) == 0);
    s = ste(EDU_SID);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_ABORT); /* no root yet: still aborting */
    mark = model_log.n;
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x10f)) == 0); /* IPA 1 MiB: 30 bits are enough */
    s = ste(EDU_SID);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_S2);
    CHECK_EQ(dom.pt.depth, 2); /* never depth 1: S2T0SZ 34 is the least with 4 KiB pages */
    CHECK_EQ(ste_t0sz(&s), 34);
    CHECK_EQ(ste_sl0(&s), 0);
    CHECK_EQ(s.dw[2] & 0xffff, 5);
    CHECK_EQ(s.dw[3], hpa_val(dom.pt.root));
    CHECK(model_log_in_order(mark, first, ARRAY_SIZE(first)));
    CHECK_EQ((uint32_t)(model_log.cmds[mark].word >> 32), EDU_SID);
    REQUIRE(iommu_map_pages(&dom, dfn(0x100), hpa(0x48000000), 16, IOMMU_READ) == 0);
    /* Two levels at once: IPA 2^40 needs depth 4, S2T0SZ capped at 64 - 44 = 20. */
    mark = model_log.n;
    REQUIRE(iommu_notify_dfn(&dom, dfn(UINT64_C(1) << 28)) == 0);
    s = ste(EDU_SID);
    CHECK_EQ(dom.pt.depth, 4);
    CHECK_EQ(ste_t0sz(&s), 20);
    CHECK_EQ(ste_sl0(&s), 2);
    CHECK_EQ(s.dw[3], hpa_val(dom.pt.root));
    CHECK(model_log_in_order(mark, grow, ARRAY_SIZE(grow)));
    CHECK_EQ(unit->stats.depth_changes, 2);
    CHECK(strstr(fake_console_log, "domain 5: depth 2 -> 4 for DFN 0x10000000") != NULL);
    /* Beyond the 44-bit input range: refused before any table work. */
    CHECK_EQ(iommu_notify_dfn(&dom, dfn(UINT64_C(1) << 32)), -ERANGE);
    /* Unmap: per-page TLBI_S2_IPA for a few pages, then a sync. */
    mark = model_log.n;
    REQUIRE(iommu_unmap_pages(&dom, dfn(0x100), 2) == 0);
    CHECK(model_log.n > mark && opcode(mark) == SMMU_CMD_TLBI_S2_IPA);
    CHECK_EQ(opcode(model_log.n - 1), SMMU_CMD_SYNC);
    /* Destroy: the device aborts again, the VMID is flushed, every table page returned. */
    mark = model_log.n;
    iommu_domain_destroy(&dom);
    s = ste(EDU_SID);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_ABORT);
    CHECK(model_log_in_order(mark, first + 1, 2)); /* TLBI_S12_VMALL, SYNC */
    CHECK_EQ(page_pool_stats(&hv_page_pool).used, pool_used);
}

/* Write event record i of the queue (SMMUv3 7.3.12 layout for translation faults). */
static void put_event(unsigned int i, unsigned int type, uint32_t sid, uint64_t addr, bool read)
{
    uint64_t *e = &unit->evtq[i * 4];

    e[0] = (uint64_t)sid << 32 | type;
    e[1] = (uint64_t)read << 34;
    e[2] = addr;
    e[3] = 0;
}

TEST(events_are_decoded_merged_and_attributed)
{
    unsigned long lost;

    setup();
    REQUIRE(iommu_domain_init(&dom, &unit->iommu, 7) == 0);
    REQUIRE(iommu_assign_device(&dom, &edu) == 0);
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x100)) == 0);
    fault_record.calls = 0;
    /* A blocked 4 KiB write (QEMU: one record per 4 bytes, here 3), then a permission fault
     * from a stream no domain owns. */
    put_event(0, SMMU_EVT_F_TRANSLATION, EDU_SID, 0x7ff00000, false);
    put_event(1, SMMU_EVT_F_TRANSLATION, EDU_SID, 0x7ff00004, false);
    put_event(2, SMMU_EVT_F_TRANSLATION, EDU_SID, 0x7ff00008, false);
    put_event(3, SMMU_EVT_F_PERMISSION, 0x20, 0x12000, true);
    wr(SMMU_EVENTQ_PROD, 4);
    iommu_poll_faults(false);
    CHECK_EQ(rd(SMMU_EVENTQ_CONS) & 0xff, 4);
    CHECK_EQ(fault_record.calls, 2); /* the run of three is one fault */
    CHECK(strstr(fake_console_log, "F_TRANSLATION (0x10) sid 0x10 addr 0x7ff00000 write") != NULL);
    CHECK(strstr(fake_console_log, "(x3, same stream and page)") != NULL);
    CHECK(strstr(fake_console_log, "domain 7: DMA translation fault: device 0x10 write "
                                   "0x7ff00000") != NULL);
    CHECK(fault_record.dom == NULL);
    CHECK_EQ(fault_record.last.type, IOMMU_FAULT_PERMISSION);
    CHECK_EQ(fault_record.last.sid, 0x20);
    CHECK(!fault_record.last.write);
    CHECK_EQ(fault_record.last.addr, 0x12000);
    /* An overflow (PROD.OVFLG toggled, 7.4) with records still to drain: drained, counted,
     * acknowledged (CONS.OVACKFLG follows) and printed as an overflow, not an abort. */
    lost = unit->stats.events_lost;
    fake_console_clear();
    put_event(4, SMMU_EVT_F_PERMISSION, 0x20, 0x13000, true);
    wr(SMMU_EVENTQ_PROD, 5 | SMMU_Q_OVF);
    iommu_poll_faults(false);
    CHECK_EQ(rd(SMMU_EVENTQ_CONS), 5 | SMMU_Q_OVF);
    CHECK_EQ(unit->stats.events_lost, lost + 1);
    CHECK(strstr(fake_console_log, "event queue overflow (x1): events were lost") != NULL);
    CHECK(strstr(fake_console_log, "EVENTQ_ABT_ERR") == NULL);
    /* Acknowledged once: the next poll reports nothing. */
    fake_console_clear();
    iommu_poll_faults(false);
    CHECK_EQ(unit->stats.events_lost, lost + 1);
    CHECK_EQ(fake_console_len, 0);
    /* A record write that aborted (GERROR.EVENTQ_ABT_ERR; QEMU's full queue): acknowledged
     * (GERRORN toggled) and printed as what it is, not as an overflow. */
    wr(SMMU_GERROR, rd(SMMU_GERRORN) ^ SMMU_GERROR_EVTQ_ABT_ERR);
    iommu_poll_faults(false);
    CHECK_EQ((rd(SMMU_GERROR) ^ rd(SMMU_GERRORN)) & SMMU_GERROR_EVTQ_ABT_ERR, 0);
    CHECK_EQ(unit->stats.events_lost, lost + 2);
    CHECK(strstr(fake_console_log, "GERROR.EVENTQ_ABT_ERR: the SMMU could not write an event "
                                   "record") != NULL);
    CHECK(strstr(fake_console_log, "overflow") == NULL);
    /* Any other global error is acknowledged and reported: service failure mode. */
    wr(SMMU_GERROR, rd(SMMU_GERRORN) ^ SMMU_GERROR_SFM_ERR);
    iommu_poll_faults(false);
    CHECK_EQ(rd(SMMU_GERROR) ^ rd(SMMU_GERRORN), 0);
    CHECK(strstr(fake_console_log, "GERROR 0x100: service failure mode, every DMA aborts") != NULL);
    iommu_domain_destroy(&dom);
}

/* The model while the driver reports a run with hw_lock dropped: the queue overflows again
 * (PROD.OVFLG toggles) toggles times and, with nest, another CPU's drain runs meanwhile. */
static unsigned int toggles;
static bool nest;

static void fault_while_reporting(struct iommu_domain *d, const struct iommu_fault *f)
{
    fault_record_cb(d, f);
    if (toggles != 0) {
        toggles--;
        wr(SMMU_EVENTQ_PROD, rd(SMMU_EVENTQ_PROD) ^ SMMU_Q_OVF);
        if (nest) {
            iommu_poll_faults(true);
        }
    }
}

/* Queue three records of distinct streams, PROD.OVFLG toggled by ovf; the old CONS. */
static uint32_t put_three(uint32_t ovf)
{
    uint32_t cons = rd(SMMU_EVENTQ_CONS);

    for (unsigned int k = 0; k < 3; k++) {
        put_event((cons + k) & 0xff, SMMU_EVT_F_PERMISSION, 0x30 + k, 0x14000, true);
    }
    wr(SMMU_EVENTQ_PROD, ((cons + 3) & 0x1ff) | ((cons ^ ovf) & SMMU_Q_OVF));
    return cons;
}

/* Each overflow counted once (7.4): two in one drain whose OVFLG ends where it was
 * acknowledged, and one acknowledged by a drain overlapping another. */
TEST(event_queue_overflows_are_counted_once_each)
{
    unsigned long lost;
    uint32_t cons;
    const char *over;

    setup();
    iommu_set_fault_callback(fault_while_reporting);
    lost = unit->stats.events_lost;
    toggles = 1;
    cons = put_three(SMMU_Q_OVF);
    iommu_poll_faults(false);
    CHECK_EQ(rd(SMMU_EVENTQ_CONS), ((cons + 3) & 0x1ff) | (cons & SMMU_Q_OVF));
    CHECK_EQ(unit->stats.events_lost, lost + 2);
    CHECK(strstr(fake_console_log, "event queue overflow (x2): events were lost") != NULL);
    fake_console_clear();
    toggles = 1;
    nest = true;
    cons = put_three(0);
    iommu_poll_faults(false);
    CHECK_EQ(rd(SMMU_EVENTQ_CONS), ((cons + 3) & 0x1ff) | (~cons & SMMU_Q_OVF));
    CHECK_EQ(unit->stats.events_lost, lost + 3);
    over = strstr(fake_console_log, "event queue overflow (x1): events were lost");
    CHECK(over != NULL && strstr(over + 1, "event queue") == NULL); /* once */
    nest = false;
    iommu_set_fault_callback(fault_record_cb);
}

/* The DT's "eventq" and "gerror" interrupts, by name, kept for the core; none on SMMU 1. */
TEST(wired_interrupts_are_read_from_the_dt_and_enabled)
{
    setup();
    CHECK_EQ(unit->iommu.nr_irqs, 2);
    CHECK_EQ(unit->iommu.irq_cells, 3);
    CHECK_EQ(unit->iommu.irq_spec[0][1], 74); /* eventq */
    CHECK_EQ(unit->iommu.irq_spec[1][1], 77); /* gerror, the fourth name */
    CHECK(unit->iommu.irq_edge);
    CHECK_EQ(unit_s1->iommu.nr_irqs, 0);
    CHECK_EQ(rd(SMMU_IRQ_CTRL), 0); /* polled until the core claims them */
    REQUIRE(unit->iommu.ops->irq_enable(&unit->iommu) == 0);
    CHECK_EQ(rd(SMMU_IRQ_CTRL), SMMU_IRQ_CTRL_EVENTQ_IRQEN | SMMU_IRQ_CTRL_GERROR_IRQEN);
    wr(SMMU_IRQ_CTRL, 0);
}

/*
 * A stream that keeps faulting: QEMU writes one record per 4 bytes of a blocked DMA, merged
 * here into runs; once the stream's records reach IOMMU_STREAM_FAULT_LIMIT its STE aborts
 * (no more records), reported once; growth of its domain keeps it aborting.
 */
TEST(stream_faulting_past_the_limit_gets_an_abort_ste)
{
    unsigned int n;
    struct smmuv3_ste s;

    setup();
    n = unit->evtq_cons; /* where the earlier tests left the queue */
    REQUIRE(iommu_domain_init(&dom, &unit->iommu, 7) == 0);
    edu.domain = NULL;
    REQUIRE(iommu_assign_device(&dom, &edu) == 0);
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x100)) == 0);
    s = ste(EDU_SID);
    REQUIRE(smmuv3_ste_config(&s) != SMMU_STE_CFG_ABORT);
    fault_record.calls = 0;
    /* Half the limit, on four pages: not yet. */
    for (unsigned int i = 0; i < IOMMU_STREAM_FAULT_LIMIT / 2; i++, n++) {
        put_event(n % 256, SMMU_EVT_F_TRANSLATION, EDU_SID, 0x7ff00000 + (i / 8) * 0x1000 + 4 * i,
                  false);
    }
    wr(SMMU_EVENTQ_PROD, n & 0x1ff);
    iommu_poll_faults(false);
    s = ste(EDU_SID);
    CHECK(smmuv3_ste_config(&s) != SMMU_STE_CFG_ABORT);
    CHECK(strstr(fake_console_log, "disabled after") == NULL);
    /* The other half: disabled. */
    for (unsigned int i = 0; i < IOMMU_STREAM_FAULT_LIMIT / 2; i++, n++) {
        put_event(n % 256, SMMU_EVT_F_TRANSLATION, EDU_SID, 0x7ff10000 + 4 * i, false);
    }
    wr(SMMU_EVENTQ_PROD, n & 0x1ff);
    iommu_poll_faults(false);
    CHECK_EQ(rd(SMMU_EVENTQ_CONS) & 0x1ff, n & 0x1ff);
    s = ste(EDU_SID);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_ABORT);
    CHECK(strstr(fake_console_log, "device 0x10 disabled after 64 faults") != NULL);
    CHECK_EQ(fault_record.last.disabled_after, IOMMU_STREAM_FAULT_LIMIT);
    /* Growth rewrites the domain's STEs: the disabled stream stays aborting. */
    REQUIRE(iommu_notify_dfn(&dom, dfn(UINT64_C(1) << 28)) == 0);
    s = ste(EDU_SID);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_ABORT);
    iommu_domain_destroy(&dom);
}

/* CD fields (SMMUv3 5.4): T0SZ dw0[5:0], V dw0[31], ASID dw0[63:48], TTB0 dw1. */
TEST(stage1_fallback_writes_cd_and_ste_and_grows)
{
    /* Growth: the live STE broken, the CD rewritten and every cached config dropped, the
     * STE rewritten, then the whole non-secure TLB (stage-1 entries are global). */
    static const unsigned int grow[] = {
        SMMU_CMD_CFGI_STE, SMMU_CMD_SYNC,          SMMU_CMD_CFGI_ALL, SMMU_CMD_SYNC,
        SMMU_CMD_CFGI_STE, SMMU_CMD_TLBI_NSNH_ALL, SMMU_CMD_SYNC};
    static struct iommu_domain d1;
    struct iommu_device dev = {.iommu = NULL, .sid = EDU_SID};
    const struct smmuv3_cd *cd;
    struct smmuv3_ste s;
    unsigned int mark;

    setup();
    dev.iommu = &unit_s1->iommu;
    CHECK_EQ(unit_s1->iommu.max_dfn, (UINT64_C(1) << 36) - 1); /* 48-bit VA */
    REQUIRE(iommu_domain_init(&d1, &unit_s1->iommu, 9) == 0);
    REQUIRE(iommu_assign_device(&d1, &dev) == 0);
    REQUIRE(iommu_notify_dfn(&d1, dfn(0x10f)) == 0);
    REQUIRE(smmuv3_read_ste(unit_s1, EDU_SID, &s) == 0);
    cd = &unit_s1->cds[9];
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_S1);
    CHECK_EQ(s.dw[0] & UINT64_C(0x000fffffffffffc0), hpa_val(unit_s1->cds_pa) + 9 * SMMU_CD_SIZE);
    CHECK_EQ(d1.pt.depth, 2);
    CHECK_EQ(cd->dw[0] & 0x3f, 34); /* 30 bits */
    CHECK(cd->dw[0] & (UINT64_C(1) << 31));
    CHECK_EQ(cd->dw[0] >> 48, 9);
    CHECK_EQ(cd->dw[1], hpa_val(d1.pt.root));
    CHECK_EQ(cd->dw[3], PT_ARM_S1_MAIR);
    /* A read-only page is read-only in the stage-1 table (AP[2] = 1). */
    REQUIRE(iommu_map_pages(&d1, dfn(0x100), hpa(0x48000000), 1, IOMMU_READ) == 0);
    {
        struct pt_attrs attrs;

        REQUIRE(pt_lookup(&d1.pt, UINT64_C(0x100) << PAGE_SHIFT, NULL, &attrs, NULL) == 0);
        CHECK(!attrs.w && !attrs.x);
    }
    mark = model_log.n;
    REQUIRE(iommu_notify_dfn(&d1, dfn(UINT64_C(1) << 35)) == 0); /* VA 2^47: 4 levels */
    CHECK_EQ(d1.pt.depth, 4);
    CHECK_EQ(cd->dw[0] & 0x3f, 16);
    CHECK_EQ(cd->dw[1], hpa_val(d1.pt.root));
    REQUIRE(smmuv3_read_ste(unit_s1, EDU_SID, &s) == 0);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_S1);
    CHECK(model_log_in_order(mark, grow, ARRAY_SIZE(grow)));
    mark = model_log.n;
    REQUIRE(iommu_unmap_pages(&d1, dfn(0x100), 1) == 0);
    CHECK(model_log.n > mark && opcode(mark) == SMMU_CMD_TLBI_NSNH_ALL);
    iommu_domain_destroy(&d1);
    REQUIRE(smmuv3_read_ste(unit_s1, EDU_SID, &s) == 0);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_ABORT);
}

/* A unit whose bring-up fails (nothing clears GBPA.Update: the model leaves SMMU 2 alone):
 * the probe fails, and the failure is printed once (by iommu_register), not once more by the
 * driver. Last: the failed unit stays counted, as boot would panic. */
TEST(a_failed_bring_up_is_printed_once)
{
    static uint8_t buf[2048];
    static struct fdt fdt;
    const char *first;

    setup();
    REQUIRE(fdt_init(&fdt, smmu_dt(buf, 2, 3), sizeof(buf)) == 0);
    hv_table_foreach (struct hv_unit, hv_units, u) {
        if (strcmp(u->name, "smmuv3") == 0) {
            CHECK_EQ(u->init(&fdt), -ETIMEDOUT);
        }
    }
    first = strstr(fake_console_log, "initialisation failed: ETIMEDOUT");
    CHECK(first != NULL);
    CHECK(first != NULL && strstr(first + 1, "initialisation failed") == NULL);
}
