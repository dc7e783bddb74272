// SPDX-License-Identifier: Apache-2.0
/*
 * lib/fdt.c: header and structure checks of fdt_init() on hand-built blobs, every accessor on
 * a tree compiled by dtc at test time, and truncation / byte-flip loops over that tree. Every
 * blob lives in a malloc'd buffer of its exact size, so AddressSanitizer reports any read
 * outside it.
 */
#include <hv/errno.h>
#include <hv/fdt.h>
#include <libgen.h>

#include "../fdt/dtc.h"
#include "../fdt/fdt_walk.h"
#include "unit.h"

/* ------------------------------------------------------------------------------------------ */
/* A blob builder: tokens and strings appended in order, then laid out behind a v17 header. */

#define TOK_BEGIN 1u
#define TOK_END_NODE 2u
#define TOK_PROP 3u
#define TOK_NOP 4u
#define TOK_END 9u

/* Header field offsets, Devicetree Specification 5.2. */
#define H_MAGIC 0
#define H_TOTALSIZE 4
#define H_OFF_STRUCT 8
#define H_OFF_STRINGS 12
#define H_OFF_RSVMAP 16
#define H_VERSION 20
#define H_LAST_COMP 24
#define H_SIZE_STRINGS 32
#define H_SIZE_STRUCT 36
#define HDR_SIZE 40u

struct bld {
    uint8_t st[8192];
    uint32_t st_len;
    char str[1024];
    uint32_t str_len;
    uint64_t rsv[8][2];
    unsigned int nrsv;
};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)(v >> 32));
    put32(p + 4, (uint32_t)v);
}

static void b_u32(struct bld *b, uint32_t v)
{
    put32(b->st + b->st_len, v);
    b->st_len += 4;
}

/* Bytes, then zero padding to the next token boundary. */
static void b_bytes(struct bld *b, const void *data, uint32_t len)
{
    if (len != 0) {
        memcpy(b->st + b->st_len, data, len);
        b->st_len += len;
    }
    while (b->st_len % 4) {
        b->st[b->st_len++] = 0;
    }
}

static void b_begin(struct bld *b, const char *name)
{
    b_u32(b, TOK_BEGIN);
    b_bytes(b, name, (uint32_t)strlen(name) + 1);
}

static void b_end(struct bld *b)
{
    b_u32(b, TOK_END_NODE);
}

static uint32_t b_string(struct bld *b, const char *s)
{
    uint32_t off = b->str_len;

    memcpy(b->str + off, s, strlen(s) + 1);
    b->str_len += (uint32_t)strlen(s) + 1;
    return off;
}

/* A property with an explicit name offset and length field (for malformed cases). */
static void b_prop_raw(struct bld *b, uint32_t nameoff, uint32_t len, const void *data,
                       uint32_t datalen)
{
    b_u32(b, TOK_PROP);
    b_u32(b, len);
    b_u32(b, nameoff);
    b_bytes(b, data, datalen);
}

static void b_prop(struct bld *b, const char *name, const void *data, uint32_t len)
{
    b_prop_raw(b, b_string(b, name), len, data, len);
}

static void b_prop_u32(struct bld *b, const char *name, uint32_t v)
{
    uint8_t d[4];

    put32(d, v);
    b_prop(b, name, d, 4);
}

/* The blob: header, reservation block, structure block, strings block; exact-size malloc. */
static uint8_t *b_blob(const struct bld *b, size_t *size)
{
    uint32_t rsv_off = HDR_SIZE;
    uint32_t st_off = rsv_off + 16 * (b->nrsv + 1);
    uint32_t str_off = st_off + b->st_len;
    uint32_t total = str_off + b->str_len;
    uint8_t *blob = calloc(1, total);

    put32(blob + H_MAGIC, 0xd00dfeed);
    put32(blob + H_TOTALSIZE, total);
    put32(blob + H_OFF_STRUCT, st_off);
    put32(blob + H_OFF_STRINGS, str_off);
    put32(blob + H_OFF_RSVMAP, rsv_off);
    put32(blob + H_VERSION, 17);
    put32(blob + H_LAST_COMP, 16);
    put32(blob + H_SIZE_STRINGS, b->str_len);
    put32(blob + H_SIZE_STRUCT, b->st_len);
    for (unsigned int i = 0; i < b->nrsv; i++) {
        put64(blob + rsv_off + 16 * i, b->rsv[i][0]);
        put64(blob + rsv_off + 16 * i + 8, b->rsv[i][1]);
    }
    memcpy(blob + st_off, b->st, b->st_len);
    memcpy(blob + str_off, b->str, b->str_len);
    *size = total;
    return blob;
}

/* A small valid tree: / { a = <1>; c { }; }; */
static void b_minimal(struct bld *b)
{
    memset(b, 0, sizeof(*b));
    b_begin(b, "");
    b_prop_u32(b, "a", 1);
    b_begin(b, "c");
    b_end(b);
    b_end(b);
    b_u32(b, TOK_END);
}

/* fdt_init() on the built blob, after an optional header patch. */
static int init_built(const struct bld *b, uint32_t field, uint32_t value)
{
    struct fdt f;
    size_t size;
    uint8_t *blob = b_blob(b, &size);
    int err;

    if (field != UINT32_MAX) {
        put32(blob + field, value);
    }
    err = fdt_init(&f, blob, size);
    if (err != 0) {
        CHECK(f.base == NULL); /* a failed init leaves nothing usable behind */
    }
    free(blob);
    return err;
}

#define NO_PATCH UINT32_MAX, 0

static void walk_fail(const char *what, int node)
{
    unit_fail(__FILE__, __LINE__, "walk: %s (node %d)", what, node);
}

/* ------------------------------------------------------------------------------------------ */
/* Header checks */

TEST(header_valid_minimal)
{
    struct bld b;

    b_minimal(&b);
    CHECK_EQ(init_built(&b, NO_PATCH), 0);
}

TEST(header_bad_magic_and_short_buffers)
{
    struct bld b;
    struct fdt f;
    uint8_t small[8] = {0xd0, 0x0d, 0xfe, 0xed};

    b_minimal(&b);
    CHECK_EQ(init_built(&b, H_MAGIC, 0xd00dfeee), -EINVAL);
    CHECK_EQ(init_built(&b, H_MAGIC, 0xedfe0dd0), -EINVAL); /* little-endian magic */
    CHECK_EQ(fdt_init(&f, NULL, 100), -EINVAL);
    CHECK_EQ(fdt_init(&f, small, sizeof(small)), -EINVAL);
}

