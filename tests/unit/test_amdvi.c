// SPDX-License-Identifier: Apache-2.0
/*
 * The AMD-Vi driver's own logic (drivers/iommu/amd-vi/amdvi.c) against a fake register file
 * on the host: probe from an ACPI IVRS (arch_acpi_table, defined here), bring-up, device
 * table entries through assignment, notify and growth (DTE Mode/root/IR/IW/DomainID, the
 * commands), and the event log: decoding, attribution, overflow recovery. The device model
 * runs in the fake arch's relax hook (each turn of a driver's polling loop): it consumes the
 * command ring and performs COMPLETION_WAIT stores, logging the opcodes.
 */
#include <stdio.h>
#include <stdlib.h>

#include <arch/acpi.h>
#include <hv/boot.h>
#include <hv/errno.h>
#include <hv/iommu.h>
#include <hv/page_alloc.h>

#include "../../drivers/iommu/amd-vi/amdvi.h"
#include "../../drivers/iommu/amd-vi/amdvi_hw.h"
#include "fake.h"
#include "fake_console.h"
#include "iommu_model.h"
#include "unit.h"

#define MIB (UINT64_C(1) << 20)
#define EDU_ID 0x10u /* 00:02.0 */

static uint8_t *regs;
static uint8_t ivrs[80];
static struct amdvi_unit *unit;
static struct iommu_domain dom;
static struct iommu_device edu = {.sid = EDU_ID};

static uint64_t rd(unsigned int off)
{
    return *(volatile uint64_t *)(regs + off);
}

static void wr(unsigned int off, uint64_t v)
{
    *(volatile uint64_t *)(regs + off) = v;
}

/* The device: consume the command ring; COMPLETION_WAIT with S stores its data. */
static void model(void)
{
    struct amdvi_unit *u = amdvi_unit(0);
    uint64_t head, tail;

    if (u == NULL || u->cmdbuf == NULL || !(rd(AMDVI_CONTROL) & AMDVI_CTRL_CMDBUF_EN)) {
        return;
    }
    head = rd(AMDVI_CMDBUF_HEAD);
    tail = rd(AMDVI_CMDBUF_TAIL);
    while (head != tail) {
        const struct amdvi_cmd *c = &u->cmdbuf[head / AMDVI_CMD_SIZE];
        unsigned int op = (unsigned int)(c->q[0] >> 60);

        if (op == AMDVI_CMD_COMPLETION_WAIT && (c->q[0] & 1)) {
            *(volatile uint64_t *)(uintptr_t)(c->q[0] & UINT64_C(0x000ffffffffffff8)) = c->q[1];
        }
        model_log_add(op, c->q[0]);
        head = (head + AMDVI_CMD_SIZE) % PAGE_SIZE;
    }
    wr(AMDVI_CMDBUF_HEAD, head);
}

