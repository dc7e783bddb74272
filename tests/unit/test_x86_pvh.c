// SPDX-License-Identifier: Apache-2.0
/*
 * arch/x86/pvh.c: the hvm_start_info written after a partition's DTB. Every address in it is
 * a guest address of the partition (the area's own, or one of its guest ranges), whatever
 * the host addresses of its memory and shared regions; the memory map marks the boot area
 * and every shared region reserved; an area too small is refused without writing past it.
 */
#include <string.h>

#include <arch/vcpu.h>
#include <hv/errno.h>
#include <hv/partition.h>

#include "unit.h"

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
    CHECK_EQ(si->rsdp_paddr, 0);
    mod = in_area(si->modlist_paddr);
    CHECK_EQ(mod->paddr, AREA_GPA); /* module 0: the DTB at the start of the area */
    CHECK_EQ(mod->size, 1000);
    CHECK(strcmp(in_area(si->cmdline_paddr), "console=ttyS1") == 0);
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
    /* Without a DTB it just fits (56 + 32 + 4 * 24 + 68 = 252 bytes). */
    CHECK_EQ(arch_guest_boot_info(&part, area, gpa(AREA_GPA), 256, 0, &ctx), 0);
    /* Nothing written past the given size. */
    CHECK_EQ(((const uint8_t *)area)[256], 0xa5);
}
