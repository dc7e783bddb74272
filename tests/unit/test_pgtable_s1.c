// SPDX-License-Identifier: Apache-2.0
/*
 * core/mm/pgtable_arm_s1.c (VMSAv8-64 stage 1, EL2 regime, 4 KiB granule) on the generic walker:
 * descriptor encodings against the Arm ARM field layout (D8.3, D8.4, D8.6), the geometry
 * arch/arm64/mmu.c relies on (depth per VA size = the TCR_EL2.T0SZ start level), the EL2 map
 * of the QEMU virt board built exactly as mmu.c builds it (table pages, blocks, holes), and
 * the walker's guarantees on this format: rollback at every failed allocation, splits with
 * flushes, growth, and a random sequence against a page-by-page model.
 */
#include <stdlib.h>

#include <hv/errno.h>
#include <hv/pgtable.h>

#include "pt_arena.h"
#include "unit.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

static const struct pt_format *const F = &pt_fmt_arm_s1_4k;

/* Descriptor fields, spelled out from the Arm ARM rather than taken from the format. */
#define D_VALID UINT64_C(0x1)
#define D_PAGE_OR_TABLE UINT64_C(0x2)
#define D_ATTRINDX(i) ((uint64_t)(i) << 2) /* bits[4:2] */
#define D_AP1 (UINT64_C(1) << 6)           /* RES1 in the EL2 regime */
#define D_AP2 (UINT64_C(1) << 7)           /* read-only */
#define D_SH_INNER (UINT64_C(3) << 8)
#define D_AF (UINT64_C(1) << 10)
#define D_NG (UINT64_C(1) << 11)
#define D_XN (UINT64_C(1) << 54)

static const struct pt_attrs RX = {.r = true, .x = true, .type = PT_MEM_NORMAL_WB};
static const struct pt_attrs RO = {.r = true, .type = PT_MEM_NORMAL_WB};
static const struct pt_attrs RW = {.r = true, .w = true, .type = PT_MEM_NORMAL_WB};
static const struct pt_attrs DEV = {.r = true, .w = true, .type = PT_MEM_DEVICE};

static struct pt_snapshot snap;

/* in translates to out through a leaf at level with attrs a (NULL: any). */
static bool maps_as(const struct pgtable *pt, uint64_t in, uint64_t out, unsigned int level,
                    const struct pt_attrs *a)
{
    struct pt_attrs got;
    hpa_t o;
    unsigned int l;

    if (pt_lookup(pt, in, &o, &got, &l) != 0 || hpa_val(o) != out || l != level) {
        return false;
    }
    return !a || (got.r == a->r && got.w == a->w && got.x == a->x && got.type == a->type);
}

/* ---- encodings ---- */

TEST(s1_table_descriptor)
{
    /* D8.3.1: bits[1:0] = 0b11, next-level table address bits[47:12], no table attributes. */
    for (unsigned int level = 1; level <= 3; level++) {
        CHECK_EQ(F->make_table(hpa(0x40412000), level), UINT64_C(0x40412003));
        CHECK(F->is_valid(0x40412003, level) && F->is_table(0x40412003, level));
        CHECK_EQ(hpa_val(F->output(0x40412003, level)), 0x40412000);
    }
    CHECK_EQ(F->make_table(hpa(UINT64_C(0xfffffffff000)), 3), UINT64_C(0xfffffffff003));
}