static void le(uint8_t *p, uint64_t v, unsigned int bytes)
{
    for (unsigned int i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* IVRS (AMD IOMMU spec 5.2): one IVHD type 10h at the register file, ids 0x0000..0x003f. */
int arch_acpi_table(const char sig[4], const void **tbl, size_t *len)
{
    uint8_t sum = 0;

    if (memcmp(sig, "IVRS", 4) != 0) {
        return -ENOENT;
    }
    memset(ivrs, 0, sizeof(ivrs));
    memcpy(ivrs, "IVRS", 4);
    le(ivrs + 4, sizeof(ivrs), 4);
    ivrs[8] = 2;                  /* revision */
    le(ivrs + 36, 0x00203040, 4); /* IVinfo */
    ivrs[48] = 0x10;              /* IVHD type 10h */
    ivrs[49] = 0xb0;              /* flags */
    le(ivrs + 50, 32, 2);         /* length */
    le(ivrs + 52, 0x0010, 2);     /* the IOMMU's own id */
    le(ivrs + 54, 0x40, 2);       /* capability offset */
    le(ivrs + 56, (uint64_t)(uintptr_t)regs, 8);
    ivrs[72] = 3; /* device entry: start of range 0x0000 */
    ivrs[76] = 4; /* end of range */
    le(ivrs + 77, 0x003f, 2);
    for (size_t i = 0; i < sizeof(ivrs); i++) {
        sum = (uint8_t)(sum + ivrs[i]);
    }
    ivrs[9] = (uint8_t)(0x100 - sum);
    *tbl = ivrs;
    *len = sizeof(ivrs);
    return 0;
}

static void setup(void)
{
    static bool once;

    fake_console_clear();
    if (once) {
        return;
    }
    once = true;
    regs = aligned_alloc(AMDVI_MMIO_SIZE, AMDVI_MMIO_SIZE);
    memset(regs, 0, AMDVI_MMIO_SIZE);
    void *pool = aligned_alloc(PAGE_SIZE, 4 * MIB);
    if (page_pool_init(&hv_page_pool, hpa((uint64_t)(uintptr_t)pool),
                       hpa((uint64_t)(uintptr_t)pool + 4 * MIB), pool) != 0) {
        abort();
    }
    fake_relax_hook = model;
    hv_table_foreach (struct hv_unit, hv_units, u) {
        if (strcmp(u->name, "amd-vi") == 0 && u->init(NULL) != 0) {
            fprintf(stderr, "amd-vi probe failed:\n%s", fake_console_log);
            abort();
        }
    }
    unit = amdvi_unit(0);
    if (unit == NULL) {
        abort();
    }
    edu.iommu = &unit->iommu;
    iommu_set_fault_callback(fault_record_cb);
}

TEST(probe_from_ivrs_blocks_every_device)
{
    setup();
    CHECK_EQ(rd(AMDVI_CONTROL), AMDVI_CTRL_IOMMU_EN | AMDVI_CTRL_EVTLOG_EN | AMDVI_CTRL_CMDBUF_EN);
    CHECK_EQ(unit->iommu.base, (uint64_t)(uintptr_t)regs);
    CHECK_EQ(unit->devtab_pages, 2); /* 8 KiB of DTEs for bus 0 */
    CHECK(model_log.n >= 1 && model_log.cmds[0].op == AMDVI_CMD_COMPLETION_WAIT);
    for (unsigned int id = 0; id < 256; id++) {
        const struct amdvi_dte *e = &unit->devtab[id];

        CHECK_EQ(e->q[0] & (AMDVI_DTE_V | AMDVI_DTE_TV | AMDVI_DTE_MODE_MASK | AMDVI_DTE_IR |
                            AMDVI_DTE_IW),
                 AMDVI_DTE_V | AMDVI_DTE_TV);
    }
}

TEST(requester_id_not_in_the_ivrs_is_refused)
{
    struct iommu_device stranger = {.iommu = &unit->iommu, .sid = 0x80};

    setup();
    REQUIRE(iommu_domain_init(&dom, &unit->iommu, 6) == 0);
    CHECK_EQ(iommu_assign_device(&dom, &stranger), -ENODEV);
    CHECK(strstr(fake_console_log, "requester id 0x80 is not in the IVRS") != NULL);
    CHECK(stranger.domain == NULL);
    iommu_domain_destroy(&dom);
}

TEST(notify_writes_the_dte_and_growth_rewrites_it)
{
    static const unsigned int reload[] = {AMDVI_CMD_INV_DEVTAB_ENTRY, AMDVI_CMD_INV_IOMMU_PAGES,
                                          AMDVI_CMD_COMPLETION_WAIT};
    const struct amdvi_dte *e;
    unsigned int mark;

    setup();
    uint64_t pool_used = page_pool_stats(&hv_page_pool).used;

    REQUIRE(iommu_domain_init(&dom, &unit->iommu, 5) == 0);
    REQUIRE(iommu_assign_device(&dom, &edu) == 0);
    e = &unit->devtab[EDU_ID];
    CHECK_EQ(amdvi_dte_mode(e), 0); /* no root yet: blocked, but tagged with the domain */
    CHECK_EQ(e->q[1] & AMDVI_DTE_DOMID_MASK, 5);
    mark = model_log.n;
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x1ff)) == 0);
    CHECK_EQ(dom.pt.depth, 1);
    CHECK_EQ(amdvi_dte_mode(e), 1);
    CHECK_EQ(e->q[0] & AMDVI_ADDR_MASK, hpa_val(dom.pt.root));
    CHECK(e->q[0] & AMDVI_DTE_IR && e->q[0] & AMDVI_DTE_IW && e->q[0] & AMDVI_DTE_TV);
    CHECK(model_log_in_order(mark, reload, ARRAY_SIZE(reload)));
    REQUIRE(iommu_map_pages(&dom, dfn(0x10), hpa(0x48000000), 1, IOMMU_READ) == 0);
    /* Three levels in one notify: Mode 1 -> 4 for DFN 2^30. */
    mark = model_log.n;
    REQUIRE(iommu_notify_dfn(&dom, dfn(UINT64_C(1) << 30)) == 0);
    CHECK_EQ(amdvi_dte_mode(e), 4);
    CHECK_EQ(e->q[0] & AMDVI_ADDR_MASK, hpa_val(dom.pt.root));
    CHECK(model_log_in_order(mark, reload, ARRAY_SIZE(reload)));
    CHECK(strstr(fake_console_log, "domain 5: depth 1 -> 4 for DFN 0x40000000") != NULL);
    /* Unmap and destroy flush; the device is blocked again and every page returned. */
    mark = model_log.n;
    REQUIRE(iommu_unmap_pages(&dom, dfn(0x10), 1) == 0);
    CHECK_EQ(model_log.cmds[mark].op, AMDVI_CMD_INV_IOMMU_PAGES);
    iommu_domain_destroy(&dom);
    CHECK_EQ(amdvi_dte_mode(e), 0);
    CHECK_EQ(e->q[0] & AMDVI_DTE_IW, 0);
    CHECK_EQ(page_pool_stats(&hv_page_pool).used, pool_used);
}

