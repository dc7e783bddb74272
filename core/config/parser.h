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

/* Hardware the hypervisor keeps (core/config/devices.c), by what the board DT says it is. */
enum hw_kind {
    HW_NONE,
    HW_CONSOLE, /* the /hypervisor "console" UART */
    HW_INTC,    /* a root interrupt controller (GIC distributor, redistributors, CPU interface) */
    HW_MSI,     /* an MSI controller (GICv3 ITS, GICv2m frame) */
    HW_IOMMU,   /* a node with "#iommu-cells" (SMMU, AMD-Vi) */
    HW_PCI_CFG, /* a PCI host bridge's reg: configuration space (ECAM) */
};

/* MMIO ranges (and nodes) of hardware the hypervisor keeps, at most. */
#define HV_CONFIG_MAX_HW 32

/* One MMIO range of hardware the hypervisor keeps, translated to a CPU address, or one of its
 * I/O-port ranges (pio: an ISA I/O-space reg, a port-mapped console's). */
struct hw_range {
    uint64_t base, size;
    int node;
    enum hw_kind kind;
    bool pio;
};

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
    bool shm_role_bad[HV_CONFIG_MAX_SHM];      /* "role" unreadable: it may be the owner */
    int reserved_node[HV_CONFIG_MAX_RESERVED]; /* reserved range -> node, -1: rsvmap */
    uint8_t dev_entry[HV_CONFIG_MAX_DEVICES];  /* device index -> entry number in "devices" */
    unsigned int nr_hw, nr_hw_nodes;
    struct hw_range hw[HV_CONFIG_MAX_HW]; /* MMIO, ports the hypervisor keeps (devices.c) */
    int hw_node[HV_CONFIG_MAX_HW];        /* the nodes it belongs to, for their interrupts */
    unsigned int guest_bits, host_bits;   /* address sizes (arch_config_addr_bits()) */
};

/* Report one error at node/prop (counted in p->errors, passed to p->env->report). */
void cfg_error(struct parser *p, int node, const char *prop, const char *fmt, ...) __printf(4, 5);

/* The path of node, for use inside a message ("?" if it cannot be built). */
const char *node_path(const struct parser *p, int node, char *buf, size_t size);

/* An optional string property: NULL when absent, or (error reported) when it is not a
 * non-empty NUL-terminated string. */
const char *opt_string(struct parser *p, int node, const char *prop);

/*
 * Property prop of node as entries of unit bytes (exactly count of them when count != 0): the
 * number of entries, or 0 when it is absent (reported as missing when missing is given, as is an
 * empty one) or reported malformed ("must be <shape>").
 */
unsigned int cfg_entries(struct parser *p, int node, const char *prop, struct fdt_prop *v,
                         unsigned int unit, unsigned int count, const char *shape,
                         const char *missing);

/* A required string property: true and *s, or false with "missing" or "must be a non-empty
 * string" reported. */
bool req_string(struct parser *p, int node, const char *prop, const char **s);

/* The node entry i of phandle list (property prop of node) names; negative when it does not
 * resolve (reported as entry i). */
int cfg_phandle(struct parser *p, int node, const char *prop, const struct fdt_prop *list,
                unsigned int i);

/* The i-th 64-bit value (PART_CELLS cells) of prop. */
uint64_t u64_at(const struct fdt_prop *prop, unsigned int i);

/* Index of node in nodes[0..n), or n. */
unsigned int node_index(const int *nodes, unsigned int n, int node);

/*
 * Entry i of node/prop names what, which partition owner already has: reported as listed
 * twice when owner is this partition (idx), else as already <verb> the owner.
 */
void cfg_taken(struct parser *p, int node, const char *prop, unsigned int i, const char *what,
               unsigned int owner, unsigned int idx, const char *verb);

static inline bool page_aligned(uint64_t v)
{
    return IS_ALIGNED(v, PAGE_SIZE);
}

/* check.c: reserved range r as messages name it ("the hypervisor image /reserved-memory/...",
 * "reserved memory (memory reservation block)"), in buf. */
const char *reserved_name(const struct parser *p, unsigned int r, char *buf, size_t size);

