// SPDX-License-Identifier: Apache-2.0
/* IVRS parser: hand-built tables, good ones and truncated or corrupt ones. */
#include <hv/errno.h>

#include "../../drivers/iommu/amd-vi/ivrs.h"
#include "unit.h"

/* A table under construction. */
struct tbl {
    uint8_t b[1024];
    size_t n;
    size_t block; /* offset of the block being built */
};

static void put(struct tbl *t, const void *p, size_t n)
{
    memcpy(t->b + t->n, p, n);
    t->n += n;
}

static void put8(struct tbl *t, uint8_t v)
{
    put(t, &v, 1);
}

static void put16(struct tbl *t, uint16_t v)
{
    put8(t, (uint8_t)v);
    put8(t, (uint8_t)(v >> 8));
}

static void put32(struct tbl *t, uint32_t v)
{
    put16(t, (uint16_t)v);
    put16(t, (uint16_t)(v >> 16));
}

static void put64(struct tbl *t, uint64_t v)
{
    put32(t, (uint32_t)v);
    put32(t, (uint32_t)(v >> 32));
}

static void set16(struct tbl *t, size_t off, uint16_t v)
{
    t->b[off] = (uint8_t)v;
    t->b[off + 1] = (uint8_t)(v >> 8);
}

/* ACPI header + IVinfo + reserved, revision 2. */
static void begin(struct tbl *t)
{
    memset(t, 0, sizeof(*t));
    put(t, "IVRS", 4);
    put32(t, 0); /* length, fixed by finish() */
    put8(t, 2);  /* revision */
    put8(t, 0);  /* checksum */
    put(t, "BHTEST", 6);
    put(t, "IVRSUNIT", 8);
    put32(t, 1);
    put(t, "BHUT", 4);
    put32(t, 1);
    put32(t, 0x00203040); /* IVinfo: VAsize 64, PAsize 48 (as QEMU reports) */
    put64(t, 0);
}

/* Fix the length and checksum. */
static void finish(struct tbl *t)
{
    uint8_t sum = 0;

    t->b[4] = (uint8_t)t->n;
    t->b[5] = (uint8_t)(t->n >> 8);
    t->b[6] = t->b[7] = 0;
    t->b[9] = 0;
    for (size_t i = 0; i < t->n; i++) {
        sum = (uint8_t)(sum + t->b[i]);
    }
    t->b[9] = (uint8_t)(0x100 - sum);
}

static void ivhd_begin(struct tbl *t, uint8_t type, uint64_t base)
{
    t->block = t->n;
    put8(t, type);
    put8(t, 0xb0); /* flags */
    put16(t, 0);   /* length, fixed by block_end() */
    put16(t, 0x0010);
    put16(t, 0x40);
    put64(t, base);
    put16(t, 0);      /* segment */
    put16(t, 0);      /* info */
    put32(t, 0x1234); /* feature reporting / attributes */
    if (type != IVRS_TYPE_IVHD_10) {
        put64(t, 0xa5a5); /* EFR image */
        put64(t, 0);
    }
}

static void block_end(struct tbl *t)
{
    set16(t, t->block + 2, (uint16_t)(t->n - t->block));
}

static void dev4(struct tbl *t, uint8_t type, uint16_t id, uint8_t dte)
{
    put8(t, type);
    put16(t, id);
    put8(t, dte);
}

static void ivmd(struct tbl *t, uint8_t type, uint16_t id, uint16_t aux, uint64_t start,
                 uint64_t len)
{
    put8(t, type);
    put8(t, 0x7);
    put16(t, IVMD_LEN);
    put16(t, id);
    put16(t, aux);
    put64(t, 0);
    put64(t, start);
    put64(t, len);
}

/* What the visitor saw. */
struct seen {
    int nivhd, ndev, nivmd;
    struct ivrs_ivhd ivhd[4];
    struct ivrs_dev dev[16];
    struct ivrs_ivmd ivmd[4];
    int stop_at_dev; /* return -EBUSY from this device callback (1-based), 0: never */
};

static int on_ivhd(void *ctx, const struct ivrs_ivhd *h)
{
    struct seen *s = ctx;

    s->ivhd[s->nivhd++] = *h;
    return 0;
}

