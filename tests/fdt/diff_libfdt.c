// SPDX-License-Identifier: Apache-2.0
/*
 * The libfdt differential test, libfdt's side: print the tree as Debian's libfdt (1.6.x) reads
 * it, in the same text as diff_ours.c, and name the rule of Bulkhead's stricter fdt_init() a
 * blob breaks. libfdt has no reg decoding; it is done here from libfdt's raw property and cell
 * counts, following the Devicetree Specification 2.3.6 (what Bulkhead's fdt_reg() implements).
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "diff.h"

/*
 * #address-cells / #size-cells, -1 when malformed. libfdt 1.6 also calls #address-cells = 0
 * malformed; the spec allows it (interrupt controllers) and Bulkhead reads it as 0, so a
 * well-formed 0 is read as 0 here too.
 */
static int cells(const void *fdt, int node, const char *name)
{
    int v = strcmp(name, "#address-cells") == 0 ? fdt_address_cells(fdt, node)
                                                : fdt_size_cells(fdt, node);
    const fdt32_t *raw;
    int len;

    if (v == -FDT_ERR_BADNCELLS) {
        raw = fdt_getprop(fdt, node, name, &len);
        if (raw != NULL && len == 4 && fdt32_to_cpu(*raw) == 0) {
            return 0;
        }
    }
    return v < 0 ? -1 : v;
}

/* A value of n (<= 4) cells into 64 bits; false when a cell above the low two is non-zero. */
static bool read_value(const uint8_t *p, int n, uint64_t *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        uint32_t c = fdt32_to_cpu(*(const fdt32_t *)(const void *)(p + 4 * i));

        if (i < n - 2 && c != 0) {
            return false;
        }
        *v = *v << 32 | c;
    }
    return true;
}

static void print_reg(struct diff_out *o, const void *fdt, int node)
{
    int parent = fdt_parent_offset(fdt, node);
    int ac, sc, len, n;
    const uint8_t *reg;

    ac = parent < 0 ? -1 : cells(fdt, parent, "#address-cells");
    sc = parent < 0 ? -1 : cells(fdt, parent, "#size-cells");
    if (ac < 0 || sc < 0) {
        diff_printf(o, " reg bad\n");
        return;
    }
    reg = fdt_getprop(fdt, node, "reg", &len);
    if (reg == NULL) {
        return;
    }
    if (ac + sc == 0 || len % (4 * (ac + sc)) != 0) {
        diff_printf(o, " reg bad\n");
        return;
    }
    n = len / (4 * (ac + sc));
    for (int i = 0; i < n; i++) {
        const uint8_t *e = reg + (size_t)i * 4 * (size_t)(ac + sc);
        uint64_t a, s;

        if (!read_value(e, ac, &a) || !read_value(e + 4 * ac, sc, &s)) {
            diff_printf(o, " reg %d overflow\n", i);
        } else {
            diff_printf(o, " reg %d %#llx %#llx\n", i, (unsigned long long)a,
                        (unsigned long long)s);
        }
    }
}

static void print_props(struct diff_out *o, const void *fdt, int node)
{
    int off;

    fdt_for_each_property_offset(off, fdt, node)
    {
        const char *name;
        int len, n;
        const uint8_t *v = fdt_getprop_by_offset(fdt, off, &name, &len);

        if (v == NULL) {
            diff_printf(o, " prop <error %d>\n", len);
            continue;
        }
        diff_printf(o, " prop %s %d ", name, len);
        for (int i = 0; i < len; i++) {
            diff_printf(o, "%02x", v[i]);
        }
        n = fdt_stringlist_count(fdt, node, name);
        diff_printf(o, " strings %d\n", n < 0 ? -1 : n);
    }
}

int diff_libfdt(const void *blob, size_t size, struct diff_out *o)
{
    int depth = -1, node, n;
    uint64_t a, s;

    if (fdt_check_full(blob, size) != 0) {
        return -1;
    }
    n = fdt_num_mem_rsv(blob);
    for (int i = 0; i < n; i++) {
        if (fdt_get_mem_rsv(blob, i, &a, &s) == 0) {
            diff_printf(o, "rsv %#llx %#llx\n", (unsigned long long)a, (unsigned long long)s);
        }
    }
    /* Depth starts at -1: the first node (the root) is at depth 0, as in Bulkhead's walk. */
    for (node = fdt_next_node(blob, -1, &depth); node >= 0 && depth >= 0;
         node = fdt_next_node(blob, node, &depth)) {
        char path[4096];
        int err = fdt_get_path(blob, node, path, sizeof(path));
        bool fits = err == 0 && strlen(path) < DIFF_MAX_PATH;
        int parent = fdt_parent_offset(blob, node);
        uint32_t ph = fdt_get_phandle(blob, node);

        diff_printf(o, "node %d depth %d name '%s' path '%s'\n", node, depth,
                    fdt_get_name(blob, node, NULL), fits ? path : "<too long>");
        diff_printf(o, " parent %d\n", parent < 0 ? -1 : parent);
        diff_printf(o, " children");
        for (int c = fdt_first_subnode(blob, node); c >= 0; c = fdt_next_subnode(blob, c)) {
            diff_printf(o, " %d", c);
        }
        diff_printf(o, "\n");
        print_props(o, blob, node);
        if (ph != 0) {
            int owner = fdt_node_offset_by_phandle(blob, ph);

            diff_printf(o, " phandle %#x -> %d\n", ph, owner < 0 ? -1 : owner);
        }
        diff_printf(o, " cells %d %d\n", cells(blob, node, "#address-cells"),
                    cells(blob, node, "#size-cells"));
        if (depth > 0) {
            print_reg(o, blob, node);
        }
        if (fits) {
            int r = fdt_path_offset(blob, path);
            char rpath[4096];

            diff_lookup(o, node, r < 0 ? -1 : r,
                        r >= 0 && fdt_get_path(blob, r, rpath, sizeof(rpath)) == 0 &&
                            strcmp(rpath, path) == 0);
        }
    }
    diff_printf(o, "end\n");
    return 0;
}

