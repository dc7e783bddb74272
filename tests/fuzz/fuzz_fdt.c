// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target for the FDT reader: fdt_init() on arbitrary bytes and, when it accepts
 * them, every accessor over every node, property, path, reg entry, phandle and reservation
 * (tests/fdt/fdt_walk.h). libFuzzer hands over an exact-size heap copy of each input, so
 * AddressSanitizer reports a read one byte outside the blob; a broken invariant aborts.
 */
#include <stdlib.h>

/*
 * Tree-wide accessors and by-name property lookups on 4 spread nodes (properties) plus the
 * last and the deepest, not 8: each of those calls scans the tree (or the node) again, and
 * under ASan, UBSan and coverage tracing a token read costs about 20 times what it costs
 * plain. Which nodes are sampled depends on the node count, so across inputs every position
 * is still reached; the unit tests keep 8 (all nodes of their fixtures).
 */
#define FDT_WALK_FULL 4
#include "../fdt/fdt_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_fail(const char *what, int node)
{
    fprintf(stderr, "fuzz_fdt: invariant broken at node %d: %s\n", node, what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fdt fdt;
    struct fdt_walk_stats st;

    if (fdt_init(&fdt, data, size) != 0) {
        return 0;
    }
    (void)fdt_walk_all(&fdt, walk_fail, &st);
    /* Relative, empty and odd paths on an accepted tree. */
    (void)fdt_path(&fdt, "/a@/b//c@0/");
    (void)fdt_path(&fdt, "cpus");
    return 0;
}
