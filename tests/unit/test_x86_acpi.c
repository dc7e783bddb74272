// SPDX-License-Identifier: Apache-2.0
/*
 * arch/x86/acpi.c against tables built in host memory: the fake arch's arch_iomap() is the
 * identity, so "physical addresses" are host pointers (the RSDT's 32-bit ones come from a
 * MAP_32BIT mapping). Covers RSDP revisions, XSDT/RSDT walks, corrupt tables and the MADT.
 */
#include <stdarg.h>
#include <sys/mman.h>

#include <asm/acpi.h>
#include <asm/multiboot.h>
#include <hv/console.h>
#include <hv/errno.h>

#include "fake_console.h"
#include "unit.h"

#define ARENA_SIZE 65536

/* Memory below 4 GiB, so that RSDT entries (32-bit) can point into it. */
static uint8_t *arena(void)
{
    static uint8_t *mem;

    if (mem == NULL) {
        void *p = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

        mem = p == MAP_FAILED ? NULL : p;
    }
    if (mem != NULL) {
        memset(mem, 0, ARENA_SIZE);
    }
    return mem;
}

static uint64_t pa(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof(v));
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* Set the byte at sum_off so that len bytes from p sum to zero. */
static void fix_checksum(uint8_t *p, size_t len, size_t sum_off)
{
    uint8_t sum = 0;

    p[sum_off] = 0;
    for (size_t i = 0; i < len; i++) {
        sum = (uint8_t)(sum + p[i]);
    }
    p[sum_off] = (uint8_t)-sum;
}

/* A table header with signature sig and total length len; the checksum is left to seal(). */
static uint8_t *table(uint8_t *at, const char *sig, uint32_t len)
{
    memcpy(at, sig, 4);
    put32(at + 4, len);
    at[8] = 1;
    memcpy(at + 10, "BHTEST", 6);
    return at;
}

static void seal(uint8_t *t)
{
    uint32_t len;

    memcpy(&len, t + 4, sizeof(len));
    fix_checksum(t, len, 9);
}

/* An RSDP: revision 0 (RSDT only) or 2 (with the XSDT and the extended checksum). */
static void rsdp(uint8_t *p, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, "BHTEST", 6);
    p[15] = revision;
    put32(p + 16, rsdt);
    fix_checksum(p, 20, 8);
    if (revision >= 2) {
        /* The extended checksum covers the first one too: it comes last. */
        put32(p + 20, 36);
        put64(p + 24, xsdt);
        fix_checksum(p, 36, 32);
    }
}

/* A root table (XSDT with 8-byte entries, RSDT with 4) listing the given tables. */
static uint8_t *root(uint8_t *at, bool xsdt, const uint8_t *const *tables, unsigned int n)
{
    size_t esz = xsdt ? 8 : 4;

    table(at, xsdt ? "XSDT" : "RSDT", (uint32_t)(36 + n * esz));
    for (unsigned int i = 0; i < n; i++) {
        if (xsdt) {
            put64(at + 36 + i * esz, pa(tables[i]));
        } else {
            put32(at + 36 + i * esz, (uint32_t)pa(tables[i]));
        }
    }
    seal(at);
    return at;
}

/* MADT with local APIC address 0xfee00000 and the structures in body. */
static uint8_t *madt(uint8_t *at, const uint8_t *body, size_t body_len)
{
    table(at, "APIC", (uint32_t)(44 + body_len));
    put32(at + 36, 0xfee00000);
    put32(at + 40, 1); /* PCAT_COMPAT */
    memcpy(at + 44, body, body_len);
    seal(at);
    return at;
}

/* acpi_madt()'s local APICs: how many are enabled, or its error; their base in *base. */
static int madt_lapics(uint32_t *ids, unsigned int max, uint64_t *base)
{
    struct acpi_madt m;
    int err = acpi_madt(&m, ids, max);

    if (err == 0 && base != NULL) {
        *base = m.lapic_base;
    }
    return err != 0 ? err : (int)m.nr_lapics;
}

/* Processor Local APIC (type 0, 8 bytes): ACPI processor id, APIC id, flags. */
#define LAPIC(uid, id, flags) 0, 8, uid, id, flags, 0, 0, 0
/* Processor Local x2APIC (type 9, 16 bytes): reserved, x2APIC id, flags, uid. */
#define X2APIC(id, flags)                                                                          \
    9, 16, 0, 0, (id)&0xff, ((id) >> 8) & 0xff, ((id) >> 16) & 0xff, 0, flags, 0, 0, 0, 1, 0, 0, 0
