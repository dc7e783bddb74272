/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to core/config/: the parser state shared by the parse (parse.c), the cross checks
 * once every partition is known (check.c), the binding's name tables (names.c) and the
 * test-only properties (test_props.c).
 *
 * Errors never stop the parse: each is reported with the node path and property, and the
 * parse goes on with what it can still trust. Entries found broken on their own (bad ranges,
 * bad role) are left out of the cross checks (overlaps, owner resolution) so that one mistake
 * produces one message, not a cascade.
 */
#pragma once

#include <hv/config.h>
#include <hv/fdt.h>
#include <hv/range.h>

/* Binding v1: every address and size inside a partition is two cells (64 bits). */
#define PART_CELLS 2u
#define U64_BYTES 8u

typedef unsigned long long ull;

/* Parser state that the result does not need: node offsets for messages, per-entry flags. */
struct parser {
    const struct fdt *fdt;
    const struct hv_config_env *env;
    struct hv_config *cfg;
    unsigned int errors;
    int console;                               /* console node, or negative */
    int part_node[HV_MAX_PARTITIONS];          /* partition index -> its node */
    int cpu_node[HV_CONFIG_MAX_CPUS];          /* cpu index -> /cpus/cpu@N node */
    int dev_node[HV_CONFIG_MAX_DEVICES];       /* device index -> device node */
    int shm_node[HV_CONFIG_MAX_SHM];           /* shm index -> shared-mem node */
    uint8_t mem_part[HV_CONFIG_MAX_MEM];       /* mem index -> partition index */
    uint8_t mem_entry[HV_CONFIG_MAX_MEM];      /* mem index -> triplet number in "memory" */
    bool shm_bad[HV_CONFIG_MAX_SHM];           /* broken on its own: skip cross checks */
    bool shm_access_set[HV_CONFIG_MAX_SHM];    /* "access" was given (borrower default) */
    int reserved_node[HV_CONFIG_MAX_RESERVED]; /* reserved range -> node, -1: rsvmap */
};

/* Report one error at node/prop (counted in p->errors, passed to p->env->report). */
void cfg_error(struct parser *p, int node, const char *prop, const char *fmt, ...) __printf(4, 5);

/* The path of node, for use inside a message ("?" if it cannot be built). */
const char *node_path(const struct parser *p, int node, char *buf, size_t size);

/*
 * An optional string property: 1 and *s set when present and well formed, 0 when absent,
 * -1 (error reported) when it is not a non-empty NUL-terminated string.
 */
int opt_string(struct parser *p, int node, const char *prop, const char **s);

static inline bool page_aligned(uint64_t v)
{
    return IS_ALIGNED(v, PAGE_SIZE);
}

/* check.c: every rule that needs all partitions (shared-memory owners, host and guest
 * overlaps, images), run once the parse is complete. */
void config_cross_check(struct parser *p);

/* names.c: the binding's value names to their enum; false when s is none of them. */
bool cache_policy_from_name(const char *s, enum cache_policy *policy);
bool shm_access_from_name(const char *s, enum shm_access *access);
bool shm_role_from_name(const char *s, enum shm_role *role);

/*
 * Test-only partition properties ("bulkhead,test-expect", dts/bindings/), parsed into part by
 * test_props.c in test builds (CONFIG_TEST_MONITOR and the host tool); the product parser's
 * default ignores them.
 */
void config_parse_test_props(struct parser *p, struct hv_config_partition *part, int node);