TEST(header_versions)
{
    struct bld b;

    b_minimal(&b);
    CHECK_EQ(init_built(&b, H_VERSION, 15), -EINVAL);
    CHECK_EQ(init_built(&b, H_VERSION, 3), -EINVAL);
    CHECK_EQ(init_built(&b, H_LAST_COMP, 18), -EINVAL);
    CHECK_EQ(init_built(&b, H_LAST_COMP, 17), 0);
    /* A future version that stays compatible with 17 is read as 17. */
    CHECK_EQ(init_built(&b, H_VERSION, 18), 0);
    {
        /* last_comp_version above version is contradictory (libfdt rejects it too). */
        size_t size;
        uint8_t *blob = b_blob(&b, &size);
        struct fdt f;

        put32(blob + H_VERSION, 16);
        put32(blob + H_LAST_COMP, 17);
        CHECK_EQ(fdt_init(&f, blob, size), -EINVAL);
        free(blob);
    }
}

TEST(header_version16_finds_struct_end_by_walking)
{
    struct bld b;
    size_t size;
    uint8_t *blob;
    struct fdt f;
    uint32_t v;

    b_minimal(&b);
    blob = b_blob(&b, &size);
    put32(blob + H_VERSION, 16);
    put32(blob + H_SIZE_STRUCT, 0xdeadbeef); /* not part of a v16 header: ignored */
    REQUIRE(fdt_init(&f, blob, size) == 0);
    CHECK_EQ(f.version, 16);
    CHECK_EQ(f.struct_size, b.st_len);
    CHECK_EQ(fdt_prop_u32(&f, fdt_root(&f), "a", &v), 0);
    CHECK_EQ(v, 1);
    CHECK(fdt_path(&f, "/c") >= 0);
    free(blob);
}

TEST(header_totalsize)
{
    struct bld b;
    size_t size;
    uint8_t *blob;
    struct fdt f;

    b_minimal(&b);
    blob = b_blob(&b, &size);
    CHECK_EQ(fdt_init(&f, blob, size - 1), -EINVAL); /* totalsize larger than the buffer */
    put32(blob + H_TOTALSIZE, 39);                   /* smaller than the v17 header */
    CHECK_EQ(fdt_init(&f, blob, size), -EINVAL);
    put32(blob + H_TOTALSIZE, 0x7fffffff);
    CHECK_EQ(fdt_init(&f, blob, SIZE_MAX), -EINVAL); /* offsets must fit an int */
    put32(blob + H_TOTALSIZE, (uint32_t)size);
    CHECK_EQ(fdt_init(&f, blob, size + 100), 0); /* a larger buffer is fine */
    CHECK_EQ(f.size, size);
    free(blob);
}

TEST(header_blocks_outside_the_blob)
{
    struct bld b;
    size_t size;
    uint8_t *blob;
    uint32_t total;

    b_minimal(&b);
    free(b_blob(&b, &size));
    total = (uint32_t)size;
    CHECK_EQ(init_built(&b, H_OFF_STRUCT, total + 4), -EINVAL);
    CHECK_EQ(init_built(&b, H_SIZE_STRUCT, b.st_len + 4 + b.str_len), -EINVAL);
    CHECK_EQ(init_built(&b, H_SIZE_STRUCT, 0xfffffff0), -EINVAL);
    CHECK_EQ(init_built(&b, H_OFF_STRINGS, total), -EINVAL); /* non-empty block at the end */
    CHECK_EQ(init_built(&b, H_SIZE_STRINGS, b.str_len + 1), -EINVAL);
    CHECK_EQ(init_built(&b, H_SIZE_STRINGS, 0xffffffff), -EINVAL); /* offset + size wraps */
    CHECK_EQ(init_built(&b, H_OFF_RSVMAP, total), -EINVAL);
    CHECK_EQ(init_built(&b, H_OFF_RSVMAP, total - 8), -EINVAL);
    /* Blocks may not overlap the header (libfdt's rule too). */
    CHECK_EQ(init_built(&b, H_OFF_RSVMAP, 0), -EINVAL);
    CHECK_EQ(init_built(&b, H_OFF_RSVMAP, 32), -EINVAL);
    CHECK_EQ(init_built(&b, H_OFF_STRINGS, 8), -EINVAL);
    blob = b_blob(&b, &size);
    put32(blob + H_SIZE_STRINGS, 0);
    put32(blob + H_OFF_STRINGS, 0);
    {
        struct fdt f;

        CHECK_EQ(fdt_init(&f, blob, size), -EINVAL);
    }
    free(blob);
}

TEST(header_misaligned_blocks)
{
    struct bld b;

    b_minimal(&b);
    CHECK_EQ(init_built(&b, H_OFF_STRUCT, HDR_SIZE + 16 + 2), -EINVAL);
    CHECK_EQ(init_built(&b, H_OFF_RSVMAP, HDR_SIZE + 4), -EINVAL);
    CHECK_EQ(init_built(&b, H_SIZE_STRUCT, b.st_len - 2), -EINVAL);
}

TEST(header_rsvmap)
{
    struct bld b;
    size_t size;
    uint8_t *blob;
    struct fdt f;
    uint64_t a, s;

    b_minimal(&b);
    b.rsv[0][0] = 0x1000;
    b.rsv[0][1] = 0x2000;
    b.rsv[1][0] = 0xffffffff00000000ull;
    b.rsv[1][1] = 0x10;
    b.nrsv = 2;
    blob = b_blob(&b, &size);
    REQUIRE(fdt_init(&f, blob, size) == 0);
    CHECK_EQ(fdt_rsvmap(&f, 0, &a, &s), 0);
    CHECK_EQ(a, 0x1000);
    CHECK_EQ(s, 0x2000);
    CHECK_EQ(fdt_rsvmap(&f, 1, &a, &s), 0);
    CHECK_EQ(a, 0xffffffff00000000ull);
    CHECK_EQ(s, 0x10);
    CHECK_EQ(fdt_rsvmap(&f, 2, &a, &s), -ENOENT);
    CHECK_EQ(fdt_rsvmap(&f, 100, &a, &s), -ENOENT);

    /* An entry of size 0 with a non-zero address: the spec reads on, libfdt stops. */
    put64(blob + HDR_SIZE + 16 + 8, 0);
    CHECK_EQ(fdt_init(&f, blob, size), -EINVAL);
    free(blob);

    /* Not terminated before the end of the blob: point the block at its last bytes. */
    b_minimal(&b);
    for (unsigned int i = 0; i < 4; i++) {
        b_string(&b, "padding"); /* strings to overwrite, so the structure stays valid */
    }
    blob = b_blob(&b, &size);
    put32(blob + H_OFF_RSVMAP, (uint32_t)ALIGN_DOWN(size - 16, 8));
    memset(blob + ALIGN_DOWN(size - 16, 8), 0xff, size - ALIGN_DOWN(size - 16, 8));
    CHECK_EQ(fdt_init(&f, blob, size), -EINVAL);
    free(blob);
}

