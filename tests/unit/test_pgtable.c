// SPDX-License-Identifier: Apache-2.0
/*
 * core/mm/pgtable*.c: the generic walker with both formats, against an instrumented table-page
 * pt_arena (counts allocations, fails the Nth, records flushes) and, for random sequences, a
 * page-by-page reference model.
 */
#include <stdlib.h>

#include <hv/errno.h>
#include <hv/pgtable.h>

#include "pt_arena.h"
#include "unit.h"

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* ---- instrumented table-page pt_arena ---- */

static const struct pt_attrs RW = {.r = true, .w = true, .x = false, .type = PT_MEM_NORMAL_WB};
static const struct pt_attrs RX = {.r = true, .w = false, .x = true, .type = PT_MEM_NORMAL_WB};
static const struct pt_attrs DEV = {.r = true, .w = true, .x = false, .type = PT_MEM_DEVICE};

/* The formats with 1 GiB leaves and depths 1.., and all of them. */
static const struct pt_format *const formats[] = {&pt_fmt_arm_s2_4k, &pt_fmt_amdvi};
static const struct pt_format *const all_formats[] = {&pt_fmt_arm_s2_4k, &pt_fmt_amdvi,
                                                      &pt_fmt_x86_npt, &pt_fmt_x86_npt_1g};

/* Depth 3 (512 GiB) where the format allows it. */
static unsigned int test_depth(const struct pt_format *f)
{
    return MAX(3u, f->min_depth);
}

/* Look up in and check it translates to out at level. */
static bool maps_to(const struct pgtable *pt, uint64_t in, uint64_t out, unsigned int level)
{
    hpa_t got;
    unsigned int l;

    if (pt_lookup(pt, in, &got, NULL, &l) != 0) {
        return false;
    }
    return hpa_val(got) == out && l == level;
}

/* ---- encodings against the specs and the values verified on QEMU (BRIEF §8) ---- */

TEST(amdvi_encodings)
{
    const struct pt_format *f = &pt_fmt_amdvi;
    struct pt_attrs a;

    /* Growth PDE: old Mode-2 root at 0x5100000 under Mode 3 (generic level 2). */
    CHECK_EQ(f->make_table(hpa(0x5100000), 2), UINT64_C(0x6000000005100401));
    /* Level-1 PDE pointing at a level-1 table: NextLevel 1. */
    CHECK_EQ(f->make_table(hpa(0x123456000), 1), UINT64_C(0x6000000123456201));
    /* Leaf PTEs: NextLevel 0, IR/IW from the attributes, PR. */
    CHECK_EQ(f->make_leaf(hpa(0x80000000), 0, &RW), UINT64_C(0x6000000080000001));
    CHECK_EQ(f->make_leaf(hpa(0x80200000), 1, &RX), UINT64_C(0x2000000080200001));
    CHECK(f->is_valid(0x6000000005100401, 2) && f->is_table(0x6000000005100401, 2));
    CHECK(!f->is_table(0x2000000080200001, 1));
    CHECK(!f->is_table(0x6000000080000e01, 1)); /* NextLevel 7: a sized PTE, not a table */
    CHECK(!f->is_valid(0x6000000080000000, 0));
    CHECK_EQ(hpa_val(f->output(0x6000000005100401, 2)), 0x5100000);
    f->attrs(0x2000000080200001, 1, &a);
    CHECK(a.r && !a.w && !a.x && a.type == PT_MEM_NORMAL_WB);
    /* The DTE built from a table's root and depth (BRIEF §8): amdvi_dte_translate(),
     * tests/unit/test_amdvi_hw.c. */
}

