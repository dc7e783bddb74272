/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Flattened device tree writer (Devicetree Specification v0.4, chapter 5), used to generate the
 * DTB each partition boots with. It writes into a caller-supplied buffer, in one forward pass:
 * the structure block grows behind the header, property names are collected (deduplicated) in
 * the writer and appended as the strings block by fdt_write_finish(). Errors are sticky: after
 * the first failure every call returns the same error, so a generator can issue all its calls
 * and check once at the end.
 */
#pragma once

#include <hv/types.h>

/* Room for property names; a generated guest tree uses a few dozen distinct ones. */
#define FDT_WRITE_STRINGS_MAX 1024

struct fdt_writer {
    uint8_t *buf; /* output buffer */
    size_t size;  /* its size */
    size_t pos;   /* end of the structure block written so far */
    int depth;    /* open nodes */
    int err;      /* first error, sticky */
    uint32_t strings_len;
    char strings[FDT_WRITE_STRINGS_MAX];
    unsigned int nr_names; /* the strings in strings, by offset */
    uint16_t name_off[96]; /* FDT_WRITE_STRINGS_MAX fits */
    uint8_t head[32];      /* per fdt_name_hash(): 1 + the index of its newest name, 0 none */
    uint8_t next[96];      /* per name: 1 + the index of the previous one of its hash, 0 none */
};

/* Start a tree in buf (at least 8-byte aligned is not required). 0 or -ENOSPC. */
int fdt_write_init(struct fdt_writer *w, void *buf, size_t size) __must_check;

/* Open a node; the first one is the root and must be named "". */
int fdt_write_begin_node(struct fdt_writer *w, const char *name);

/* Close the innermost open node. -EINVAL when none is open. */
int fdt_write_end_node(struct fdt_writer *w);

/* A property with raw bytes (len may be 0 for an empty boolean property). */
int fdt_write_prop(struct fdt_writer *w, const char *name, const void *data, uint32_t len);

/* Convenience forms: one cell, two cells (a 64-bit value), a string, a list of cells. */
int fdt_write_prop_u32(struct fdt_writer *w, const char *name, uint32_t val);
int fdt_write_prop_u64(struct fdt_writer *w, const char *name, uint64_t val);
int fdt_write_prop_string(struct fdt_writer *w, const char *name, const char *str);
int fdt_write_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells,
                         unsigned int n);

/*
 * Close the tree: every node must be closed. Writes the FDT_END token, the strings block and
 * the header (version 17). Returns the total size (> 0) or the first error.
 */
int fdt_write_finish(struct fdt_writer *w) __must_check;