/* ------------------------------------------------------------------------------------------ */
/* Structure block checks */

TEST(struct_unbalanced)
{
    struct bld b;

    memset(&b, 0, sizeof(b)); /* root never closed */
    b_begin(&b, "");
    b_begin(&b, "c");
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);

    memset(&b, 0, sizeof(b)); /* one END_NODE too many */
    b_begin(&b, "");
    b_end(&b);
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);

    memset(&b, 0, sizeof(b)); /* no FDT_END: the block runs out */
    b_begin(&b, "");
    b_end(&b);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);

    memset(&b, 0, sizeof(b)); /* no root at all (libfdt accepts an empty tree) */
    b_u32(&b, TOK_NOP);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);
}

TEST(struct_second_root_and_trailing_tokens)
{
    struct bld b;

    memset(&b, 0, sizeof(b));
    b_begin(&b, "");
    b_end(&b);
    b_begin(&b, "");
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);

    memset(&b, 0, sizeof(b)); /* a NOP after the root: libfdt rejects it, so do we */
    b_begin(&b, "");
    b_end(&b);
    b_u32(&b, TOK_NOP);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);

    memset(&b, 0, sizeof(b)); /* a NOP before the root: libfdt's path functions fail */
    b_u32(&b, TOK_NOP);
    b_begin(&b, "");
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);

    memset(&b, 0, sizeof(b)); /* NOPs inside nodes are fine */
    b_begin(&b, "");
    b_u32(&b, TOK_NOP);
    b_prop_u32(&b, "x", 5);
    b_u32(&b, TOK_NOP);
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), 0);

    memset(&b, 0, sizeof(b)); /* data after FDT_END inside the stated block */
    b_begin(&b, "");
    b_end(&b);
    b_u32(&b, TOK_END);
    b_u32(&b, 0);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);
    b.st_len -= 4;
    CHECK_EQ(init_built(&b, NO_PATCH), 0);
}

TEST(struct_root_name_must_be_empty)
{
    struct bld b;

    memset(&b, 0, sizeof(b));
    b_begin(&b, "root");
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);
}

TEST(struct_node_names)
{
    static const char *const bad[] = {"", "a/b", "/", "cpu@0/"};
    struct bld b;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        memset(&b, 0, sizeof(b));
        b_begin(&b, "");
        b_begin(&b, bad[i]);
        b_end(&b);
        b_end(&b);
        b_u32(&b, TOK_END);
        CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);
    }
    /* Anything else is left to the configuration checks. */
    memset(&b, 0, sizeof(b));
    b_begin(&b, "");
    b_begin(&b, "\x01weird name@@,#");
    b_end(&b);
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), 0);
}

TEST(struct_property_placement)
{
    struct bld b;

    memset(&b, 0, sizeof(b)); /* before the root */
    b_prop_u32(&b, "x", 1);
    b_begin(&b, "");
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);

    memset(&b, 0, sizeof(b)); /* after a subnode (spec 5.4.2: properties come first) */
    b_begin(&b, "");
    b_begin(&b, "c");
    b_end(&b);
    b_prop_u32(&b, "x", 1);
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);
}

TEST(struct_unknown_token)
{
    struct bld b;
    uint32_t bad[] = {0, 5, 6, 7, 8, 10, 0x01000000u, 0xffffffffu};

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        memset(&b, 0, sizeof(b));
        b_begin(&b, "");
        b_u32(&b, bad[i]);
        b_end(&b);
        b_u32(&b, TOK_END);
        CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);
    }
}

TEST(struct_name_not_terminated)
{
    struct bld b;

    memset(&b, 0, sizeof(b));
    b_begin(&b, "");
    b_end(&b);
    b_u32(&b, TOK_END);
    b_u32(&b, TOK_BEGIN);
    memcpy(b.st + b.st_len, "abcd", 4); /* the block ends inside the name */
    b.st_len += 4;
    /* Make the unterminated name the first token: drop the valid tree in front. */
    memmove(b.st, b.st + 12, b.st_len - 12);
    b.st_len -= 12;
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);
}

TEST(struct_property_length_past_block)
{
    struct bld b;
    uint32_t lens[] = {8, 12, 13, 0x7fffffffu, 0xfffffffcu, 0xffffffffu};

    for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
        memset(&b, 0, sizeof(b));
        b_begin(&b, "");
        b_prop_raw(&b, b_string(&b, "x"), lens[i], "abcd", 4);
        b_end(&b);
        b_u32(&b, TOK_END);
        CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);
    }
}

TEST(struct_property_name_offset)
{
    struct bld b;

    memset(&b, 0, sizeof(b));
    b_string(&b, "abc");
    b_begin(&b, "");
    b_prop_raw(&b, 4, 0, NULL, 0); /* == strings size */
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);

    memset(&b, 0, sizeof(b));
    b_string(&b, "abc");
    b_begin(&b, "");
    b_prop_raw(&b, 0x80000000u, 0, NULL, 0);
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, NO_PATCH), -EINVAL);

    memset(&b, 0, sizeof(b)); /* inside the block, but the name is not terminated in it */
    b_string(&b, "abc");
    b_begin(&b, "");
    b_prop_raw(&b, 1, 0, NULL, 0);
    b_end(&b);
    b_u32(&b, TOK_END);
    CHECK_EQ(init_built(&b, H_SIZE_STRINGS, 3), -EINVAL);
    CHECK_EQ(init_built(&b, H_SIZE_STRINGS, 4), 0);
}

/* A chain of depth nodes under the root. */
static int init_deep(int depth)
{
    struct bld b;

    memset(&b, 0, sizeof(b));
    for (int i = 0; i < depth; i++) {
        b_begin(&b, i == 0 ? "" : "n");
    }
    for (int i = 0; i < depth; i++) {
        b_end(&b);
    }
    b_u32(&b, TOK_END);
    return init_built(&b, NO_PATCH);
}

TEST(struct_too_deep)
{
    CHECK_EQ(init_deep(FDT_MAX_DEPTH), 0);
    CHECK_EQ(init_deep(FDT_MAX_DEPTH + 1), -EINVAL);
    CHECK_EQ(init_deep(200), -EINVAL);
}

