// SPDX-License-Identifier: Apache-2.0
/* The libfdt differential test, Bulkhead's side: print the tree as lib/fdt.c reads it. */
#include <hv/errno.h>
#include <hv/fdt.h>
#include <stdio.h>
#include <string.h>

#include "diff.h"

_Static_assert(FDT_MAX_PATH == DIFF_MAX_PATH, "diff.h DIFF_MAX_PATH is out of date");
_Static_assert(FDT_MAX_DEPTH == DIFF_MAX_DEPTH, "diff.h DIFF_MAX_DEPTH is out of date");

static void print_cells(struct diff_out *o, const struct fdt *f, int node)
{
    int ac = fdt_address_cells(f, node);
    int sc = fdt_size_cells(f, node);

    diff_printf(o, " cells %d %d\n", ac < 0 ? -1 : ac, sc < 0 ? -1 : sc);
}

static void print_reg(struct diff_out *o, const struct fdt *f, int node)
{
    int n = fdt_reg_count(f, node);

    if (n < 0) {
        diff_printf(o, " reg bad\n");
        return;
    }
    for (int i = 0; i < n; i++) {
        uint64_t a, s;
        int err = fdt_reg(f, node, (unsigned int)i, &a, &s);

        if (err == -EOVERFLOW) {
            diff_printf(o, " reg %d overflow\n", i);
        } else if (err != 0) {
            diff_printf(o, " reg %d error\n", i);
        } else {
            diff_printf(o, " reg %d %#llx %#llx\n", i, (unsigned long long)a,
                        (unsigned long long)s);
        }
    }
}

static void print_props(struct diff_out *o, const struct fdt *f, int node)
{
    struct fdt_prop p, first;

    for (int err = fdt_first_prop(f, node, &p); err == 0; err = fdt_next_prop(f, &p)) {
        int n;

        diff_printf(o, " prop %s %u ", p.name, p.len);
        for (uint32_t i = 0; i < p.len; i++) {
            diff_printf(o, "%02x", ((const uint8_t *)p.data)[i]);
        }
        /* String count of the first property of that name (libfdt looks up by name). */
        n = fdt_prop(f, node, p.name, &first) == 0 ? fdt_stringlist_count(&first) : -100;
        diff_printf(o, " strings %d\n", n < 0 ? -1 : n);
    }
}

static void print_phandle(struct diff_out *o, const struct fdt *f, int node)
{
    uint32_t ph;

    if (fdt_prop_u32(f, node, "phandle", &ph) != 0 &&
        fdt_prop_u32(f, node, "linux,phandle", &ph) != 0) {
        return;
    }
    if (ph != 0) {
        int owner = fdt_node_by_phandle(f, ph);

        diff_printf(o, " phandle %#x -> %d\n", ph, owner < 0 ? -1 : owner);
    }
}

int diff_ours(const void *blob, size_t size, struct diff_out *o)
{
    struct fdt f;
    uint64_t a, s;
    int node, depth = 0;

    if (fdt_init(&f, blob, size) != 0) {
        return -1;
    }
    for (unsigned int i = 0; fdt_rsvmap(&f, i, &a, &s) == 0; i++) {
        diff_printf(o, "rsv %#llx %#llx\n", (unsigned long long)a, (unsigned long long)s);
    }
    for (node = fdt_root(&f); node >= 0; node = fdt_next_node(&f, node, &depth)) {
        char path[FDT_MAX_PATH];
        bool fits = fdt_node_path(&f, node, path, sizeof(path)) == 0;
        int parent = fdt_parent(&f, node);

        diff_printf(o, "node %d depth %d name '%s' path '%s'\n", node, depth,
                    fdt_node_name(&f, node), fits ? path : "<too long>");
        diff_printf(o, " parent %d\n", parent < 0 ? -1 : parent);
        diff_printf(o, " children");
        for (int c = fdt_first_child(&f, node); c >= 0; c = fdt_next_sibling(&f, c)) {
            diff_printf(o, " %d", c);
        }
        diff_printf(o, "\n");
        print_props(o, &f, node);
        print_phandle(o, &f, node);
        print_cells(o, &f, node);
        if (depth > 0) {
            print_reg(o, &f, node);
        }
        if (fits) {
            int r = fdt_path(&f, path);
            char rpath[FDT_MAX_PATH];

            diff_lookup(o, node, r < 0 ? -1 : r,
                        r >= 0 && fdt_node_path(&f, r, rpath, sizeof(rpath)) == 0 &&
                            strcmp(rpath, path) == 0);
        }
    }
    diff_printf(o, "end\n");
    return 0;
}
