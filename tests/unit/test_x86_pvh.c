// SPDX-License-Identifier: Apache-2.0
/*
 * arch/x86/pvh.c: the hvm_start_info written after a partition's DTB. Every address in it is
 * a guest address of the partition (the area's own, or one of its guest ranges), whatever
 * the host addresses of its memory and shared regions, and so is every pointer of the ACPI
 * tables it names (RSDP -> XSDT -> FADT -> DSDT, MADT: one local APIC per vCPU, APIC id =
 * vCPU index); the memory map marks the boot area and every shared region reserved; an
 * initrd is module 0 (PVH Linux) and the DTB module 1; an area too small is refused
 * without writing past it.
 */
#include <string.h>

#include <arch/vcpu.h>
#include <hv/errno.h>
#include <hv/partition.h>

#include "../../arch/x86/x86.h"
#include "unit.h"

/* The hypervisor's measured TSC frequency (arch/x86/time.c), as pvh.c reads it. */
uint64_t x86_tsc_hz(const char **source)
{
    if (source != NULL) {
        *source = "unit test";
    }
    return UINT64_C(2000000000);
}

struct start_info {
    uint32_t magic, version, flags, nr_modules;
    uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
    uint32_t memmap_entries, reserved;
};

struct modlist_entry {
    uint64_t paddr, size, cmdline_paddr, reserved;
};

struct memmap_entry {
    uint64_t addr, size;
    uint32_t type, reserved;
};

#define AREA_GPA UINT64_C(0x7ff0000)
#define AREA_SIZE 0x10000u
#define HOST_RAM UINT64_C(0x40000000)
#define HOST_SHM UINT64_C(0x50000000)

static struct hv_config cfg;
static struct partition part;
static uint64_t area[AREA_SIZE / 8];

static void setup(const char *bootargs)
{
    struct hv_config_partition *pc = &cfg.partitions[0];

    memset(&cfg, 0, sizeof(cfg));
    memset(&part, 0, sizeof(part));
    memset(area, 0xa5, sizeof(area));
    pc->id = 1;
    pc->mem_count = 2;
    cfg.mem[0] = (struct hv_config_mem){.guest = gpa(0), .host = hpa(HOST_RAM), .size = 0x8000000};
    cfg.mem[1] = (struct hv_config_mem){
        .guest = gpa(0x20000000), .host = hpa(HOST_RAM + 0x8000000), .size = 0x200000};
    pc->shm_count = 1;
    cfg.shm[0].guest = gpa(0x10000000);
    cfg.shm[0].host = hpa(HOST_SHM);
    cfg.shm[0].size = 0x100000;
    pc->bootargs = bootargs;
    part.config = pc;
    part.nr_vcpus = 2;
    part.layout = &cfg;
}

/* Whether a is inside one of the partition's guest ranges (memory or shm). */
static bool guest_address(uint64_t a)
{
    return a < 0x8000000 || (a >= 0x20000000 && a < 0x20200000) ||
           (a >= 0x10000000 && a < 0x10100000);
}

/* The hypervisor's view of guest address a inside the area. */
static const void *in_area(uint64_t a)
{
    return (const uint8_t *)area + (a - AREA_GPA);
}

TEST(start_info_guest_addresses_only)
{
    uint64_t ctx = 0;
    const struct start_info *si;
    const struct modlist_entry *mod;
    const struct memmap_entry *map;

    setup("console=ttyS1");
    REQUIRE(arch_guest_boot_info(&part, area, gpa(AREA_GPA), AREA_SIZE, 1000, &ctx) == 0);
    CHECK(ctx >= AREA_GPA + 1000 && ctx < AREA_GPA + AREA_SIZE && ctx % 8 == 0);
    si = in_area(ctx);
    CHECK_EQ(si->magic, 0x336ec578u);
    CHECK_EQ(si->version, 1);
    CHECK_EQ(si->nr_modules, 1);
    mod = in_area(si->modlist_paddr);
    CHECK_EQ(mod->paddr, AREA_GPA); /* module 0: the DTB at the start of the area */
    CHECK_EQ(mod->size, 1000);
    CHECK(strcmp(in_area(si->cmdline_paddr), "console=ttyS1 tsc_early_khz=2000000") == 0);
    /* RAM below the area, the area reserved, the second range RAM, the shm reserved. */
    REQUIRE(si->memmap_entries == 4);
    map = in_area(si->memmap_paddr);
    CHECK(map[0].addr == 0 && map[0].size == AREA_GPA && map[0].type == 1);
    CHECK(map[1].addr == AREA_GPA && map[1].size == AREA_SIZE && map[1].type == 2);
    CHECK(map[2].addr == 0x20000000 && map[2].size == 0x200000 && map[2].type == 1);
    CHECK(map[3].addr == 0x10000000 && map[3].size == 0x100000 && map[3].type == 2);
    /* No host address anywhere: every pointer and range is the partition's own. */
    CHECK(guest_address(si->modlist_paddr) && guest_address(si->memmap_paddr) &&
          guest_address(si->cmdline_paddr) && guest_address(mod->paddr));
    for (unsigned int i = 0; i < si->memmap_entries; i++) {
        CHECK(guest_address(map[i].addr) && guest_address(map[i].addr + map[i].size - 1));
    }
    /* Nothing is written before the DTB's end. */
    CHECK_EQ(((const uint8_t *)area)[999], 0xa5);
}

