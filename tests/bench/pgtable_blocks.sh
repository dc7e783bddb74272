#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Page-table figures for typical partition layouts, from the production walker (core/mm/pgtable*.c)
# built on the host: share of mapped bytes that use blocks / large pages, and table pages per
# domain. Deterministic counts; targets in tests/bench/targets.
set -eu
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/bench}/pgtable
mkdir -p "$out"
cat >"$out/bench.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <hv/errno.h>
#include <hv/pgtable.h>

static int alloc(struct pgtable *pt, hpa_t *pa)
{
    void *p = aligned_alloc(4096, 4096);
    (void)pt;
    if (!p) {
        return -ENOMEM;
    }
    for (int i = 0; i < 4096; i++) {
        ((char *)p)[i] = 0;
    }
    *pa = hpa((uint64_t)(uintptr_t)p);
    return 0;
}
static void release(struct pgtable *pt, hpa_t pa)
{
    (void)pt;
    free((void *)(uintptr_t)hpa_val(pa));
}
static void *virt(struct pgtable *pt, hpa_t pa)
{
    (void)pt;
    return (void *)(uintptr_t)hpa_val(pa);
}
static const struct pt_mm_ops ops = {.alloc_table = alloc, .free_table = release, .phys_to_virt = virt};

struct region { uint64_t in, out, size; };
struct layout { const char *name; const struct pt_format *fmt; unsigned int depth; struct region r[4]; };

static const struct layout layouts[] = {
    /* arm64 partition: 128 MiB RAM guest 0x40000000 -> host 0x48000000, a UART page, 2 MiB shm */
    {"arm_s2_aligned", &pt_fmt_arm_s2_4k, 3, {{0x40000000, 0x48000000, 0x8000000}, {0x9000000, 0x9000000, 0x1000},
      {0x50000000, 0x70000000, 0x200000}}},
    /* the same with host RAM only 4 KiB aligned: no blocks possible */
    {"arm_s2_misaligned", &pt_fmt_arm_s2_4k, 3, {{0x40000000, 0x48001000, 0x8000000}}},
    /* 4 GiB of RAM, 1 GiB aligned on both sides */
    {"arm_s2_4g", &pt_fmt_arm_s2_4k, 3, {{0x40000000, 0x100000000, 0x100000000}}},
    /* AMD-Vi DMA domain: identity map of 1 GiB + 6 MiB at 1 GiB */
    {"amdvi_1g6m", &pt_fmt_amdvi, 3, {{0x40000000, 0x40000000, 0x40600000}}},
    /* x86 NPT partition: 256 MiB at 16 MiB (2 MiB pages only) */
    {"x86_npt_256m", &pt_fmt_x86_npt, 4, {{0x1000000, 0x20000000, 0x10000000}}},
};

int main(void)
{
    for (unsigned int i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        const struct layout *l = &layouts[i];
        const struct pt_attrs a = {.r = true, .w = true};
        struct pgtable pt;
        if (pt_init(&pt, l->fmt, &ops, NULL, l->depth) != 0) {
            return 2;
        }
        for (unsigned int j = 0; j < 4 && l->r[j].size; j++) {
            if (pt_map(&pt, l->r[j].in, hpa(l->r[j].out), l->r[j].size, &a) != 0) {
                return 2;
            }
        }
        uint64_t total = pt_mapped_total(&pt), pages = pt_mapped_bytes(&pt, 0);
        unsigned int pct = (unsigned int)((total - pages) * 100 / total);
        printf("%s_block_share: %u %%\n", l->name, pct);
        printf("%s_table_pages: %llu pages\n", l->name, (unsigned long long)pt_table_pages(&pt));
        pt_destroy(&pt);
    }
    return 0;
}
C
gcc -std=c11 -O1 -Wall -Wextra -I"$top/include" -I"$top/tests/unit/fake/include" \
    -include "$top/tests/unit/fake/autoconf.h" -o "$out/bench" "$out/bench.c" \
    "$top"/core/mm/pgtable.c "$top"/core/mm/pgtable_arm_s2.c "$top"/core/mm/pgtable_amdvi.c "$top"/core/mm/pgtable_x86.c
"$out/bench"