/* I/O APIC (type 1, 12 bytes): ignored by the CPU walk. */
#define IOAPIC 1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0

/* Install a v2 RSDP -> XSDT -> {FACP, MADT(body)} in the arena; returns the MADT. */
static uint8_t *setup_xsdt(uint8_t *m, const uint8_t *body, size_t body_len)
{
    uint8_t *facp = table(m + 0x100, "FACP", 64);
    uint8_t *apic = madt(m + 0x200, body, body_len);
    const uint8_t *list[] = {facp, apic};

    seal(facp);
    root(m + 0x1000, true, list, 2);
    rsdp(m, 2, 0, pa(m + 0x1000));
    return apic;
}

TEST(xsdt_lookup_and_madt)
{
    static const uint8_t body[] = {LAPIC(0, 0, 1),    IOAPIC,        LAPIC(1, 2, 1), LAPIC(2, 4, 0),
                                   X2APIC(0x1234, 1), LAPIC(3, 6, 3)};
    uint8_t *m = arena();
    uint32_t ids[8] = {0};
    uint64_t base = 0;
    uint8_t *apic;

    REQUIRE(m != NULL);
    apic = setup_xsdt(m, body, sizeof(body));
    REQUIRE(acpi_set_rsdp_copy(m, 36) == 0);
    CHECK(acpi_find_table("APIC") == (const void *)apic);
    CHECK(acpi_find_table("FACP") == (const void *)(m + 0x100));
    CHECK(acpi_find_table("IVRS") == NULL);
    /* Disabled APIC id 4 is left out; the x2APIC entry counts; flags bit 0 is what matters. */
    CHECK_EQ(madt_lapics(ids, 8, &base), 4);
    CHECK_EQ(ids[0], 0);
    CHECK_EQ(ids[1], 2);
    CHECK_EQ(ids[2], 0x1234);
    CHECK_EQ(ids[3], 6);
    CHECK_EQ(base, 0xfee00000);
}

TEST(madt_more_cpus_than_room)
{
    static const uint8_t body[] = {LAPIC(0, 0, 1), LAPIC(1, 1, 1), LAPIC(2, 2, 1)};
    uint8_t *m = arena();
    uint32_t ids[2] = {0};

    REQUIRE(m != NULL);
    setup_xsdt(m, body, sizeof(body));
    REQUIRE(acpi_set_rsdp_copy(m, 36) == 0);
    CHECK_EQ(madt_lapics(ids, 2, NULL), 3);
    CHECK_EQ(ids[0], 0);
    CHECK_EQ(ids[1], 1);
}

TEST(madt_lapic_address_override)
{
    /* Local APIC Address Override (type 5, 12 bytes): reserved, 64-bit address. */
    static const uint8_t body[] = {LAPIC(0, 0, 1), 5, 12, 0, 0, 0, 0, 0xe0, 0xfe, 1, 0, 0, 0};
    uint8_t *m = arena();
    uint32_t ids[1];
    uint64_t base = 0;

    REQUIRE(m != NULL);
    setup_xsdt(m, body, sizeof(body));
    REQUIRE(acpi_set_rsdp_copy(m, 36) == 0);
    CHECK_EQ(madt_lapics(ids, 1, &base), 1);
    CHECK_EQ(base, 0x1fee00000);
}

TEST(madt_corrupt_structures)
{
    static const uint8_t overrun[] = {LAPIC(0, 0, 1), 0, 10, 1, 1, 1, 0}; /* runs past the end */
    static const uint8_t zero_len[] = {LAPIC(0, 0, 1), 1, 0, 0, 0};       /* would never advance */
    static const uint8_t short_lapic[] = {0, 6, 0, 1, 1, 0};              /* type 0 needs 8 */
    static const uint8_t short_x2apic[] = {9, 8, 0, 0, 1, 0, 0, 0};       /* type 9 needs 16 */
    static const uint8_t dangling[] = {LAPIC(0, 0, 1), 0};                /* half a header */
    const struct {
        const uint8_t *body;
        size_t len;
    } cases[] = {
        {overrun, sizeof(overrun)},         {zero_len, sizeof(zero_len)},
        {short_lapic, sizeof(short_lapic)}, {short_x2apic, sizeof(short_x2apic)},
        {dangling, sizeof(dangling)},
    };
    uint32_t ids[4];

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint8_t *m = arena();

        REQUIRE(m != NULL);
        setup_xsdt(m, cases[i].body, cases[i].len);
        REQUIRE(acpi_set_rsdp_copy(m, 36) == 0);
        if (madt_lapics(ids, 4, NULL) != -EINVAL) {
            unit_fail(__FILE__, __LINE__, "case %zu: corrupt MADT accepted", i);
        }
    }
}

