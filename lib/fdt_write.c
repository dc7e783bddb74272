// SPDX-License-Identifier: Apache-2.0
/*
 * FDT writer. Output layout (Devicetree Specification v0.4, 5.1): the 40-byte header, an empty
 * memory reservation block (one zero pair, 8-byte aligned), the structure block, the strings
 * block. All numbers big-endian.
 */
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/fdt_write.h>
#include <hv/string.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_HEADER_SIZE 40u
#define FDT_RSVMAP_SIZE 16u /* the terminating (0, 0) pair */
#define FDT_VERSION 17u
#define FDT_LAST_COMP_VERSION 16u

/* Structure block tokens, spec 5.4.1. */
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_END 9u

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Record err unless ok. Errors are sticky: an earlier one stands. */
static void check(struct fdt_writer *w, bool ok, int err)
{
    if (w->err == 0 && !ok) {
        w->err = err;
    }
}

/* Append token and n more bytes (zero-padded to 4) to the structure block: the n bytes, which the
 * caller writes, or NULL on an error (sticky). */
static uint8_t *put_token(struct fdt_writer *w, uint32_t token, size_t n)
{
    size_t padded = ALIGN_UP(4 + n, (size_t)4);
    uint8_t *p = w->buf + w->pos;

    check(w, padded <= w->size - w->pos, -ENOSPC);
    if (w->err != 0) {
        return NULL;
    }
    for (size_t i = 4 + n; i < padded; i++) {
        p[i] = 0;
    }
    put_be32(p, token);
    w->pos += padded;
    return p + 4;
}

/* Offset of name in the strings block, adding it if new; -ENOSPC when the table is full. */
static int string_offset(struct fdt_writer *w, const char *name)
{
    unsigned int h = fdt_name_hash(name);
    size_t len;
    uint32_t off = w->strings_len;

    /* Only the names of the same hash, newest first (a chain through next[]). */
    for (unsigned int i = w->head[h]; i != 0; i = w->next[i - 1]) {
        const char *s = w->strings + w->name_off[i - 1];

        if (s[0] == name[0] && strcmp(s, name) == 0) {
            return w->name_off[i - 1];
        }
    }
    len = strlen(name);
    if (len + 1 > sizeof(w->strings) - off || w->nr_names == ARRAY_SIZE(w->name_off)) {
        return -ENOSPC;
    }
    memcpy(w->strings + off, name, len + 1);
    w->strings_len += (uint32_t)len + 1;
    w->next[w->nr_names] = w->head[h];
    w->name_off[w->nr_names++] = (uint16_t)off;
    w->head[h] = (uint8_t)w->nr_names;
    return (int)off;
}

int fdt_write_init(struct fdt_writer *w, void *buf, size_t size)
{
    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->size = size;
    if (size < FDT_HEADER_SIZE + FDT_RSVMAP_SIZE || size > UINT32_MAX) {
        w->err = size < FDT_HEADER_SIZE + FDT_RSVMAP_SIZE ? -ENOSPC : -EINVAL;
        return w->err;
    }
    memset(buf, 0, FDT_HEADER_SIZE + FDT_RSVMAP_SIZE);
    w->pos = FDT_HEADER_SIZE + FDT_RSVMAP_SIZE;
    return 0;
}

int fdt_write_begin_node(struct fdt_writer *w, const char *name)
{
    size_t len = strlen(name);
    uint8_t *p;

    /* The root, and only the root, has the empty name; nothing follows the root. */
    check(w, (w->depth == 0) == (len == 0) && w->depth >= 0 && w->depth < FDT_MAX_DEPTH, -EINVAL);
    p = put_token(w, FDT_BEGIN_NODE, len + 1);
    if (p == NULL) {
        return w->err;
    }
    memcpy(p, name, len + 1);
    w->depth++;
    return 0;
}

int fdt_write_end_node(struct fdt_writer *w)
{
    check(w, w->depth > 0, -EINVAL);
    if (put_token(w, FDT_END_NODE, 0) == NULL) {
        return w->err;
    }
    w->depth = w->depth == 1 ? -1 : w->depth - 1; /* -1: the root is closed, finish follows */
    return 0;
}

/* Open a property of len value bytes: its header is written, the value area returned (NULL on
 * an error: outside a node, or a length the 32-bit fields cannot state). */
static uint8_t *prop_begin(struct fdt_writer *w, const char *name, size_t len)
{
    int nameoff;
    uint8_t *p;

    check(w, w->depth > 0 && len <= UINT32_MAX - 12, -EINVAL); /* inside an open node */
    nameoff = w->err == 0 ? string_offset(w, name) : 0;
    check(w, nameoff >= 0, nameoff); /* -ENOSPC: the names table is full */
    p = put_token(w, FDT_PROP, 8 + len);
    if (p == NULL) {
        return NULL;
    }
    put_be32(p, (uint32_t)len);
    put_be32(p + 4, (uint32_t)nameoff);
    return p + 8;
}

int fdt_write_prop(struct fdt_writer *w, const char *name, const void *data, uint32_t len)
{
    uint8_t *p = prop_begin(w, name, len);

    if (p == NULL) {
        return w->err;
    }
    if (len != 0) {
        memcpy(p, data, len);
    }
    return 0;
}

int fdt_write_prop_u32(struct fdt_writer *w, const char *name, uint32_t val)
{
    return fdt_write_prop_cells(w, name, &val, 1);
}

int fdt_write_prop_u64(struct fdt_writer *w, const char *name, uint64_t val)
{
    const uint32_t cells[2] = {(uint32_t)(val >> 32), (uint32_t)val};

    return fdt_write_prop_cells(w, name, cells, 2);
}

int fdt_write_prop_string(struct fdt_writer *w, const char *name, const char *str)
{
    return fdt_write_prop(w, name, str, (uint32_t)strlen(str) + 1);
}

int fdt_write_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells,
                         unsigned int n)
{
    /* Written in place rather than through a bounce buffer, so n is unbounded by the stack. */
    uint8_t *p = prop_begin(w, name, 4 * (size_t)n);

    if (p == NULL) {
        return w->err;
    }
    for (unsigned int i = 0; i < n; i++) {
        put_be32(p + 4 * i, cells[i]);
    }
    return 0;
}

int fdt_write_finish(struct fdt_writer *w)
{
    uint32_t struct_off = FDT_HEADER_SIZE + FDT_RSVMAP_SIZE;
    uint32_t struct_size, strings_off;

    check(w, w->depth == -1, -EINVAL); /* else no root, or a node left open */
    if (put_token(w, FDT_END, 0) == NULL) {
        return w->err;
    }
    if (w->strings_len > w->size - w->pos) {
        w->err = -ENOSPC;
        return w->err;
    }
    struct_size = (uint32_t)w->pos - struct_off;
    strings_off = (uint32_t)w->pos;
    memcpy(w->buf + w->pos, w->strings, w->strings_len);
    w->pos += w->strings_len;

    /* The header fields in order (spec 5.2); the reservation block right after the header,
     * boot_cpuid_phys 0. */
    const uint32_t hdr[FDT_HEADER_SIZE / 4] = {
        FDT_MAGIC,   (uint32_t)w->pos,      struct_off, strings_off,    FDT_HEADER_SIZE,
        FDT_VERSION, FDT_LAST_COMP_VERSION, 0,          w->strings_len, struct_size};

    for (unsigned int i = 0; i < ARRAY_SIZE(hdr); i++) {
        put_be32(w->buf + 4 * i, hdr[i]);
    }
    w->err = -EINVAL; /* finished: further writes are errors */
    return (int)w->pos;
}
