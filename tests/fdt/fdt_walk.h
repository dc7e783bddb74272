/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exercise every accessor of the FDT reader (lib/fdt.c) over a blob fdt_init() accepted, and
 * check that every pointer it hands out lies inside the blob and that the accessors agree with
 * each other. Shared by the unit tests (tests/unit/test_fdt.c) and the fuzz target
 * (tests/fuzz/fuzz_fdt.c); host-only (uses the C library).
 *
 * Run the blob from a malloc'd buffer of exactly totalsize bytes so that AddressSanitizer
 * catches any read outside it, which the explicit checks here would not see.
 */
#pragma once

#include <hv/errno.h>
#include <hv/fdt.h>
#include <stdio.h>
#include <string.h>

/* Called with a description of the first inconsistency found; the walk then stops. */
typedef void (*fdt_walk_fail_fn)(const char *what, int node);

struct fdt_walk_stats {
    unsigned int nodes;
    unsigned int props;
    unsigned int regs;
    unsigned int rsv;
};

static inline bool fdt_walk_inside(const struct fdt *f, const void *p, size_t len)
{
    const uint8_t *b = p;

    return b >= f->base && b <= f->base + f->size && len <= (size_t)(f->base + f->size - b);
}

#define FDT_WALK_CHECK(cond, node)                                                                 \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fail(#cond, node);                                                                     \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

/* Properties of one node: bounds, lookup by name finds a property of that name, typed reads. */
static inline int fdt_walk_props(const struct fdt *f, int node, fdt_walk_fail_fn fail,
                                 struct fdt_walk_stats *st)
{
    struct fdt_prop p, q;
    int err;

    for (err = fdt_first_prop(f, node, &p); err == 0; err = fdt_next_prop(f, &p)) {
        const char *s;
        uint32_t v;
        int n;

        st->props++;
        FDT_WALK_CHECK(fdt_walk_inside(f, p.name, strlen(p.name) + 1), node);
        FDT_WALK_CHECK(fdt_walk_inside(f, p.data, p.len), node);
        FDT_WALK_CHECK(fdt_prop(f, node, p.name, &q) == 0 && strcmp(q.name, p.name) == 0, node);
        FDT_WALK_CHECK(q.offset <= p.offset, node); /* the first of that name */
        n = fdt_stringlist_count(&p);
        FDT_WALK_CHECK(n >= 0 || n == -EINVAL, node);
        if (n > 0) {
            const char *first = p.data;

            FDT_WALK_CHECK(fdt_stringlist_contains(&p, first), node);
        }
        if (fdt_prop_string(f, node, p.name, &s) == 0) {
            FDT_WALK_CHECK(fdt_walk_inside(f, s, strlen(s) + 1), node);
        }
        if (fdt_prop_u32(f, node, p.name, &v) == 0) {
            FDT_WALK_CHECK(q.len == 4, node);
        }
    }
    FDT_WALK_CHECK(err == -ENOENT, node);
    return 0;
}

/* Structure of one node: name, path, parent/child/sibling links, cells, reg, phandle. */
static inline int fdt_walk_node(const struct fdt *f, int node, int depth, fdt_walk_fail_fn fail,
                                struct fdt_walk_stats *st)
{
    char path[FDT_MAX_PATH];
    const char *name = fdt_node_name(f, node);
    int child, parent, ac, sc, count, err;
    struct fdt_prop compat;
    uint32_t ph;

    FDT_WALK_CHECK(name != NULL && fdt_walk_inside(f, name, strlen(name) + 1), node);
    parent = fdt_parent(f, node);
    FDT_WALK_CHECK(depth == 0 ? parent == -ENOENT : parent >= 0, node);
    err = fdt_node_path(f, node, path, sizeof(path));
    FDT_WALK_CHECK(err == 0 || err == -ENAMETOOLONG, node);
    FDT_WALK_CHECK(strlen(path) < sizeof(path), node);
    if (err == 0) {
        int found = fdt_path(f, path);

        /* Names are not validated, so a path need not lead back; it must lead to a node. */
        FDT_WALK_CHECK(found == -ENOENT || fdt_node_name(f, found) != NULL, node);
    }
    for (child = fdt_first_child(f, node); child >= 0; child = fdt_next_sibling(f, child)) {
        const char *cn = fdt_node_name(f, child);
        int again;

        FDT_WALK_CHECK(cn != NULL && fdt_parent(f, child) == node, node);
        again = fdt_subnode(f, node, cn, strlen(cn));
        FDT_WALK_CHECK(again == -ENOENT || fdt_parent(f, again) == node, node);
        if (again >= 0) {
            FDT_WALK_CHECK(strcmp(fdt_node_name(f, again), cn) == 0, node);
        }
    }
    FDT_WALK_CHECK(child == -ENOENT, node);
    if (fdt_walk_props(f, node, fail, st) != 0) {
        return -1;
    }
    ac = fdt_address_cells(f, node);
    sc = fdt_size_cells(f, node);
    FDT_WALK_CHECK((ac >= 0 && ac <= 4) || ac == -EINVAL, node);
    FDT_WALK_CHECK((sc >= 0 && sc <= 4) || sc == -EINVAL, node);
    count = fdt_reg_count(f, node);
    FDT_WALK_CHECK(count >= 0 || count == -EINVAL, node);
    for (int i = 0; i <= count; i++) {
        uint64_t a, s;

        err = fdt_reg(f, node, (unsigned int)i, &a, &s);
        FDT_WALK_CHECK(i == count ? err == -ENOENT : (err == 0 || err == -EOVERFLOW), node);
        st->regs += err == 0;
    }
    if (fdt_prop_u32(f, node, "phandle", &ph) == 0 ||
        fdt_prop_u32(f, node, "linux,phandle", &ph) == 0) {
        int owner = fdt_node_by_phandle(f, ph);

        /* Another node may carry the same phandle earlier in the tree. */
        FDT_WALK_CHECK(ph == 0 || ph == UINT32_MAX ? owner == -ENOENT : owner >= 0, node);
        FDT_WALK_CHECK(owner < 0 || owner <= node, node);
    }
    if (fdt_prop(f, node, "compatible", &compat) == 0 && fdt_stringlist_count(&compat) > 0) {
        const char *c = compat.data;

        FDT_WALK_CHECK(fdt_is_compatible(f, node, c), node);
        FDT_WALK_CHECK(fdt_find_compatible(f, -1, c) <= node, node);
    }
    return 0;
}

/* Walk the whole tree; 0, or -1 after calling fail. */
static inline int fdt_walk_all(const struct fdt *f, fdt_walk_fail_fn fail,
                               struct fdt_walk_stats *st)
{
    int depth = 0;
    int root = fdt_root(f);
    uint64_t a, s;
    int node;

    memset(st, 0, sizeof(*st));
    FDT_WALK_CHECK(root >= 0, root);
    for (node = root; node >= 0; node = fdt_next_node(f, node, &depth)) {
        FDT_WALK_CHECK(depth >= 0 && depth < FDT_MAX_DEPTH, node);
        st->nodes++;
        if (fdt_walk_node(f, node, depth, fail, st) != 0) {
            return -1;
        }
    }
    FDT_WALK_CHECK(node == -ENOENT && depth == -1, node);
    while (fdt_rsvmap(f, st->rsv, &a, &s) == 0) {
        st->rsv++;
        FDT_WALK_CHECK(st->rsv <= f->size / 16, -1);
    }
    return 0;
}