/* Event log entry i (AMD IOMMU spec 2.5.3 IO_PAGE_FAULT layout). */
static void put_event(unsigned int i, unsigned int code, uint16_t devid, uint16_t domid,
                      uint16_t flags, uint64_t addr)
{
    unit->evtlog[2 * i] =
        (uint64_t)((uint32_t)code << 28 | (uint32_t)flags << 16 | domid) << 32 | devid;
    unit->evtlog[2 * i + 1] = addr;
}

TEST(events_are_decoded_and_attributed)
{
    setup();
    REQUIRE(iommu_domain_init(&dom, &unit->iommu, 7) == 0);
    REQUIRE(iommu_assign_device(&dom, &edu) == 0);
    fault_record.calls = 0;
    put_event(0, AMDVI_EVT_IO_PAGE_FAULT, EDU_ID, 7, AMDVI_EVF_RW, 0x7ff00000);
    put_event(1, AMDVI_EVT_IO_PAGE_FAULT, EDU_ID, 7, AMDVI_EVF_PR | AMDVI_EVF_PE, 0x12000);
    put_event(2, AMDVI_EVT_ILLEGAL_DEV_TABLE_ENTRY, 0x30, 0, 0, 0x1000);
    wr(AMDVI_EVTLOG_TAIL, 3 * AMDVI_EVT_SIZE);
    iommu_poll_faults(false);
    CHECK_EQ(rd(AMDVI_EVTLOG_HEAD), 3 * AMDVI_EVT_SIZE);
    CHECK_EQ(fault_record.calls, 3);
    CHECK(strstr(fake_console_log, "domain 7: DMA translation fault: device 0x10 write "
                                   "0x7ff00000") != NULL);
    CHECK(strstr(fake_console_log, "domain 7: DMA permission fault: device 0x10 read 0x12000") !=
          NULL);
    CHECK(fault_record.dom == NULL);
    CHECK_EQ(fault_record.last.type, IOMMU_FAULT_BLOCKED);
    CHECK_EQ(fault_record.last.sid, 0x30);
    /* An overflow stopped the log: reported, acknowledged, the log enabled again. */
    wr(AMDVI_STATUS, AMDVI_STATUS_EVT_OVERFLOW);
    iommu_poll_faults(false);
    CHECK(strstr(fake_console_log, "event log overflowed") != NULL);
    CHECK(rd(AMDVI_CONTROL) & AMDVI_CTRL_EVTLOG_EN);
    iommu_domain_destroy(&dom);
}

/* A stream past the core's fault limit: its DTE blocks, and growth keeps it blocked. */
TEST(stream_faulting_past_the_limit_gets_a_blocking_dte)
{
    const struct iommu_fault burst = {.type = IOMMU_FAULT_TRANSLATION,
                                      .sid = EDU_ID,
                                      .addr = 0x7ff00000,
                                      .write = true,
                                      .count = IOMMU_STREAM_FAULT_LIMIT};
    const struct amdvi_dte *e = &unit->devtab[EDU_ID];

    setup();
    REQUIRE(iommu_domain_init(&dom, &unit->iommu, 5) == 0);
    edu.domain = NULL;
    REQUIRE(iommu_assign_device(&dom, &edu) == 0);
    REQUIRE(iommu_notify_dfn(&dom, dfn(0x1ff)) == 0);
    REQUIRE(amdvi_dte_mode(e) == 1);
    iommu_report_fault(&unit->iommu, &burst);
    CHECK(iommu_stream_disabled(&unit->iommu, EDU_ID, NULL));
    CHECK_EQ(amdvi_dte_mode(e), 0);
    CHECK_EQ(e->q[0] & (AMDVI_DTE_IR | AMDVI_DTE_IW), 0);
    CHECK(strstr(fake_console_log, "device 0x10 disabled after 64 faults") != NULL);
    REQUIRE(iommu_notify_dfn(&dom, dfn(UINT64_C(1) << 30)) == 0);
    CHECK_EQ(amdvi_dte_mode(e), 0);
    iommu_domain_destroy(&dom);
}
