// SPDX-License-Identifier: Apache-2.0
/* SMMUv3 encodings against the spec (IHI 0070) and the values verified on QEMU (BRIEF §7/§8). */
#include "../../drivers/iommu/arm-smmu-v3/smmuv3_hw.h"
#include "unit.h"

TEST(ste_s2_matches_qemu_verified_value)
{
    struct smmuv3_s2_cfg cfg = {
        .vmid = 5, .t0sz = 34, .sl0 = 0, .ps = 4, .coherent = true, .ttb = hpa(0x404d1000)};
    struct smmuv3_ste s = smmuv3_ste_s2(&cfg);

    /* BRIEF §7: dw0 = 0xd (V, Config 0b110), dw2 = 0x040c3522_0000_0005, dw3 = S2TTB. */
    CHECK_EQ(s.dw[0], 0xd);
    CHECK_EQ(s.dw[2], 0x040c352200000005);
    CHECK_EQ(s.dw[3], 0x404d1000);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_S2);
    for (unsigned int i = 4; i < SMMU_STE_DWORDS; i++) {
        CHECK_EQ(s.dw[i], 0);
    }
}

TEST(ste_s2_depths_and_fields)
{
    struct smmuv3_s2_cfg cfg = {.vmid = 0xffff, .t0sz = 20, .sl0 = 2, .ps = 4, .coherent = false};
    struct smmuv3_ste s;

    /* Depth 4 on a 44-bit SMMU: S2T0SZ 20, start level 0 (S2SL0 2); non-coherent: no
     * cacheable walk attributes; S2AA64 (bit 51) and S2R (bit 58) always. */
    cfg.ttb = hpa(0xfff0000012345fff);
    s = smmuv3_ste_s2(&cfg);
    CHECK_EQ(s.dw[2], 0x040c00940000ffff);
    CHECK_EQ((s.dw[2] >> 32) & 0x3f, 20);
    CHECK_EQ((s.dw[2] >> 38) & 3, 2);
    CHECK_EQ(s.dw[2] >> 51 & 1, 1);
    CHECK_EQ(s.dw[2] >> 58 & 1, 1);
    /* S2TTB keeps bits [51:4] only. */
    CHECK_EQ(s.dw[3], 0x0000000012345ff0);
    /* Depth 3: S2T0SZ 25, S2SL0 1. */
    cfg = (struct smmuv3_s2_cfg){.vmid = 1, .t0sz = 25, .sl0 = 1, .ps = 4, .coherent = true};
    s = smmuv3_ste_s2(&cfg);
    CHECK_EQ(s.dw[2], 0x040c355900000001);
}

TEST(ste_abort_is_valid_config_0)
{
    struct smmuv3_ste s = smmuv3_ste_abort();

    CHECK_EQ(s.dw[0], 1);
    CHECK_EQ(smmuv3_ste_config(&s), SMMU_STE_CFG_ABORT);
    for (unsigned int i = 1; i < SMMU_STE_DWORDS; i++) {
        CHECK_EQ(s.dw[i], 0);
    }
}

TEST(registers)
{
    CHECK_EQ(smmuv3_strtab_base(hpa(0x404b2000)), 0x40000000404b2000);
    CHECK_EQ(smmuv3_strtab_base(hpa(0x404b203f)), 0x40000000404b2000);
    CHECK_EQ(smmuv3_strtab_cfg(SMMU_STRTAB_2LVL, 8, 16), 0x10210);
    CHECK_EQ(smmuv3_strtab_cfg(SMMU_STRTAB_LINEAR, 0, 8), 0x8);
    CHECK_EQ(smmuv3_queue_base(hpa(0x404b4000), 8), 0x40000000404b4008);
    CHECK_EQ(smmuv3_queue_base(hpa(0x404c0000), 11), 0x40000000404c000b);
    /* Coherent: queues and tables WB (IC/OC 1) inner shareable (SH 3). */
    CHECK_EQ(smmuv3_cr1(true), 0xd75);
    CHECK_EQ(smmuv3_cr1(false), 0);
    CHECK_EQ(smmuv3_l1std(hpa(0x404d8000), 9), 0x404d8009);
    CHECK_EQ(smmuv3_l1std(hpa(0x404d8000), 0), 0x404d8000);
}

TEST(oas_codes)
{
    static const unsigned int want[] = {32, 36, 40, 42, 44, 48, 52, 0};

    for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
        CHECK_EQ(smmuv3_oas_bits(i), want[i]);
    }
}

