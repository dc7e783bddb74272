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

/* A big-endian word at p, which is 4-byte aligned when aligned is true (a constant where the
 * caller's loop is specialised for an aligned blob). */
static inline __attribute__((always_inline)) uint32_t be32(const uint8_t *b, bool aligned)
{
    /* Tokens and cells are 4-byte aligned in an aligned blob: one load then (the hypervisor
     * builds with -mstrict-align, so a plain byte-wise read would be four). */
    if (aligned) {
        uint32_t v;

        __builtin_memcpy(&v, __builtin_assume_aligned(b, 4), 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        v = __builtin_bswap32(v);
#endif
        return v;
    }
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint32_t fdt_be32(const void *p)
{
    return be32(p, ((uintptr_t)p & 3) == 0);
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

static const uint8_t *struct_ptr(const struct fdt *fdt, uint32_t off)
{
    return fdt->base + fdt->struct_off + off;
}

/*
 * Decode the token at off: its type, and the offset of the token after it. Returns 0 or
 * -EINVAL when the token does not fit the block.
 * The block size is a multiple of 4 (fdt_init()), so a token that fits also has its padding
 * inside.
 */
static inline __attribute__((always_inline)) int
token_decode(const struct fdt *fdt, uint32_t off, uint32_t *tag, uint32_t *next, bool aligned)
{
    uint32_t left = off < fdt->struct_size ? fdt->struct_size - off : 0;
    const uint8_t *p;
    uint32_t len, nameoff;

    if ((off & (FDT_TOKEN_SIZE - 1)) != 0 || left < FDT_TOKEN_SIZE) {
        return -EINVAL;
    }
    p = struct_ptr(fdt, off);
    *tag = be32(p, aligned);
    switch (*tag) {
    case FDT_BEGIN_NODE:
        /* The name and its padding end with the first 4-byte word that has a zero byte. */
        for (uint32_t at = off + FDT_TOKEN_SIZE; at < off + left; at += FDT_TOKEN_SIZE) {
            uint32_t w = be32(struct_ptr(fdt, at), aligned);

            if (((w - 0x01010101u) & ~w & 0x80808080u) != 0) {
                *next = at + FDT_TOKEN_SIZE;
                return 0;
            }
        }
        return -EINVAL; /* not terminated inside the block */
    case FDT_PROP:
        if (left < 3 * FDT_TOKEN_SIZE) {
            return -EINVAL;
        }
        len = be32(p + 4, aligned);
        nameoff = be32(p + 8, aligned);
        if (len > left - 3 * FDT_TOKEN_SIZE || nameoff >= fdt->strings_size) {
            return -EINVAL;
        }
        *next = ALIGN_UP(off + 3 * FDT_TOKEN_SIZE + len, FDT_TOKEN_SIZE);
        return 0;
    case FDT_END_NODE:
    case FDT_NOP:
    case FDT_END:
        *next = off + FDT_TOKEN_SIZE;
        return 0;
    default:
        return -EINVAL;
    }
}

static int next_token(const struct fdt *fdt, uint32_t off, uint32_t *tag, uint32_t *next)
{
    /* Two copies: one with single-load token reads for an aligned blob. */
    return ((uintptr_t)struct_ptr(fdt, 0) & 3) == 0 ? token_decode(fdt, off, tag, next, true)
                                                    : token_decode(fdt, off, tag, next, false);
}

/*
 * Spec 5.4.1: the root node's name is empty. Spec 2.2.1 allows only [0-9a-zA-Z,._+-@] in
 * other names; this reader only insists on what paths need: a non-empty name without '/'.
 * A name with '/' would make a path mean two different nodes (libfdt's fdt_get_path()
 * prints a wrong path for it) and an empty one makes a path ("/a/") that leads to its parent.
 */
static bool node_name_ok(const char *name, int depth)
{
    return depth == 0 ? name[0] == '\0' : name[0] != '\0' && strchr(name, '/') == NULL;
}

/*
 * The bit of string s, of at most len bytes, in fdt_index_entry.compat_bits, from all its
 * characters (FNV-1a); *used: its bytes with the NUL. Compatible strings share long prefixes
 * ("arm,"), so the first characters alone would not tell them apart.
 */
static uint32_t compat_bit(const char *s, size_t len, size_t *used)
{
    uint32_t h = 2166136261u;
    size_t i = 0;

    for (; i < len && s[i] != '\0'; i++) {
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    }
    *used = i + 1;
    return 1u << (h >> 27);
}

/*
 * What a property (name, len, data) tells the index about its node e; seen: the names
 * met so far in e (bits), since the first of each name decides, as fdt_prop() finds the first.
 */
static void index_prop(struct fdt_index_entry *e, unsigned int *seen, const char *name,
                       uint32_t len, const uint8_t *data)
{
    static const char *const names[] = {"phandle", "linux,phandle", "#address-cells", "#size-cells",
                                        "compatible"};
    /* The names' hash bits (constants): most properties have none of them. */
    const uint32_t known = 1u << fdt_name_hash("phandle") | 1u << fdt_name_hash("linux,phandle") |
                           1u << fdt_name_hash("#address-cells") |
                           1u << fdt_name_hash("#size-cells") | 1u << fdt_name_hash("compatible");
    uint32_t bit = 1u << fdt_name_hash(name), v;
    unsigned int i = 0;

    e->names |= bit;
    if ((known & bit) == 0) {
        return;
    }
    v = len == 4 ? fdt_be32(data) : UINT32_MAX;
    while (i < ARRAY_SIZE(names) && (name[0] != names[i][0] || strcmp(name, names[i]) != 0)) {
        i++;
    }
    if (i == ARRAY_SIZE(names) || (*seen & 1u << i) != 0) {
        return;
    }
    *seen |= 1u << i;
    if (i == 4) {
        /* Every string of the list (a last one without NUL too: a superset is harmless). */
        for (size_t at = 0, used; at < len; at += used) {
            e->compat_bits |= compat_bit((const char *)data + at, len - at, &used);
        }
    } else if (i >= 2) { /* cells_prop(): one cell, at most 4 */
        *(i == 2 ? &e->address_cells : &e->size_cells) = v > 4 ? -EINVAL : (int8_t)v;
    } else if (len == 4 && (i == 0 || (*seen & 1u << 8) == 0)) {
        e->phandle = v; /* "phandle" when one cell, else "linux,phandle" */
        *seen |= i == 0 ? 1u << 8 : 0;
    }
}

/* The bucket of a node offset, in [0, FDT_INDEX_BUCKETS): its share of the structure block. */
static uint32_t index_bucket(const struct fdt *fdt, uint32_t node)
{
    return (uint32_t)((uint64_t)node * FDT_INDEX_BUCKETS / fdt->struct_size);
}

/* The index check_structure() records: cap entries at buf (none when cap is 0), n so far. */
struct index_build {
    struct fdt_index_entry *buf;
    size_t cap, n;
    unsigned int seen; /* index_prop() of the last node */
};

/*
 * Walk the whole structure block: balanced nodes, one root, node names fit for paths, properties
 * before subnodes, FDT_END right after the root's FDT_END_NODE. Returns the offset just past
 * FDT_END, or -EINVAL. A version 17 header states the block size and FDT_END must end the block
 * exactly; a version 16 header does not, and the walk itself finds the end.
 *
 * Stricter than the spec's letter where two readers could otherwise see different trees:
 * - Spec 5.4.2 wants a node's properties before its subnodes. A property after a subnode
 *   would be invisible to property iteration here and in libfdt alike (both stop at the
 *   first child) yet present to a reader that scans the whole node, so it is an error.
 * - libfdt's fdt_check_full() accepts nothing but FDT_END after the root (not even NOPs) and
 *   requires the root's name to be empty; so does this reader, so every blob accepted here
 *   is also accepted there.
 * - libfdt accepts NOPs before the root, but its path functions (fdt_path_offset,
 *   fdt_get_path, fdt_parent_offset) assume the root at offset 0 and fail on such a blob:
 *   the root must open the structure block.
 */
static int check_structure(const struct fdt *fdt, struct index_build *ib)
{
    const char *strs = (const char *)fdt->base + fdt->strings_off;
    int stack[FDT_MAX_DEPTH + 1]; /* the open nodes */
    uint32_t off = 0, tag, next;
    int depth = 0;
    bool after_child = false; /* the current node has had a subnode: no property may follow */

    for (;; off = next) {
        if (next_token(fdt, off, &tag, &next) != 0) {
            return -EINVAL;
        }
        /* The root node opens the structure block; after it, only FDT_END (no second one). */
        if (depth == 0 && tag != (off == 0 ? FDT_BEGIN_NODE : FDT_END)) {
            return -EINVAL;
        }
        switch (tag) {
        case FDT_BEGIN_NODE:
            if (!node_name_ok((const char *)struct_ptr(fdt, off + FDT_TOKEN_SIZE), depth) ||
                ++depth > FDT_MAX_DEPTH) {
                return -EINVAL;
            }
            after_child = false;
            stack[depth - 1] = (int)off;
            if (ib->n < ib->cap) {
                ib->buf[ib->n] =
                    (struct fdt_index_entry){.node = (int)off,
                                             .parent = depth == 1 ? -ENOENT : stack[depth - 2],
                                             .props = next,
                                             .depth = (uint16_t)(depth - 1),
                                             .address_cells = 2, /* the spec's defaults, 2.3.5 */
                                             .size_cells = 1};
                ib->seen = 0;
            }
            ib->n++;
            break;
        case FDT_END_NODE: /* inside a node (depth > 0): checked above, as for a property */
            depth--;
            after_child = true;
            break;
        case FDT_PROP:
            if (after_child) {
                return -EINVAL; /* a property after a subnode */
            }
            if (ib->n <= ib->cap) { /* of the node opened last */
                const uint8_t *p = struct_ptr(fdt, off);

                index_prop(&ib->buf[ib->n - 1], &ib->seen, strs + fdt_be32(p + 8), fdt_be32(p + 4),
                           p + 12);
            }
            break;
        case FDT_END:
            /* Version 17: nothing may follow FDT_END inside the stated block. */
            if (depth != 0 || (fdt->version >= 17 && next != fdt->struct_size)) {
                return -EINVAL;
            }
            return (int)next;
        default: /* FDT_NOP: next_token() rejects unknown tokens */
            break;
        }
    }
}

/* Is [off, off + len) inside [hdr, total)? Checked without overflow. */
static bool block_ok(uint32_t off, uint32_t len, uint32_t hdr, uint32_t total)
{
    return off >= hdr && off <= total && len <= total - off;
}

/*
 * The memory reservation block (spec 5.3) runs to an all-zero entry. fdt_init() checks it with
 * an idx past the end: -EINVAL when the block leaves the blob first or ends at an entry of size
 * 0 and a non-zero address (the spec ends the list only at an all-zero entry but libfdt ends it
 * at the first zero size, so the two would disagree on the number of reservations).
 */
int fdt_rsvmap(const struct fdt *fdt, unsigned int idx, uint64_t *addr, uint64_t *size)
{
    for (unsigned int i = 0, off = fdt->rsvmap_off;; i++, off += 16) {
        uint64_t a, s;

        if (!block_ok(off, 16, 0, fdt->size)) {
            return -EINVAL;
        }
        a = fdt_read_cells(fdt->base + off, 2);
        s = fdt_read_cells(fdt->base + off + 8, 2);
        if (s == 0) {
            return a == 0 ? -ENOENT : -EINVAL;
        }
        if (i == idx) {
            *addr = a;
            *size = s;
            return 0;
        }
    }
}

/* The header checks of fdt_init(), spec 5.2; fdt->base and fdt->size are set. */
static bool header_ok(struct fdt *fdt)
{
    const uint8_t *h = fdt->base;
    uint32_t last_comp = fdt_be32(h + 24);
    uint32_t hdr;

    /*
     * Versions 16 and 17 are the ones in use. A later version is read as 17 if it says it is
     * compatible with 17 (last_comp_version); older layouts (version 2, 3) are not accepted.
     */
    fdt->version = fdt_be32(h + 20);
    if (fdt->version < 16 || last_comp > 17 || last_comp > fdt->version) {
        return false;
    }
    hdr = fdt->version >= 17 ? FDT_HEADER_V17 : FDT_HEADER_V16;
    /* Node offsets are ints: keep every offset below INT32_MAX (libfdt does the same). */
    if (fdt->size < hdr || fdt->size >= (uint32_t)INT32_MAX) {
        return false;
    }
    fdt->struct_off = fdt_be32(h + 8);
    fdt->strings_off = fdt_be32(h + 12);
    fdt->rsvmap_off = fdt_be32(h + 16);
    fdt->strings_size = fdt_be32(h + 32);
    if (fdt->version >= 17) {
        fdt->struct_size = fdt_be32(h + 36);
    } else if (fdt->struct_off <= fdt->size) {
        /* No size in a version 16 header: bound by the blob, the walk finds the end. */
        fdt->struct_size = ALIGN_DOWN(fdt->size - fdt->struct_off, FDT_TOKEN_SIZE);
    }
    /*
     * Spec 5.1: the structure block is 4-byte aligned, the reservation block 8-byte aligned
     * (libfdt does not insist on either; dtc always aligns). No block overlaps the header.
     */
    return IS_ALIGNED(fdt->struct_off, 4u) && IS_ALIGNED(fdt->rsvmap_off, 8u) &&
           IS_ALIGNED(fdt->struct_size, 4u) &&
           block_ok(fdt->struct_off, fdt->struct_size, hdr, fdt->size) &&
           block_ok(fdt->strings_off, fdt->strings_size, hdr, fdt->size) &&
           block_ok(fdt->rsvmap_off, 16, hdr, fdt->size) &&
           fdt_rsvmap(fdt, ~0u, NULL, NULL) == -ENOENT;
}

int fdt_init(struct fdt *fdt, const void *blob, size_t avail)
{
    return fdt_init_index(fdt, blob, avail, NULL, 0);
}

int fdt_init_index(struct fdt *fdt, const void *blob, size_t avail, struct fdt_index_entry *buf,
                   size_t cap)
{
    struct index_build ib = {buf, cap, 0, 0};
    int end;

    memset(fdt, 0, sizeof(*fdt));
    if (blob == NULL || avail < FDT_HEADER_V16 || fdt_be32(blob) != FDT_MAGIC) {
        return -EINVAL;
    }
    fdt->base = blob;
    fdt->size = fdt_be32((const uint8_t *)blob + 4);
    if (fdt->size > avail || !header_ok(fdt)) {
        goto malformed;
    }
    /* Names are NUL-terminated inside the block: none may start after its last NUL. */
    while (fdt->strings_size > 0 && fdt->base[fdt->strings_off + fdt->strings_size - 1] != '\0') {
        fdt->strings_size--;
    }
    end = check_structure(fdt, &ib);
    if (end < 0) {
        goto malformed;
    }
    /* Version 16: from now on the block ends where the walk found FDT_END. */
    fdt->struct_size = (uint32_t)end;
    if (ib.n > cap) {
        return buf == NULL ? 0 : -ENOSPC;
    }
    /* Each bucket's first entry (or the last entry), a start at or before any of its nodes. */
    for (uint32_t b = 0, i = 0; b < FDT_INDEX_BUCKETS; b++) {
        while (i + 1 < ib.n && index_bucket(fdt, (uint32_t)buf[i].node) < b) {
            i++;
        }
        fdt->index_bucket[b] = (uint16_t)(i < UINT16_MAX ? i : UINT16_MAX);
    }
    fdt->index = buf;
    fdt->index_len = (uint32_t)ib.n;
    return 0;
malformed:
    memset(fdt, 0, sizeof(*fdt));
    return -EINVAL;
}

/* The index entry of node, or NULL (also when there is no index): a few steps from the first
 * entry of its bucket, where a binary search takes log2(entries) (entries are in document
 * order). */
static const struct fdt_index_entry *index_find(const struct fdt *fdt, int node)
{
    const struct fdt_index_entry *e, *last;

    if (fdt->index == NULL || node < 0 || (uint32_t)node >= fdt->struct_size) {
        return NULL;
    }
    e = fdt->index + fdt->index_bucket[index_bucket(fdt, (uint32_t)node)];
    last = fdt->index + fdt->index_len - 1;
    while (e < last && e->node < node) {
        e++;
    }
    return e->node == node ? e : NULL;
}

/* The offset of the token after the name of node (its first property), e its index entry or
 * NULL; -EINVAL when node is not the offset of a node. */
static int node_body(const struct fdt *fdt, int node, const struct fdt_index_entry *e)
{
    uint32_t tag, next;

    if (e != NULL) {
        return (int)e->props;
    }
    if (node < 0 || next_token(fdt, (uint32_t)node, &tag, &next) != 0 || tag != FDT_BEGIN_NODE) {
        return -EINVAL;
    }
    return (int)next;
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
    if (node_body(fdt, node, index_find(fdt, node)) < 0) {
        return NULL;
    }
    return (const char *)struct_ptr(fdt, (uint32_t)node + FDT_TOKEN_SIZE);
}

/* check_structure() made sure that the root opens the structure block. */
int fdt_root(const struct fdt *fdt)
{
    return fdt_node_name(fdt, 0) != NULL ? 0 : -EINVAL;
}

/*
 * fdt_next_node() with *ep the index entry of node, moved to the next node's (NULL: no index,
 * the tokens are walked). Inlined into the loops over many nodes, which then step through the
 * index without a lookup per node.
 */
static inline __attribute__((always_inline)) int
next_node(const struct fdt *fdt, int node, int *depth, const struct fdt_index_entry **ep)
{
    const struct fdt_index_entry *e = *ep;
    int off = node_body(fdt, node, e);
    uint32_t tag, next;

    if (e != NULL) {
        if (e + 1 == fdt->index + fdt->index_len) {
            *depth -= (int)e->depth + 1; /* every END_NODE up to the root's */
            return -ENOENT;
        }
        *depth += (int)e[1].depth - (int)e->depth;
        *ep = e + 1;
        return e[1].node;
    }
    for (; off >= 0; off = (int)next) {
        if (next_token(fdt, (uint32_t)off, &tag, &next) != 0) {
            return -EINVAL;
        }
        if (tag == FDT_BEGIN_NODE) {
            (*depth)++;
            return off;
        }
        if (tag == FDT_END) {
            return -ENOENT;
        }
        *depth -= tag == FDT_END_NODE ? 1 : 0;
    }
    return -EINVAL;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
    const struct fdt_index_entry *e = index_find(fdt, node);

    return next_node(fdt, node, depth, &e);
}

int fdt_first_child(const struct fdt *fdt, int node)
{
    int depth = 0;
    int next = fdt_next_node(fdt, node, &depth);

    return next >= 0 && depth != 1 ? -ENOENT : next; /* the next node is a child, or none is */
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
    const struct fdt_index_entry *e = index_find(fdt, node);
    int depth = 0;
    int off = node;

    do {
        off = next_node(fdt, off, &depth, &e); /* past node's descendants (depth > 0) */
    } while (off >= 0 && depth > 0);
    return off >= 0 && depth < 0 ? -ENOENT : off; /* depth < 0: left the parent */
}

/* The parent from the index, or, since the structure block has no back links, by a scan from
 * the root with the chain of open nodes. -EINVAL if node is not the offset of a node. */
int fdt_parent(const struct fdt *fdt, int node)
{
    const struct fdt_index_entry *e = index_find(fdt, node);
    int stack[FDT_MAX_DEPTH + 1];
    int depth = 0;
    int off;

    if (fdt->index != NULL) {
        return e != NULL ? e->parent : -EINVAL;
    }
    off = fdt_root(fdt);
    if (off < 0 || node < 0) {
        return -EINVAL;
    }
    stack[0] = off;
    while (off != node) {
        off = fdt_next_node(fdt, off, &depth);
        if (off < 0 || depth <= 0 || depth > FDT_MAX_DEPTH) {
            return -EINVAL; /* the end (or a broken token): node is not a node offset */
        }
        stack[depth] = off;
    }
    return depth == 0 ? -ENOENT : stack[depth - 1];
}

int fdt_subnode(const struct fdt *fdt, int parent, const char *name, size_t len)
{
    int found = -ENOENT;
    bool ambiguous = false;
    bool has_unit = false;
    int c;

    len = strnlen(name, len); /* a NUL inside name[0..len) ends it */
    for (size_t i = 0; i < len; i++) {
        has_unit |= name[i] == '@';
    }
    for (c = fdt_first_child(fdt, parent); c >= 0; c = fdt_next_sibling(fdt, c)) {
        const char *n = fdt_node_name(fdt, c);

        if (n == NULL) {
            return -EINVAL;
        }
        /* n is NUL-terminated and name has no NUL in [0, len): n[len] is inside n. */
        if (strncmp(n, name, len) != 0) {
            continue;
        }
        if (n[len] == '\0') {
            return c; /* an exact match wins, wherever it is among the siblings */
        }
        if (!has_unit && n[len] == '@') {
            ambiguous = found >= 0;
            found = found >= 0 ? found : c;
        }
    }
    if (c != -ENOENT) {
        return c; /* malformed blob */
    }
    return ambiguous ? -ENOENT : found;
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

int fdt_stdout_path(const struct fdt *fdt)
{
    int chosen = fdt_path(fdt, "/chosen");
    int aliases;
    const char *path;
    char buf[FDT_MAX_PATH];
    size_t len;

    if (chosen < 0 || fdt_prop_string(fdt, chosen, "stdout-path", &path) != 0) {
        return -ENOENT;
    }
    for (len = 0; path[len] != '\0' && path[len] != ':'; len++) {
    }
    if (len == 0 || len >= sizeof(buf)) {
        return -EINVAL;
    }
    memcpy(buf, path, len);
    buf[len] = '\0';
    if (buf[0] == '/') {
        return fdt_path(fdt, buf);
    }
    aliases = fdt_path(fdt, "/aliases");
    if (aliases < 0 || fdt_prop_string(fdt, aliases, buf, &path) != 0) {
        return -ENOENT;
    }
    return fdt_path(fdt, path);
}

int fdt_node_path(const struct fdt *fdt, int node, char *buf, size_t size)
{
    int chain[FDT_MAX_DEPTH + 1];
    int depth = 0;
    size_t pos = 0;

    if (size == 0) {
        return -ENAMETOOLONG;
    }
    buf[0] = '\0';
    /* The ancestors up to the root (whose parent is -ENOENT), then printed root-first. */
    do {
        if (node < 0 || depth > FDT_MAX_DEPTH) {
            return -EINVAL; /* node is not a node of this tree (or the blob changed) */
        }
        chain[depth++] = node;
        node = fdt_parent(fdt, node);
    } while (node != -ENOENT);
    /* "/name" for each node below the root; the root alone, of name "", prints as "/". */
    for (int i = depth > 1 ? depth - 2 : 0; i >= 0; i--) {
        const char *name = fdt_node_name(fdt, chain[i]);
        size_t len;

        if (name == NULL) {
            return -EINVAL;
        }
        len = strlen(name);
        if (pos + 1 + len + 1 > size) {
            return -ENAMETOOLONG;
        }
        buf[pos++] = '/';
        memcpy(buf + pos, name, len);
        pos += len;
        buf[pos] = '\0';
    }
    return 0;
}

/*
 * The first property token at or after off among a node's properties, the first called name
 * when name is not NULL; -ENOENT at the end of the properties. The hot loop of every lookup:
 * inlined, to read tokens in single loads from an aligned blob (prop_from()).
 */
static inline __attribute__((always_inline)) int props_scan(const struct fdt *fdt, uint32_t off,
                                                            struct fdt_prop *prop, const char *name,
                                                            bool aligned)
{
    const char *strs = (const char *)fdt->base + fdt->strings_off;
    uint32_t tag, next;

    /* fdt_init() ended the strings block at its last NUL: a name inside it ends there at the
     * latest, unless the blob changed since (the last byte is checked again). */
    if (fdt->strings_size != 0 && strs[fdt->strings_size - 1] != '\0') {
        return -EINVAL;
    }
    for (;; off = next) {
        if (token_decode(fdt, off, &tag, &next, aligned) != 0) {
            return -EINVAL;
        }
        if (tag == FDT_PROP) {
            const uint8_t *p = struct_ptr(fdt, off);
            const char *n = strs + be32(p + 8, aligned);

            if (name == NULL || (n[0] == name[0] && strcmp(n, name) == 0)) {
                *prop =
                    (struct fdt_prop){n, p + 3 * FDT_TOKEN_SIZE, be32(p + 4, aligned), (int)off};
                return 0;
            }
        } else if (tag != FDT_NOP) {
            return -ENOENT;
        }
    }
}

static int prop_from(const struct fdt *fdt, uint32_t off, struct fdt_prop *prop, const char *name)
{
    /* Two copies of the loop: one with single-load token reads for an aligned blob. */
    return ((uintptr_t)struct_ptr(fdt, 0) & 3) == 0 ? props_scan(fdt, off, prop, name, true)
                                                    : props_scan(fdt, off, prop, name, false);
}

int fdt_prop(const struct fdt *fdt, int node, const char *name, struct fdt_prop *prop)
{
    const struct fdt_index_entry *e = index_find(fdt, node);
    int off = node_body(fdt, node, e);

    if (e != NULL && name != NULL && (e->names & (1u << fdt_name_hash(name))) == 0) {
        return -ENOENT; /* most names a node lacks end here, without a scan */
    }
    return off < 0 ? off : prop_from(fdt, (uint32_t)off, prop, name);
}

int fdt_first_prop(const struct fdt *fdt, int node, struct fdt_prop *prop)
{
    return fdt_prop(fdt, node, NULL, prop);
}

int fdt_next_prop(const struct fdt *fdt, struct fdt_prop *prop)
{
    uint32_t tag, next;

    if (prop->offset < 0 || next_token(fdt, (uint32_t)prop->offset, &tag, &next) != 0 ||
        tag != FDT_PROP) {
        return -EINVAL;
    }
    return prop_from(fdt, next, prop, NULL);
}

int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *val)
{
    struct fdt_prop p;
    int err = fdt_prop(fdt, node, name, &p);

    err = err != 0 ? err : p.len != 4 ? -EINVAL : 0;
    if (err == 0) {
        *val = fdt_be32(p.data);
    }
    return err;
}

int fdt_prop_string(const struct fdt *fdt, int node, const char *name, const char **str)
{
    struct fdt_prop p;
    int err = fdt_prop(fdt, node, name, &p);

    if (err == 0 && (p.len < 2 || ((const char *)p.data)[p.len - 1] != '\0' ||
                     ((const char *)p.data)[0] == '\0')) {
        err = -EINVAL;
    }
    if (err == 0) {
        *str = p.data;
    }
    return err;
}

int fdt_stringlist_count(const struct fdt_prop *prop)
{
    const char *s = prop->data;
    int n = 0;

    if (prop->len != 0 && s[prop->len - 1] != '\0') {
        return -EINVAL;
    }
    for (uint32_t i = 0; i < prop->len; i++) {
        n += s[i] == '\0' ? 1 : 0;
    }
    return n;
}

bool fdt_stringlist_contains(const struct fdt_prop *prop, const char *str)
{
    const char *s = prop->data, *end = s + prop->len;

    if (prop->len == 0 || end[-1] != '\0') {
        return false;
    }
    for (; s < end; s += strlen(s) + 1) {
        if (strcmp(s, str) == 0) {
            return true;
        }
    }
    return false;
}

/* Is node, of index entry e (NULL without an index), compatible with compat, whose compat_bit()
 * is bit? The index keeps a bit per string of each node's "compatible": without it, it is not. */
static bool compatible(const struct fdt *fdt, int node, const struct fdt_index_entry *e,
                       const char *compat, uint32_t bit)
{
    struct fdt_prop p;

    return (e == NULL || (e->compat_bits & bit) != 0) &&
           fdt_prop(fdt, node, "compatible", &p) == 0 && fdt_stringlist_contains(&p, compat);
}

bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
    size_t used;

    return compatible(fdt, node, index_find(fdt, node), compat,
                      compat_bit(compat, SIZE_MAX, &used));
}

int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat)
{
    const struct fdt_index_entry *e = from < 0 ? fdt->index : index_find(fdt, from);
    size_t used;
    uint32_t bit = compat_bit(compat, SIZE_MAX, &used);
    int depth = 0;
    int node = from < 0 ? fdt_root(fdt) : next_node(fdt, from, &depth, &e);

    /* With an index, e follows node: its compatible bits spare most nodes a property lookup. */
    for (; node >= 0; node = next_node(fdt, node, &depth, &e)) {
        if (compatible(fdt, node, e, compat, bit)) {
            return node;
        }
    }
    return node;
}

int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle)
{
    const struct fdt_index_entry *e = fdt->index; /* the root's, first in the index */
    int depth = 0;

    /* 0 and 0xffffffff are never valid phandles (spec 2.3.3). */
    if (phandle == 0 || phandle == UINT32_MAX) {
        return -ENOENT;
    }
    for (int node = fdt_root(fdt); node >= 0; node = next_node(fdt, node, &depth, &e)) {
        uint32_t v = e != NULL ? e->phandle : 0; /* the index has "phandle", else the legacy one */

        if (e == NULL && fdt_prop_u32(fdt, node, "phandle", &v) != 0) {
            (void)fdt_prop_u32(fdt, node, "linux,phandle", &v); /* v stays 0 when absent */
        }
        if (v == phandle) {
            return node;
        }
    }
    return -ENOENT;
}