static uint64_t get64(const uint8_t *b)
{
    uint64_t v;

    memcpy(&v, b, sizeof(v));
    return v;
}

static uint32_t get32(const uint8_t *b)
{
    uint32_t v;

    memcpy(&v, b, sizeof(v));
    return v;
}

static uint8_t sum(const uint8_t *b, size_t len)
{
    uint8_t s = 0;

    for (size_t i = 0; i < len; i++) {
        s = (uint8_t)(s + b[i]);
    }
    return s;
}

/* Whether guest address a (len bytes) lies inside the boot area. */
static bool in_area_range(uint64_t a, uint64_t len)
{
    return a >= AREA_GPA && a + len <= AREA_GPA + AREA_SIZE;
}

/* The table at guest address a: inside the area, signature sig, checksum valid. */
static const uint8_t *table(uint64_t a, const char *sig)
{
    const uint8_t *t;

    if (!in_area_range(a, 36)) {
        return NULL;
    }
    t = in_area(a);
    if (memcmp(t, sig, 4) != 0 || !in_area_range(a, get32(t + 4)) || sum(t, get32(t + 4)) != 0) {
        return NULL;
    }
    return t;
}

TEST(acpi_tables_guest_addresses_only)
{
    uint64_t ctx = 0;
    const struct start_info *si;
    const uint8_t *rsdp, *xsdt, *fadt, *madt, *dsdt;

    setup("console=ttyS0");
    REQUIRE(arch_guest_boot_info(&part, area, gpa(AREA_GPA), AREA_SIZE, 1000, &ctx) == 0);
    si = in_area(ctx);
    REQUIRE(in_area_range(si->rsdp_paddr, 36));
    rsdp = in_area(si->rsdp_paddr);
    CHECK(memcmp(rsdp, "RSD PTR ", 8) == 0 && rsdp[15] == 2);
    CHECK(sum(rsdp, 20) == 0 && sum(rsdp, 36) == 0);
    CHECK_EQ(get32(rsdp + 16), 0); /* no RSDT */
    xsdt = table(get64(rsdp + 24), "XSDT");
    REQUIRE(xsdt != NULL);
    REQUIRE(get32(xsdt + 4) == 36 + 2 * 8);
    fadt = table(get64(xsdt + 36), "FACP");
    madt = table(get64(xsdt + 44), "APIC");
    REQUIRE(fadt != NULL && madt != NULL);
    /* FADT: hardware-reduced, physical APIC destinations, DSDT and X_DSDT the same table. */
    CHECK((get32(fadt + 112) & (1u << 20 | 1u << 19)) == (1u << 20 | 1u << 19));
    CHECK_EQ((uint64_t)get32(fadt + 40), get64(fadt + 140));
    dsdt = table(get64(fadt + 140), "DSDT");
    REQUIRE(dsdt != NULL);
    /* MADT: the default local APIC address, no 8259s, one enabled local APIC per vCPU. */
    REQUIRE(get32(madt + 4) == 36 + 8 + 2 * 8);
    CHECK_EQ(get32(madt + 36), 0xfee00000u);
    CHECK_EQ(get32(madt + 40), 0);
    for (unsigned int i = 0; i < 2; i++) {
        const uint8_t *e = madt + 44 + 8 * i;

        CHECK(e[0] == 0 && e[1] == 8 && e[2] == i && e[3] == i && get32(e + 4) == 1);
    }
}

TEST(initrd_is_module_0)
{
    uint64_t ctx = 0;
    const struct start_info *si;
    const struct modlist_entry *mod;

    setup(NULL);
    part.initrd = gpa(0x7000000);
    part.initrd_size = 0x123456;
    REQUIRE(arch_guest_boot_info(&part, area, gpa(AREA_GPA), AREA_SIZE, 500, &ctx) == 0);
    si = in_area(ctx);
    REQUIRE(si->nr_modules == 2);
    mod = in_area(si->modlist_paddr);
    CHECK(mod[0].paddr == 0x7000000 && mod[0].size == 0x123456);
    CHECK(mod[1].paddr == AREA_GPA && mod[1].size == 500);
}

TEST(no_bootargs_no_command_line)
{
    uint64_t ctx = 0;

    setup(NULL);
    REQUIRE(arch_guest_boot_info(&part, area, gpa(AREA_GPA), AREA_SIZE, 64, &ctx) == 0);
    CHECK_EQ(((const struct start_info *)in_area(ctx))->cmdline_paddr, 0);
}

TEST(too_small_area_is_refused)
{
    uint64_t ctx = 0;

    setup("a long command line that does not fit in what is left of the area");
    CHECK_EQ(arch_guest_boot_info(&part, area, gpa(AREA_GPA), 256, 200, &ctx), -E2BIG);
    CHECK_EQ(arch_guest_boot_info(&part, area, gpa(AREA_GPA), 256, 100, &ctx), -E2BIG);
    CHECK_EQ(arch_guest_boot_info(&part, area, gpa(AREA_GPA), 512, 0, &ctx), -E2BIG);
    CHECK_EQ(arch_guest_boot_info(&part, area, gpa(AREA_GPA), 1024, 0, &ctx), 0);
    /* Nothing written past the given size. */
    CHECK_EQ(((const uint8_t *)area)[1024], 0xa5);
}
