// SPDX-License-Identifier: Apache-2.0
/* AMD-Vi encodings against the spec and the values verified on QEMU (BRIEF §8). */
#include "../../drivers/iommu/amd-vi/amdvi_hw.h"
#include "unit.h"

TEST(dte_translate_matches_qemu_verified_value)
{
    struct amdvi_dte d = amdvi_dte_translate(hpa(0x5100000), 2, 7, true, true);

    /* BRIEF §8: mode 2, root 0x5100000, V|TV|IR|IW. */
    CHECK_EQ(d.q[0], 0x6000000005100403);
    CHECK_EQ(d.q[1], 7);
    CHECK_EQ(d.q[2], 0);
    CHECK_EQ(d.q[3], 0);
    CHECK_EQ(amdvi_dte_mode(&d), 2);
    d = amdvi_dte_translate(hpa(0x5100000), 6, 0xffff, true, false);
    CHECK_EQ(d.q[0], 0x2000000005100c03);
    CHECK_EQ(d.q[1], 0xffff);
    /* Bits outside [51:12] of the root never leak into other fields. */
    d = amdvi_dte_translate(hpa(0xfff0000000000fff), 1, 1, false, false);
    CHECK_EQ(d.q[0], 0x203);
}

TEST(dte_blocked_is_v_tv_mode0_no_permission)
{
    struct amdvi_dte d = amdvi_dte_blocked(0);

    CHECK_EQ(d.q[0], 0x3);
    CHECK_EQ(amdvi_dte_mode(&d), 0);
    CHECK_EQ(d.q[0] & (AMDVI_DTE_IR | AMDVI_DTE_IW), 0);
}

TEST(base_registers)
{
    CHECK_EQ(amdvi_devtab_reg(hpa(0x1234000), 2), 0x1234001);
    CHECK_EQ(amdvi_devtab_reg(hpa(0x200000), 512), 0x2001ff);
    CHECK_EQ(amdvi_ring_reg(hpa(0x7000), 8), 0x0800000000007000);
}

TEST(completion_wait)
{
    struct amdvi_cmd c = amdvi_cmd_completion_wait(hpa(0x12345678), 0xdeadbeefcafe);

    CHECK_EQ(c.q[0], 0x1000000012345679);
    CHECK_EQ(c.q[1], 0xdeadbeefcafe);
    /* An address above 4 GiB lands in dword 1 bits 19:0. */
    c = amdvi_cmd_completion_wait(hpa(0xabcdef12345678), 1);
    CHECK_EQ(c.q[0], 0x100bcdef12345679);
}

TEST(invalidate_devtab_entry)
{
    struct amdvi_cmd c = amdvi_cmd_inv_devtab_entry(0x0108);

    CHECK_EQ(c.q[0], 0x2000000000000108);
    CHECK_EQ(c.q[1], 0);
}

TEST(invalidate_pages)
{
    struct amdvi_cmd c = amdvi_cmd_inv_pages(5, dfn(0x1234), 1);

    CHECK_EQ(c.q[0], 0x3000000500000000);
    CHECK_EQ(c.q[1], 0x1234002); /* one page: S = 0, PDE = 1 */
    /* Two aligned pages: S = 1, bit 12 clear. */
    c = amdvi_cmd_inv_pages(5, dfn(0x1234), 2);
    CHECK_EQ(c.q[1], 0x1234003);
    /* Pages 0x1235-0x1236 straddle a 2-page boundary: the 4-page block at 0x1234. */
    c = amdvi_cmd_inv_pages(5, dfn(0x1235), 2);
    CHECK_EQ(c.q[1], 0x1235003);
    /* 512 pages at 2 MiB: bits 12..19 set, bit 20 clear. */
    c = amdvi_cmd_inv_pages(5, dfn(0x200), 512);
    CHECK_EQ(c.q[1], 0x2ff003);
    /* Everything. */
    c = amdvi_cmd_inv_domain(9);
    CHECK_EQ(c.q[0], 0x3000000900000000);
    CHECK_EQ(c.q[1], 0x7ffffffffffff003);
    c = amdvi_cmd_inv_pages(9, dfn(0), UINT64_C(1) << 52);
    CHECK_EQ(c.q[1], 0x7ffffffffffff003);
    c = amdvi_cmd_inv_pages(9, dfn(UINT64_MAX), 2); /* wraps */
    CHECK_EQ(c.q[1], 0x7ffffffffffff003);
}

