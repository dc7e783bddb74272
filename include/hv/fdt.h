/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Flattened device tree reader (Devicetree Specification v0.4, chapter 5), freestanding and
 * strict: fdt_init() checks the header and walks the whole structure block once, so every
 * later accessor works on a blob known to be well formed, and still bounds-checks each read.
 * No function ever reads outside [blob, blob + totalsize).
 *
 * A node is named by the offset of its FDT_BEGIN_NODE token inside the structure block (an
 * int >= 0). Functions returning a node return it, or a negative errno: -ENOENT when there
 * is no such node, -EINVAL when the blob is malformed.
 */
#pragma once

#include <hv/types.h>

/* Deepest nesting accepted; real trees are under 10 levels. */
#define FDT_MAX_DEPTH 32
/* Longest node path produced by fdt_node_path(), including the NUL. */
#define FDT_MAX_PATH 256
/* Parts of the structure block an index records its first node of (fdt_init_index()). */
#define FDT_INDEX_BUCKETS 32

struct fdt {
    const uint8_t *base; /* start of the blob */
    uint32_t size;       /* header totalsize, checked <= the bytes available */
    uint32_t struct_off; /* structure block offset and size */
    uint32_t struct_size;
    uint32_t strings_off; /* strings block offset and size, up to its last NUL */
    uint32_t strings_size;
    uint32_t rsvmap_off;                 /* memory reservation block offset */
    uint32_t version;                    /* header version (16 or 17) */
    const struct fdt_index_entry *index; /* fdt_init_index(); NULL: lookups walk the tree */
    uint32_t index_len;                  /* entries of index */
    /* The first entry of index in each FDT_INDEX_BUCKETS-th of the structure block. */
    uint16_t index_bucket[FDT_INDEX_BUCKETS];
};

/* One node of an index (fdt_init_index()): offsets in document order. */
struct fdt_index_entry {
    int32_t node;         /* the node's offset */
    int32_t parent;       /* its parent's offset, -ENOENT for the root */
    uint32_t phandle;     /* "phandle" (else "linux,phandle") when a valid cell, else 0 */
    uint32_t props;       /* offset of the token after the node's name (its first property) */
    uint16_t depth;       /* 0 for the root */
    int8_t address_cells; /* fdt_address_cells() and fdt_size_cells() of the node */
    int8_t size_cells;
    uint32_t names;       /* a bit per property name, from its first characters (lib/fdt.c) */
    uint32_t compat_bits; /* a bit per string of its first "compatible", from all characters */
};

/* One property: name and value point into the blob. */
struct fdt_prop {
    const char *name;
    const void *data;
    uint32_t len;
    int offset; /* offset of the FDT_PROP token, for iteration */
};

/*
 * Check header and structure of a blob of at most avail bytes. 0, or -EINVAL if malformed
 * (then *fdt is zeroed). Accepts versions 16 and 17 (and later ones whose last_comp_version
 * is at most 17). Deliberately stricter than libfdt's fdt_check_full(), which accepts every
 * blob accepted here: no version 2/3 layouts; struct block 4-byte and reservation block
 * 8-byte aligned; the root node, with an empty name, opens the structure block (no NOP before
 * it: libfdt's path functions assume it at offset 0); other node names non-empty and without
 * '/' (so a path names one node); nesting at most FDT_MAX_DEPTH;
 * no property after a subnode; (version 17) FDT_END ends the structure block exactly; in a
 * version 16 blob property names are bounded by size_dt_strings too; no reservation entry
 * with size 0 and a non-zero address.
 */
int fdt_init(struct fdt *fdt, const void *blob, size_t avail) __must_check;

/* The root node (the first node of the structure block). */
int fdt_root(const struct fdt *fdt);

/* First child / next sibling / parent of node; -ENOENT when there is none. */
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
int fdt_parent(const struct fdt *fdt, int node);

/*
 * Depth-first walk: the node after node in document order, with *depth updated relative to
 * the caller's start (a child is depth + 1). -ENOENT after the last node.
 */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);

/* Full name of a node, "cpu@0" (the root's is ""). Never NULL for a valid node. */
const char *fdt_node_name(const struct fdt *fdt, int node);

/*
 * The child of parent named name[0..len) (a NUL before len ends the name). A child whose name
 * is exactly that wins; otherwise a name without '@' matches a child whose name is
 * name + "@unit-address" when that is the only such child. -ENOENT when absent or ambiguous.
 * (libfdt instead returns the first child in document order that matches either way.)
 */
int fdt_subnode(const struct fdt *fdt, int parent, const char *name, size_t len);

/* The node at an absolute path ("/", "/cpus/cpu@0"); -ENOENT when absent, -EINVAL if relative. */
int fdt_path(const struct fdt *fdt, const char *path);

/* /chosen stdout-path's node: an absolute path or an alias, optionally followed by ":options";
 * -ENOENT when there is none, -EINVAL when malformed. */
int fdt_stdout_path(const struct fdt *fdt);

