/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A table-page arena for host tests of the page-table walker (tests/unit/pt_arena.c): the
 * struct pt_mm_ops of a pgtable under test. It hands out zeroed pages at fake host addresses,
 * fails the allocation whose index is pt_arena_fail_at, catches bad and double frees, and
 * records syncs and the union of the flushed ranges; every flush returns pt_arena_flush_err.
 * Snapshots prove that an operation changed nothing: same pages in use, same bytes in each,
 * same struct pgtable.
 */
#pragma once

#include <hv/pgtable.h>

#define PT_ARENA_PAGES 2048
#define PT_ARENA_HPA UINT64_C(0x10000000) /* fake host address of arena page 0 */

extern uint8_t *pt_arena;
extern bool pt_arena_in_use[PT_ARENA_PAGES];
extern uint64_t pt_arena_allocs; /* alloc_table calls, successful and failed */
extern uint64_t
    pt_arena_fail_at; /* fail the alloc_table call with this index (UINT64_MAX: never) */
extern uint64_t pt_arena_flushes, pt_arena_syncs;
extern uint64_t pt_arena_flush_first, pt_arena_flush_last; /* union of flushed ranges, inclusive */
extern int pt_arena_flush_err; /* every flush returns this (0: success) */
/* At each flush, word 0 of the page at pt_arena_watch (0: none) is copied to pt_arena_watched. */
extern uint64_t pt_arena_watch, pt_arena_watched;
extern const struct pt_mm_ops pt_arena_ops;

/* Free every page and clear the counters (allocating the arena on first use). */
void pt_arena_reset(void);

/* The arena page at fake host address pa (a table's contents, for encoding checks). */
void *pt_arena_page(hpa_t pa);

/* Pages in use. */
unsigned int pt_arena_used(void);

struct pt_snapshot {
    bool in_use[PT_ARENA_PAGES];
    uint8_t *pages;
    struct pgtable pt;
};

void pt_snap_take(struct pt_snapshot *s, const struct pgtable *pt);

/* Whether arena and pt are as when s was taken; frees the snapshot. */
bool pt_snap_same(struct pt_snapshot *s, const struct pgtable *pt);
