// SPDX-License-Identifier: Apache-2.0
/*
 * Flattened device tree reader. Layout per the Devicetree Specification v0.4 ch. 5: a 40-byte
 * big-endian header, a memory reservation block of (address, size) pairs ending in a zero
 * pair, a structure block of 4-byte-aligned tokens, and a strings block of NUL-terminated
 * property names.
 *
 * fdt_init() walks the structure block once and rejects anything malformed (tokens outside
 * the block, unterminated names, properties whose name offset leaves the strings block,
 * unbalanced nodes, trailing data after FDT_END). The accessors then rely on that shape but
 * still bound every read by the block size, so a blob modified after fdt_init() cannot make
 * them read outside it.
 */
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/string.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_HEADER_V16 36u /* header size up to and including size_dt_strings */
#define FDT_HEADER_V17 40u

/* Structure block tokens, spec 5.4.1. */
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

#define FDT_TOKEN_SIZE 4u

uint32_t fdt_be32(const void *p)
{
    const uint8_t *b = p;

    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_read_cells(const void *data, unsigned int cells)
{
    const uint8_t *b = data;
    uint64_t v = 0;

    for (unsigned int i = 0; i < cells; i++) {
        v = v << 32 | fdt_be32(b + 4 * i);
    }
    return v;
}

/* Bytes left in the structure block from offset off (0 if off is past the end). */
static uint32_t struct_left(const struct fdt *fdt, uint32_t off)
{
    return off < fdt->struct_size ? fdt->struct_size - off : 0;
}

static const uint8_t *struct_ptr(const struct fdt *fdt, uint32_t off)
{
    return fdt->base + fdt->struct_off + off;
}

/* The token at off, or FDT_END (with *ok false) when off is out of the block. */
static uint32_t token_at(const struct fdt *fdt, uint32_t off, bool *ok)
{
    if ((off & (FDT_TOKEN_SIZE - 1)) != 0 || struct_left(fdt, off) < FDT_TOKEN_SIZE) {
        *ok = false;
        return FDT_END;
    }
    *ok = true;
    return fdt_be32(struct_ptr(fdt, off));
}

/*
 * Decode the token at off: its type, and the offset of the token after it. For a property,
 * fills prop (when non-NULL). Returns 0 or -EINVAL when the token does not fit the block.
 */
static int next_token(const struct fdt *fdt, uint32_t off, uint32_t *tag, uint32_t *next,
                      struct fdt_prop *prop)
{
    bool ok;
    uint32_t t = token_at(fdt, off, &ok);
    uint32_t body = off + FDT_TOKEN_SIZE;

    if (!ok) {
        return -EINVAL;
    }
    *tag = t;
    switch (t) {
    case FDT_BEGIN_NODE: {
        uint32_t left = struct_left(fdt, body);
        size_t n = strnlen((const char *)struct_ptr(fdt, body), left);

        if (n == left) {
            return -EINVAL; /* name not terminated inside the block */
        }
        *next = ALIGN_UP(body + (uint32_t)n + 1, FDT_TOKEN_SIZE);
        break;
    }
    case FDT_PROP: {
        uint32_t len, nameoff;

        if (struct_left(fdt, body) < 2 * FDT_TOKEN_SIZE) {
            return -EINVAL;
        }
        len = fdt_be32(struct_ptr(fdt, body));
        nameoff = fdt_be32(struct_ptr(fdt, body + 4));
        if (len > struct_left(fdt, body + 8)) {
            return -EINVAL;
        }
        if (nameoff >= fdt->strings_size) {
            return -EINVAL;
        }
        {
            const char *name = (const char *)fdt->base + fdt->strings_off + nameoff;
            uint32_t avail = fdt->strings_size - nameoff;

            if (strnlen(name, avail) == avail) {
                return -EINVAL; /* name runs off the strings block */
            }
            if (prop != NULL) {
                prop->name = name;
                prop->data = struct_ptr(fdt, body + 8);
                prop->len = len;
                prop->offset = (int)off;
            }
        }
        *next = ALIGN_UP(body + 8 + len, FDT_TOKEN_SIZE);
        break;
    }
    case FDT_END_NODE:
    case FDT_NOP:
    case FDT_END:
        *next = body;
        break;
    default:
        return -EINVAL;
    }
    /* ALIGN_UP can pass the end only through padding, which must also be inside. */
    if (*next > fdt->struct_size) {
        return -EINVAL;
    }
    return 0;
}

/* Walk the whole structure block: balanced nodes, one root, FDT_END last. */
static int check_structure(const struct fdt *fdt)
{
    uint32_t off = 0, tag, next;
    int depth = 0;
    bool seen_root = false;

    for (;;) {
        if (next_token(fdt, off, &tag, &next, NULL) != 0) {
            return -EINVAL;
        }
        switch (tag) {
        case FDT_BEGIN_NODE:
            if (depth == 0) {
                if (seen_root) {
                    return -EINVAL; /* a second top-level node */
                }
                seen_root = true;
            }
            if (++depth > FDT_MAX_DEPTH) {
                return -EINVAL;
            }
            break;
        case FDT_END_NODE:
            if (depth-- == 0) {
                return -EINVAL;
            }
            break;
        case FDT_PROP:
            if (depth == 0) {
                return -EINVAL; /* property outside any node */
            }
            break;
        case FDT_NOP:
            break;
        case FDT_END:
            if (depth != 0 || !seen_root) {
                return -EINVAL;
            }
            /* Nothing but padding may follow FDT_END; be strict: nothing at all. */
            return next == fdt->struct_size ? 0 : -EINVAL;
        default:
            return -EINVAL;
        }
        off = next;
    }
}

/* Is [off, off + len) inside [0, total)? Checked without overflow. */
static bool range_ok(uint32_t off, uint32_t len, uint32_t total)
{
    return off <= total && len <= total - off;
}

int fdt_init(struct fdt *fdt, const void *blob, size_t avail)
{
    const uint8_t *h = blob;
    uint32_t total, last_comp;

    memset(fdt, 0, sizeof(*fdt));
    if (blob == NULL || avail < FDT_HEADER_V16) {
        return -EINVAL;
    }
    if (fdt_be32(h) != FDT_MAGIC) {
        return -EINVAL;
    }
    total = fdt_be32(h + 4);
    fdt->version = fdt_be32(h + 20);
    last_comp = fdt_be32(h + 24);
    /* Versions 16 and 17 are the ones in use; 17 is backwards compatible with 16. */
    if (fdt->version < 16 || last_comp > 17) {
        return -EINVAL;
    }
    if (total > avail || total < (fdt->version >= 17 ? FDT_HEADER_V17 : FDT_HEADER_V16)) {
        return -EINVAL;
    }
    fdt->base = h;
    fdt->size = total;
    fdt->struct_off = fdt_be32(h + 8);
    fdt->strings_off = fdt_be32(h + 12);
    fdt->rsvmap_off = fdt_be32(h + 16);
    fdt->strings_size = fdt_be32(h + 32);
    if (fdt->version >= 17) {
        fdt->struct_size = fdt_be32(h + 36);
    } else {
        if (fdt->struct_off > total) {
            return -EINVAL;
        }
        fdt->struct_size = total - fdt->struct_off;
    }
    /* Spec 5.1: the structure block is 4-byte aligned, the reservation block 8-byte aligned. */
    if (!IS_ALIGNED(fdt->struct_off, 4u) || !IS_ALIGNED(fdt->rsvmap_off, 8u) ||
        !IS_ALIGNED(fdt->struct_size, 4u)) {
        return -EINVAL;
    }
    if (!range_ok(fdt->struct_off, fdt->struct_size, total) ||
        !range_ok(fdt->strings_off, fdt->strings_size, total) ||
        !range_ok(fdt->rsvmap_off, 16, total)) {
        return -EINVAL;
    }
    /* The reservation block must be terminated inside the blob. */
    for (uint32_t off = fdt->rsvmap_off;; off += 16) {
        if (!range_ok(off, 16, total)) {
            return -EINVAL;
        }
        if (fdt_read_cells(h + off, 2) == 0 && fdt_read_cells(h + off + 8, 2) == 0) {
            break;
        }
    }
    if (check_structure(fdt) != 0) {
        fdt->base = NULL;
        return -EINVAL;
    }
    return 0;
}

int fdt_rsvmap(const struct fdt *fdt, unsigned int idx, uint64_t *addr, uint64_t *size)
{
    for (uint32_t i = 0, off = fdt->rsvmap_off;; i++, off += 16) {
        uint64_t a, s;

        if (!range_ok(off, 16, fdt->size)) {
            return -EINVAL;
        }
        a = fdt_read_cells(fdt->base + off, 2);
        s = fdt_read_cells(fdt->base + off + 8, 2);
        if (a == 0 && s == 0) {
            return -ENOENT;
        }
        if (i == idx) {
            *addr = a;
            *size = s;
            return 0;
        }
    }
}

/* Skip NOPs from off; the offset of the next significant token, or -EINVAL. */
static int skip_nops(const struct fdt *fdt, uint32_t off, uint32_t *tag)
{
    uint32_t next;

    for (;;) {
        if (next_token(fdt, off, tag, &next, NULL) != 0) {
            return -EINVAL;
        }
        if (*tag != FDT_NOP) {
            return (int)off;
        }
        off = next;
    }
}

int fdt_root(const struct fdt *fdt)
{
    uint32_t tag;
    int off = skip_nops(fdt, 0, &tag);

    if (off < 0 || tag != FDT_BEGIN_NODE) {
        return -EINVAL;
    }
    return off;
}

/* Offset of the first token after node's properties (its first child or its END_NODE). */
static int node_body_end(const struct fdt *fdt, int node, uint32_t *tag)
{
    uint32_t t, next;
    uint32_t off;

    if (node < 0 || next_token(fdt, (uint32_t)node, &t, &next, NULL) != 0 || t != FDT_BEGIN_NODE) {
        return -EINVAL;
    }
    off = next;
    for (;;) {
        if (next_token(fdt, off, &t, &next, NULL) != 0) {
            return -EINVAL;
        }
        if (t != FDT_PROP && t != FDT_NOP) {
            *tag = t;
            return (int)off;
        }
        off = next;
    }
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
    uint32_t tag, next, off;

    if (node < 0 || next_token(fdt, (uint32_t)node, &tag, &next, NULL) != 0 ||
        tag != FDT_BEGIN_NODE) {
        return -EINVAL;
    }
    off = next;
    for (;;) {
        if (next_token(fdt, off, &tag, &next, NULL) != 0) {
            return -EINVAL;
        }
        switch (tag) {
        case FDT_BEGIN_NODE:
            (*depth)++;
            return (int)off;
        case FDT_END_NODE:
            (*depth)--;
            break;
        case FDT_END:
            return -ENOENT;
        default:
            break;
        }
        off = next;
    }
}

int fdt_first_child(const struct fdt *fdt, int node)
{
    uint32_t tag;
    int off = node_body_end(fdt, node, &tag);

    if (off < 0) {
        return off;
    }
    return tag == FDT_BEGIN_NODE ? off : -ENOENT;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
    int depth = 0;
    int off = node;

    for (;;) {
        off = fdt_next_node(fdt, off, &depth);
        if (off < 0) {
            return off;
        }
        if (depth < 0) {
            return -ENOENT; /* left the parent: there is no next sibling */
        }
        if (depth == 0) {
            return off;
        }
    }
}

int fdt_parent(const struct fdt *fdt, int node)
{
    int stack[FDT_MAX_DEPTH + 1];
    int depth = 0;
    int off = fdt_root(fdt);

    if (off < 0 || node < 0) {
        return -EINVAL;
    }
    if (off == node) {
        return -ENOENT;
    }
    stack[0] = off;
    for (;;) {
        off = fdt_next_node(fdt, off, &depth);
        if (off < 0) {
            return off == -ENOENT ? -EINVAL : off; /* node is not a node offset */
        }
        if (depth <= 0 || depth > FDT_MAX_DEPTH) {
            return -EINVAL;
        }
        stack[depth] = off;
        if (off == node) {
            return stack[depth - 1];
        }
    }
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
    uint32_t tag, next;

    if (node < 0 || next_token(fdt, (uint32_t)node, &tag, &next, NULL) != 0 ||
        tag != FDT_BEGIN_NODE) {
        return NULL;
    }
    return (const char *)struct_ptr(fdt, (uint32_t)node + FDT_TOKEN_SIZE);
}

static bool contains_char(const char *s, char c, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == c) {
            return true;
        }
    }
    return false;
}