/* check.c: whether shm entries i and j name one region (the same id, the same binding). */
bool shm_same_id(const struct hv_config *cfg, unsigned int i, unsigned int j);

/* check.c: whether shm entry i has an id and is the first entry of it (of its binding). */
bool shm_id_head(const struct hv_config *cfg, unsigned int i);

/* images.c (host only; check.c's default does nothing): "image" and "initrd" exist at build
 * time and fit together in the first memory range. Needs env->image_size. */
void config_check_images(struct parser *p);

/* check.c: every rule that needs all partitions (shared-memory owners, host and guest
 * overlaps, images), run once the parse is complete. */
void config_cross_check(struct parser *p);

/* binding.c: the node kind with this compatible, or NULL. */
const struct config_binding *config_binding_of(const char *compatible);

/*
 * binding.c: report every property and child of node that binding b does not know, naming the
 * property (or child) and the closest known name when one is a likely typo.
 */
void config_check_binding(struct parser *p, int node, const struct config_binding *b);

/* binding.c: the name of names (NULL-terminated) closest to s[0..len) by edit distance, when
 * it is close enough to be a likely typo; else NULL. */
const char *config_closest_name(const char *const *names, const char *s, size_t len);

/* dma.c: partition idx's "dma-isolation", "pci-devices" and "dma-masters", and the IOMMU
 * stream of each DMA master (run after its "devices" are parsed). */
void config_parse_dma(struct parser *p, unsigned int idx, int node);

/* devices.c: collect the hardware the hypervisor keeps (needs the console resolved). */
void config_find_hypervisor_hw(struct parser *p);

/* devices.c: passed-through devices' interrupts against every other owner (run with the cross
 * checks; check.c checks their MMIO). */
void config_check_devices(struct parser *p);

/*
 * parse.c, for both shared-memory bindings: set entry idx's id (an error at node/prop when
 * the partition, whose entries start at first, already uses it), and its range from node/prop,
 * <host guest size> (host) or <guest size> in 64-bit values ("must be <shape>" otherwise;
 * errors for a zero size, misalignment, wrapping). Either marks the entry bad on error.
 */
void shm_set_id(struct parser *p, unsigned int idx, int node, const char *prop, const char *id,
                uint16_t first);
void shm_parse_range(struct parser *p, unsigned int idx, int node, const char *prop, bool host,
                     const char *shape);

/* parse.c, for both shared-memory bindings: "role" (default borrower); an unreadable one
 * marks entry idx bad and its role unknown. */
void shm_parse_role(struct parser *p, unsigned int idx, int node);

/* Xen dom0less static shared memory (xen_shm.c). */
#define XEN_SHM_COMPAT "xen,domain-shared-memory-v1"

/* xen_shm.c: parse the Xen node into shm entry idx of a partition whose entries start at
 * first (entry already zeroed, partition and node set). */
void config_parse_xen_shm(struct parser *p, unsigned int idx, int node, uint16_t first);

/* xen_shm.c: resolve every Xen id (owner or the hypervisor, identical ranges); run with the
 * cross checks, before the host-range checks. */
void config_resolve_xen_shm(struct parser *p);

/* Whether shm entry i heads a region that passed its own checks (its host range is the
 * region's, to be checked against everything else). */
static inline bool shm_region_ok(const struct parser *p, unsigned int i)
{
    return !p->shm_bad[i] && shm_is_region_head(&p->cfg->shm[i], i);
}

/* names.c: the binding's value names, indexed by their enum (NULL: no such value). */
extern const char *const cache_policy_names[3];
extern const char *const shm_access_names[3];
extern const char *const shm_role_names[2];

/* names.c: the index of s in names[0..n) (NULL entries are holes), or -1 when s names none. */
int config_name_value(const char *const *names, size_t n, const char *s);

/*
 * Test-only partition properties ("bulkhead,test-expect", dts/bindings/), parsed into part by
 * test_props.c in test builds (CONFIG_TEST_MONITOR and the host tool); the product parser's
 * default ignores them.
 */
void config_parse_test_props(struct parser *p, struct hv_config_partition *part, int node);