TEST(struct_deepest_path)
{
    struct bld b;
    size_t size;
    uint8_t *blob;
    struct fdt f;
    struct fdt_walk_stats st;
    int node, depth = 0;
    char path[FDT_MAX_PATH];

    memset(&b, 0, sizeof(b));
    for (int i = 0; i < FDT_MAX_DEPTH; i++) {
        b_begin(&b, i == 0 ? "" : "abcdefgh"); /* 31 * 9 = 279 > FDT_MAX_PATH */
    }
    for (int i = 0; i < FDT_MAX_DEPTH; i++) {
        b_end(&b);
    }
    b_u32(&b, TOK_END);
    blob = b_blob(&b, &size);
    REQUIRE(fdt_init(&f, blob, size) == 0);
    for (node = fdt_root(&f); depth < FDT_MAX_DEPTH - 1;) {
        node = fdt_next_node(&f, node, &depth);
        REQUIRE(node >= 0);
    }
    CHECK_EQ(fdt_node_path(&f, node, path, sizeof(path)), -ENAMETOOLONG);
    CHECK(strlen(path) < sizeof(path));
    CHECK_EQ(fdt_node_path(&f, node, path, 0), -ENAMETOOLONG);
    CHECK_EQ(fdt_first_child(&f, node), -ENOENT);
    CHECK_EQ(fdt_walk_all(&f, walk_fail, &st), 0);
    CHECK_EQ(st.nodes, FDT_MAX_DEPTH);
    free(blob);
}

/* ------------------------------------------------------------------------------------------ */
/* Accessors, on a tree compiled by dtc */

/* tests/fdt/accessors.dts, found next to this source file (the build passes absolute paths). */
static const char *accessor_dts(char *buf, size_t size)
{
    char file[512];

    snprintf(file, sizeof(file), "%s", __FILE__);
    snprintf(buf, size, "%s/../fdt/accessors.dts", dirname(file));
    return buf;
}

static uint8_t *acc_blob;
static size_t acc_size;

/* The accessor tree, initialised; REQUIRE-style: returns false (and records why) on failure. */
static bool acc_init(struct fdt *f)
{
    char dts[600];

    if (acc_blob == NULL) {
        acc_blob = dtc_compile_file(accessor_dts(dts, sizeof(dts)), "", &acc_size);
    }
    if (acc_blob == NULL) {
        unit_fail(__FILE__, __LINE__, "dtc could not compile the accessor tree");
        return false;
    }
    if (fdt_init(f, acc_blob, acc_size) != 0) {
        unit_fail(__FILE__, __LINE__, "fdt_init() rejected the dtc output");
        return false;
    }
    return true;
}

static int path_of(const struct fdt *f, const char *path)
{
    int node = fdt_path(f, path);

    if (node < 0) {
        unit_fail(__FILE__, __LINE__, "no node %s (%d)", path, node);
    }
    return node;
}

TEST(acc_root_and_navigation)
{
    struct fdt f;
    int root, cpus, c0, c1, depth = 0, n, count = 0;

    REQUIRE(acc_init(&f));
    root = fdt_root(&f);
    CHECK(root >= 0);
    CHECK_STR(fdt_node_name(&f, root), "");
    CHECK_EQ(fdt_parent(&f, root), -ENOENT);
    CHECK_EQ(fdt_next_sibling(&f, root), -ENOENT);
    cpus = path_of(&f, "/cpus");
    c0 = fdt_first_child(&f, cpus);
    CHECK_STR(fdt_node_name(&f, c0), "cpu@0");
    c1 = fdt_next_sibling(&f, c0);
    CHECK_STR(fdt_node_name(&f, c1), "cpu@1");
    CHECK_EQ(fdt_next_sibling(&f, c1), -ENOENT);
    CHECK_EQ(fdt_parent(&f, c1), cpus);
    CHECK_EQ(fdt_parent(&f, cpus), root);
    CHECK_EQ(fdt_first_child(&f, c0), -ENOENT);
    CHECK_STR(fdt_node_name(&f, fdt_first_child(&f, root)), "chosen");
    /* Document order with depth. */
    for (n = root; n >= 0; n = fdt_next_node(&f, n, &depth)) {
        count++;
        if (n == c1) {
            CHECK_EQ(depth, 2);
        }
    }
    CHECK_EQ(n, -ENOENT);
    CHECK_EQ(depth, -1);
    CHECK_EQ(count, 32);
    /* Offsets that are not nodes. */
    CHECK(fdt_node_name(&f, root + 4) == NULL);
    CHECK(fdt_node_name(&f, -1) == NULL);
    CHECK(fdt_node_name(&f, 1) == NULL);
    CHECK(fdt_node_name(&f, (int)f.struct_size) == NULL);
    CHECK_EQ(fdt_first_child(&f, root + 4), -EINVAL);
    CHECK_EQ(fdt_parent(&f, root + 4), -EINVAL);
    CHECK_EQ(fdt_parent(&f, -3), -EINVAL);
    depth = 0;
    CHECK_EQ(fdt_next_node(&f, 2, &depth), -EINVAL);
}

