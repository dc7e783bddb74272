// SPDX-License-Identifier: Apache-2.0
/* The table-page arena of the page-table host tests (tests/unit/pt_arena.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/errno.h>

#include "pt_arena.h"

uint8_t *pt_arena;
bool pt_arena_in_use[PT_ARENA_PAGES];
uint64_t pt_arena_allocs, pt_arena_fail_at, pt_arena_flushes, pt_arena_syncs;
uint64_t pt_arena_flush_first, pt_arena_flush_last;
uint64_t pt_arena_watch, pt_arena_watched;
int pt_arena_flush_err;

static int arena_alloc(struct pgtable *pt, hpa_t *pa)
{
    (void)pt;
    if (pt_arena_allocs++ == pt_arena_fail_at) {
        return -ENOMEM;
    }
    for (unsigned int i = 0; i < PT_ARENA_PAGES; i++) {
        if (!pt_arena_in_use[i]) {
            pt_arena_in_use[i] = true;
            memset(pt_arena + i * PAGE_SIZE, 0, PAGE_SIZE);
            *pa = hpa(PT_ARENA_HPA + i * PAGE_SIZE);
            return 0;
        }
    }
    return -ENOMEM;
}

static unsigned int arena_index(hpa_t pa)
{
    uint64_t i = (hpa_val(pa) - PT_ARENA_HPA) / PAGE_SIZE;

    if (hpa_val(pa) < PT_ARENA_HPA || i >= PT_ARENA_PAGES || hpa_val(pa) % PAGE_SIZE) {
        fprintf(stderr, "bad table address %#llx\n", (unsigned long long)hpa_val(pa));
        abort();
    }
    return (unsigned int)i;
}

static void arena_free(struct pgtable *pt, hpa_t pa)
{
    unsigned int i = arena_index(pa);

    (void)pt;
    if (!pt_arena_in_use[i]) {
        fprintf(stderr, "double free of table %#llx\n", (unsigned long long)hpa_val(pa));
        abort();
    }
    /* Scribble, so a walker still using a freed table reads garbage, not zeroes. */
    memset(pt_arena + i * PAGE_SIZE, 0xa5, PAGE_SIZE);
    pt_arena_in_use[i] = false;
}

void *pt_arena_page(hpa_t pa)
{
    return pt_arena + arena_index(pa) * PAGE_SIZE;
}

static void *arena_virt(struct pgtable *pt, hpa_t pa)
{
    (void)pt;
    return pt_arena_page(pa);
}

static void arena_sync(struct pgtable *pt, void *va, size_t len)
{
    (void)pt;
    (void)va;
    (void)len;
    pt_arena_syncs++;
}

static int arena_flush(struct pgtable *pt, uint64_t in_addr, uint64_t size)
{
    (void)pt;
    if (pt_arena_watch) {
        pt_arena_watched = *(uint64_t *)pt_arena_page(hpa(pt_arena_watch));
    }
    if (pt_arena_flushes++ == 0) {
        pt_arena_flush_first = in_addr;
        pt_arena_flush_last = in_addr + (size - 1);
    } else {
        pt_arena_flush_first = MIN(pt_arena_flush_first, in_addr);
        pt_arena_flush_last = MAX(pt_arena_flush_last, in_addr + (size - 1));
    }
    return pt_arena_flush_err;
}

const struct pt_mm_ops pt_arena_ops = {
    .alloc_table = arena_alloc,
    .free_table = arena_free,
    .phys_to_virt = arena_virt,
    .sync = arena_sync,
    .flush = arena_flush,
};

void pt_arena_reset(void)
{
    if (!pt_arena) {
        pt_arena = aligned_alloc(PAGE_SIZE, PT_ARENA_PAGES * PAGE_SIZE);
    }
    memset(pt_arena_in_use, 0, sizeof(pt_arena_in_use));
    pt_arena_allocs = pt_arena_flushes = pt_arena_syncs = pt_arena_watch = 0;
    pt_arena_fail_at = UINT64_MAX;
    pt_arena_flush_err = 0;
}

unsigned int pt_arena_used(void)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < PT_ARENA_PAGES; i++) {
        n += pt_arena_in_use[i];
    }
    return n;
}

void pt_snap_take(struct pt_snapshot *s, const struct pgtable *pt)
{
    memcpy(s->in_use, pt_arena_in_use, sizeof(pt_arena_in_use));
    s->pages = malloc(PT_ARENA_PAGES * PAGE_SIZE);
    memcpy(s->pages, pt_arena, PT_ARENA_PAGES * PAGE_SIZE);
    s->pt = *pt;
}

bool pt_snap_same(struct pt_snapshot *s, const struct pgtable *pt)
{
    bool same = memcmp(s->in_use, pt_arena_in_use, sizeof(pt_arena_in_use)) == 0 &&
                memcmp(&s->pt, pt, sizeof(*pt)) == 0;

    for (unsigned int i = 0; same && i < PT_ARENA_PAGES; i++) {
        if (pt_arena_in_use[i] &&
            memcmp(s->pages + i * PAGE_SIZE, pt_arena + i * PAGE_SIZE, PAGE_SIZE) != 0) {
            same = false;
        }
    }
    free(s->pages);
    s->pages = NULL;
    return same;
}