TEST(arm_s2_encodings)
{
    const struct pt_format *f = &pt_fmt_arm_s2_4k;
    const uint64_t XN = UINT64_C(1) << 54;
    struct pt_attrs a;

    CHECK_EQ(f->make_table(hpa(0x40001000), 1), UINT64_C(0x40001003));
    /* Page, Normal WB (MemAttr 0b1111), S2AP RW, SH inner, AF, executable. */
    CHECK_EQ(f->make_leaf(hpa(0x40000000), 0, &RX), UINT64_C(0x4000077f));
    CHECK_EQ(f->make_leaf(hpa(0x40000000), 0, &RW), UINT64_C(0x400007ff) | XN);
    /* 2 MiB block (0b01), Device-nGnRE (MemAttr 0b0001). */
    CHECK_EQ(f->make_leaf(hpa(0x09000000), 1, &DEV), UINT64_C(0x090007c5) | XN);
    /* 1 GiB block, Normal WT (0b1010) and NC (0b0101). */
    struct pt_attrs wt = {.r = true, .type = PT_MEM_NORMAL_WT};
    struct pt_attrs nc = {.w = true, .type = PT_MEM_NORMAL_NC};
    CHECK_EQ(f->make_leaf(hpa(GiB(1)), 2, &wt), UINT64_C(0x40000769) | XN);
    CHECK_EQ(f->make_leaf(hpa(GiB(1)), 2, &nc), UINT64_C(0x40000795) | XN);
    /* bits[1:0] = 0b11 is a table above level 3 but a page at level 3. */
    CHECK(f->is_table(0x40001003, 1) && !f->is_table(0x40001003, 0));
    CHECK(!f->is_table(0x090007c5, 1));
    for (int t = PT_MEM_NORMAL_WB; t <= PT_MEM_DEVICE; t++) {
        struct pt_attrs in = {.r = t & 1, .w = !(t & 1), .x = t == 0, .type = t};

        f->attrs(f->make_leaf(hpa(MiB(2)), 1, &in), 1, &a);
        CHECK(a.r == in.r && a.w == in.w && a.x == in.x && a.type == in.type);
    }

    /* VTCR_EL2 = 0x80023559 for a 39-bit IPA: T0SZ 25, SL0 1 (depth 3, start level 1). */
    struct pgtable pt = {.fmt = f, .depth = 3};
    CHECK_EQ(pt_arm_s2_t0sz(&pt), 0x80023559 & 0x3f);
    CHECK_EQ(pt_arm_s2_sl0(&pt), (0x80023559 >> 6) & 3);
    /* SMMU STE: S2T0SZ 34, S2SL0 0 (depth 2); 48-bit: T0SZ 16, SL0 2; depth 1: SL0 3. */
    pt.depth = 2;
    CHECK_EQ(pt_arm_s2_t0sz(&pt), 34);
    CHECK_EQ(pt_arm_s2_sl0(&pt), 0);
    pt.depth = 4;
    CHECK_EQ(pt_arm_s2_t0sz(&pt), 16);
    CHECK_EQ(pt_arm_s2_sl0(&pt), 2);
    pt.depth = 1;
    CHECK_EQ(pt_arm_s2_sl0(&pt), 3);
}

/* The walker writes runs of leaves as one leaf plus multiples of the level size (struct
 * pt_format, make_leaf): every format keeps the output address in place. */
TEST(leaf_output_in_place)
{
    const struct pt_format *const fs[] = {&pt_fmt_arm_s2_4k, &pt_fmt_amdvi, &pt_fmt_x86_npt,
                                          &pt_fmt_x86_npt_1g, &pt_fmt_arm_s1_4k};
    const struct pt_attrs *const as[] = {&RW, &RX, &DEV};

    for (unsigned int i = 0; i < ARRAY_SIZE(fs); i++) {
        for (unsigned int l = 0; l < 3; l++) {
            uint64_t size = pt_level_size(fs[i], l), base = GiB(4);

            for (unsigned int a = 0; a < ARRAY_SIZE(as) && ((fs[i]->leaf_levels >> l) & 1); a++) {
                uint64_t first = fs[i]->make_leaf(hpa(base), l, as[a]);

                CHECK_EQ(fs[i]->make_leaf(hpa(base + 511 * size), l, as[a]), first + 511 * size);
            }
        }
    }
}

TEST(reach_and_depth)
{
    struct pgtable pt = {.fmt = &pt_fmt_amdvi, .depth = 3};

    CHECK_EQ(pt_reach(&pt), GiB(512));
    CHECK(pt_covers(&pt, GiB(512) - 1) && !pt_covers(&pt, GiB(512)));
    pt.depth = 6;
    CHECK_EQ(pt_reach_bits(&pt_fmt_amdvi, 6), 64);
    CHECK_EQ(pt_reach(&pt), UINT64_MAX);
    CHECK(pt_covers(&pt, UINT64_MAX));
    CHECK_EQ(pt_reach_bits(&pt_fmt_arm_s2_4k, 4), 48);
    CHECK_EQ(pt_depth_for(&pt_fmt_amdvi, 0), 1);
    CHECK_EQ(pt_depth_for(&pt_fmt_amdvi, MiB(2) - 1), 1);
    CHECK_EQ(pt_depth_for(&pt_fmt_amdvi, MiB(2)), 2);
    CHECK_EQ(pt_depth_for(&pt_fmt_amdvi, UINT64_MAX), 6);
    CHECK_EQ(pt_depth_for(&pt_fmt_arm_s2_4k, GiB(512) - 1), 3);
    CHECK_EQ(pt_depth_for(&pt_fmt_arm_s2_4k, UINT64_C(1) << 48), -ERANGE);
    CHECK_EQ(pt_level_size(&pt_fmt_arm_s2_4k, 2), GiB(1));
}

/* ---- map: block selection by alignment, table-driven ---- */

struct map_case {
    const char *what;
    uint64_t in, out, size;
    uint64_t bytes[3]; /* expected bytes mapped at levels 0, 1, 2 */
    uint64_t tables;   /* expected table pages, root included (depth 3) */
};

