// SPDX-License-Identifier: Apache-2.0
/* lib/fdt_write.c: trees it writes must read back identically through lib/fdt.c. */
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/fdt_write.h>

#include "unit.h"

static uint8_t buf[4096];

/* A small tree in the shape of a generated guest DTB. */
static int write_sample(struct fdt_writer *w, size_t size)
{
    static const uint32_t reg[] = {0x0, 0x40000000, 0x0, 0x8000000};

    if (fdt_write_init(w, buf, size) != 0) {
        return w->err;
    }
    fdt_write_begin_node(w, "");
    fdt_write_prop_u32(w, "#address-cells", 2);
    fdt_write_prop_u32(w, "#size-cells", 2);
    fdt_write_prop_string(w, "compatible", "bulkhead,partition");
    fdt_write_begin_node(w, "memory@40000000");
    fdt_write_prop_string(w, "device_type", "memory");
    fdt_write_prop_cells(w, "reg", reg, 4);
    fdt_write_end_node(w);
    fdt_write_begin_node(w, "chosen");
    fdt_write_prop(w, "empty", NULL, 0);
    fdt_write_prop_u64(w, "wide", 0x1122334455667788ull);
    fdt_write_end_node(w);
    fdt_write_end_node(w);
    return fdt_write_finish(w);
}

TEST(round_trip)
{
    struct fdt_writer w;
    struct fdt fdt;
    struct fdt_prop p;
    uint64_t addr, size;
    const char *s;
    uint32_t v;
    int total = write_sample(&w, sizeof(buf));
    int mem, chosen;

    REQUIRE(total > 0);
    REQUIRE(fdt_init(&fdt, buf, (size_t)total) == 0);
    CHECK(fdt_prop_u32(&fdt, fdt_root(&fdt), "#size-cells", &v) == 0 && v == 2);
    CHECK(fdt_is_compatible(&fdt, fdt_root(&fdt), "bulkhead,partition"));
    mem = fdt_path(&fdt, "/memory@40000000");
    REQUIRE(mem >= 0);
    CHECK(fdt_prop_string(&fdt, mem, "device_type", &s) == 0);
    CHECK_STR(s, "memory");
    CHECK(fdt_reg(&fdt, mem, 0, &addr, &size) == 0);
    CHECK_EQ(addr, 0x40000000);
    CHECK_EQ(size, 0x8000000);
    chosen = fdt_path(&fdt, "/chosen");
    REQUIRE(chosen >= 0);
    CHECK(fdt_prop(&fdt, chosen, "empty", &p) == 0 && p.len == 0);
    CHECK(fdt_prop(&fdt, chosen, "wide", &p) == 0 && p.len == 8);
    CHECK_EQ(fdt_read_cells(p.data, 2), 0x1122334455667788ull);
}

TEST(strings_deduplicated)
{
    struct fdt_writer w;
    int total = write_sample(&w, sizeof(buf));

    REQUIRE(total > 0);
    /* "#address-cells", "#size-cells", "compatible", "device_type", "reg", "empty", "wide". */
    CHECK_EQ(w.strings_len, 15 + 12 + 11 + 12 + 4 + 6 + 5);
}

TEST(every_short_buffer_fails_cleanly)
{
    struct fdt_writer w;
    int total = write_sample(&w, sizeof(buf));

    REQUIRE(total > 0);
    for (size_t size = 0; size < (size_t)total; size++) {
        CHECK_EQ(write_sample(&w, size), -ENOSPC);
    }
    CHECK_EQ(write_sample(&w, (size_t)total), total);
}

TEST(misuse_is_rejected)
{
    struct fdt_writer w;

    REQUIRE(fdt_write_init(&w, buf, sizeof(buf)) == 0);
    CHECK_EQ(fdt_write_prop_u32(&w, "x", 1), -EINVAL); /* no open node */
    REQUIRE(fdt_write_init(&w, buf, sizeof(buf)) == 0);
    CHECK_EQ(fdt_write_begin_node(&w, "named-root"), -EINVAL);
    REQUIRE(fdt_write_init(&w, buf, sizeof(buf)) == 0);
    fdt_write_begin_node(&w, "");
    CHECK_EQ(fdt_write_begin_node(&w, ""), -EINVAL); /* only the root is unnamed */
    REQUIRE(fdt_write_init(&w, buf, sizeof(buf)) == 0);
    fdt_write_begin_node(&w, "");
    fdt_write_begin_node(&w, "open");
    fdt_write_end_node(&w);
    CHECK_EQ(fdt_write_finish(&w), -EINVAL); /* root left open */
    REQUIRE(fdt_write_init(&w, buf, sizeof(buf)) == 0);
    fdt_write_begin_node(&w, "");
    fdt_write_end_node(&w);
    CHECK_EQ(fdt_write_end_node(&w), -EINVAL); /* nothing open */
    CHECK_EQ(fdt_write_finish(&w), -EINVAL);   /* errors are sticky */
}

TEST(string_table_overflow)
{
    struct fdt_writer w;
    char name[40];
    int err = 0;

    REQUIRE(fdt_write_init(&w, buf, sizeof(buf)) == 0);
    fdt_write_begin_node(&w, "");
    for (int i = 0; i < 100 && err == 0; i++) {
        snprintf(name, sizeof(name), "property-name-number-%d", i);
        err = fdt_write_prop(&w, name, NULL, 0);
    }
    CHECK_EQ(err, -ENOSPC);
}