int fdt_subnode(const struct fdt *fdt, int parent, const char *name, size_t len)
{
    int found = -ENOENT;
    bool has_unit = contains_char(name, '@', len);

    for (int c = fdt_first_child(fdt, parent); c >= 0; c = fdt_next_sibling(fdt, c)) {
        const char *n = fdt_node_name(fdt, c);

        if (n == NULL) {
            return -EINVAL;
        }
        if (strncmp(n, name, len) != 0) {
            continue;
        }
        if (n[len] == '\0') {
            return c; /* exact match wins */
        }
        if (!has_unit && n[len] == '@') {
            if (found >= 0) {
                return -ENOENT; /* ambiguous without a unit address */
            }
            found = c;
        }
    }
    return found;
}

int fdt_path(const struct fdt *fdt, const char *path)
{
    int node = fdt_root(fdt);

    if (path == NULL || path[0] != '/') {
        return -EINVAL;
    }
    while (node >= 0) {
        size_t len;

        while (*path == '/') {
            path++;
        }
        if (*path == '\0') {
            return node;
        }
        for (len = 0; path[len] != '\0' && path[len] != '/'; len++) {
        }
        node = fdt_subnode(fdt, node, path, len);
        path += len;
    }
    return node;
}

int fdt_node_path(const struct fdt *fdt, int node, char *buf, size_t size)
{
    int chain[FDT_MAX_DEPTH + 1];
    int n = 0;
    size_t pos = 0;
    bool fits = true;

    if (size == 0) {
        return -ENAMETOOLONG;
    }
    buf[0] = '\0';
    /* Collect the ancestors, then print root-first. */
    for (int cur = node; cur >= 0; cur = fdt_parent(fdt, cur)) {
        if (n > FDT_MAX_DEPTH) {
            return -EINVAL;
        }
        chain[n++] = cur;
    }
    if (n == 0) {
        return -EINVAL;
    }
    if (n == 1) {
        if (size < 2) {
            return -ENAMETOOLONG;
        }
        buf[0] = '/';
        buf[1] = '\0';
        return 0;
    }
    for (int i = n - 2; i >= 0; i--) {
        const char *name = fdt_node_name(fdt, chain[i]);
        size_t len;

        if (name == NULL) {
            return -EINVAL;
        }
        len = strlen(name);
        if (pos + 1 + len + 1 > size) {
            fits = false;
            break;
        }
        buf[pos++] = '/';
        memcpy(buf + pos, name, len);
        pos += len;
        buf[pos] = '\0';
    }
    return fits ? 0 : -ENAMETOOLONG;
}