static const struct map_case map_cases[] = {
    {"one page", 0x1000, 0x80001000, KiB(4), {KiB(4), 0, 0}, 3},
    {"2M aligned both", MiB(2), 0x80200000, MiB(2), {0, MiB(2), 0}, 2},
    {"1G aligned both", GiB(1), GiB(3), GiB(1), {0, 0, GiB(1)}, 1},
    {"1G in, out only 2M aligned", GiB(1), GiB(3) + MiB(2), GiB(1), {0, GiB(1), 0}, 2},
    {"2M in, out 4K aligned", MiB(2), 0x80001000, MiB(2), {MiB(2), 0, 0}, 3},
    {"page + 2M + page", MiB(2) - KiB(4), GiB(2) - KiB(4), MiB(2) + KiB(8), {KiB(8), MiB(2), 0}, 4},
    {"1G + 2M + 4K run", GiB(1), GiB(4), GiB(1) + MiB(2) + KiB(4), {KiB(4), MiB(2), GiB(1)}, 3},
    {"head pages, 2M blocks, 1G, tail",
     GiB(1) - MiB(4) - KiB(8),
     GiB(5) - MiB(4) - KiB(8),
     GiB(1) + MiB(8) + KiB(16),
     {KiB(16), MiB(8), GiB(1)},
     5},
};

TEST(map_block_selection)
{
    for (unsigned int fi = 0; fi < ARRAY_SIZE(formats); fi++) {
        for (unsigned int c = 0; c < ARRAY_SIZE(map_cases); c++) {
            const struct map_case *mc = &map_cases[c];
            struct pgtable pt;

            pt_arena_reset();
            REQUIRE(pt_init(&pt, formats[fi], &pt_arena_ops, NULL, 3) == 0);
            CHECK_EQ(pt_map(&pt, mc->in, hpa(mc->out), mc->size, &RW), 0);
            for (unsigned int l = 0; l < 3; l++) {
                if (pt_mapped_bytes(&pt, l) != mc->bytes[l]) {
                    unit_fail(__FILE__, __LINE__, "%s/%s: level %u: %#llx bytes", formats[fi]->name,
                              mc->what, l, (unsigned long long)pt_mapped_bytes(&pt, l));
                }
            }
            CHECK_EQ(pt_table_pages(&pt), mc->tables);
            CHECK_EQ(pt_arena_used(), mc->tables);
            CHECK_EQ(pt_arena_flushes, 0); /* map into empty entries never flushes */
            /* Every page of the range, and nothing next to it, resolves. */
            for (uint64_t off = 0; off < mc->size; off += KiB(4)) {
                hpa_t out;
                struct pt_attrs a;

                if (pt_lookup(&pt, mc->in + off, &out, &a, NULL) != 0 ||
                    hpa_val(out) != mc->out + off || !a.r || !a.w) {
                    unit_fail(__FILE__, __LINE__, "%s/%s: offset %#llx", formats[fi]->name,
                              mc->what, (unsigned long long)off);
                    break;
                }
            }
            CHECK_EQ(pt_lookup(&pt, mc->in - KiB(4), NULL, NULL, NULL), -ENOENT);
            CHECK_EQ(pt_lookup(&pt, mc->in + mc->size, NULL, NULL, NULL), -ENOENT);
            /* Unmapping it all returns to the bare root. */
            CHECK_EQ(pt_unmap(&pt, mc->in, mc->size), 0);
            CHECK_EQ(pt_table_pages(&pt), 1);
            CHECK_EQ(pt_mapped_total(&pt), 0);
            CHECK_EQ(pt_arena_used(), 1);
            pt_destroy(&pt);
            CHECK_EQ(pt_arena_used(), 0);
        }
    }
}

TEST(map_errors_change_nothing)
{
    for (unsigned int fi = 0; fi < ARRAY_SIZE(formats); fi++) {
        struct pgtable pt;
        struct pt_snapshot s;

        pt_arena_reset();
        REQUIRE(pt_init(&pt, formats[fi], &pt_arena_ops, NULL, 3) == 0);
        REQUIRE(pt_map(&pt, GiB(1), hpa(GiB(2)), MiB(2), &RW) == 0);
        REQUIRE(pt_map(&pt, GiB(2) + KiB(8), hpa(GiB(3)), KiB(4), &RW) == 0);
        pt_snap_take(&s, &pt);
        /* Overlaps: the tail of a new range hits the block; a block over an existing page. */
        CHECK_EQ(pt_map(&pt, 0, hpa(0), GiB(1) + KiB(4), &RW), -EEXIST);
        CHECK_EQ(pt_map(&pt, GiB(2), hpa(GiB(4)), GiB(1), &RW), -EEXIST);
        CHECK_EQ(pt_map(&pt, GiB(1) + MiB(1), hpa(0), KiB(4), &RW), -EEXIST);
        CHECK_EQ(pt_map(&pt, GiB(2) + KiB(8), hpa(0), KiB(4), &RW), -EEXIST);
        /* Beyond the reach of depth 3 (512 GiB), partly or wholly: never grows. */
        CHECK_EQ(pt_map(&pt, GiB(512) - KiB(4), hpa(0), KiB(8), &RW), -ERANGE);
        CHECK_EQ(pt_map(&pt, GiB(512), hpa(0), KiB(4), &RW), -ERANGE);
        CHECK_EQ(pt_unmap(&pt, GiB(512), KiB(4)), -ERANGE);
        /* Misaligned, empty, overflowing. */
        CHECK_EQ(pt_map(&pt, 0x800, hpa(0), KiB(4), &RW), -EINVAL);
        CHECK_EQ(pt_map(&pt, 0, hpa(0x800), KiB(4), &RW), -EINVAL);
        CHECK_EQ(pt_map(&pt, 0, hpa(0), 0x800, &RW), -EINVAL);
        CHECK_EQ(pt_map(&pt, 0, hpa(0), 0, &RW), -EINVAL);
        CHECK_EQ(pt_map(&pt, 0, hpa(UINT64_MAX - KiB(4) + 1), KiB(8), &RW), -EINVAL);
        CHECK_EQ(pt_unmap(&pt, UINT64_MAX - KiB(4) + 1, KiB(8)), -EINVAL);
        CHECK(pt_snap_same(&s, &pt));
        pt_destroy(&pt);
        CHECK_EQ(pt_arena_used(), 0);
    }
}