TEST(s1_leaf_descriptors)
{
    const uint64_t normal = D_ATTRINDX(1) | D_AP1 | D_SH_INNER | D_AF;

    /* Level-3 pages (bits[1:0] = 0b11): text RX, rodata RO+XN, data RW+XN. */
    CHECK_EQ(F->make_leaf(hpa(0x40400000), 0, &RX), 0x40400000 | normal | D_AP2 | 3);
    CHECK_EQ(F->make_leaf(hpa(0x40411000), 0, &RO), 0x40411000 | normal | D_AP2 | D_XN | 3);
    CHECK_EQ(F->make_leaf(hpa(0x4041c000), 0, &RW), 0x4041c000 | normal | D_XN | 3);
    /* The same as literals: AttrIndx 1, AP 0b01/0b11, SH 0b11, AF, XN bit 54. */
    CHECK_EQ(F->make_leaf(hpa(0x40400000), 0, &RX), UINT64_C(0x00000000404007c7));
    CHECK_EQ(F->make_leaf(hpa(0x4041c000), 0, &RW), UINT64_C(0x004000004041c747));
    /* Blocks (bits[1:0] = 0b01): 2 MiB Device-nGnRE (AttrIndx 0, no SH), 1 GiB RAM. */
    CHECK_EQ(F->make_leaf(hpa(0x08000000), 1, &DEV), UINT64_C(0x0040000008000441));
    CHECK_EQ(F->make_leaf(hpa(GiB(2)), 2, &RW), UINT64_C(0x0040000080000745));
    /* WT and NC select their MAIR slots. */
    struct pt_attrs wt = {.r = true, .w = true, .type = PT_MEM_NORMAL_WT};
    struct pt_attrs nc = {.r = true, .w = true, .type = PT_MEM_NORMAL_NC};
    CHECK_EQ(F->make_leaf(hpa(MiB(2)), 1, &wt) & UINT64_C(0x1c), D_ATTRINDX(3));
    CHECK_EQ(F->make_leaf(hpa(MiB(2)), 1, &nc) & UINT64_C(0x1c), D_ATTRINDX(2));
    /* Never nG (no ASIDs at EL2), never bit 53 (RES0 in a one-privilege regime). */
    for (int t = PT_MEM_NORMAL_WB; t <= PT_MEM_DEVICE; t++) {
        struct pt_attrs a = {.r = true, .w = t & 1, .type = t};
        uint64_t pte = F->make_leaf(hpa(0x1000), 0, &a);

        CHECK_EQ(pte & (D_NG | UINT64_C(1) << 53), 0);
        CHECK_EQ(pte & D_AP1, D_AP1);
        CHECK_EQ(pte & D_AF, D_AF);
    }
    /* A level-3 0b11 is a page, 0b01 above level 3 is a block, 0 is invalid. */
    CHECK(!F->is_table(0x40400003, 0) && F->is_valid(0x40400003, 0));
    CHECK(!F->is_table(0x08000441, 1) && F->is_valid(0x08000441, 1));
    CHECK(!F->is_valid(0x08000440, 1));
}

TEST(s1_attrs_round_trip)
{
    for (int t = PT_MEM_NORMAL_WB; t <= PT_MEM_DEVICE; t++) {
        for (unsigned int wx = 0; wx < 4; wx++) {
            for (unsigned int level = 0; level <= 2; level++) {
                /* r = false cannot be expressed at stage 1: it decodes as readable. */
                struct pt_attrs in = {.r = false, .w = wx & 1, .x = wx & 2, .type = t};
                struct pt_attrs out;
                uint64_t pte = F->make_leaf(hpa(GiB(1)), level, &in);

                F->attrs(pte, level, &out);
                CHECK(out.r && out.w == in.w && out.x == in.x && out.type == in.type);
                CHECK_EQ(hpa_val(F->output(pte, level)), GiB(1));
            }
        }
    }
}

TEST(s1_mair_and_geometry)
{
    /* MAIR_EL2 Attr<n> (D8.6.1): 0x04 Device-nGnRE, 0xff WB RWA, 0x44 NC, 0xbb WT RWA. */
    CHECK_EQ(PT_ARM_S1_MAIR, UINT64_C(0xbb44ff04));
    CHECK_EQ(F->page_shift, 12);
    CHECK_EQ(F->bits_per_level, 9);
    CHECK_EQ(F->leaf_levels, 7); /* no level-0 (generic 3) blocks with a 4 KiB granule */
    /* mmu.c: depth for a VA = PA size must match the start level T0SZ = 64 - bits selects
     * (D8.2.5): 4 - ceil((bits - 12) / 9), i.e. depth ceil((bits - 12) / 9). */
    static const unsigned int pa_bits[] = {32, 36, 40, 42, 44, 48};
    for (unsigned int i = 0; i < ARRAY_SIZE(pa_bits); i++) {
        unsigned int b = pa_bits[i];

        CHECK_EQ(pt_depth_for(F, (UINT64_C(1) << b) - 1), (int)((b - 12 + 8) / 9));
    }
    CHECK_EQ(pt_depth_for(F, MiB(1)), 2); /* never depth 1: that needs FEAT_TTST */
    CHECK_EQ(pt_depth_for(F, UINT64_C(1) << 48), -ERANGE);
    CHECK_EQ(pt_reach_bits(F, 4), 48);
    struct pgtable pt;
    pt_arena_reset();
    CHECK_EQ(pt_init(&pt, F, &pt_arena_ops, NULL, 1), -EINVAL);
    CHECK_EQ(pt_init(&pt, F, &pt_arena_ops, NULL, 5), -EINVAL);
}

