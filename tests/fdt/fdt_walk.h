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
#include <stdlib.h>
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

/*
 * Nodes that get the tree-wide checks. fdt_parent(), fdt_node_path(), fdt_path(),
 * fdt_reg*(), fdt_node_by_phandle() and fdt_find_compatible() each scan the tree from the root
 * (the structure block has no back links), and fdt_subnode() scans all children of a node, so
 * calling them on every node (and child) of a 64 KiB blob of several thousand nodes costs a
 * quadratic number of token reads: the fuzz target did 378 inputs per second.
 *
 * So the walk first builds its own model of the tree in one pass (offset, parent and child
 * count of every node, in walk order) and checks every node's child iteration
 * (fdt_first_child() / fdt_next_sibling()) against it; the tree-wide accessors are then
 * called, and compared with the model exactly, on FDT_WALK_FULL nodes spread evenly over the
 * tree (all of them in a tree of up to FDT_WALK_FULL nodes; which ones depends on the node
 * count, so the fuzzer still reaches every position), plus the last node and the first of the
 * greatest depth; fdt_subnode() on FDT_WALK_FULL children of each, likewise spread. The checks
 * local to a node (name, properties, typed reads, cells) run on every node.
 *
 * The walk also builds the index the boot path uses (fdt_init_index()) into a second handle
 * and checks its answers against the model and the walks: every node's parent, and on the
 * sampled nodes the path, the phandle owner and the reg entries other than the first, which
 * each find the parent again (from the root without the index: fdt_parent() made a fifth of
 * the fuzz target's time). The first reg entry is read through both handles and must agree.
 */
#ifndef FDT_WALK_FULL
#define FDT_WALK_FULL 8
#endif

/* The walk's model of the tree, built by fdt_walk_model() in one pass. */
struct fdt_walk_model {
    int count;     /* nodes */
    int deepest;   /* index of the first node of the greatest depth */
    int *off;      /* [i] = offset of node i in walk order (increasing) */
    int *parent;   /* [i] = offset of its parent, -ENOENT for the root */
    int *children; /* [i] = number of its children */
};

/* The walk-order index of the node at offset node, or -1 if there is none. */
static inline int fdt_walk_index(const struct fdt_walk_model *m, int node)
{
    int lo = 0, hi = m->count;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;

        if (m->off[mid] == node) {
            return mid;
        }
        if (m->off[mid] < node) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return -1;
}

/* Whether item i of n is in the evenly spread sample of FDT_WALK_FULL. */
static inline bool fdt_walk_sampled(int i, int n)
{
    int stride = (n + FDT_WALK_FULL - 1) / FDT_WALK_FULL;

    return stride <= 1 || i % stride == 0 || i == n - 1;
}

/* Properties of one node: bounds, lookup by name finds a property of that name, typed reads. */
static inline int fdt_walk_props(const struct fdt *f, int node, fdt_walk_fail_fn fail,
                                 struct fdt_walk_stats *st)
{
    struct fdt_prop p, q;
    int err, count = 0, k = 0;