/* ---- rollback: fail every allocation in turn ---- */

/* One change under test, applied to a table pre-populated by setup(). */
struct rollback_case {
    const char *what;
    void (*setup)(struct pgtable *pt);
    int (*change)(struct pgtable *pt);
};

static void setup_mixed(struct pgtable *pt)
{
    int err = pt_map(pt, GiB(1), hpa(GiB(8)), GiB(1), &RW);         /* 1 GiB block */
    err |= pt_map(pt, GiB(3), hpa(GiB(9) + KiB(4)), MiB(4), &RX);   /* pages */
    err |= pt_map(pt, GiB(4) + MiB(2), hpa(GiB(10)), MiB(4), &DEV); /* 2 MiB blocks */
    if (err) {
        unit_fail(__FILE__, __LINE__, "setup failed");
    }
}

static int change_map_many(struct pgtable *pt)
{
    /* Needs tables at several levels: pages, blocks and new level-1/level-0 tables. */
    return pt_map(pt, GiB(5) - KiB(12), hpa(GiB(20) - KiB(12)), GiB(1) + MiB(6) + KiB(24), &RW);
}

static int change_unmap_split_1g(struct pgtable *pt)
{
    /* A hole in the middle of the 1 GiB block: splits down to pages at both ends. */
    return pt_unmap(pt, GiB(1) + MiB(3) + KiB(4), MiB(5));
}

static int change_unmap_split_2m(struct pgtable *pt)
{
    return pt_unmap(pt, GiB(4) + MiB(3), KiB(8));
}

static int change_grow(struct pgtable *pt)
{
    /* Formats that cannot grow get a second map of their own instead. */
    if (pt->depth == pt->fmt->max_depth) {
        return pt_map(pt, GiB(200) + KiB(4), hpa(GiB(30)), KiB(8), &RW);
    }
    return pt_grow(pt, pt->fmt->max_depth);
}

static const struct rollback_case rollback_cases[] = {
    {"map", setup_mixed, change_map_many},
    {"unmap split 1G", setup_mixed, change_unmap_split_1g},
    {"unmap split 2M", setup_mixed, change_unmap_split_2m},
    {"grow", setup_mixed, change_grow},
};

TEST(rollback_at_every_allocation)
{
    for (unsigned int fi = 0; fi < ARRAY_SIZE(all_formats); fi++) {
        for (unsigned int c = 0; c < ARRAY_SIZE(rollback_cases); c++) {
            const struct rollback_case *rc = &rollback_cases[c];
            uint64_t needed;
            struct pgtable pt;

            /* First a clean run, to learn how many allocations the change makes. */
            pt_arena_reset();
            REQUIRE(pt_init(&pt, all_formats[fi], &pt_arena_ops, NULL,
                            test_depth(all_formats[fi])) == 0);
            rc->setup(&pt);
            uint64_t before = pt_arena_allocs;
            CHECK_EQ(rc->change(&pt), 0);
            needed = pt_arena_allocs - before;
            CHECK(needed > 0);
            CHECK_EQ(pt_table_pages(&pt), pt_arena_used());
            pt_destroy(&pt);
            CHECK_EQ(pt_arena_used(), 0);

            for (uint64_t f = 0; f < needed; f++) {
                struct pt_snapshot s;

                pt_arena_reset();
                REQUIRE(pt_init(&pt, all_formats[fi], &pt_arena_ops, NULL,
                                test_depth(all_formats[fi])) == 0);
                rc->setup(&pt);
                pt_snap_take(&s, &pt);
                pt_arena_fail_at = pt_arena_allocs + f;
                uint64_t flushes = pt_arena_flushes;
                int err = rc->change(&pt);
                if (err != -ENOMEM || !pt_snap_same(&s, &pt) || pt_arena_flushes != flushes) {
                    unit_fail(__FILE__, __LINE__, "%s/%s: failing allocation %llu: err %d",
                              all_formats[fi]->name, rc->what, (unsigned long long)f, err);
                }
                pt_destroy(&pt);
                CHECK_EQ(pt_arena_used(), 0);
            }
        }
    }
}

/* ---- unmap: splitting and freeing ---- */