TEST(commands)
{
    struct smmuv3_cmd c = smmuv3_cmd(SMMU_CMD_CFGI_STE, 0x10, 0);

    CHECK_EQ(c.dw[0], 0x0000001000000003);
    CHECK_EQ(c.dw[1], 0);
    c = smmuv3_cmd(SMMU_CMD_CFGI_ALL, 0, SMMU_CMD_RANGE_ALL);
    CHECK_EQ(c.dw[0], 0x04);
    CHECK_EQ(c.dw[1], 31);
    c = smmuv3_cmd(SMMU_CMD_TLBI_S12_VMALL, 60, 0);
    CHECK_EQ(c.dw[0], 0x0000003c00000028);
    CHECK_EQ(c.dw[1], 0);
    c = smmuv3_cmd(SMMU_CMD_TLBI_S2_IPA, 60, 0x10000010000);
    CHECK_EQ(c.dw[0], 0x0000003c0000002a);
    CHECK_EQ(c.dw[1], 0x10000010000);
    c = smmuv3_cmd(SMMU_CMD_TLBI_NSNH_ALL, 0, 0);
    CHECK_EQ(c.dw[0], 0x30);
    c = smmuv3_cmd(SMMU_CMD_SYNC, 0, 0);
    CHECK_EQ(c.dw[0], 0x46);
    CHECK_EQ(c.dw[1], 0);
}

TEST(event_decode_translation_fault)
{
    /* As QEMU 10 writes an F_TRANSLATION of a stage-2-only STE: sid 0x10, write (RnW 0). */
    const uint64_t raw[4] = {0x0000001000000010, 0, 0x404d0000, 0};
    struct smmuv3_event ev;
    char line[160];

    smmuv3_event_decode(raw, &ev);
    CHECK_EQ(ev.type, SMMU_EVT_F_TRANSLATION);
    CHECK_EQ(ev.sid, 0x10);
    CHECK(ev.has_addr);
    CHECK_EQ(ev.addr, 0x404d0000);
    CHECK(!ev.read);
    CHECK_EQ(smmuv3_event_fault(ev.type), IOMMU_FAULT_TRANSLATION);
    smmuv3_event_format(&ev, line, sizeof(line));
    CHECK_STR(line, "F_TRANSLATION (0x10) sid 0x10 addr 0x404d0000 write stage 1");
}

TEST(event_decode_permission_read_stage2)
{
    /* RnW (dw1 bit 34) = read, S2 (bit 38), CLASS (41:40) = 2, IPA in dw3. */
    const uint64_t raw[4] = {0x0000000800000813 | (UINT64_C(5) << 12),
                             UINT64_C(1) << 34 | UINT64_C(1) << 38 | UINT64_C(2) << 40, 0x12000,
                             0x12345};
    struct smmuv3_event ev;
    char line[160];

    smmuv3_event_decode(raw, &ev);
    CHECK_EQ(ev.type, SMMU_EVT_F_PERMISSION);
    CHECK_EQ(ev.sid, 8);
    CHECK(ev.read);
    CHECK(ev.s2);
    smmuv3_event_format(&ev, line, sizeof(line));
    CHECK_STR(line, "F_PERMISSION (0x13) sid 0x8 addr 0x12000 read stage 2");
}

TEST(event_decode_config_errors)
{
    const uint64_t bad_ste[4] = {0x0000000800000004, 0xdead, 0xbeef, 0};
    const uint64_t ste_fetch[4] = {0x0000000800000003, 0, 0, 0x404b2207};
    struct smmuv3_event ev;
    char line[160];

    smmuv3_event_decode(bad_ste, &ev);
    CHECK_EQ(ev.type, SMMU_EVT_C_BAD_STE);
    CHECK(!ev.has_addr);
    CHECK_EQ(ev.addr, 0);
    smmuv3_event_format(&ev, line, sizeof(line));
    CHECK_STR(line, "C_BAD_STE (0x4) sid 0x8");
    smmuv3_event_decode(ste_fetch, &ev);
    CHECK(ev.has_addr);
    CHECK_EQ(ev.addr, 0x404b2200);
    smmuv3_event_format(&ev, line, sizeof(line));
    CHECK_STR(line, "F_STE_FETCH (0x3) sid 0x8 addr 0x404b2200");
}

TEST(event_names)
{
    CHECK_STR(smmuv3_event_name(0x10), "F_TRANSLATION");
    CHECK_STR(smmuv3_event_name(0x12), "F_ACCESS");
    CHECK_STR(smmuv3_event_name(0x13), "F_PERMISSION");
    CHECK_STR(smmuv3_event_name(0x04), "C_BAD_STE");
    CHECK_STR(smmuv3_event_name(0x02), "C_BAD_STREAMID");
    CHECK_STR(smmuv3_event_name(0xff), "UNKNOWN");
    CHECK_EQ(smmuv3_event_fault(SMMU_EVT_C_BAD_STE), IOMMU_FAULT_BLOCKED);
    CHECK_EQ(smmuv3_event_fault(SMMU_EVT_F_ACCESS), IOMMU_FAULT_ACCESS);
    CHECK_EQ(smmuv3_event_fault(SMMU_EVT_F_CD_FETCH), IOMMU_FAULT_OTHER);
    CHECK_EQ(smmuv3_event_fault(0xff), IOMMU_FAULT_OTHER);
}