/* Structure-block rules (fdt_init's check_structure) on a blob libfdt's walk accepts. */
static const char *stricter_structure(const void *fdt)
{
    int off = 0, next = 0, depth = 0, max_depth = 0;
    bool after_child = false;
    uint32_t strsize = fdt_size_dt_strings(fdt);
    uint64_t struct_end = fdt_version(fdt) >= 17 ? fdt_size_dt_struct(fdt)
                                                 : fdt_totalsize(fdt) - fdt_off_dt_struct(fdt);

    if (fdt_next_tag(fdt, 0, &next) != FDT_BEGIN_NODE) {
        return "the structure block does not start with the root node";
    }
    for (;;) {
        uint32_t tag = fdt_next_tag(fdt, off, &next);

        if (next < 0) {
            return NULL;
        }
        switch (tag) {
        case FDT_BEGIN_NODE: {
            const char *name = fdt_get_name(fdt, off, NULL);

            if (depth > 0 && (name[0] == '\0' || strchr(name, '/') != NULL)) {
                return "a node name that is empty or contains '/'";
            }
            if (++depth > max_depth) {
                max_depth = depth;
            }
            after_child = false;
            break;
        }
        case FDT_END_NODE:
            depth--;
            after_child = true;
            break;
        case FDT_PROP: {
            const struct fdt_property *p = fdt_offset_ptr(fdt, off, sizeof(*p));
            uint32_t nameoff = fdt32_to_cpu(p->nameoff);
            uint64_t end = (uint64_t)off + sizeof(*p) + fdt32_to_cpu(p->len);

            /* libfdt 1.6's fdt_next_tag() adds the length in int arithmetic: a length near
             * 4 GiB wraps around to a small step and the property "fits" (a libfdt bug, fixed
             * upstream in v1.7.0 by "libfdt: prevent integer overflow in fdt_next_tag"). */
            if (end > struct_end) {
                return "a property longer than the structure block (wraps in libfdt 1.6)";
            }
            if (after_child) {
                return "a property after a subnode";
            }
            if (nameoff >= strsize || memchr((const char *)fdt + fdt_off_dt_strings(fdt) + nameoff,
                                             '\0', strsize - nameoff) == NULL) {
                return "a property name outside size_dt_strings (version 16)";
            }
            break;
        }
        case FDT_END:
            if (max_depth == 0) {
                return "no root node";
            }
            if (max_depth > DIFF_MAX_DEPTH) {
                return "nesting deeper than FDT_MAX_DEPTH";
            }
            if (fdt_version(fdt) >= 17 && (uint32_t)next != fdt_size_dt_struct(fdt)) {
                return "data after FDT_END";
            }
            return NULL;
        default:
            break;
        }
        off = next;
    }
}

const char *diff_stricter_rule(const void *fdt, size_t size)
{
    int n = fdt_num_mem_rsv(fdt);
    uint64_t a, s;

    (void)size;
    if (fdt_version(fdt) < 16) {
        return "version below 16";
    }
    if (fdt_off_dt_struct(fdt) % 4 != 0) {
        return "misaligned structure block";
    }
    if (fdt_version(fdt) >= 17 && fdt_size_dt_struct(fdt) % 4 != 0) {
        return "structure block size not a multiple of 4";
    }
    if (fdt_off_mem_rsvmap(fdt) % 8 != 0) {
        return "misaligned reservation block";
    }
    /* libfdt ends the list at the first entry of size 0 (fdt_num_mem_rsv()). */
    if (n >= 0) {
        const uint8_t *t = (const uint8_t *)fdt + fdt_off_mem_rsvmap(fdt) + 16 * (size_t)n;

        a = fdt64_to_cpu(*(const fdt64_t *)(const void *)t);
        s = fdt64_to_cpu(*(const fdt64_t *)(const void *)(t + 8));
        if (s == 0 && a != 0) {
            return "a reservation entry of size 0 with a non-zero address";
        }
    }
    return stricter_structure(fdt);
}