TEST(unmap_splits_and_frees)
{
    for (unsigned int fi = 0; fi < ARRAY_SIZE(formats); fi++) {
        struct pgtable pt;
        uint64_t in = GiB(2), out = GiB(7);

        pt_arena_reset();
        REQUIRE(pt_init(&pt, formats[fi], &pt_arena_ops, NULL, 3) == 0);
        REQUIRE(pt_map(&pt, in, hpa(out), GiB(1), &RX) == 0);
        CHECK_EQ(pt_table_pages(&pt), 1);
        /* One page out of the middle: 1G -> 511 x 2M + 512 x 4K - 1. */
        CHECK_EQ(pt_unmap(&pt, in + MiB(5), KiB(4)), 0);
        CHECK_EQ(pt_table_pages(&pt), 3);
        CHECK_EQ(pt_mapped_bytes(&pt, 2), 0);
        CHECK_EQ(pt_mapped_bytes(&pt, 1), GiB(1) - MiB(2));
        CHECK_EQ(pt_mapped_bytes(&pt, 0), MiB(2) - KiB(4));
        CHECK_EQ(pt_lookup(&pt, in + MiB(5), NULL, NULL, NULL), -ENOENT);
        CHECK(maps_to(&pt, in + MiB(5) - KiB(4), out + MiB(5) - KiB(4), 0));
        CHECK(maps_to(&pt, in + MiB(5) + KiB(4), out + MiB(5) + KiB(4), 0));
        CHECK(maps_to(&pt, in + MiB(6), out + MiB(6), 1));
        CHECK(maps_to(&pt, in, out, 1));
        CHECK(maps_to(&pt, in + GiB(1) - KiB(4), out + GiB(1) - KiB(4), 1));
        /* The split attributes carry over. */
        struct pt_attrs a;
        REQUIRE(pt_lookup(&pt, in + MiB(4), NULL, &a, NULL) == 0);
        CHECK(a.r == RX.r && a.w == RX.w);
        /* The flush covered the whole block (break-before-make). */
        CHECK(pt_arena_flushes >= 1);
        CHECK(pt_arena_flush_first <= in && pt_arena_flush_last >= in + GiB(1) - 1);
        /* Unmap the rest of that 2M by pieces, with holes: the page table goes away. */
        CHECK_EQ(pt_unmap(&pt, in + MiB(4), MiB(1) + KiB(4)), 0);
        pt_arena_flushes = 0;
        /* The 4K table (root entry 2, then entry 2) must hold no valid entry until flushed. */
        const struct pt_format *f = formats[fi];
        uint64_t *l1 = pt_arena_page(f->output(((uint64_t *)pt_arena_page(pt.root))[2], 2));
        pt_arena_watch = hpa_val(f->output(l1[2], 1));
        CHECK_EQ(pt_unmap(&pt, in + MiB(5) + KiB(4), MiB(1) - KiB(4)), 0);
        CHECK(!f->is_valid(pt_arena_watched, 0));
        CHECK_EQ(pt_table_pages(&pt), 2);
        /* The freed page table's whole span was flushed (walk caches), not just the range. */
        CHECK_EQ(pt_arena_flushes, 1);
        CHECK(pt_arena_flush_first <= in + MiB(4) && pt_arena_flush_last >= in + MiB(6) - 1);
        /* Unmap an already-empty range: idempotent, and nothing to flush. */
        CHECK_EQ(pt_unmap(&pt, in + MiB(4), MiB(2)), 0);
        CHECK_EQ(pt_arena_flushes, 1);
        CHECK_EQ(pt_unmap(&pt, 0, GiB(512)), 0);
        CHECK_EQ(pt_table_pages(&pt), 1);
        CHECK_EQ(pt_mapped_total(&pt), 0);
        CHECK_EQ(pt_arena_used(), 1);
        pt_destroy(&pt);
        CHECK_EQ(pt_arena_used(), 0);
    }
}

/*
 * A failed break-before-make flush: the old block may still be cached, so the table replacing
 * it is never linked and the whole block stays unmapped; the error is returned, nothing leaks.
 */
TEST(unmap_split_with_failed_flush_unmaps_block)
{
    for (unsigned int fi = 0; fi < ARRAY_SIZE(formats); fi++) {
        struct pgtable pt;
        uint64_t in = GiB(2);

        pt_arena_reset();
        REQUIRE(pt_init(&pt, formats[fi], &pt_arena_ops, NULL, 3) == 0);
        REQUIRE(pt_map(&pt, in, hpa(GiB(7)), GiB(1), &RX) == 0);
        REQUIRE(pt_map(&pt, in + GiB(1), hpa(GiB(9)), MiB(2), &RX) == 0);
        pt_arena_flush_err = -ETIMEDOUT;
        CHECK_EQ(pt_unmap(&pt, in + MiB(5), KiB(4)), -ETIMEDOUT);
        CHECK_EQ(pt_lookup(&pt, in, NULL, NULL, NULL), -ENOENT);
        CHECK_EQ(pt_lookup(&pt, in + MiB(5) + KiB(4), NULL, NULL, NULL), -ENOENT);
        CHECK(maps_to(&pt, in + GiB(1), GiB(9), 1));
        CHECK_EQ(pt_mapped_total(&pt), MiB(2));
        CHECK_EQ(pt_table_pages(&pt), 2);
        CHECK_EQ(pt_arena_used(), 2);
        pt_arena_flush_err = 0;
        pt_destroy(&pt);
        CHECK_EQ(pt_arena_used(), 0);
    }
}