/* The index answers every node accessor exactly as the walks do, for every node. */
TEST(acc_index_matches_the_walks)
{
    static struct fdt_index_entry idx[64];
    struct fdt f, g;
    int depth = 0, n;
    char pf[FDT_MAX_PATH], pg[FDT_MAX_PATH];

    REQUIRE(acc_init(&f));
    REQUIRE(acc_init(&g));
    CHECK_EQ(fdt_init_index(&g, g.base, g.size, idx, 4), -ENOSPC);
    CHECK(g.index == NULL);
    REQUIRE(fdt_init_index(&g, g.base, g.size, idx, ARRAY_SIZE(idx)) == 0);
    CHECK_EQ(g.index_len, 32);
    for (n = fdt_root(&f); n >= 0; n = fdt_next_node(&f, n, &depth)) {
        struct fdt_prop a, b;
        int df = depth, dg = depth;

        CHECK_EQ(fdt_parent(&g, n), fdt_parent(&f, n));
        CHECK_EQ(fdt_next_node(&g, n, &dg), fdt_next_node(&f, n, &df));
        CHECK_EQ(dg, df);
        CHECK_EQ(fdt_first_child(&g, n), fdt_first_child(&f, n));
        CHECK_EQ(fdt_next_sibling(&g, n), fdt_next_sibling(&f, n));
        CHECK(fdt_node_name(&g, n) == fdt_node_name(&f, n));
        CHECK_EQ(fdt_first_prop(&g, n, &a), fdt_first_prop(&f, n, &b));
        CHECK_EQ(fdt_prop(&g, n, "reg", &a), fdt_prop(&f, n, "reg", &b));
        /* Every string of the node's compatible list (the index keeps a bit per string), and
         * near misses: a prefix, a longer string, the first string of another node. */
        if (fdt_prop(&f, n, "compatible", &b) == 0) {
            for (uint32_t at = 0; at < b.len;
                 at += (uint32_t)strlen((const char *)b.data + at) + 1) {
                const char *c = (const char *)b.data + at;
                char near[64];
                size_t len = strlen(c);

                CHECK(fdt_is_compatible(&g, n, c));
                CHECK_EQ(fdt_find_compatible(&g, -1, c), fdt_find_compatible(&f, -1, c));
                CHECK_EQ(fdt_find_compatible(&g, n, c), fdt_find_compatible(&f, n, c));
                REQUIRE(len + 2 <= sizeof(near));
                memcpy(near, c, len + 1);
                near[len] = 'x';
                near[len + 1] = '\0';
                CHECK_EQ(fdt_is_compatible(&g, n, near), fdt_is_compatible(&f, n, near));
                CHECK_EQ(fdt_find_compatible(&g, -1, near), fdt_find_compatible(&f, -1, near));
                if (len > 0) {
                    near[len - 1] = '\0';
                    CHECK_EQ(fdt_is_compatible(&g, n, near), fdt_is_compatible(&f, n, near));
                    CHECK_EQ(fdt_find_compatible(&g, -1, near), fdt_find_compatible(&f, -1, near));
                }
            }
        }
        CHECK_EQ(fdt_is_compatible(&g, n, "arm,pl011"), fdt_is_compatible(&f, n, "arm,pl011"));
        CHECK_EQ(fdt_node_path(&g, n, pg, sizeof(pg)), 0);
        CHECK_EQ(fdt_node_path(&f, n, pf, sizeof(pf)), 0);
        CHECK_STR(pg, pf);
        CHECK_EQ(fdt_path(&g, pg), n);
    }
    CHECK_EQ(fdt_parent(&g, fdt_root(&g) + 4), -EINVAL);
    CHECK(fdt_node_name(&g, fdt_root(&g) + 4) == NULL);
    CHECK_EQ(fdt_first_child(&g, fdt_root(&g) + 4), -EINVAL);
    for (uint32_t ph = 0; ph < 0x100; ph++) {
        CHECK_EQ(fdt_node_by_phandle(&g, ph), fdt_node_by_phandle(&f, ph));
    }
    CHECK_EQ(fdt_node_by_phandle(&g, UINT32_MAX), -ENOENT);
}

TEST(acc_path_lookup)
{
    struct fdt f;
    int soc, uart;

    REQUIRE(acc_init(&f));
    CHECK_EQ(fdt_path(&f, "/"), fdt_root(&f));
    CHECK_EQ(fdt_path(&f, "//"), fdt_root(&f));
    soc = path_of(&f, "/soc");
    uart = path_of(&f, "/soc/uart@9000000");
    CHECK_EQ(fdt_parent(&f, uart), soc);
    CHECK_EQ(fdt_path(&f, "/soc/uart"), uart);            /* unit address optional... */
    CHECK_EQ(fdt_path(&f, "/soc//uart/"), uart);          /* repeated and trailing '/' */
    CHECK_EQ(fdt_path(&f, "/soc/uart@9000001"), -ENOENT); /* ...but must match when given */
    CHECK_EQ(fdt_path(&f, "/soc/uart@"), -ENOENT);
    CHECK_EQ(fdt_path(&f, "/soc/uar"), -ENOENT);
    CHECK_EQ(fdt_path(&f, "/soc/uart@9000000/x"), -ENOENT);
    CHECK_EQ(fdt_path(&f, "soc"), -EINVAL);
    CHECK_EQ(fdt_path(&f, ""), -EINVAL);
    CHECK_EQ(fdt_path(&f, NULL), -EINVAL);
    CHECK_EQ(fdt_path(&f, "/nonexistent"), -ENOENT);
    /* An exact name wins even after two unit-address matches; two unit-address matches and
     * no exact one is ambiguous; a single one is found. */
    CHECK_STR(fdt_node_name(&f, path_of(&f, "/dup")), "dup");
    CHECK_STR(fdt_node_name(&f, path_of(&f, "/dup@2")), "dup@2");
    CHECK_EQ(fdt_path(&f, "/x"), -ENOENT);
    CHECK_STR(fdt_node_name(&f, path_of(&f, "/x@2")), "x@2");
    CHECK_STR(fdt_node_name(&f, path_of(&f, "/y/inner")), "inner");
    /* fdt_subnode: the length bounds the name; a NUL inside it ends it. */
    CHECK_EQ(fdt_subnode(&f, soc, "uart@9000000xyz", 12), uart);
    CHECK_EQ(fdt_subnode(&f, soc, "uart\0zzzz", 9), uart);
    CHECK_EQ(fdt_subnode(&f, soc, "", 0), -ENOENT);
    CHECK_EQ(fdt_subnode(&f, soc + 4, "uart", 4), -EINVAL);
}

TEST(acc_node_path)
{
    struct fdt f;
    char buf[FDT_MAX_PATH];
    int node;

    REQUIRE(acc_init(&f));
    CHECK_EQ(fdt_node_path(&f, fdt_root(&f), buf, sizeof(buf)), 0);
    CHECK_STR(buf, "/");
    node = path_of(&f, "/soc/wide/big");
    CHECK_EQ(fdt_node_path(&f, node, buf, sizeof(buf)), 0);
    CHECK_STR(buf, "/soc/wide/big@2");
    CHECK_EQ(fdt_node_path(&f, node, buf, 16), 0); /* exactly fits with its NUL */
    CHECK_STR(buf, "/soc/wide/big@2");
    CHECK_EQ(fdt_node_path(&f, node, buf, 15), -ENAMETOOLONG);
    CHECK_STR(buf, "/soc/wide");
    CHECK_EQ(fdt_node_path(&f, node, buf, 3), -ENAMETOOLONG);
    CHECK_STR(buf, "");
    CHECK_EQ(fdt_node_path(&f, fdt_root(&f), buf, 1), -ENAMETOOLONG);
    CHECK_EQ(fdt_node_path(&f, node + 4, buf, sizeof(buf)), -EINVAL);
    CHECK_EQ(fdt_node_path(&f, -1, buf, sizeof(buf)), -EINVAL);
}