/* The property token at or after off among node's properties; -ENOENT at its end. */
static int prop_from(const struct fdt *fdt, uint32_t off, struct fdt_prop *prop)
{
    for (;;) {
        uint32_t tag, next;

        if (next_token(fdt, off, &tag, &next, prop) != 0) {
            return -EINVAL;
        }
        if (tag == FDT_PROP) {
            return 0;
        }
        if (tag != FDT_NOP) {
            return -ENOENT;
        }
        off = next;
    }
}

int fdt_first_prop(const struct fdt *fdt, int node, struct fdt_prop *prop)
{
    uint32_t tag, next;

    if (node < 0 || next_token(fdt, (uint32_t)node, &tag, &next, NULL) != 0 ||
        tag != FDT_BEGIN_NODE) {
        return -EINVAL;
    }
    return prop_from(fdt, next, prop);
}

int fdt_next_prop(const struct fdt *fdt, struct fdt_prop *prop)
{
    uint32_t tag, next;

    if (prop->offset < 0 || next_token(fdt, (uint32_t)prop->offset, &tag, &next, NULL) != 0 ||
        tag != FDT_PROP) {
        return -EINVAL;
    }
    return prop_from(fdt, next, prop);
}

int fdt_prop(const struct fdt *fdt, int node, const char *name, struct fdt_prop *prop)
{
    int err;

    for (err = fdt_first_prop(fdt, node, prop); err == 0; err = fdt_next_prop(fdt, prop)) {
        if (strcmp(prop->name, name) == 0) {
            return 0;
        }
    }
    return err;
}