/* ---- the EL2 map of the QEMU virt board, built as arch/arm64/mmu.c builds it ---- */

/* The layout of a real image (nm bulkhead.elf): text, rodata, data/BSS, 4 stacks. */
#define IMG_TEXT 0x40400000
#define IMG_RODATA 0x40411000
#define IMG_DATA 0x4041c000
#define IMG_STACKS 0x4044f000
#define IMG_END 0x404bb000
#define STACK_SLOT 0x5000
#define RAM_END 0xc0000000

static int map(struct pgtable *pt, uint64_t start, uint64_t end, const struct pt_attrs *a)
{
    return end > start ? pt_map(pt, start, hpa(start), end - start, a) : 0;
}

static int build_virt_map(struct pgtable *pt)
{
    int err =
        pt_init(pt, F, &pt_arena_ops, NULL, (unsigned int)pt_depth_for(F, (UINT64_C(1) << 44) - 1));
    uint64_t start = IMG_DATA;

    err = err ?: map(pt, IMG_TEXT, IMG_RODATA, &RX);
    err = err ?: map(pt, IMG_RODATA, IMG_DATA, &RO);
    for (unsigned int cpu = 0; cpu < 4; cpu++) {
        uint64_t guard = IMG_STACKS + cpu * STACK_SLOT;

        err = err ?: map(pt, start, guard, &RW);
        start = guard + PAGE_SIZE;
    }
    err = err ?: map(pt, start, IMG_END, &RW);
    err = err ?: map(pt, GiB(1), IMG_TEXT, &RW);
    err = err ?: map(pt, IMG_END, RAM_END, &RW);
    return err ?: map(pt, PAGE_SIZE, GiB(1), &DEV);
}

TEST(s1_virt_boot_map)
{
    struct pgtable pt;

    pt_arena_reset();
    REQUIRE(build_virt_map(&pt) == 0);
    CHECK_EQ(pt.depth, 4);
    /* Root, one level-1 table, level-2 tables for GiB 0 and 1, level-3 tables for the first
     * 2 MiB (page 0) and for the image: 6, as the boot log shows. */
    CHECK_EQ(pt_table_pages(&pt), 6);
    CHECK_EQ(pt_arena_used(), 6);
    CHECK_EQ(pt_mapped_bytes(&pt, 2), GiB(1));                 /* 0x80000000..: one 1 GiB */
    CHECK_EQ(pt_mapped_bytes(&pt, 1), 1022 * MiB(2));          /* MMIO + first RAM GiB */
    CHECK_EQ(pt_mapped_bytes(&pt, 0), (511 + 512 - 4) * 4096); /* page 0, 4 guards */
    CHECK(maps_as(&pt, IMG_TEXT, IMG_TEXT, 0, &RX));
    CHECK(maps_as(&pt, IMG_RODATA + 0x123, IMG_RODATA + 0x123, 0, &RO));
    CHECK(maps_as(&pt, IMG_DATA, IMG_DATA, 0, &RW));
    CHECK(maps_as(&pt, GiB(1), GiB(1), 1, &RW));
    CHECK(maps_as(&pt, GiB(2) + 5, GiB(2) + 5, 2, &RW));
    CHECK(maps_as(&pt, 0x09000000, 0x09000000, 1, &DEV)); /* the PL011, in a 2 MiB block */
    CHECK(maps_as(&pt, 0x1000, 0x1000, 0, &DEV));
    CHECK_EQ(pt_lookup(&pt, 0, NULL, NULL, NULL), -ENOENT); /* NULL faults */
    for (unsigned int cpu = 0; cpu < 4; cpu++) {
        uint64_t guard = IMG_STACKS + cpu * STACK_SLOT;

        CHECK_EQ(pt_lookup(&pt, guard, NULL, NULL, NULL), -ENOENT);
        CHECK(maps_as(&pt, guard + PAGE_SIZE, guard + PAGE_SIZE, 0, &RW));
    }
    CHECK_EQ(pt_lookup(&pt, RAM_END, NULL, NULL, NULL), -ENOENT);
    /* Mapping over any of it again is refused and changes nothing. */
    pt_snap_take(&snap, &pt);
    CHECK_EQ(map(&pt, IMG_TEXT, IMG_TEXT + PAGE_SIZE, &DEV), -EEXIST);
    CHECK_EQ(map(&pt, 0, GiB(4), &DEV), -EEXIST);
    CHECK(pt_snap_same(&snap, &pt));
    /* No flush is ever needed for a map into empty entries; syncs follow every batch. */
    CHECK_EQ(pt_arena_flushes, 0);
    CHECK(pt_arena_syncs > 0);
    pt_destroy(&pt);
    CHECK_EQ(pt_arena_used(), 0);
}