TEST(acc_properties)
{
    struct fdt f;
    struct fdt_prop p;
    int strs, n = 0;
    const char *names[8];
    const char *s;
    uint32_t v;

    REQUIRE(acc_init(&f));
    strs = path_of(&f, "/strs");
    for (int err = fdt_first_prop(&f, strs, &p); err == 0; err = fdt_next_prop(&f, &p)) {
        if (n < 8) {
            names[n] = p.name;
        }
        n++;
    }
    REQUIRE(n == 6);
    CHECK_STR(names[0], "list");
    CHECK_STR(names[5], "byte");
    CHECK_EQ(fdt_prop(&f, strs, "list", &p), 0);
    CHECK_EQ(p.len, 8);
    CHECK_EQ(memcmp(p.data, "a\0bc\0\0d", 8), 0);
    CHECK_EQ(fdt_prop(&f, strs, "nope", &p), -ENOENT);
    CHECK_EQ(fdt_prop(&f, strs, "lis", &p), -ENOENT);
    CHECK_EQ(fdt_first_prop(&f, path_of(&f, "/soc/noreg"), &p), -ENOENT);
    CHECK_EQ(fdt_first_prop(&f, strs + 4, &p), -EINVAL);
    p.offset = strs;
    CHECK_EQ(fdt_next_prop(&f, &p), -EINVAL);
    /* u32 */
    CHECK_EQ(fdt_prop_u32(&f, path_of(&f, "/cpus/cpu@1"), "phandle", &v), 0);
    CHECK_EQ(v, 0x50);
    CHECK_EQ(fdt_prop_u32(&f, strs, "two", &v), -EINVAL);
    CHECK_EQ(fdt_prop_u32(&f, strs, "byte", &v), -EINVAL);
    CHECK_EQ(fdt_prop_u32(&f, strs, "empty", &v), -EINVAL);
    CHECK_EQ(fdt_prop_u32(&f, strs, "none", &v), -ENOENT);
    /* strings */
    CHECK_EQ(fdt_prop_string(&f, fdt_root(&f), "model", &s), 0);
    CHECK_STR(s, "test");
    CHECK_EQ(fdt_prop_string(&f, strs, "list", &s), 0);
    CHECK_STR(s, "a");
    CHECK_EQ(fdt_prop_string(&f, strs, "unterminated", &s), -EINVAL);
    CHECK_EQ(fdt_prop_string(&f, strs, "empty", &s), -EINVAL);
    CHECK_EQ(fdt_prop_string(&f, strs, "emptystr", &s), -EINVAL);
    CHECK_EQ(fdt_prop_string(&f, strs, "none", &s), -ENOENT);
}

TEST(acc_stringlists_and_compatible)
{
    struct fdt f;
    struct fdt_prop p;
    int strs, uart;

    REQUIRE(acc_init(&f));
    strs = path_of(&f, "/strs");
    REQUIRE(fdt_prop(&f, strs, "list", &p) == 0);
    CHECK_EQ(fdt_stringlist_count(&p), 4);
    CHECK(fdt_stringlist_contains(&p, "a"));
    CHECK(fdt_stringlist_contains(&p, "bc"));
    CHECK(fdt_stringlist_contains(&p, ""));
    CHECK(fdt_stringlist_contains(&p, "d"));
    CHECK(!fdt_stringlist_contains(&p, "b"));
    CHECK(!fdt_stringlist_contains(&p, "bcd"));
    REQUIRE(fdt_prop(&f, strs, "unterminated", &p) == 0);
    CHECK_EQ(fdt_stringlist_count(&p), -EINVAL);
    CHECK(!fdt_stringlist_contains(&p, "ab"));
    REQUIRE(fdt_prop(&f, strs, "empty", &p) == 0);
    CHECK_EQ(fdt_stringlist_count(&p), 0);
    CHECK(!fdt_stringlist_contains(&p, ""));
    REQUIRE(fdt_prop(&f, strs, "emptystr", &p) == 0);
    CHECK_EQ(fdt_stringlist_count(&p), 1);

    uart = path_of(&f, "/soc/uart@9000000");
    CHECK(fdt_is_compatible(&f, uart, "arm,pl011"));
    CHECK(fdt_is_compatible(&f, uart, "arm,primecell"));
    CHECK(!fdt_is_compatible(&f, uart, "arm,pl01"));
    CHECK(!fdt_is_compatible(&f, strs, "a"));
    CHECK(fdt_is_compatible(&f, fdt_root(&f), "acme,soc"));
    CHECK_EQ(fdt_find_compatible(&f, -1, "arm,primecell"), uart);
    CHECK_EQ(fdt_find_compatible(&f, uart, "arm,primecell"), -ENOENT);
    CHECK_EQ(fdt_find_compatible(&f, -1, "acme,board"), fdt_root(&f));
    CHECK_EQ(fdt_find_compatible(&f, fdt_root(&f), "simple-bus"), path_of(&f, "/soc"));
    CHECK_EQ(fdt_find_compatible(&f, -1, "nothing"), -ENOENT);
}

TEST(acc_phandles)
{
    struct fdt f;
    uint32_t ph;

    REQUIRE(acc_init(&f));
    REQUIRE(fdt_prop_u32(&f, path_of(&f, "/hypervisor"), "console", &ph) == 0);
    CHECK_EQ(fdt_node_by_phandle(&f, ph), path_of(&f, "/soc/uart@9000000"));
    REQUIRE(fdt_prop_u32(&f, path_of(&f, "/hypervisor"), "cpus", &ph) == 0);
    CHECK_EQ(fdt_node_by_phandle(&f, ph), path_of(&f, "/cpus/cpu@0"));
    CHECK_EQ(fdt_node_by_phandle(&f, 0x50), path_of(&f, "/cpus/cpu@1"));
    CHECK_EQ(fdt_node_by_phandle(&f, 0x77), path_of(&f, "/legacy")); /* linux,phandle */
    CHECK_EQ(fdt_node_by_phandle(&f, 0), -ENOENT);                   /* never valid */
    CHECK_EQ(fdt_node_by_phandle(&f, 0xffffffff), -ENOENT);
    CHECK_EQ(fdt_node_by_phandle(&f, 0x12345), -ENOENT);
}

