/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The libfdt differential test (tests/host/fdt_libfdt_diff.sh): two views of one blob, one
 * printed through Bulkhead's reader (diff_ours.c) and one through Debian's libfdt
 * (diff_libfdt.c), compared by diff_main.c. Both readers call their functions fdt_*, so each
 * side is its own translation unit including only its own header, and Bulkhead's side is
 * linked into one object whose only global symbol is diff_ours().
 *
 * The view is text, identical for both readers when they agree: reservations, then for every
 * node in document order its offset, depth, path, parent, children, properties (name, length,
 * value, string count), phandle and its resolution, cell counts and decoded reg entries.
 * Path lookups are kept apart (struct diff_lookup) because the two readers deliberately
 * resolve "name" against "name@unit" siblings differently (include/hv/fdt.h, fdt_subnode).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bulkhead's FDT_MAX_PATH, checked against include/hv/fdt.h in diff_ours.c. */
#define DIFF_MAX_PATH 256
/* Depth beyond which Bulkhead's reader rejects a blob: its FDT_MAX_DEPTH. */
#define DIFF_MAX_DEPTH 32

/* The path of node looked up again: result, and whether the result has exactly that path. */
struct diff_lookup {
    int node;
    int result;
    bool exact;
};

struct diff_out {
    char *text;
    size_t len, cap;
    struct diff_lookup *look;
    unsigned int nlook, lookcap;
};

/* Append formatted text to o->text (diff_main.c). */
void diff_printf(struct diff_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record one path lookup (diff_main.c). */
void diff_lookup(struct diff_out *o, int node, int result, bool exact);

/* Bulkhead's view: 0 when fdt_init() accepts the blob (o filled), -1 when it rejects it. */
int diff_ours(const void *blob, size_t size, struct diff_out *o);

/* libfdt's view: 0 when fdt_check_full() accepts the blob (o filled), -1 otherwise. */
int diff_libfdt(const void *blob, size_t size, struct diff_out *o);

/*
 * For a blob libfdt accepts: the documented strictness rule of Bulkhead's reader it breaks
 * (include/hv/fdt.h, fdt_init), or NULL when it breaks none.
 */
const char *diff_stricter_rule(const void *blob, size_t size);