/* Write the absolute path of node into buf: 0; -EINVAL when node is not a node of the tree;
 * -ENAMETOOLONG if it does not fit (buf still holds a NUL-terminated prefix). */
int fdt_node_path(const struct fdt *fdt, int node, char *buf, size_t size) __must_check;

/* Property iteration: 0 and *prop filled, or -ENOENT after the last. */
int fdt_first_prop(const struct fdt *fdt, int node, struct fdt_prop *prop);
int fdt_next_prop(const struct fdt *fdt, struct fdt_prop *prop);

/* The property called name of node (NULL: its first property): 0, or -ENOENT when absent. */
int fdt_prop(const struct fdt *fdt, int node, const char *name, struct fdt_prop *prop);

/* A one-cell property: 0; -ENOENT when absent; -EINVAL when it is not exactly 4 bytes. */
int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *val);

/* A string property (the first string of a list): 0; -ENOENT; -EINVAL unless the value is
 * non-empty and NUL-terminated. */
int fdt_prop_string(const struct fdt *fdt, int node, const char *name, const char **str);

/* The number of strings in a string-list value (0 for an empty value), or -EINVAL if the last
 * string is not NUL-terminated. */
int fdt_stringlist_count(const struct fdt_prop *prop);

/* True when the string list prop contains str. */
bool fdt_stringlist_contains(const struct fdt_prop *prop, const char *str);

/* True when node's "compatible" list contains compat. */
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);

/* Next node after from (-1: from the start) whose compatible contains compat; -ENOENT. */
int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat);

/* The node whose "phandle" (or legacy "linux,phandle") is phandle; -ENOENT if none. */
int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle);

/*
 * #address-cells / #size-cells that node states for its children, with the spec's defaults
 * (2 and 1) when absent: a value >= 0, or -EINVAL when malformed or above 4.
 */
int fdt_address_cells(const struct fdt *fdt, int node);
int fdt_size_cells(const struct fdt *fdt, int node);

/* A big-endian number of cells (0..2) from data; callers check the length first. */
uint64_t fdt_read_cells(const void *data, unsigned int cells);

/* Read a big-endian 32-bit value from a possibly unaligned pointer. */
uint32_t fdt_be32(const void *p);

/* A hash of a property name in 0..31 from its first three characters, for filters and caches
 * (the multipliers keep the common names of bindings apart). */
static inline unsigned int fdt_name_hash(const char *n)
{
    uint32_t h = (uint8_t)n[0];

    if (n[0] != '\0' && n[1] != '\0') {
        h = h * 7 + (uint8_t)n[1] * 18u + (uint8_t)n[2];
    }
    return h & 31;
}

/*
 * Entry idx of node's "reg", decoded with its parent's cell counts: 0; -ENOENT when there is
 * no such entry; -EINVAL when reg is malformed; -EOVERFLOW when a value needs more than 64
 * bits (more than 2 cells with a non-zero high part).
 */
int fdt_reg(const struct fdt *fdt, int node, unsigned int idx, uint64_t *addr, uint64_t *size);

/*
 * Entry idx of node's "reg" translated to the CPU's physical address space through the
 * "ranges" of every ancestor below the root (Devicetree Specification 2.3.8): 0; -ENOENT when
 * there is no such entry; -EINVAL when reg or a ranges is malformed; -ERANGE when an ancestor
 * has no "ranges" (its children are not memory mapped) or no ranges entry holds the whole
 * [addr, addr + size); -EOVERFLOW when a value needs more than 64 bits. Address cells above
 * the low two (a PCI bus's phys.hi) must match a ranges entry exactly.
 */
int fdt_reg_translated(const struct fdt *fdt, int node, unsigned int idx, uint64_t *addr,
                       uint64_t *size);

/* Number of entries in node's "reg" (0 if absent), or -EINVAL. */
int fdt_reg_count(const struct fdt *fdt, int node);

/* Memory reservation block: entry idx (0 and values), or -ENOENT at or past the terminator. */
int fdt_rsvmap(const struct fdt *fdt, unsigned int idx, uint64_t *addr, uint64_t *size);

/*
 * fdt_init(), and in the same walk an index of the tree in buf (cap entries): every node's
 * offset, parent, depth, phandle, cell counts, first property and the names of its properties
 * and "compatible" strings (a bit each), so that the node accessors answer from the index (a
 * few steps from the first node of its part of the blob) instead of walking tokens:
 * fdt_parent(), fdt_node_by_phandle(), fdt_address_cells() and fdt_size_cells() without a walk
 * or a property lookup, fdt_next_node(), fdt_first_child(), fdt_next_sibling(),
 * fdt_find_compatible() and fdt_node_name() without decoding names, property lookups from the
 * node's first property and only when its bits have the name (and the compatible string).
 * The blob must not change afterwards. 0; -ENOSPC (more nodes than cap: a valid *fdt without
 * an index, lookups keep walking); -EINVAL as fdt_init().
 */
int fdt_init_index(struct fdt *fdt, const void *blob, size_t avail, struct fdt_index_entry *buf,
                   size_t cap) __must_check;
