// SPDX-License-Identifier: Apache-2.0
/*
 * pt_for_each_leaf() (include/hv/pgtable.h): a read-only walk over every valid leaf, for the
 * test builds' stage-2 audit (core/partition/audit.c). Kept out of the walker so that product
 * builds do not carry it.
 */
#include <hv/pgtable.h>

/* pt_for_each_leaf() below tbl at level, whose first input address is base. */
static int leaves_level(const struct pgtable *pt, const uint64_t *tbl, unsigned int level,
                        uint64_t base, pt_leaf_fn fn, void *ctx)
{
    const struct pt_format *fmt = pt->fmt;
    uint64_t size = pt_level_size(fmt, level);

    for (uint64_t i = 0; i < UINT64_C(1) << fmt->bits_per_level; i++) {
        uint64_t pte = READ_ONCE(tbl[i]);
        struct pt_attrs attrs;
        hpa_t out;
        int err;

        if (!pte || !fmt->is_valid(pte, level)) {
            continue;
        }
        out = fmt->output(pte, level);
        if (level > 0 && fmt->is_table(pte, level)) {
            err = leaves_level(pt, pt->mm->phys_to_virt((struct pgtable *)pt, out), level - 1,
                               base + i * size, fn, ctx);
        } else {
            fmt->attrs(pte, level, &attrs);
            err = fn(ctx, base + i * size, out, size, &attrs);
        }
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

int pt_for_each_leaf(const struct pgtable *pt, pt_leaf_fn fn, void *ctx)
{
    if (pt->depth == 0) {
        return 0;
    }
    return leaves_level(pt, pt->mm->phys_to_virt((struct pgtable *)pt, pt->root), pt->depth - 1, 0,
                        fn, ctx);
}