/* Build a raw event: code, device, domain, flags, address. */
static void raw_event(uint64_t raw[2], unsigned int code, uint16_t dev, uint16_t dom,
                      uint16_t flags, uint64_t addr)
{
    raw[0] = dev | (uint64_t)dom << 32 | (uint64_t)flags << 48 | (uint64_t)code << 60;
    raw[1] = addr;
}

TEST(decode_io_page_fault)
{
    uint64_t raw[2];
    struct amdvi_event ev;
    char line[160];

    raw_event(raw, 2, 0x0018, 5, AMDVI_EVF_RW | AMDVI_EVF_PE | AMDVI_EVF_PR, 0x7000);
    amdvi_event_decode(raw, &ev);
    CHECK_EQ(ev.code, AMDVI_EVT_IO_PAGE_FAULT);
    CHECK_EQ(ev.devid, 0x18);
    CHECK_EQ(ev.domid, 5);
    CHECK_EQ(ev.flags, 0x70);
    CHECK_EQ(ev.addr, 0x7000);
    amdvi_event_format(&ev, line, sizeof(line));
    CHECK_STR(line, "IO_PAGE_FAULT dev 00:03.0 domain 5 addr 0x7000 write present permission");
    raw_event(raw, 2, 0x0108, 1, 0, 0x40000000);
    amdvi_event_decode(raw, &ev);
    amdvi_event_format(&ev, line, sizeof(line));
    CHECK_STR(line, "IO_PAGE_FAULT dev 01:01.0 domain 1 addr 0x40000000 read not-present");
}

TEST(decode_every_named_event)
{
    static const struct {
        unsigned int code;
        const char *line;
    } cases[] = {
        {1, "ILLEGAL_DEV_TABLE_ENTRY dev 00:03.0 addr 0x1000 flags 0x20"},
        {3, "DEV_TAB_HARDWARE_ERROR dev 00:03.0 addr 0x1000 flags 0x20"},
        {4, "PAGE_TAB_HARDWARE_ERROR dev 00:03.0 domain 4 addr 0x1000 write not-present"},
        {5, "ILLEGAL_COMMAND_ERROR command at 0x1000"},
        {6, "COMMAND_HARDWARE_ERROR command at 0x1000"},
        {7, "IOTLB_INV_TIMEOUT dev 00:03.0 addr 0x1000 flags 0x20"},
        {8, "INVALID_DEVICE_REQUEST dev 00:03.0 addr 0x1000 flags 0x20"},
        {0xa, "EVENT_COUNTER_ZERO code 0xa addr 0x1000"},
        {0xe, "UNKNOWN_EVENT code 0xe addr 0x1000"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t raw[2];
        struct amdvi_event ev;
        char line[160];

        raw_event(raw, cases[i].code, 0x18, 4, AMDVI_EVF_RW, 0x1000);
        amdvi_event_decode(raw, &ev);
        CHECK_EQ(ev.code, cases[i].code);
        amdvi_event_format(&ev, line, sizeof(line));
        CHECK_STR(line, cases[i].line);
    }
    CHECK_STR(amdvi_event_name(0), "UNKNOWN_EVENT");
    CHECK_STR(amdvi_event_name(99), "UNKNOWN_EVENT");
}

TEST(efr_hats)
{
    /* QEMU 10.0's EFR 0x29d3: HATS 10b, 6 levels. */
    CHECK_EQ(amdvi_efr_hats(0x29d3), 2);
    CHECK_EQ(amdvi_efr_hats(0), 0);
    CHECK_EQ(amdvi_efr_hats(UINT64_C(3) << 10), 3);
}