TEST(s1_iomap_high_ecam)
{
    struct pgtable pt;
    const uint64_t ecam = UINT64_C(0x4010000000);

    pt_arena_reset();
    REQUIRE(build_virt_map(&pt) == 0);
    /* 16 buses of the virt board's high ECAM: a new level-2 table under the existing
     * level-1 table (GiB 256) and 2 MiB blocks. */
    pt_snap_take(&snap, &pt);
    pt_arena_fail_at = pt_arena_allocs;
    CHECK_EQ(map(&pt, ecam, ecam + MiB(16), &DEV), -ENOMEM);
    CHECK(pt_snap_same(&snap, &pt)); /* pool exhaustion leaves the map as it was */
    pt_arena_fail_at = UINT64_MAX;
    CHECK_EQ(map(&pt, ecam, ecam + MiB(16), &DEV), 0);
    CHECK_EQ(pt_table_pages(&pt), 7);
    CHECK(maps_as(&pt, ecam + MiB(15), ecam + MiB(15), 1, &DEV));
    CHECK_EQ(pt_lookup(&pt, ecam + MiB(16), NULL, NULL, NULL), -ENOENT);
    pt_destroy(&pt);
}

TEST(s1_rollback_at_every_allocation)
{
    for (uint64_t n = 0;; n++) {
        struct pgtable pt;
        int err;

        pt_arena_reset();
        REQUIRE(pt_init(&pt, F, &pt_arena_ops, NULL, 4) == 0);
        REQUIRE(map(&pt, GiB(1), GiB(3), &RW) == 0);
        if (n == 0) {
            pt_snap_take(&snap, &pt);
        }
        pt_arena_fail_at = pt_arena_allocs + n;
        /* Needs a level-2 and a level-3 table under GiB 0, and one more in GiB 3. */
        err = map(&pt, MiB(1), GiB(1), &DEV) ?: map(&pt, GiB(3), GiB(3) + MiB(2) + 4096, &RW);
        if (err == 0) {
            CHECK(n >= 3);
            pt_destroy(&pt);
            break;
        }
        CHECK_EQ(err, -ENOMEM);
        if (n == 0) {
            CHECK(pt_snap_same(&snap, &pt));
        }
        pt_destroy(&pt);
        CHECK_EQ(pt_arena_used(), 0);
    }
}

TEST(s1_unmap_split_flushes)
{
    struct pgtable pt;

    pt_arena_reset();
    REQUIRE(pt_init(&pt, F, &pt_arena_ops, NULL, 4) == 0);
    REQUIRE(map(&pt, GiB(1), GiB(2), &RW) == 0);
    CHECK_EQ(pt_mapped_bytes(&pt, 2), GiB(1));
    /* Unmapping one page of the 1 GiB block splits it twice (break-before-make) and
     * flushes the whole block's range. */
    CHECK_EQ(pt_unmap(&pt, GiB(1) + MiB(4), PAGE_SIZE), 0);
    CHECK(pt_arena_flushes >= 1);
    CHECK_EQ(pt_arena_flush_first, GiB(1));
    CHECK_EQ(pt_arena_flush_last, GiB(2) - 1);
    CHECK_EQ(pt_lookup(&pt, GiB(1) + MiB(4), NULL, NULL, NULL), -ENOENT);
    CHECK(maps_as(&pt, GiB(1) + MiB(4) + PAGE_SIZE, GiB(1) + MiB(4) + PAGE_SIZE, 0, &RW));
    CHECK(maps_as(&pt, GiB(1) + MiB(6), GiB(1) + MiB(6), 1, &RW));
    CHECK_EQ(pt_mapped_total(&pt), GiB(1) - PAGE_SIZE);
    /* Unmapping the rest frees every table but the root. */
    CHECK_EQ(pt_unmap(&pt, GiB(1), GiB(1)), 0);
    CHECK_EQ(pt_table_pages(&pt), 1);
    CHECK_EQ(pt_mapped_total(&pt), 0);
    pt_destroy(&pt);
    CHECK_EQ(pt_arena_used(), 0);
}