    for (err = fdt_first_prop(f, node, &p); err == 0; err = fdt_next_prop(f, &p)) {
        count++;
    }
    FDT_WALK_CHECK(err == -ENOENT, node);
    for (err = fdt_first_prop(f, node, &p); err == 0; err = fdt_next_prop(f, &p), k++) {
        const char *s;
        uint32_t v;
        int n;

        st->props++;
        FDT_WALK_CHECK(fdt_walk_inside(f, p.name, strlen(p.name) + 1), node);
        FDT_WALK_CHECK(fdt_walk_inside(f, p.data, p.len), node);
        n = fdt_stringlist_count(&p);
        FDT_WALK_CHECK(n >= 0 || n == -EINVAL, node);
        if (n > 0) {
            FDT_WALK_CHECK(fdt_stringlist_contains(&p, p.data), node);
        }
        /* The lookups by name scan the node's properties: on a spread sample of them. */
        if (!fdt_walk_sampled(k, count)) {
            continue;
        }
        FDT_WALK_CHECK(fdt_prop(f, node, p.name, &q) == 0 && strcmp(q.name, p.name) == 0, node);
        FDT_WALK_CHECK(q.offset <= p.offset, node); /* the first of that name */
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

/* Where the walk is: the node, its index and the walk's own ancestor stack. */
struct fdt_walk_pos {
    int index;                    /* in walk order */
    int depth;                    /* 0 = root */
    int stack[FDT_MAX_DEPTH + 1]; /* stack[0 .. depth] = root .. node */
};

/* The path the walk's own stack gives the node; 0 or -ENAMETOOLONG, like fdt_node_path(). */
static inline int fdt_walk_path(const struct fdt *f, const struct fdt_walk_pos *w, char *buf,
                                size_t size)
{
    size_t pos = 0;

    buf[0] = '\0';
    if (w->depth == 0) {
        if (size < 2) {
            return -ENAMETOOLONG;
        }
        strcpy(buf, "/");
        return 0;
    }
    for (int i = 1; i <= w->depth; i++) {
        const char *name = fdt_node_name(f, w->stack[i]);
        size_t len = strlen(name);

        if (pos + 1 + len + 1 > size) {
            return -ENAMETOOLONG;
        }
        buf[pos++] = '/';
        memcpy(buf + pos, name, len + 1);
        pos += len;
    }
    return 0;
}

/* The tree-wide checks of one sampled node, against the model; fi is f with the index. */
static inline int fdt_walk_global(const struct fdt *f, const struct fdt *fi,
                                  const struct fdt_walk_model *m, const struct fdt_walk_pos *w,
                                  fdt_walk_fail_fn fail, struct fdt_walk_stats *st)
{
    char path[FDT_MAX_PATH], mine[FDT_MAX_PATH], ipath[FDT_MAX_PATH];
    int node = w->stack[w->depth];
    int child, count, err, k = 0;
    struct fdt_prop compat;
    uint32_t ph;

    FDT_WALK_CHECK(fdt_parent(f, node) == m->parent[w->index], node);
    err = fdt_node_path(f, node, path, sizeof(path));
    FDT_WALK_CHECK(err == 0 || err == -ENAMETOOLONG, node);
    FDT_WALK_CHECK(strlen(path) < sizeof(path), node);
    FDT_WALK_CHECK(fdt_walk_path(f, w, mine, sizeof(mine)) == err, node);
    FDT_WALK_CHECK(fdt_node_path(fi, node, ipath, sizeof(ipath)) == err, node);
    FDT_WALK_CHECK(strcmp(ipath, path) == 0, node);
    if (err == 0) {
        int found = fdt_path(f, path);

        FDT_WALK_CHECK(strcmp(path, mine) == 0, node);
        /* Names are not validated, so a path need not lead back; it must lead to a node. */
        FDT_WALK_CHECK(found == -ENOENT || fdt_walk_index(m, found) >= 0, node);
    }
    for (child = fdt_first_child(f, node); child >= 0; child = fdt_next_sibling(f, child), k++) {
        const char *cn = fdt_node_name(f, child);
        int again, j;

        if (!fdt_walk_sampled(k, m->children[w->index])) {
            continue;
        }
        again = fdt_subnode(f, node, cn, strlen(cn));
        j = again >= 0 ? fdt_walk_index(m, again) : -1;
        FDT_WALK_CHECK(again == -ENOENT || (j >= 0 && m->parent[j] == node), node);
        if (again >= 0) {
            FDT_WALK_CHECK(strcmp(fdt_node_name(f, again), cn) == 0, node);
        }
    }
    count = fdt_reg_count(f, node);
    FDT_WALK_CHECK(count >= 0 || count == -EINVAL, node);
    FDT_WALK_CHECK(w->depth > 0 || count == -EINVAL, node); /* the root has no reg */
    /*
     * Every entry reads through the same offset arithmetic (idx * entry size), so the first,
     * the last, the end and an index far beyond it stand for all.
     */
    FDT_WALK_CHECK(fdt_reg_count(fi, node) == count, node);
    for (int i = 0; i <= count; i++) {
        uint64_t a, s, ia, is;

        if (i > 0 && i + 1 < count) {
            continue;
        }
        err = fdt_reg(i == 0 ? f : fi, node, (unsigned int)i, &a, &s);
        FDT_WALK_CHECK(i == count ? err == -ENOENT : (err == 0 || err == -EOVERFLOW), node);
        if (i == 0) {
            FDT_WALK_CHECK(fdt_reg(fi, node, 0, &ia, &is) == err, node);
            FDT_WALK_CHECK(err != 0 || (ia == a && is == s), node);
        }
        st->regs += err == 0;
    }
    if (count >= 0) {
        uint64_t a, s;

        FDT_WALK_CHECK(fdt_reg(fi, node, UINT32_MAX, &a, &s) == -ENOENT, node);
    }
    if (fdt_prop_u32(f, node, "phandle", &ph) == 0 ||
        fdt_prop_u32(f, node, "linux,phandle", &ph) == 0) {
        int owner = fdt_node_by_phandle(f, ph);

        /* Another node may carry the same phandle earlier in the tree. */
        FDT_WALK_CHECK(ph == 0 || ph == UINT32_MAX ? owner == -ENOENT : owner >= 0, node);
        FDT_WALK_CHECK(owner < 0 || (owner <= node && fdt_walk_index(m, owner) >= 0), node);
        FDT_WALK_CHECK(fdt_node_by_phandle(fi, ph) == owner, node);
    }
    if (fdt_prop(f, node, "compatible", &compat) == 0 && fdt_stringlist_count(&compat) > 0) {
        FDT_WALK_CHECK(fdt_find_compatible(f, -1, compat.data) <= node, node);
    }
    return 0;
}

/* The checks of one node: name, children against the model, properties, cells, compatible,
 * the index's parent. */
static inline int fdt_walk_node(const struct fdt *f, const struct fdt *fi,
                                const struct fdt_walk_model *m, const struct fdt_walk_pos *w,
                                fdt_walk_fail_fn fail, struct fdt_walk_stats *st)
{
    int node = w->stack[w->depth];
    const char *name = fdt_node_name(f, node);
    struct fdt_prop compat;
    int child, ac, sc, k = 0, last = node;

    FDT_WALK_CHECK(name != NULL && fdt_walk_inside(f, name, strlen(name) + 1), node);
    FDT_WALK_CHECK(m->off[w->index] == node, node);
    FDT_WALK_CHECK(fdt_parent(fi, node) == m->parent[w->index], node);
    for (child = fdt_first_child(f, node); child >= 0; child = fdt_next_sibling(f, child), k++) {
        int j = fdt_walk_index(m, child);

        /* A child is a node of the model, of this parent, after the previous one. */
        FDT_WALK_CHECK(j >= 0 && m->parent[j] == node && child > last, node);
        FDT_WALK_CHECK(fdt_node_name(f, child) != NULL, node);
        last = child;
    }
    FDT_WALK_CHECK(child == -ENOENT && k == m->children[w->index], node);
    if (fdt_walk_props(f, node, fail, st) != 0) {
        return -1;
    }
    ac = fdt_address_cells(f, node);
    sc = fdt_size_cells(f, node);
    FDT_WALK_CHECK((ac >= 0 && ac <= 4) || ac == -EINVAL, node);
    FDT_WALK_CHECK((sc >= 0 && sc <= 4) || sc == -EINVAL, node);
    if (fdt_prop(f, node, "compatible", &compat) == 0 && fdt_stringlist_count(&compat) > 0) {
        FDT_WALK_CHECK(fdt_is_compatible(f, node, compat.data), node);
    }
    if (fdt_walk_sampled(w->index, m->count) || w->index == m->deepest) {
        return fdt_walk_global(f, fi, m, w, fail, st);
    }
    return 0;
}

/* Build the model in one pass of fdt_next_node(); 0, or -1 after calling fail. */
static inline int fdt_walk_model(const struct fdt *f, struct fdt_walk_model *m,
                                 fdt_walk_fail_fn fail)
{
    int stack[FDT_MAX_DEPTH + 1];
    int max = (int)(f->size / 8) + 1; /* a node takes at least two tokens */
    int depth = 0, deepest = -1;
    int node;

    m->off = calloc((size_t)max, sizeof(int));
    m->parent = calloc((size_t)max, sizeof(int));
    m->children = calloc((size_t)max, sizeof(int));
    FDT_WALK_CHECK(m->off != NULL && m->parent != NULL && m->children != NULL, -1);
    for (node = fdt_root(f); node >= 0; node = fdt_next_node(f, node, &depth)) {
        int i = m->count;

        FDT_WALK_CHECK(i < max && depth >= 0 && depth < FDT_MAX_DEPTH, node);
        FDT_WALK_CHECK(i == 0 || node > m->off[i - 1], node);
        stack[depth] = i;
        m->off[i] = node;
        m->parent[i] = depth == 0 ? -ENOENT : m->off[stack[depth - 1]];
        if (depth > 0) {
            m->children[stack[depth - 1]]++;
        }
        if (depth > deepest) {
            deepest = depth;
            m->deepest = i;
        }
        m->count++;
    }
    FDT_WALK_CHECK(node == -ENOENT && depth == -1, node);
    return 0;
}

static inline void fdt_walk_model_free(struct fdt_walk_model *m)
{
    free(m->off);
    free(m->parent);
    free(m->children);
}

/* Walk the whole tree; 0, or -1 after calling fail. */
static inline int fdt_walk_all(const struct fdt *f, fdt_walk_fail_fn fail,
                               struct fdt_walk_stats *st)
{
    struct fdt_walk_model m = {0};
    struct fdt_walk_pos w = {0};
    struct fdt_index_entry *index;
    struct fdt fi = *f;
    int root = fdt_root(f);
    int depth = 0;
    uint64_t a, s;
    int node, err = 0;

    memset(st, 0, sizeof(*st));
    FDT_WALK_CHECK(root >= 0, root);
    if (fdt_walk_model(f, &m, fail) != 0) {
        fdt_walk_model_free(&m);
        return -1;
    }
    /* Exactly as many entries as the model has nodes: one fewer would not do. */
    index = calloc((size_t)m.count, sizeof(*index));
    if (index == NULL || fdt_init_index(&fi, f->base, f->size, index, (size_t)m.count) != 0 ||
        fi.index_len != (uint32_t)m.count) {
        fail("fdt_init_index() on the model's node count", root);
        err = -1;
    }
    for (node = root; node >= 0 && err == 0; node = fdt_next_node(f, node, &depth)) {
        w.depth = depth;
        w.stack[depth] = node;
        st->nodes++;
        err = fdt_walk_node(f, &fi, &m, &w, fail, st);
        w.index++;
    }
    free(index);
    fdt_walk_model_free(&m);
    if (err != 0) {
        return -1;
    }
    while (fdt_rsvmap(f, st->rsv, &a, &s) == 0) {
        st->rsv++;
        FDT_WALK_CHECK(st->rsv <= f->size / 16, -1);
    }
    return 0;
}