/* Install a v2 RSDP -> XSDT -> {FACP} in the arena; returns the FACP. */
static uint8_t *setup_facp_only(uint8_t *m)
{
    uint8_t *facp = table(m + 0x100, "FACP", 64);

    seal(facp);
    root(m + 0x1000, true, (const uint8_t *const[]){facp}, 1);
    rsdp(m, 2, 0, pa(m + 0x1000));
    return facp;
}

TEST(no_madt)
{
    uint8_t *m = arena();
    uint32_t ids[1];

    REQUIRE(m != NULL);
    setup_facp_only(m);
    REQUIRE(acpi_set_rsdp_copy(m, 36) == 0);
    CHECK_EQ(madt_lapics(ids, 1, NULL), -ENOENT);
}

TEST(rsdt_when_revision_0)
{
    static const uint8_t body[] = {LAPIC(0, 3, 1)};
    uint8_t *m = arena();
    uint8_t *apic;
    uint32_t ids[1] = {0};

    REQUIRE(m != NULL);
    apic = madt(m + 0x200, body, sizeof(body));
    root(m + 0x1000, false, (const uint8_t *const[]){apic}, 1);
    rsdp(m, 0, (uint32_t)pa(m + 0x1000), 0);
    REQUIRE(acpi_set_rsdp_copy(m, 36) == 0);
    CHECK(acpi_find_table("APIC") == (const void *)apic);
    CHECK_EQ(madt_lapics(ids, 1, NULL), 1);
    CHECK_EQ(ids[0], 3);
}

TEST(rsdp_checks)
{
    uint8_t *m = arena();

    REQUIRE(m != NULL);
    rsdp(m, 2, 0, 0x1000);
    CHECK_EQ(acpi_set_rsdp_copy(m, 36), 0);
    m[12] ^= 1; /* first checksum */
    CHECK_EQ(acpi_set_rsdp_copy(m, 36), -EINVAL);
    rsdp(m, 2, 0, 0x1000);
    m[28] ^= 1; /* XSDT address: only the extended checksum covers it */
    CHECK_EQ(acpi_set_rsdp_copy(m, 36), -EINVAL);
    rsdp(m, 2, 0, 0x1000);
    m[0] = 'X';
    CHECK_EQ(acpi_set_rsdp_copy(m, 36), -EINVAL);
    rsdp(m, 2, 0, 0x1000);
    put32(m + 20, 20); /* extended length shorter than the structure */
    fix_checksum(m, 36, 32);
    CHECK_EQ(acpi_set_rsdp_copy(m, 36), -EINVAL);
}

TEST(corrupt_tables_are_skipped)
{
    static const uint8_t body[] = {LAPIC(0, 0, 1)};
    uint8_t *m = arena();
    uint8_t *bad_sum, *bad_len, *good;

    REQUIRE(m != NULL);
    bad_sum = madt(m + 0x200, body, sizeof(body));
    bad_sum[20] ^= 0x40;                    /* after sealing */
    bad_len = table(m + 0x400, "APIC", 20); /* shorter than a header */
    good = madt(m + 0x600, body, sizeof(body));
    root(m + 0x1000, true, (const uint8_t *const[]){bad_sum, bad_len, good}, 3);
    rsdp(m, 2, 0, pa(m + 0x1000));
    REQUIRE(acpi_set_rsdp_copy(m, 36) == 0);
    fake_console_clear();
    CHECK(acpi_find_table("APIC") == (const void *)good);
    CHECK(strstr(fake_console_last(), "bad length") != NULL);

    /* With only the corrupt one listed there is no table, and the report names it. */
    root(m + 0x1000, true, (const uint8_t *const[]){bad_sum}, 1);
    fake_console_clear();
    CHECK(acpi_find_table("APIC") == NULL);
    CHECK(strstr(fake_console_last(), "APIC") != NULL &&
          strstr(fake_console_last(), "bad checksum") != NULL);
}