TEST(acc_cells_and_reg)
{
    struct fdt f;
    uint64_t a, s;
    int n;

    REQUIRE(acc_init(&f));
    CHECK_EQ(fdt_address_cells(&f, fdt_root(&f)), 2);
    CHECK_EQ(fdt_size_cells(&f, path_of(&f, "/cpus")), 0);
    CHECK_EQ(fdt_address_cells(&f, path_of(&f, "/soc/nocells")), 2); /* defaults */
    CHECK_EQ(fdt_size_cells(&f, path_of(&f, "/soc/nocells")), 1);
    CHECK_EQ(fdt_address_cells(&f, path_of(&f, "/soc/badcells")), -EINVAL); /* 5 > 4 */
    CHECK_EQ(fdt_size_cells(&f, path_of(&f, "/soc/badcells")), -EINVAL);    /* 2 cells */
    CHECK_EQ(fdt_address_cells(&f, path_of(&f, "/soc/zerocells")), 0);

    /* 1 cell + 0 cells */
    n = path_of(&f, "/cpus/cpu@1");
    CHECK_EQ(fdt_reg_count(&f, n), 1);
    CHECK_EQ(fdt_reg(&f, n, 0, &a, &s), 0);
    CHECK_EQ(a, 1);
    CHECK_EQ(s, 0);
    /* 2 + 2, two entries */
    n = path_of(&f, "/memory");
    CHECK_EQ(fdt_reg_count(&f, n), 2);
    CHECK_EQ(fdt_reg(&f, n, 0, &a, &s), 0);
    CHECK_EQ(a, 0x40000000);
    CHECK_EQ(s, 0x8000000);
    CHECK_EQ(fdt_reg(&f, n, 1, &a, &s), 0);
    CHECK_EQ(a, 0x100000000ull);
    CHECK_EQ(s, 0x1000);
    CHECK_EQ(fdt_reg(&f, n, 2, &a, &s), -ENOENT);
    /* 1 + 1 */
    n = path_of(&f, "/soc/uart");
    CHECK_EQ(fdt_reg(&f, n, 0, &a, &s), 0);
    CHECK_EQ(a, 0x9000000);
    CHECK_EQ(s, 0x1000);
    /* 3 + 3: the top cell must be zero */
    n = path_of(&f, "/soc/wide/dev@1");
    CHECK_EQ(fdt_reg_count(&f, n), 2);
    CHECK_EQ(fdt_reg(&f, n, 0, &a, &s), 0);
    CHECK_EQ(a, 1);
    CHECK_EQ(s, 2);
    CHECK_EQ(fdt_reg(&f, n, 1, &a, &s), 0);
    CHECK_EQ(a, 0x100000000ull);
    CHECK_EQ(s, 3);
    CHECK_EQ(fdt_reg(&f, path_of(&f, "/soc/wide/big@2"), 0, &a, &s), -EOVERFLOW);
    CHECK_EQ(fdt_reg(&f, path_of(&f, "/soc/wide/bigsize@3"), 0, &a, &s), -EOVERFLOW);
    /* defaults 2 + 1 */
    n = path_of(&f, "/soc/nocells/dev");
    CHECK_EQ(fdt_reg(&f, n, 0, &a, &s), 0);
    CHECK_EQ(a, 0x10);
    CHECK_EQ(s, 0x20);
    /* malformed */
    CHECK_EQ(fdt_reg_count(&f, path_of(&f, "/soc/badreg")), -EINVAL); /* 3 cells for 1 + 1 */
    CHECK_EQ(fdt_reg(&f, path_of(&f, "/soc/badreg"), 0, &a, &s), -EINVAL);
    CHECK_EQ(fdt_reg_count(&f, path_of(&f, "/soc/badcells/dev")), -EINVAL);
    CHECK_EQ(fdt_reg_count(&f, path_of(&f, "/soc/zerocells/dev")), -EINVAL); /* 0 + 0 */
    CHECK_EQ(fdt_reg_count(&f, path_of(&f, "/soc/noreg")), 0);
    CHECK_EQ(fdt_reg(&f, path_of(&f, "/soc/noreg"), 0, &a, &s), -ENOENT);
    CHECK_EQ(fdt_reg_count(&f, path_of(&f, "/soc/emptyreg")), 0);
    CHECK_EQ(fdt_reg_count(&f, fdt_root(&f)), -EINVAL);
    /* fdt_read_cells directly */
    CHECK_EQ(fdt_read_cells("\x12\x34\x56\x78\x9a\xbc\xde\xf0", 2), 0x123456789abcdef0ull);
    CHECK_EQ(fdt_read_cells("\x12\x34\x56\x78", 1), 0x12345678);
    CHECK_EQ(fdt_read_cells("", 0), 0);
    CHECK_EQ(fdt_be32("\xff\x00\x00\x01"), 0xff000001u);
}

/* tests/fdt/ranges.dts: fdt_reg_translated() through every ancestor's ranges. */
TEST(translate_through_ranges)
{
    static const struct {
        const char *path;
        int err;
        uint64_t addr;
    } cases[] = {
        {"/direct@9000000", 0, 0x9000000},
        {"/soc/uart@1000", 0, 0x10001000},
        {"/soc/tail@ff000", 0, 0x100ff000},
        {"/soc/over@ff800", -ERANGE, 0},
        {"/soc/gap@150000", -ERANGE, 0},
        {"/soc/high@200000", 0, 0x100000000ull},
        {"/soc/bus@80000/dev@40", 0, 0x10080040},
        {"/soc/closed/dev@0", -ERANGE, 0},
        {"/soc/identity/dev@5000", 0, 0x10005000},
        {"/soc/badranges/dev@0", -EINVAL, 0},
        {"/pci/mem@0", 0, 0x10000100},
        {"/pci/io@1", 0, 0x3eff0010},
        {"/pci/cfg@2", -ERANGE, 0},
    };
    char file[512], dts[600];
    uint8_t *blob;
    size_t size;
    struct fdt f;
    uint64_t a, s;

    snprintf(file, sizeof(file), "%s", __FILE__);
    snprintf(dts, sizeof(dts), "%s/../fdt/ranges.dts", dirname(file));
    blob = dtc_compile_file(dts, "", &size);
    REQUIRE(blob != NULL);
    REQUIRE(fdt_init(&f, blob, size) == 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int node = path_of(&f, cases[i].path);
        int err = fdt_reg_translated(&f, node, 0, &a, &s);

        if (err != cases[i].err || (err == 0 && a != cases[i].addr)) {
            unit_fail(__FILE__, __LINE__, "%s: got %d 0x%llx, want %d 0x%llx", cases[i].path, err,
                      (unsigned long long)a, cases[i].err, (unsigned long long)cases[i].addr);
        }
        a = 0;
    }
    /* Past the last entry, and the untranslated value for comparison. */
    CHECK_EQ(fdt_reg_translated(&f, path_of(&f, "/soc/uart@1000"), 1, &a, &s), -ENOENT);
    CHECK_EQ(fdt_reg(&f, path_of(&f, "/soc/uart@1000"), 0, &a, &s), 0);
    CHECK_EQ(a, 0x1000);
    CHECK_EQ(s, 0x100);
    free(blob);
}

