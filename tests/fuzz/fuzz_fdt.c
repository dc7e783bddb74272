// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target for the FDT reader: fdt_init() on arbitrary bytes and, when it accepts
 * them, every accessor over every node, property, path, reg entry, phandle and reservation
 * (tests/fdt/fdt_walk.h). libFuzzer hands over an exact-size heap copy of each input, so
 * AddressSanitizer reports a read one byte outside the blob; a broken invariant aborts.
 */
#include <stdlib.h>

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