TEST(corrupt_root_table)
{
    uint8_t *m = arena();
    uint8_t *facp;

    REQUIRE(m != NULL);
    facp = setup_facp_only(m);
    REQUIRE(acpi_set_rsdp_copy(m, 36) == 0);
    m[0x1000 + 40] ^= 1;
    CHECK(acpi_find_table("FACP") == NULL);
    /* A root table with the wrong signature is not walked either. */
    root(m + 0x1000, true, (const uint8_t *const[]){facp}, 1);
    memcpy(m + 0x1000, "RSDT", 4);
    seal(m + 0x1000);
    CHECK(acpi_find_table("FACP") == NULL);
    /* A huge length is refused before the checksum loop walks off the table. */
    put32(m + 0x1000 + 4, ACPI_MAX_TABLE_LEN + 1);
    memcpy(m + 0x1000, "XSDT", 4);
    CHECK(acpi_find_table("FACP") == NULL);
}

/* A Multiboot2 information structure in buf: header, then the given tags, then the end tag. */
struct mb2 {
    uint8_t buf[512];
    uint32_t len;
};

static void mb2_begin(struct mb2 *b)
{
    memset(b, 0, sizeof(*b));
    b->len = 8;
}

static void mb2_tag(struct mb2 *b, uint32_t type, const void *payload, uint32_t n)
{
    put32(b->buf + b->len, type);
    put32(b->buf + b->len + 4, 8 + n);
    if (n != 0) {
        memcpy(b->buf + b->len + 8, payload, n);
    }
    b->len += (8 + n + 7) & ~7u;
}

static void mb2_end(struct mb2 *b)
{
    mb2_tag(b, 0, NULL, 0);
    put32(b->buf, b->len);
}

TEST(multiboot2_rsdp_tags)
{
    uint8_t v1[20], v2[36], other[12] = {1, 2, 3};
    struct mb2 b;
    const uint8_t *r;
    size_t len;

    rsdp(v1, 0, 0x1000, 0);
    rsdp(v2, 2, 0, 0x2000);
    /* The new (ACPI 2.0+) tag wins over the old one, wherever they stand. */
    mb2_begin(&b);
    mb2_tag(&b, 14, v1, sizeof(v1));
    mb2_tag(&b, 4, other, sizeof(other));
    mb2_tag(&b, 15, v2, sizeof(v2));
    mb2_end(&b);
    REQUIRE(x86_mb2_acpi_rsdp(b.buf, sizeof(b.buf), &r, &len) == 0);
    CHECK_EQ(len, 36);
    CHECK(memcmp(r, v2, 36) == 0);
    /* Only the old tag. */
    mb2_begin(&b);
    mb2_tag(&b, 4, other, 5); /* an unaligned size: the next tag starts 8-byte aligned */
    mb2_tag(&b, 14, v1, sizeof(v1));
    mb2_end(&b);
    REQUIRE(x86_mb2_acpi_rsdp(b.buf, sizeof(b.buf), &r, &len) == 0);
    CHECK_EQ(len, 20);
    /* None. */
    mb2_begin(&b);
    mb2_tag(&b, 4, other, sizeof(other));
    mb2_end(&b);
    CHECK_EQ(x86_mb2_acpi_rsdp(b.buf, sizeof(b.buf), &r, &len), -ENOENT);
}

TEST(multiboot2_malformed)
{
    uint8_t v2[36];
    struct mb2 b;
    const uint8_t *r;
    size_t len;

    rsdp(v2, 2, 0, 0x2000);
    mb2_begin(&b);
    mb2_tag(&b, 15, v2, sizeof(v2));
    mb2_end(&b);
    /* total_size beyond what may be read, or below a header and an end tag. */
    CHECK_EQ(x86_mb2_acpi_rsdp(b.buf, b.len - 1, &r, &len), -EINVAL);
    put32(b.buf, 12);
    CHECK_EQ(x86_mb2_acpi_rsdp(b.buf, sizeof(b.buf), &r, &len), -EINVAL);
    /* A tag whose size runs past total_size. */
    put32(b.buf, b.len);
    put32(b.buf + 12, 400);
    CHECK_EQ(x86_mb2_acpi_rsdp(b.buf, sizeof(b.buf), &r, &len), -EINVAL);
    /* A tag size below its own header. */
    put32(b.buf + 12, 4);
    CHECK_EQ(x86_mb2_acpi_rsdp(b.buf, sizeof(b.buf), &r, &len), -EINVAL);
    /* No end tag inside total_size. */
    mb2_begin(&b);
    mb2_tag(&b, 4, v2, 8);
    put32(b.buf, b.len);
    CHECK_EQ(x86_mb2_acpi_rsdp(b.buf, sizeof(b.buf), &r, &len), -EINVAL);
    CHECK_EQ(x86_mb2_acpi_rsdp(NULL, 64, &r, &len), -EINVAL);
}