static int on_dev(void *ctx, const struct ivrs_ivhd *h, const struct ivrs_dev *d)
{
    struct seen *s = ctx;

    (void)h;
    s->dev[s->ndev++] = *d;
    return s->ndev == s->stop_at_dev ? -EBUSY : 0;
}

static int on_ivmd(void *ctx, const struct ivrs_ivmd *m)
{
    struct seen *s = ctx;

    s->ivmd[s->nivmd++] = *m;
    return 0;
}

static const struct ivrs_visitor visitor = {on_ivhd, on_dev, on_ivmd};

/* The kind of table QEMU's q35 builds, plus one of every entry type. */
static void good_table(struct tbl *t)
{
    begin(t);
    ivhd_begin(t, IVRS_TYPE_IVHD_10, 0xfed80000);
    dev4(t, 0x03, 0x0000, 0);    /* start 00:00.0 */
    dev4(t, 0x04, 0x00ff, 0);    /* end 00:1f.7 */
    dev4(t, 0x02, 0x0108, 0xd7); /* select 01:01.0 */
    dev4(t, 0x00, 0, 0);         /* padding */
    /* alias select 02:00.0 -> 01:1e.0 */
    put8(t, 0x42), put16(t, 0x0200), put8(t, 0), put8(t, 0), put16(t, 0x01f0), put8(t, 0);
    /* alias range 03:00.0..03:1f.7 -> 01:1f.0 */
    put8(t, 0x43), put16(t, 0x0300), put8(t, 0), put8(t, 0), put16(t, 0x01f8), put8(t, 0);
    dev4(t, 0x04, 0x03ff, 0);
    /* extended select 04:00.0, extended range 05:00.0..05:00.7 */
    put8(t, 0x46), put16(t, 0x0400), put8(t, 0), put32(t, 0x80000000);
    put8(t, 0x47), put16(t, 0x0500), put8(t, 0), put32(t, 0x1);
    dev4(t, 0x04, 0x0507, 0);
    /* special: IOAPIC 0 at 00:14.0, HPET 0 at 00:14.0 */
    put8(t, 0x48), put16(t, 0), put8(t, 0xd7), put8(t, 0), put16(t, 0x00a0), put8(t, 1);
    put8(t, 0x48), put16(t, 0), put8(t, 0), put8(t, 0), put16(t, 0x00a0), put8(t, 2);
    /* ACPI HID entry with a 3-byte UID, skipped */
    put8(t, 0xf0), put16(t, 0x00a5), put8(t, 0x40), put(t, "AMDI0020", 8), put64(t, 0);
    put8(t, 2), put8(t, 3), put(t, "ab", 3);
    dev4(t, 0x01, 0, 0); /* all */
    block_end(t);
    ivhd_begin(t, IVRS_TYPE_IVHD_11, 0xfed80000);
    dev4(t, 0x02, 0x0008, 0);
    block_end(t);
    ivmd(t, IVRS_TYPE_IVMD_RANGE, 0x0100, 0x01ff, 0x7f000000, 0x10000);
    ivmd(t, IVRS_TYPE_IVMD_ALL, 0, 0, 0x1000, 0x1000);
    finish(t);
}