/* ---- growth ---- */

TEST(grow_from_one_level_to_max)
{
    for (unsigned int fi = 0; fi < ARRAY_SIZE(formats); fi++) {
        const struct pt_format *f = formats[fi];
        struct pgtable pt;
        uint64_t addrs[PT_MAX_LEVELS * 2];
        unsigned int n = 0;

        pt_arena_reset();
        REQUIRE(pt_init(&pt, f, &pt_arena_ops, NULL, 1) == 0);
        for (unsigned int d = 1; d <= f->max_depth; d++) {
            uint64_t last_page =
                pt_reach(&pt) == UINT64_MAX ? UINT64_MAX - KiB(4) + 1 : pt_reach(&pt) - KiB(4);
            hpa_t old_root = pt.root;

            /* The first page past the previous boundary, and the last page in reach. */
            if (d > 1) {
                addrs[n] = pt_level_size(f, d - 1);
                CHECK_EQ(pt_map(&pt, addrs[n], hpa(GiB(64) + n * KiB(4)), KiB(4), &RW), 0);
                n++;
            }
            addrs[n] = last_page;
            CHECK_EQ(pt_map(&pt, addrs[n], hpa(GiB(64) + n * KiB(4)), KiB(4), &RW), 0);
            n++;
            CHECK(pt_covers(&pt, last_page + KiB(4) - 1));
            if (d == f->max_depth) {
                break;
            }
            CHECK_EQ(pt_map(&pt, pt_reach(&pt), hpa(0), KiB(4), &RW), -ERANGE);
            CHECK_EQ(pt_grow(&pt, d + 1), 0);
            CHECK_EQ(pt.depth, d + 1);
            /* The new root's entry 0 points at the old root (BRIEF §5). */
            uint64_t e0 = ((uint64_t *)pt_arena_page(pt.root))[0];
            CHECK_EQ(e0, f->make_table(old_root, d));
            for (unsigned int i = 0; i < n; i++) {
                if (!maps_to(&pt, addrs[i], GiB(64) + i * KiB(4), 0)) {
                    unit_fail(__FILE__, __LINE__, "%s: depth %u: %#llx lost", f->name, d + 1,
                              (unsigned long long)addrs[i]);
                }
            }
        }
        CHECK_EQ(pt.depth, f->max_depth);
        CHECK_EQ(pt_grow(&pt, f->max_depth + 1), -EINVAL);
        CHECK_EQ(pt_grow(&pt, 1), -EINVAL);
        CHECK_EQ(pt_grow(&pt, f->max_depth), 0);
        for (unsigned int i = 0; i < n; i++) {
            CHECK(maps_to(&pt, addrs[i], GiB(64) + i * KiB(4), 0));
        }
        CHECK_EQ(pt_table_pages(&pt), pt_arena_used());
        pt_destroy(&pt);
        CHECK_EQ(pt_arena_used(), 0);
    }
}

TEST(amdvi_growth_matches_brief)
{
    struct pgtable pt;

    pt_arena_reset();
    REQUIRE(pt_init(&pt, &pt_fmt_amdvi, &pt_arena_ops, NULL, 2) == 0);
    hpa_t old = pt.root;
    REQUIRE(pt_grow(&pt, 3) == 0);
    /* Entry 0 of the Mode-3 root: old root | NextLevel 2 | IR | IW | PR. */
    CHECK_EQ(((uint64_t *)pt_arena_page(pt.root))[0], hpa_val(old) | UINT64_C(0x6000000000000401));
    CHECK_EQ(pt.depth, 3); /* the DTE's Mode (amdvi_dte_translate) */
    pt_destroy(&pt);
}

TEST(init_rejects_bad_depth_and_survives_enomem)
{
    struct pgtable pt;

    pt_arena_reset();
    CHECK_EQ(pt_init(&pt, &pt_fmt_arm_s2_4k, &pt_arena_ops, NULL, 0), -EINVAL);
    CHECK_EQ(pt_init(&pt, &pt_fmt_arm_s2_4k, &pt_arena_ops, NULL, 5), -EINVAL);
    pt_arena_fail_at = 0;
    CHECK_EQ(pt_init(&pt, &pt_fmt_amdvi, &pt_arena_ops, NULL, 1), -ENOMEM);
    CHECK_EQ(pt_arena_used(), 0);
}

/* ---- random sequences against a page-by-page reference model ---- */

#define MODEL_PAGES 8192 /* a 32 MiB window: 16 x 2 MiB blocks */
#define MODEL_BASE GiB(3)