TEST(rsdp_copy_is_checked_and_kept)
{
    static const uint8_t body[] = {LAPIC(0, 0, 1), LAPIC(1, 3, 1)};
    uint8_t *m = arena();
    uint8_t copy[36];
    uint32_t ids[4];

    REQUIRE(m != NULL);
    setup_xsdt(m, body, sizeof(body));
    memcpy(copy, m, sizeof(copy));
    CHECK_EQ(acpi_set_rsdp_copy(copy, 20), -EINVAL); /* revision 2 needs all 36 bytes */
    copy[12] ^= 1;
    CHECK_EQ(acpi_set_rsdp_copy(copy, 36), -EINVAL);
    copy[12] ^= 1;
    REQUIRE(acpi_set_rsdp_copy(copy, 36) == 0);
    /* The loader's memory may be reused: the lookup must not depend on it. */
    memset(copy, 0, sizeof(copy));
    fake_console_clear();
    CHECK_EQ(madt_lapics(ids, 4, NULL), 2);
    CHECK_EQ(ids[1], 3);
    CHECK(strstr(fake_console_log, "(multiboot2 tag)") != NULL);
}

/* A module tag payload: mod_start, mod_end, then the string with its NUL. */
static uint32_t mb2_module(uint8_t *p, uint32_t start, uint32_t end, const char *s)
{
    uint32_t n = (uint32_t)strlen(s) + 1;

    put32(p, start);
    put32(p + 4, end);
    memcpy(p + 8, s, n);
    return 8 + n;
}

TEST(multiboot2_modules)
{
    struct x86_mb2_module mods[2];
    uint8_t m[80], other[12] = {0};
    struct mb2 b;
    uint32_t n;

    mb2_begin(&b);
    n = mb2_module(m, 0x200000, 0x206026, "b732c3af");
    mb2_tag(&b, 3, m, n);
    mb2_tag(&b, 4, other, sizeof(other));
    n = mb2_module(m, 0x300000, 0x300000, ""); /* an empty module with an empty string */
    mb2_tag(&b, 3, m, n);
    mb2_end(&b);
    REQUIRE(x86_mb2_modules(b.buf, sizeof(b.buf), mods, 2) == 2);
    CHECK_EQ(mods[0].start, 0x200000);
    CHECK_EQ(mods[0].end, 0x206026);
    CHECK(strcmp(mods[0].string, "b732c3af") == 0);
    /* The strings point into the boot information itself. */
    CHECK(mods[0].string > (const char *)b.buf && mods[0].string < (const char *)b.buf + b.len);
    CHECK_EQ(mods[1].start, 0x300000);
    CHECK(strcmp(mods[1].string, "") == 0);
    /* More modules than room. */
    CHECK_EQ(x86_mb2_modules(b.buf, sizeof(b.buf), mods, 1), -E2BIG);
    /* None. */
    mb2_begin(&b);
    mb2_tag(&b, 4, other, sizeof(other));
    mb2_end(&b);
    CHECK_EQ(x86_mb2_modules(b.buf, sizeof(b.buf), mods, 2), 0);
}

TEST(multiboot2_modules_malformed)
{
    struct x86_mb2_module mods[2];
    uint8_t m[80];
    struct mb2 b;
    uint32_t n;

    /* End before start. */
    mb2_begin(&b);
    n = mb2_module(m, 0x300000, 0x2fffff, "x");
    mb2_tag(&b, 3, m, n);
    mb2_end(&b);
    CHECK_EQ(x86_mb2_modules(b.buf, sizeof(b.buf), mods, 2), -EINVAL);
    /* A string not terminated inside its tag (the NUL dropped from the tag size). */
    mb2_begin(&b);
    n = mb2_module(m, 0x200000, 0x200010, "abcdefg");
    mb2_tag(&b, 3, m, n - 1);
    b.buf[b.len - 1] = 'z'; /* the alignment padding after it is not a terminator either */
    mb2_end(&b);
    CHECK_EQ(x86_mb2_modules(b.buf, sizeof(b.buf), mods, 2), -EINVAL);
    /* No room for mod_start and mod_end. */
    mb2_begin(&b);
    mb2_tag(&b, 3, m, 6);
    mb2_end(&b);
    CHECK_EQ(x86_mb2_modules(b.buf, sizeof(b.buf), mods, 2), -EINVAL);
    /* A malformed structure. */
    mb2_begin(&b);
    n = mb2_module(m, 0x200000, 0x200010, "ok");
    mb2_tag(&b, 3, m, n);
    mb2_end(&b);
    CHECK_EQ(x86_mb2_modules(b.buf, b.len - 1, mods, 2), -EINVAL);
}