TEST(parses_every_entry_type)
{
    struct tbl t;
    struct seen s = {0};
    struct ivrs_info info;

    good_table(&t);
    REQUIRE(ivrs_parse(t.b, t.n, &info, &visitor, &s) == 0);
    CHECK_EQ(info.ivinfo, 0x00203040);
    CHECK_EQ(info.revision, 2);
    REQUIRE(s.nivhd == 2);
    CHECK_EQ(s.ivhd[0].type, 0x10);
    CHECK_EQ(s.ivhd[0].base, 0xfed80000);
    CHECK_EQ(s.ivhd[0].devid, 0x10);
    CHECK_EQ(s.ivhd[1].type, 0x11);
    REQUIRE(s.ndev == 10);
    CHECK_EQ(s.dev[0].first, 0x0000);
    CHECK_EQ(s.dev[0].last, 0x00ff);
    CHECK_EQ(s.dev[0].type, 0x03);
    CHECK_EQ(s.dev[1].first, 0x0108);
    CHECK_EQ(s.dev[1].last, 0x0108);
    CHECK(s.dev[2].has_alias);
    CHECK_EQ(s.dev[2].first, 0x0200);
    CHECK_EQ(s.dev[2].alias, 0x01f0);
    CHECK(s.dev[3].has_alias);
    CHECK_EQ(s.dev[3].first, 0x0300);
    CHECK_EQ(s.dev[3].last, 0x03ff);
    CHECK_EQ(s.dev[3].alias, 0x01f8);
    CHECK_EQ(s.dev[5].first, 0x0500);
    CHECK_EQ(s.dev[5].last, 0x0507);
    CHECK_EQ(s.dev[6].kind, IVRS_DEV_SPECIAL);
    CHECK_EQ(s.dev[6].variety, IVRS_SPECIAL_IOAPIC);
    CHECK_EQ(s.dev[6].first, 0x00a0);
    CHECK_EQ(s.dev[7].variety, IVRS_SPECIAL_HPET);
    CHECK_EQ(s.dev[8].first, 0);
    CHECK_EQ(s.dev[8].last, 0xffff);
    CHECK_EQ(s.dev[9].first, 0x0008);
    REQUIRE(s.nivmd == 2);
    CHECK_EQ(s.ivmd[0].first, 0x0100);
    CHECK_EQ(s.ivmd[0].last, 0x01ff);
    CHECK_EQ(s.ivmd[0].start, 0x7f000000);
    CHECK_EQ(s.ivmd[0].length, 0x10000);
    CHECK_EQ(s.ivmd[0].flags, 7);
    CHECK_EQ(s.ivmd[1].first, 0);
    CHECK_EQ(s.ivmd[1].last, 0xffff);
}

TEST(null_visitor_only_checks)
{
    struct tbl t;

    good_table(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), 0);
}

TEST(callback_error_stops_the_walk)
{
    struct tbl t;
    struct seen s = {.stop_at_dev = 2};

    good_table(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, &visitor, &s), -EBUSY);
    CHECK_EQ(s.ndev, 2);
    CHECK_EQ(s.nivmd, 0);
}

TEST(every_truncation_is_rejected)
{
    struct tbl t;
    struct seen s = {0};

    good_table(&t);
    /* The buffer shorter than the header's Length: never read past what the caller gave. */
    for (size_t n = 0; n < t.n; n++) {
        CHECK_EQ(ivrs_parse(t.b, n, NULL, &visitor, &s), -EINVAL);
    }
    CHECK_EQ(s.nivhd + s.ndev + s.nivmd, 0);
}

TEST(header_checks)
{
    struct tbl t;

    good_table(&t);
    CHECK_EQ(ivrs_parse(NULL, 100, NULL, NULL, NULL), -EINVAL);
    t.b[0] = 'X'; /* signature */
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    good_table(&t);
    t.b[20] ^= 1; /* checksum */
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    good_table(&t);
    t.b[4] = 40; /* Length below the fixed header */
    CHECK_EQ(ivrs_parse(t.b, sizeof(t.b), NULL, NULL, NULL), -EINVAL);
    /* Header only: a valid, empty table. */
    begin(&t);
    finish(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), 0);
}

/* A one-IVHD table whose device entries are given raw. */
static void one_ivhd(struct tbl *t, const uint8_t *entries, size_t n)
{
    begin(t);
    ivhd_begin(t, IVRS_TYPE_IVHD_10, 0xfed80000);
    put(t, entries, n);
    block_end(t);
    finish(t);
}