static int cells_prop(const struct fdt *fdt, int node, const char *name, int dflt)
{
    uint32_t v;
    int err = fdt_prop_u32(fdt, node, name, &v);

    return err == -ENOENT ? dflt : err != 0 || v > 4 ? -EINVAL : (int)v;
}

int fdt_address_cells(const struct fdt *fdt, int node)
{
    const struct fdt_index_entry *e = index_find(fdt, node);

    return e != NULL ? e->address_cells : cells_prop(fdt, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *fdt, int node)
{
    const struct fdt_index_entry *e = index_find(fdt, node);

    return e != NULL ? e->size_cells : cells_prop(fdt, node, "#size-cells", 1);
}

/*
 * An address of cells cells (at most 4) split into the cells above the low two (hi, compared
 * whole: on a PCI bus the first cell says which space) and the low 64 bits.
 */
struct bus_addr {
    uint64_t hi;
    uint64_t lo;
};

static struct bus_addr read_bus_addr(const uint8_t *data, int cells)
{
    int hi_cells = cells > 2 ? cells - 2 : 0;

    return (struct bus_addr){fdt_read_cells(data, (unsigned int)hi_cells),
                             fdt_read_cells(data + 4 * hi_cells, (unsigned int)(cells - hi_cells))};
}

/* Decode a value of cells cells (at most 4) into 64 bits; -EOVERFLOW if it does not fit. */
static int read_wide(const uint8_t *data, int cells, uint64_t *out)
{
    struct bus_addr v = read_bus_addr(data, cells);

    if (v.hi != 0) {
        return -EOVERFLOW;
    }
    *out = v.lo;
    return 0;
}

/*
 * The parent's cell counts and node's "reg" at *data: its number of entries (0 when there is no
 * reg), or -EINVAL. Finding the parent may be a scan from the root: each caller makes it once.
 */
static int reg_layout(const struct fdt *fdt, int node, const uint8_t **data, int *ac, int *sc)
{
    int parent = fdt_parent(fdt, node);
    struct fdt_prop p;
    int err;

    if (parent < 0) {
        return -EINVAL; /* the root has no reg */
    }
    *ac = fdt_address_cells(fdt, parent);
    *sc = fdt_size_cells(fdt, parent);
    err = fdt_prop(fdt, node, "reg", &p);
    if (err == -ENOENT && *ac >= 0 && *sc >= 0) {
        return 0;
    }
    if (err != 0 || *ac < 0 || *sc < 0 || *ac + *sc == 0 ||
        p.len % (uint32_t)(4 * (*ac + *sc)) != 0) {
        return -EINVAL;
    }
    *data = p.data;
    return (int)(p.len / (uint32_t)(4 * (*ac + *sc)));
}

int fdt_reg_count(const struct fdt *fdt, int node)
{
    const uint8_t *data;
    int ac, sc;

    return reg_layout(fdt, node, &data, &ac, &sc);
}

/*
 * Translate [*addr, +size) with high cells *hi, an address in the space of bus's children,
 * into bus's own space through bus's "ranges" (Devicetree Specification 2.3.8): an empty
 * ranges is the identity, an absent one means no mapping. The whole range must fall in one
 * entry. Entries are <child-address parent-address length> with bus's #address-cells, its
 * parent's #address-cells and bus's #size-cells.
 */
static int translate_once(const struct fdt *fdt, int bus, struct bus_addr *a, uint64_t size)
{
    int parent = fdt_parent(fdt, bus);
    int cac = fdt_address_cells(fdt, bus);
    int csc = fdt_size_cells(fdt, bus);
    int pac = parent >= 0 ? fdt_address_cells(fdt, parent) : -EINVAL;
    struct fdt_prop p;
    uint32_t entry;
    int err;

    if (cac < 0 || csc < 0 || pac < 0) {
        return -EINVAL;
    }
    err = fdt_prop(fdt, bus, "ranges", &p);
    if (err != 0 || p.len == 0) {
        /* Empty: the identity; none: the children's addresses do not reach the parent. */
        return err == -ENOENT ? -ERANGE : err;
    }
    entry = (uint32_t)(4 * (cac + pac + csc));
    if (entry == 0 || p.len % entry != 0) {
        return -EINVAL;
    }
    for (uint32_t off = 0; off < p.len; off += entry) {
        const uint8_t *e = (const uint8_t *)p.data + off;
        struct bus_addr child = read_bus_addr(e, cac), par = read_bus_addr(e + 4 * cac, pac);
        uint64_t len;

        if (read_wide(e + 4 * (cac + pac), csc, &len) != 0) {
            len = UINT64_MAX; /* a window of 2^64 or more: everything above child.lo fits */
        }
        /* [lo, lo + size) inside [child.lo, child.lo + len), computed without overflow. */
        if (child.hi != a->hi || a->lo < child.lo || a->lo - child.lo > len ||
            size > len - (a->lo - child.lo)) {
            continue;
        }
        if (par.lo > UINT64_MAX - (a->lo - child.lo)) {
            return -EOVERFLOW;
        }
        a->hi = par.hi;
        a->lo = par.lo + (a->lo - child.lo);
        return 0;
    }
    return -ERANGE;
}

/* Entry idx of node's "reg", translated (fdt_reg_translated()) or not (fdt_reg()). */
static int reg_read(const struct fdt *fdt, int node, unsigned int idx, uint64_t *addr,
                    uint64_t *size, bool translate)
{
    const uint8_t *e;
    int ac, sc;
    int err = reg_layout(fdt, node, &e, &ac, &sc);
    struct bus_addr a;

    if (err >= 0) {
        err = idx < (unsigned int)err ? 0 : -ENOENT;
    }
    if (err == 0) {
        e += (size_t)idx * 4u * (unsigned int)(ac + sc);
        err = read_wide(e + 4 * ac, sc, size);
    }
    if (err != 0) {
        return err;
    }
    a = read_bus_addr(e, ac);
    /* Up through every ancestor below the root: the root's children use CPU addresses. */
    for (int bus = translate ? fdt_parent(fdt, node) : -ENOENT; bus >= 0 && bus != fdt_root(fdt);
         bus = fdt_parent(fdt, bus)) {
        err = translate_once(fdt, bus, &a, *size);
        if (err != 0) {
            return err;
        }
    }
    if (a.hi != 0) {
        return -EOVERFLOW;
    }
    *addr = a.lo;
    return 0;
}

int fdt_reg(const struct fdt *fdt, int node, unsigned int idx, uint64_t *addr, uint64_t *size)
{
    return reg_read(fdt, node, idx, addr, size, false);
}

int fdt_reg_translated(const struct fdt *fdt, int node, unsigned int idx, uint64_t *addr,
                       uint64_t *size)
{
    return reg_read(fdt, node, idx, addr, size, true);
}