TEST(s1_grow_keeps_mappings)
{
    struct pgtable pt;

    pt_arena_reset();
    REQUIRE(pt_init(&pt, F, &pt_arena_ops, NULL, 2) == 0);
    CHECK_EQ(pt_reach(&pt), GiB(1));
    REQUIRE(map(&pt, MiB(2), MiB(6), &RX) == 0);
    CHECK_EQ(map(&pt, GiB(1), GiB(1) + PAGE_SIZE, &RW), -ERANGE);
    REQUIRE(pt_grow(&pt, 4) == 0);
    CHECK_EQ(pt_reach(&pt), UINT64_C(1) << 48);
    CHECK(maps_as(&pt, MiB(3), MiB(3), 1, &RX));
    CHECK_EQ(map(&pt, GiB(1), GiB(1) + PAGE_SIZE, &RW), 0);
    pt_destroy(&pt);
    CHECK_EQ(pt_arena_used(), 0);
}

/* ---- random maps and unmaps against a page-by-page model ---- */

#define MODEL_PAGES 2048 /* 8 MiB window, four 2 MiB blocks */
#define MODEL_BASE GiB(5)

static uint64_t rng_state = 0x2545f4914f6cdd1d;

/* xorshift64: reproducible on every host. */
static unsigned int rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned int)(rng_state >> 16);
}

TEST(s1_random_against_model)
{
    static uint64_t model[MODEL_PAGES]; /* 0: unmapped, else output address | 1 */
    struct pgtable pt;

    pt_arena_reset();
    memset(model, 0, sizeof(model));
    REQUIRE(pt_init(&pt, F, &pt_arena_ops, NULL, 3) == 0);
    for (unsigned int round = 0; round < 400; round++) {
        unsigned int first = rng() % MODEL_PAGES;
        unsigned int n = 1 + rng() % (MODEL_PAGES - first);
        uint64_t in = MODEL_BASE + (uint64_t)first * PAGE_SIZE;
        bool free_range = true;

        if (rng() & 1) {
            /* Map with an output offset of a multiple of 2 MiB so blocks can appear. */
            uint64_t out = in + MiB(2) * (uint64_t)(rng() % 4);

            for (unsigned int i = first; i < first + n; i++) {
                free_range &= model[i] == 0;
            }
            int err = pt_map(&pt, in, hpa(out), (uint64_t)n * PAGE_SIZE, &RW);

            CHECK_EQ(err, free_range ? 0 : -EEXIST);
            for (unsigned int i = first; err == 0 && i < first + n; i++) {
                model[i] = (out + (uint64_t)(i - first) * PAGE_SIZE) | 1;
            }
        } else {
            CHECK_EQ(pt_unmap(&pt, in, (uint64_t)n * PAGE_SIZE), 0);
            for (unsigned int i = first; i < first + n; i++) {
                model[i] = 0;
            }
        }
        for (unsigned int i = 0; i < MODEL_PAGES; i++) {
            hpa_t o;
            int err = pt_lookup(&pt, MODEL_BASE + (uint64_t)i * PAGE_SIZE, &o, NULL, NULL);

            if (model[i] ? err != 0 || hpa_val(o) != (model[i] & ~UINT64_C(1)) : err != -ENOENT) {
                CHECK(!"table and model disagree");
                round = UINT32_MAX - 1;
                break;
            }
        }
    }
    pt_destroy(&pt);
    CHECK_EQ(pt_arena_used(), 0);
}