int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *val)
{
    struct fdt_prop p;
    int err = fdt_prop(fdt, node, name, &p);

    if (err != 0) {
        return err;
    }
    if (p.len != 4) {
        return -EINVAL;
    }
    *val = fdt_be32(p.data);
    return 0;
}

int fdt_prop_string(const struct fdt *fdt, int node, const char *name, const char **str)
{
    struct fdt_prop p;
    int err = fdt_prop(fdt, node, name, &p);

    if (err != 0) {
        return err;
    }
    if (p.len < 2 || ((const char *)p.data)[p.len - 1] != '\0' ||
        ((const char *)p.data)[0] == '\0') {
        return -EINVAL;
    }
    *str = p.data;
    return 0;
}

int fdt_stringlist_count(const struct fdt_prop *prop)
{
    const char *s = prop->data;
    int n = 0;

    if (prop->len == 0 || s[prop->len - 1] != '\0') {
        return -EINVAL;
    }
    for (uint32_t i = 0; i < prop->len; i++) {
        if (s[i] == '\0') {
            n++;
        }
    }
    return n;
}

bool fdt_stringlist_contains(const struct fdt_prop *prop, const char *str)
{
    const char *s = prop->data;
    size_t want = strlen(str);
    uint32_t i = 0;

    if (prop->len == 0 || s[prop->len - 1] != '\0') {
        return false;
    }
    while (i < prop->len) {
        size_t len = strnlen(s + i, prop->len - i);

        if (len == want && memcmp(s + i, str, len) == 0) {
            return true;
        }
        i += (uint32_t)len + 1;
    }
    return false;
}

bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
    struct fdt_prop p;

    return fdt_prop(fdt, node, "compatible", &p) == 0 && fdt_stringlist_contains(&p, compat);
}

int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat)
{
    int depth = 0;
    int node = from < 0 ? fdt_root(fdt) : fdt_next_node(fdt, from, &depth);

    for (; node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        if (fdt_is_compatible(fdt, node, compat)) {
            return node;
        }
    }
    return node;
}

int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle)
{
    int depth = 0;

    /* 0 and 0xffffffff are never valid phandles (spec 2.3.3). */
    if (phandle == 0 || phandle == UINT32_MAX) {
        return -ENOENT;
    }
    for (int node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        uint32_t v;

        if (fdt_prop_u32(fdt, node, "phandle", &v) == 0 ||
            fdt_prop_u32(fdt, node, "linux,phandle", &v) == 0) {
            if (v == phandle) {
                return node;
            }
        }
    }
    return -ENOENT;
}

static int cells_prop(const struct fdt *fdt, int node, const char *name, int dflt)
{
    uint32_t v;
    int err = fdt_prop_u32(fdt, node, name, &v);

    if (err == -ENOENT) {
        return dflt;
    }
    if (err != 0 || v > 4) {
        return -EINVAL;
    }
    return (int)v;
}

int fdt_address_cells(const struct fdt *fdt, int node)
{
    return cells_prop(fdt, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *fdt, int node)
{
    return cells_prop(fdt, node, "#size-cells", 1);
}

/* Decode a value of cells cells (at most 4) into 64 bits; -EOVERFLOW if it does not fit. */
static int read_wide(const uint8_t *data, int cells, uint64_t *out)
{
    for (int i = 0; i < cells - 2; i++) {
        if (fdt_be32(data + 4 * i) != 0) {
            return -EOVERFLOW;
        }
    }
    if (cells > 2) {
        data += 4 * (cells - 2);
        cells = 2;
    }
    *out = fdt_read_cells(data, (unsigned int)cells);
    return 0;
}

int fdt_reg_count(const struct fdt *fdt, int node)
{
    struct fdt_prop p;
    int parent = fdt_parent(fdt, node);
    int ac, sc, err;

    if (parent < 0) {
        return -EINVAL; /* the root has no reg */
    }
    ac = fdt_address_cells(fdt, parent);
    sc = fdt_size_cells(fdt, parent);
    if (ac < 0 || sc < 0) {
        return -EINVAL;
    }
    err = fdt_prop(fdt, node, "reg", &p);
    if (err == -ENOENT) {
        return 0;
    }
    if (err != 0) {
        return err;
    }
    if (ac + sc == 0 || p.len % (uint32_t)(4 * (ac + sc)) != 0) {
        return -EINVAL;
    }
    return (int)(p.len / (uint32_t)(4 * (ac + sc)));
}

int fdt_reg(const struct fdt *fdt, int node, unsigned int idx, uint64_t *addr, uint64_t *size)
{
    struct fdt_prop p;
    int parent = fdt_parent(fdt, node);
    int count = fdt_reg_count(fdt, node);
    int ac, sc, err;
    const uint8_t *e;

    if (count < 0) {
        return count;
    }
    if (idx >= (unsigned int)count) {
        return -ENOENT;
    }
    ac = fdt_address_cells(fdt, parent);
    sc = fdt_size_cells(fdt, parent);
    err = fdt_prop(fdt, node, "reg", &p);
    if (err != 0) {
        return err;
    }
    e = (const uint8_t *)p.data + (size_t)idx * 4u * (unsigned int)(ac + sc);
    err = read_wide(e, ac, addr);
    if (err == 0) {
        err = read_wide(e + 4 * ac, sc, size);
    }
    return err;
}