struct model_page {
    uint64_t out; /* 0: unmapped */
    bool w;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

TEST(random_against_model)
{
    static struct model_page model[MODEL_PAGES];

    for (unsigned int fi = 0; fi < ARRAY_SIZE(all_formats); fi++) {
        struct pgtable pt;

        pt_arena_reset();
        memset(model, 0, sizeof(model));
        REQUIRE(pt_init(&pt, all_formats[fi], &pt_arena_ops, NULL, test_depth(all_formats[fi])) ==
                0);
        for (unsigned int step = 0; step < 400; step++) {
            /* Ranges biased towards 2 MiB alignment so blocks form and get split. */
            uint64_t unit = (rng() % 3 == 0) ? 512 : 1;
            uint64_t first = (rng() % (MODEL_PAGES / unit)) * unit;
            uint64_t n = 1 + rng() % (unit == 512 ? 3 * 512 : 700);
            uint64_t out_first =
                GiB(100) + ((rng() % 64) * 512 + (unit == 512 ? 0 : rng() % 4)) * KiB(4);
            bool do_map = rng() % 2;
            bool w = rng() % 2;
            bool free_range = true;
            int err;

            if (unit == 512) {
                n = ALIGN_UP(n, 512);
            }
            n = MIN(n, MODEL_PAGES - first);
            for (uint64_t i = 0; i < n; i++) {
                free_range = free_range && model[first + i].out == 0;
            }
            if (do_map) {
                struct pt_attrs a = {.r = true, .w = w, .type = PT_MEM_NORMAL_WB};

                pt_arena_fail_at = rng() % 8 == 0 ? pt_arena_allocs + rng() % 3 : UINT64_MAX;
                err = pt_map(&pt, MODEL_BASE + first * KiB(4), hpa(out_first), n * KiB(4), &a);
                if (err == 0) {
                    CHECK(free_range);
                    for (uint64_t i = 0; i < n; i++) {
                        model[first + i] = (struct model_page){out_first + i * KiB(4), w};
                    }
                } else {
                    CHECK(err == (free_range ? -ENOMEM : -EEXIST));
                }
            } else {
                pt_arena_fail_at = rng() % 8 == 0 ? pt_arena_allocs + rng() % 3 : UINT64_MAX;
                err = pt_unmap(&pt, MODEL_BASE + first * KiB(4), n * KiB(4));
                if (err == 0) {
                    memset(&model[first], 0, n * sizeof(model[0]));
                } else {
                    CHECK_EQ(err, -ENOMEM);
                }
            }
            pt_arena_fail_at = UINT64_MAX;
            /* The whole window agrees with the model, and the accounting with the pt_arena. */
            uint64_t mapped = 0;
            for (uint64_t i = 0; i < MODEL_PAGES; i++) {
                hpa_t out;
                struct pt_attrs a;
                int r = pt_lookup(&pt, MODEL_BASE + i * KiB(4), &out, &a, NULL);

                mapped += model[i].out ? KiB(4) : 0;
                if (model[i].out ? (r != 0 || hpa_val(out) != model[i].out || a.w != model[i].w)
                                 : r != -ENOENT) {
                    unit_fail(__FILE__, __LINE__, "%s: step %u: page %llu disagrees",
                              all_formats[fi]->name, step, (unsigned long long)i);
                    pt_destroy(&pt);
                    return;
                }
            }
            CHECK_EQ(pt_mapped_total(&pt), mapped);
            CHECK_EQ(pt_table_pages(&pt), pt_arena_used());
        }
        REQUIRE(pt_unmap(&pt, MODEL_BASE, MODEL_PAGES * KiB(4)) == 0);
        CHECK_EQ(pt_table_pages(&pt), 1);
        pt_destroy(&pt);
        CHECK_EQ(pt_arena_used(), 0);
    }
}

/* ---- x86 NPT ---- */

TEST(x86_npt_encodings_and_map)
{
    const struct pt_format *f = &pt_fmt_x86_npt;
    const uint64_t NX = UINT64_C(1) << 63;
    struct pt_attrs a;
    struct pgtable pt;

    /* Table: P | RW | US | A. Leaf: P | US | A | D, RW, NX, PS for 2 MiB, PWT/PCD type. */
    CHECK_EQ(f->make_table(hpa(0x1234000), 2), UINT64_C(0x1234027));
    CHECK_EQ(f->make_leaf(hpa(0x80000000), 0, &RW), UINT64_C(0x80000067) | NX);
    CHECK_EQ(f->make_leaf(hpa(0x80000000), 0, &RX), UINT64_C(0x80000065));
    CHECK_EQ(f->make_leaf(hpa(0xfee00000), 1, &DEV), UINT64_C(0xfee000ff) | NX);
    CHECK(f->is_table(0x1234027, 1) && !f->is_table(0xfee000ff, 1) && !f->is_table(0x67, 0));
    /* Bit 12 of a 2 MiB leaf is PAT, not address. */
    CHECK_EQ(hpa_val(f->output(UINT64_C(0x80201000) | 0xe7, 1)), 0x80200000);
    for (int t = PT_MEM_NORMAL_WB; t <= PT_MEM_DEVICE; t++) {
        struct pt_attrs in = {.r = true, .w = t & 1, .x = t == 0, .type = t};

        f->attrs(f->make_leaf(hpa(MiB(2)), 1, &in), 1, &a);
        CHECK(a.r && a.w == in.w && a.x == in.x && a.type == in.type);
    }
    pt_arena_reset();
    CHECK_EQ(pt_init(&pt, f, &pt_arena_ops, NULL, 3), -EINVAL);
    REQUIRE(pt_init(&pt, f, &pt_arena_ops, NULL, 4) == 0);
    /* 1 GiB aligned: still 2 MiB pages (no PDPE1GB). */
    CHECK_EQ(pt_map(&pt, GiB(1), hpa(GiB(2)), GiB(1), &RW), 0);
    CHECK_EQ(pt_mapped_bytes(&pt, 1), GiB(1));
    CHECK_EQ(pt_mapped_bytes(&pt, 2), 0);
    CHECK_EQ(pt_table_pages(&pt), 3);
    CHECK(maps_to(&pt, GiB(1) + MiB(3), GiB(2) + MiB(3), 1));
    CHECK_EQ(pt_map(&pt, UINT64_C(1) << 48, hpa(0), KiB(4), &RW), -ERANGE);
    CHECK_EQ(pt_grow(&pt, 5), -EINVAL);
    CHECK_EQ(pt_unmap(&pt, GiB(1) + MiB(3), KiB(4)), 0);
    CHECK(maps_to(&pt, GiB(1) + MiB(3) + KiB(4), GiB(2) + MiB(3) + KiB(4), 0));
    CHECK_EQ(pt_table_pages(&pt), 4);
    pt_destroy(&pt);
    CHECK_EQ(pt_arena_used(), 0);
}

TEST(x86_npt_1g_pages)
{
    const struct pt_format *f = &pt_fmt_x86_npt_1g;
    struct pt_attrs a;
    struct pgtable pt;

    /* A 1 GiB leaf: PS set, PAT bit 12 not part of the address; the same hooks as 2 MiB. */
    CHECK_EQ(f->make_leaf(hpa(GiB(2)), 2, &RX), UINT64_C(0x800000e5));
    CHECK(!f->is_table(UINT64_C(0x800000e5), 2));
    CHECK_EQ(hpa_val(f->output(UINT64_C(0x80001000) | 0xe5, 2)), GiB(2));
    f->attrs(f->make_leaf(hpa(GiB(1)), 2, &DEV), 2, &a);
    CHECK(a.w && !a.x && a.type == PT_MEM_DEVICE);
    pt_arena_reset();
    REQUIRE(pt_init(&pt, f, &pt_arena_ops, NULL, 4) == 0);
    /* 1 GiB aligned both sides: one PDPE leaf, no page directory. */
    CHECK_EQ(pt_map(&pt, GiB(1), hpa(GiB(2)), GiB(1), &RW), 0);
    CHECK_EQ(pt_mapped_bytes(&pt, 2), GiB(1));
    CHECK_EQ(pt_table_pages(&pt), 2);
    CHECK(maps_to(&pt, GiB(1) + MiB(3), GiB(2) + MiB(3), 2));
    /* Aligned on one side only: 2 MiB pages. */
    CHECK_EQ(pt_map(&pt, GiB(4), hpa(GiB(8) + MiB(2)), GiB(1), &RW), 0);
    CHECK_EQ(pt_mapped_bytes(&pt, 1), GiB(1));
    /* Splitting the 1 GiB leaf for a 4 KiB hole keeps the rest mapped. */
    CHECK_EQ(pt_unmap(&pt, GiB(1) + MiB(3), KiB(4)), 0);
    CHECK(maps_to(&pt, GiB(1) + MiB(5), GiB(2) + MiB(5), 1));
    CHECK(maps_to(&pt, GiB(1) + MiB(3) + KiB(4), GiB(2) + MiB(3) + KiB(4), 0));
    pt_destroy(&pt);
    CHECK_EQ(pt_arena_used(), 0);
}

TEST(zeroed_table_is_empty_and_out_of_reach)
{
    struct pgtable pt = {0};
    hpa_t out;

    CHECK(!pt_covers(&pt, 0));
    CHECK_EQ(pt_reach(&pt), 0);
    CHECK_EQ(pt_map(&pt, 0, hpa(0), KiB(4), &RW), -ERANGE);
    CHECK_EQ(pt_unmap(&pt, 0, KiB(4)), -ERANGE);
    CHECK_EQ(pt_lookup(&pt, 0, &out, NULL, NULL), -ERANGE);
    pt_destroy(&pt);
    /* After destroy, the same holds. */
    pt_arena_reset();
    REQUIRE(pt_init(&pt, &pt_fmt_amdvi, &pt_arena_ops, NULL, 2) == 0);
    pt_destroy(&pt);
    CHECK(!pt_covers(&pt, 0));
    CHECK_EQ(pt_map(&pt, 0, hpa(0), KiB(4), &RW), -ERANGE);
    CHECK_EQ(pt_grow(&pt, 3), -EINVAL);
    CHECK_EQ(pt_arena_used(), 0);
}