TEST(acc_rsvmap)
{
    struct fdt f;
    uint64_t a, s;

    REQUIRE(acc_init(&f));
    CHECK_EQ(fdt_rsvmap(&f, 0, &a, &s), 0);
    CHECK_EQ(a, 0x1000);
    CHECK_EQ(s, 0x2000);
    CHECK_EQ(fdt_rsvmap(&f, 1, &a, &s), 0);
    CHECK_EQ(a, 0x80000000);
    CHECK_EQ(s, 0x10000);
    CHECK_EQ(fdt_rsvmap(&f, 2, &a, &s), -ENOENT);
}

TEST(acc_walk_whole_tree)
{
    struct fdt f;
    struct fdt_walk_stats st;

    REQUIRE(acc_init(&f));
    CHECK_EQ(fdt_walk_all(&f, walk_fail, &st), 0);
    CHECK_EQ(st.nodes, 32);
    CHECK_EQ(st.rsv, 2);
    CHECK(st.props > 40);
}

/* A blob at an odd address: every token read takes the byte-wise path, with the same answers. */
TEST(acc_walk_unaligned_blob)
{
    struct fdt f;
    struct fdt_walk_stats st;
    uint8_t *copy;

    REQUIRE(acc_init(&f));
    copy = malloc(acc_size + 1);
    REQUIRE(copy != NULL);
    memcpy(copy + 1, acc_blob, acc_size);
    REQUIRE(fdt_init(&f, copy + 1, acc_size) == 0);
    CHECK_EQ(fdt_walk_all(&f, walk_fail, &st), 0);
    CHECK_EQ(st.nodes, 32);
    free(copy);
}

TEST(acc_dtc_version16)
{
    char dts[600];
    size_t size;
    uint8_t *blob = dtc_compile_file(accessor_dts(dts, sizeof(dts)), "-V 16", &size);
    struct fdt f;
    struct fdt_walk_stats st;

    REQUIRE(blob != NULL);
    REQUIRE(fdt_init(&f, blob, size) == 0);
    CHECK_EQ(f.version, 16);
    CHECK_EQ(fdt_walk_all(&f, walk_fail, &st), 0);
    CHECK_EQ(st.nodes, 32);
    free(blob);
}

/* ------------------------------------------------------------------------------------------ */
/* Robustness: truncation and corruption of a real blob */

static unsigned int robust_failures;

static void robust_fail(const char *what, int node)
{
    if (robust_failures++ < 5) {
        unit_fail(__FILE__, __LINE__, "walk of a corrupted blob: %s (node %d)", what, node);
    }
}

/* Copy into an exact-size buffer, init, walk if accepted. 1 when accepted. */
static int try_blob(const uint8_t *data, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    struct fdt f;
    struct fdt_walk_stats st;
    int accepted = 0;

    memcpy(copy, data, len);
    if (fdt_init(&f, copy, len) == 0) {
        accepted = 1;
        (void)fdt_walk_all(&f, robust_fail, &st);
    }
    free(copy);
    return accepted;
}

TEST(robust_truncation)
{
    struct fdt f;
    uint8_t *copy;
    int accepted = 0;

    REQUIRE(acc_init(&f));
    copy = malloc(acc_size);
    robust_failures = 0;
    for (size_t len = 0; len < acc_size; len++) {
        /* The buffer is short: totalsize no longer fits. */
        CHECK_EQ(try_blob(acc_blob, len), 0);
        /* The header agrees with the short length: blocks now end outside, or the structure
         * loses its end. */
        if (len >= 8) {
            memcpy(copy, acc_blob, len);
            put32(copy + H_TOTALSIZE, (uint32_t)len);
            accepted += try_blob(copy, len);
        }
    }
    CHECK_EQ(accepted, 0);
    free(copy);
}

TEST(robust_byte_flips)
{
    static const uint8_t masks[] = {0x01, 0x80, 0xff};
    struct fdt f;
    uint8_t *copy;
    unsigned int accepted = 0, total = 0;

    REQUIRE(acc_init(&f));
    copy = malloc(acc_size);
    robust_failures = 0;
    for (size_t i = 0; i < acc_size; i++) {
        for (size_t m = 0; m < ARRAY_SIZE(masks); m++) {
            memcpy(copy, acc_blob, acc_size);
            copy[i] ^= masks[m];
            accepted += (unsigned int)try_blob(copy, acc_size);
            total++;
        }
    }
    /* Flips inside property values and names are accepted; header and token flips mostly
     * not. Both kinds must occur or the loop proves nothing. */
    CHECK(accepted > total / 10);
    CHECK(accepted < total);
    CHECK_EQ(robust_failures, 0);
    free(copy);
}

TEST(robust_word_overwrites)
{
    /* Replace each aligned word with values that make tokens, lengths and offsets hostile. */
    static const uint32_t words[] = {1, 2, 3, 9, 0xfffffffc};
    struct fdt f;
    uint8_t *copy;

    REQUIRE(acc_init(&f));
    copy = malloc(acc_size);
    robust_failures = 0;
    for (size_t i = 0; i + 4 <= acc_size; i += 4) {
        for (size_t w = 0; w < ARRAY_SIZE(words); w++) {
            memcpy(copy, acc_blob, acc_size);
            put32(copy + i, words[w]);
            (void)try_blob(copy, acc_size);
        }
    }
    CHECK_EQ(robust_failures, 0);
    free(copy);
}

static void quiet_fail(const char *what, int node)
{
    (void)what;
    (void)node;
}

/* Accessors stay inside the blob even when it changes after fdt_init(). */
TEST(robust_blob_modified_after_init)
{
    struct fdt f;
    uint8_t *copy;
    struct fdt_walk_stats st;

    REQUIRE(acc_init(&f));
    copy = malloc(acc_size);
    for (size_t i = f.struct_off; i + 4 <= f.struct_off + f.struct_size; i += 4) {
        memcpy(copy, acc_blob, acc_size);
        REQUIRE(fdt_init(&f, copy, acc_size) == 0);
        put32(copy + i, 0x7ffffff0);
        /* Inconsistencies are expected here; reads outside the blob (ASan) are not. */
        (void)fdt_walk_all(&f, quiet_fail, &st);
    }
    free(copy);
}
