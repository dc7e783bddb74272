// SPDX-License-Identifier: Apache-2.0
/* core/mm/memory.c: the hypervisor page pool comes from the board's hypervisor-memory node. */
#include <stdarg.h>
#include <stdlib.h>

#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt_write.h>
#include <hv/memory.h>
#include <hv/page_alloc.h>

#include "fake_console.h"
#include "unit.h"

#define ARENA_PAGES 64u

static uint8_t dtb[2048];
static struct fdt fdt;
static uint8_t *arena;
static uint64_t arena_base; /* the "host physical" address of arena[0] */

static void *arena_virt(hpa_t pa, size_t size)
{
    if (hpa_val(pa) < arena_base || hpa_val(pa) + size > arena_base + ARENA_PAGES * PAGE_SIZE) {
        return NULL;
    }
    return arena + (hpa_val(pa) - arena_base);
}

/* A board tree whose /reserved-memory holds node (compatible compat) over the arena. */
static void make_board(const char *compat)
{
    struct fdt_writer w;
    uint32_t reg[4] = {(uint32_t)(arena_base >> 32), (uint32_t)arena_base, 0,
                       ARENA_PAGES * (uint32_t)PAGE_SIZE};
    int n;

    REQUIRE(fdt_write_init(&w, dtb, sizeof(dtb)) == 0);
    fdt_write_begin_node(&w, "");
    fdt_write_prop_u32(&w, "#address-cells", 2);
    fdt_write_prop_u32(&w, "#size-cells", 2);
    fdt_write_begin_node(&w, "reserved-memory");
    fdt_write_prop_u32(&w, "#address-cells", 2);
    fdt_write_prop_u32(&w, "#size-cells", 2);
    fdt_write_begin_node(&w, "other@0");
    fdt_write_prop_string(&w, "compatible", "vendor,something-else");
    fdt_write_end_node(&w);
    fdt_write_begin_node(&w, "hypervisor@0");
    fdt_write_prop_string(&w, "compatible", compat);
    fdt_write_prop_cells(&w, "reg", reg, 4);
    fdt_write_end_node(&w);
    fdt_write_end_node(&w);
    fdt_write_end_node(&w);
    n = fdt_write_finish(&w);
    REQUIRE(n > 0);
    REQUIRE(fdt_init(&fdt, dtb, (size_t)n) == 0);
}

static void setup(void)
{
    if (arena == NULL) {
        arena = aligned_alloc(PAGE_SIZE, ARENA_PAGES * PAGE_SIZE);
        arena_base = 0x40000000;
    }
    memset(&hv_page_pool, 0, sizeof(hv_page_pool));
}

TEST(pool_is_the_reservation_after_the_image)
{
    hpa_t pa;

    setup();
    make_board(HV_MEMORY_COMPATIBLE);
    /* The image ends inside page 5: the pool starts at page 6. */
    REQUIRE(hv_memory_init(&fdt, arena_base, arena_base + 5 * PAGE_SIZE + 123, arena_virt) == 0);
    /* 58 pages after the image; the pool keeps its one bitmap page among them. */
    CHECK_EQ(page_pool_stats(&hv_page_pool).total, ARENA_PAGES - 6 - 1);
    REQUIRE(page_alloc_one(&hv_page_pool, &pa) == 0);
    CHECK(hpa_val(pa) >= arena_base + 6 * PAGE_SIZE);
    CHECK(hpa_val(pa) < arena_base + ARENA_PAGES * PAGE_SIZE);
}

TEST(image_outside_the_reservation_is_refused)
{
    setup();
    make_board(HV_MEMORY_COMPATIBLE);
    CHECK_EQ(hv_memory_init(&fdt, arena_base - PAGE_SIZE, arena_base + PAGE_SIZE, arena_virt),
             -ERANGE);
    CHECK_EQ(
        hv_memory_init(&fdt, arena_base, arena_base + (ARENA_PAGES + 1) * PAGE_SIZE, arena_virt),
        -ERANGE);
    CHECK_EQ(page_pool_stats(&hv_page_pool).total, 0);
}

TEST(missing_reservation_is_refused)
{
    setup();
    make_board("vendor,not-hypervisor-memory");
    CHECK_EQ(hv_memory_init(&fdt, arena_base, arena_base + PAGE_SIZE, arena_virt), -ENOENT);
    CHECK(strstr(fake_console_last(), "bulkhead,hypervisor-memory") != NULL);
    CHECK_EQ(page_pool_stats(&hv_page_pool).total, 0);
}

TEST(image_filling_the_reservation_leaves_no_pool)
{
    setup();
    make_board(HV_MEMORY_COMPATIBLE);
    CHECK_EQ(hv_memory_init(&fdt, arena_base, arena_base + ARENA_PAGES * PAGE_SIZE, arena_virt),
             -EINVAL);
}