TEST(bad_device_entries)
{
    static const struct {
        const char *what;
        uint8_t e[16];
        size_t n;
    } cases[] = {
        {"start without end", {0x03, 0x00, 0x01, 0}, 4},
        {"end without start", {0x04, 0xff, 0x01, 0}, 4},
        {"end below start", {0x03, 0x00, 0x02, 0, 0x04, 0xff, 0x01, 0}, 8},
        {"nested start", {0x03, 0x00, 0x01, 0, 0x03, 0x10, 0x01, 0, 0x04, 0xff, 0x01, 0}, 12},
        {"select inside a range", {0x03, 0x00, 0x01, 0, 0x02, 0x10, 0x01, 0}, 8},
        {"alias start without end", {0x43, 0x00, 0x03, 0, 0, 0xf8, 0x01, 0}, 8},
        {"8-byte entry cut short", {0x42, 0x00, 0x02, 0, 0, 0xf0}, 6},
        {"4-byte entry cut short", {0x02, 0x08, 0x00}, 3},
        {"special of unknown variety", {0x48, 0, 0, 0, 0, 0xa0, 0, 3}, 8},
        {"unknown variable-length type", {0x80, 0, 0, 0}, 4},
        {"ACPI HID cut short", {0xf0, 0, 0, 0, 'A', 'B'}, 6},
        {"ACPI HID UID past the IVHD",
         {0xf0, 0, 0, 0, 'A', 'M', 'D', 'I', '0', '0', '2', '0', 0, 0, 0, 0},
         16},
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct tbl t;
        struct seen s = {0};
        int err;

        one_ivhd(&t, cases[i].e, cases[i].n);
        err = ivrs_parse(t.b, t.n, NULL, &visitor, &s);
        if (err != -EINVAL || s.nivhd != 0 || s.ndev != 0) {
            unit_fail(__FILE__, __LINE__, "%s: err %d, %d IVHDs, %d devices seen", cases[i].what,
                      err, s.nivhd, s.ndev);
        }
    }
}

TEST(acpi_hid_uid_past_ivhd_in_full)
{
    struct tbl t;
    uint8_t e[24] = {0xf0, 0, 0, 0, 'A', 'M', 'D', 'I', '0', '0', '2', '0'};

    e[21] = 3; /* UID of 3 bytes, but only 2 present */
    one_ivhd(&t, e, 24);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    e[21] = 2; /* exactly fits */
    one_ivhd(&t, e, 24);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), 0);
}

TEST(reserved_fixed_size_entries_are_skipped)
{
    struct tbl t;
    struct seen s = {0};
    /* 05h (4 bytes) and 44h (8 bytes) are reserved types: stepped over by their size. */
    static const uint8_t e[] = {0x05, 1, 2, 3, 0x44, 1, 2, 3, 4, 5, 6, 7, 0x02, 0x08, 0x00, 0};

    one_ivhd(&t, e, sizeof(e));
    REQUIRE(ivrs_parse(t.b, t.n, NULL, &visitor, &s) == 0);
    REQUIRE(s.ndev == 1);
    CHECK_EQ(s.dev[0].first, 0x0008);
}

TEST(bad_blocks)
{
    struct tbl t;

    /* IVHD shorter than its own header. */
    begin(&t);
    put8(&t, 0x11), put8(&t, 0), put16(&t, 24);
    put(&t, (uint8_t[20]){0}, 20);
    finish(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    /* Block Length past the table. */
    begin(&t);
    ivhd_begin(&t, IVRS_TYPE_IVHD_10, 0xfed80000);
    block_end(&t);
    set16(&t, t.block + 2, 200);
    finish(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    /* Block Length of zero (would loop forever). */
    begin(&t);
    put8(&t, 0x10), put8(&t, 0), put16(&t, 0);
    finish(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    /* Trailing bytes too short for a block header. */
    begin(&t);
    put8(&t, 0x10), put8(&t, 0);
    finish(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    /* IVMD of the wrong size. */
    begin(&t);
    ivmd(&t, IVRS_TYPE_IVMD_ONE, 8, 0, 0x1000, 0x1000);
    t.b[t.n - IVMD_LEN + 2] = IVMD_LEN - 8;
    t.n -= 8;
    finish(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    /* IVMD range with last below first. */
    begin(&t);
    ivmd(&t, IVRS_TYPE_IVMD_RANGE, 0x200, 0x100, 0x1000, 0x1000);
    finish(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    /* IVMD whose range wraps around the address space. */
    begin(&t);
    ivmd(&t, IVRS_TYPE_IVMD_ONE, 8, 0, UINT64_C(0xfffffffffffff000), 0x2000);
    finish(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), -EINVAL);
    /* An unknown block type is stepped over by its Length. */
    begin(&t);
    put8(&t, 0x99), put8(&t, 0), put16(&t, 8), put32(&t, 0);
    finish(&t);
    CHECK_EQ(ivrs_parse(t.b, t.n, NULL, NULL, NULL), 0);
}
