// SPDX-License-Identifier: Apache-2.0
/*
 * Partition configuration, the parse: read the /hypervisor node (binding v1, dts/bindings/),
 * the RAM and reservations into struct hv_config, checking every rule that one node decides
 * on its own; core/config/check.c then checks the rules across partitions. Shared by the
 * hypervisor (at boot, on the embedded DTB) and the host tool bulkhead-check (at build
 * time), so both accept exactly the same configurations. Error policy: parser.h.
 */
#include <arch/config.h>
#include <arch/vpci.h>
#include <hv/errno.h>
#include <hv/printf.h>
#include <hv/string.h>

#include "parser.h"

#define HV_COMPAT "bulkhead,hypervisor-v1"
#define PART_COMPAT "bulkhead,partition-v1"
#define SHM_COMPAT "bulkhead,shared-mem-v1"
#define HVMEM_COMPAT "bulkhead,hypervisor-memory"
#define STAGING_COMPAT "bulkhead,image-staging"

void cfg_error(struct parser *p, int node, const char *prop, const char *fmt, ...)
{
    char path[FDT_MAX_PATH];
    char reason[256];
    va_list ap;

    va_start(ap, fmt);
    hv_vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    p->errors++;
    p->env->report(p->env->ctx, node_path(p, node, path, sizeof(path)), prop, reason);
}

/* A path too long to print whole is still worth its (NUL-terminated) prefix. */
const char *node_path(const struct parser *p, int node, char *buf, size_t size)
{
    if (fdt_node_path(p->fdt, node, buf, size) != 0 && buf[0] == '\0') {
        return "?";
    }
    return buf;
}

bool req_string(struct parser *p, int node, const char *prop, const char **s)
{
    int err = fdt_prop_string(p->fdt, node, prop, s);

    if (err != 0) {
        cfg_error(p, node, prop, err == -ENOENT ? "missing" : "must be a non-empty string");
    }
    return err == 0;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

/* A required binding v1 name (labels, shared-memory ids): 1..31 characters of [A-Za-z0-9_.-]. */
static bool req_name(struct parser *p, int node, const char *prop, const char **s)
{
    size_t n = 0;

    if (!req_string(p, node, prop, s)) {
        return false;
    }
    while (n < HV_CONFIG_NAME_MAX && name_char((*s)[n])) {
        n++;
    }
    /* Non-empty (fdt_prop_string()); the run of allowed characters must be all of it. */
    if (n >= HV_CONFIG_NAME_MAX || (*s)[n] != '\0') {
        cfg_error(p, node, prop, "\"%.40s\" is not 1..%d characters of [A-Za-z0-9_.-]", *s,
                  HV_CONFIG_NAME_MAX - 1);
        return false;
    }
    return true;
}

const char *opt_string(struct parser *p, int node, const char *prop)
{
    const char *s;
    int err = fdt_prop_string(p->fdt, node, prop, &s);

    if (err != 0 && err != -ENOENT) {
        cfg_error(p, node, prop, "must be a non-empty string");
    }
    return err == 0 ? s : NULL;
}

unsigned int cfg_entries(struct parser *p, int node, const char *prop, struct fdt_prop *v,
                         unsigned int unit, unsigned int count, const char *shape,
                         const char *missing)
{
    if (fdt_prop(p->fdt, node, prop, v) != 0 || (v->len == 0 && missing != NULL)) {
        if (missing != NULL) {
            cfg_error(p, node, prop, "%s", missing);
        }
        return 0;
    }
    if (v->len == 0 || v->len % unit != 0 || (count != 0 && v->len != count * unit)) {
        cfg_error(p, node, prop, "must be %s", shape);
        return 0;
    }
    return v->len / unit;
}

/* ------------------------------------------------------------------------------------------ */
/* Host memory: /memory, /reserved-memory and the reservation block                           */

/* Add [base, +size) of node (-1: the memory reservation block) to the RAM (ram) or reserved
 * list; false once that is full (reported). */
static bool add_range(struct parser *p, int node, bool ram, uint64_t base, uint64_t size, bool hv,
                      bool staging)
{
    struct hv_config *cfg = p->cfg;
    unsigned int *nr = ram ? &cfg->nr_ram : &cfg->nr_reserved;
    unsigned int max = ram ? HV_CONFIG_MAX_RAM : HV_CONFIG_MAX_RESERVED;

    if (*nr == max) {
        cfg_error(p, node < 0 ? fdt_root(p->fdt) : node, "reg", "more than %u %s ranges", max,
                  ram ? "RAM" : "reserved");
        return false;
    }
    if (!ram) {
        p->reserved_node[*nr] = node;
    }
    (ram ? cfg->ram : cfg->reserved)[(*nr)++] =
        (struct hv_config_range){hpa(base), size, hv, staging};
    return true;
}

/* Every "reg" range of node into the RAM (ram) or reserved list; false once that is full. */
static bool add_regs(struct parser *p, int node, bool ram, bool hv, bool staging)
{
    uint64_t base, size, last;
    int n = fdt_reg_count(p->fdt, node);

    if (n < 0) {
        cfg_error(p, node, "reg", "malformed");
    }
    for (unsigned int i = 0; (int)i < n; i++) {
        if (fdt_reg(p->fdt, node, i, &base, &size) != 0 || !range_last(base, size, &last)) {
            cfg_error(p, node, "reg", "entry %u: malformed or empty range", i);
        } else if (!add_range(p, node, ram, base, size, hv, staging)) {
            return false;
        }
    }
    return true;
}

static void parse_ram(struct parser *p)
{
    int root = fdt_root(p->fdt);
    const char *type;
    int depth = 0;

    /* Devicetree Specification 3.4: /memory nodes have device_type "memory". */
    for (int node = root; node >= 0; node = fdt_next_node(p->fdt, node, &depth)) {
        if (depth == 1 && fdt_prop_string(p->fdt, node, "device_type", &type) == 0 &&
            strcmp(type, "memory") == 0 && !add_regs(p, node, true, false, false)) {
            return;
        }
    }
    if (p->cfg->nr_ram == 0) {
        cfg_error(p, root, "memory", "no /memory node: partition memory cannot be placed");
    }
}

/*
 * Everything partitions may not use: the memory reservation block (Devicetree Specification
 * 5.3) and every /reserved-memory child (3.5), including the hypervisor's own image, which
 * boards describe as the child with compatible "bulkhead,hypervisor-memory".
 */
static void parse_reserved(struct parser *p)
{
    uint64_t base, size, last;
    int rsv = fdt_path(p->fdt, "/reserved-memory");

    for (unsigned int i = 0; fdt_rsvmap(p->fdt, i, &base, &size) == 0; i++) {
        if (range_last(base, size, &last) && !add_range(p, -1, false, base, size, false, false)) {
            return;
        }
    }
    for (int c = rsv < 0 ? -1 : fdt_first_child(p->fdt, rsv); c >= 0;
         c = fdt_next_sibling(p->fdt, c)) {
        if (!add_regs(p, c, false, fdt_is_compatible(p->fdt, c, HVMEM_COMPAT),
                      fdt_is_compatible(p->fdt, c, STAGING_COMPAT))) {
            return;
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The /hypervisor node                                                                       */

/* A cell-count property that must be present with exactly the value want. */
static void check_cells(struct parser *p, int node, const char *prop, uint32_t want,
                        const char *why)
{
    uint32_t v;

    if (fdt_prop_u32(p->fdt, node, prop, &v) != 0 || v != want) {
        cfg_error(p, node, prop, "must be <%u>%s", want, why);
    }
}

/* "interrupt-cpu": one /cpus/cpu@N phandle, the CPU that takes the hypervisor's own
 * interrupts (console input, IOMMU events) when no partition's CPU is theirs to take. */
static void parse_interrupt_cpu(struct parser *p, int hv)
{
    int cpus = fdt_path(p->fdt, "/cpus");
    uint32_t ph;
    uint64_t size;
    int cpu, err = fdt_prop_u32(p->fdt, hv, "interrupt-cpu", &ph);

    cpu = err == 0 ? fdt_node_by_phandle(p->fdt, ph) : -ENOENT;
    if (err == -ENOENT) {
        return;
    }
    if (err != 0) {
        cfg_error(p, hv, "interrupt-cpu", "must be one phandle");
    } else if (cpu < 0 || cpus < 0 || fdt_parent(p->fdt, cpu) != cpus ||
               strncmp(fdt_node_name(p->fdt, cpu), "cpu@", 4) != 0) {
        cfg_error(p, hv, "interrupt-cpu", "phandle 0x%x is not a /cpus/cpu@N node", ph);
    } else if (fdt_reg(p->fdt, cpu, 0, &p->cfg->interrupt_cpu, &size) != 0) {
        cfg_error(p, hv, "interrupt-cpu", "/cpus/%s has no valid reg", fdt_node_name(p->fdt, cpu));
    } else {
        p->cfg->has_interrupt_cpu = true;
    }
}

/*
 * "firmware-forward": <first last> pairs of 32-bit function ids, each first <= last, at most
 * HV_CONFIG_MAX_FW_RANGES. Absent: an empty list (nothing is forwarded).
 */
static void parse_firmware_forward(struct parser *p, int hv)
{
    struct fdt_prop prop;

    unsigned int n = cfg_entries(p, hv, "firmware-forward", &prop, 8, 0,
                                 "<first last> pairs of 32-bit function ids", NULL);

    if (n > HV_CONFIG_MAX_FW_RANGES) {
        cfg_error(p, hv, "firmware-forward", "%u ranges, at most %d", n, HV_CONFIG_MAX_FW_RANGES);
        return;
    }
    for (unsigned int i = 0; i < n; i++) {
        const uint8_t *pair = (const uint8_t *)prop.data + 8 * i;
        uint32_t first = fdt_be32(pair), last = fdt_be32(pair + 4);

        if (first > last) {
            cfg_error(p, hv, "firmware-forward", "range %u: first 0x%x above last 0x%x", i, first,
                      last);
        } else {
            p->cfg->fw_ranges[p->cfg->nr_fw_ranges++] = (struct hv_config_fw_range){first, last};
        }
    }
}

bool hv_config_firmware_call_allowed(const struct hv_config *cfg, uint64_t fn)
{
    if ((fn >> 32) != 0) {
        return false;
    }
    for (unsigned int i = 0; i < cfg->nr_fw_ranges; i++) {
        if (fn >= cfg->fw_ranges[i].first && fn <= cfg->fw_ranges[i].last) {
            return true;
        }
    }
    return false;
}

/* The /hypervisor node, or a negative value when it is missing or not binding v1. */
static int parse_hypervisor(struct parser *p)
{
    const struct fdt *fdt = p->fdt;
    int hv = fdt_path(fdt, "/hypervisor");
    uint32_t ph;
    int err;

    /* Exactly one: a second node claiming the binding elsewhere is a mistake, not ignored. */
    for (int n = fdt_find_compatible(fdt, -1, HV_COMPAT); n >= 0;
         n = fdt_find_compatible(fdt, n, HV_COMPAT)) {
        if (n != hv) {
            cfg_error(p, n, "compatible", "only /hypervisor may be \"" HV_COMPAT "\"");
        }
    }
    if (hv < 0) {
        cfg_error(p, fdt_root(fdt), "hypervisor",
                  "missing node /hypervisor (compatible \"" HV_COMPAT "\")");
        return -ENOENT;
    }
    if (!fdt_is_compatible(fdt, hv, HV_COMPAT)) {
        cfg_error(p, hv, "compatible", "must be \"" HV_COMPAT "\"");
        return -EINVAL;
    }
    config_check_binding(p, hv, config_binding_of(HV_COMPAT));
    /* Partition nodes are addressed by their id: one address cell, no size. */
    check_cells(p, hv, "#address-cells", 1, " (partition@<id>)");
    check_cells(p, hv, "#size-cells", 0, "");
    err = fdt_prop_u32(fdt, hv, "console", &ph);
    if (err == 0) {
        p->console = fdt_node_by_phandle(fdt, ph);
        if (p->console < 0) {
            cfg_error(p, hv, "console", "phandle 0x%x does not resolve", ph);
        }
    } else if (err != -ENOENT) {
        cfg_error(p, hv, "console", "must be one phandle");
    } else {
        /* Without it the console is stdout-path's (console_node()): the hypervisor's all the
         * same, so no partition may be given it. */
        p->console = fdt_stdout_path(fdt);
    }
    if (p->console >= 0 &&
        fdt_node_path(fdt, p->console, p->cfg->console, HV_CONFIG_PATH_MAX) != 0) {
        cfg_error(p, hv, "console", "node path longer than %d characters", HV_CONFIG_PATH_MAX - 1);
    }
    parse_interrupt_cpu(p, hv);
    parse_firmware_forward(p, hv);
    return hv;
}

/* ------------------------------------------------------------------------------------------ */
/* One partition                                                                              */

/* Parse a hex unit address ("partition@1a"): true and *v, false when absent or not hex. */
static bool unit_address(const char *name, uint32_t *v)
{
    static const char hex[] = "0123456789abcdef";
    const char *at = strchr(name, '@');
    uint32_t n = 0;

    if (at == NULL || at[1] == '\0') {
        return false;
    }
    for (const char *c = at + 1; *c != '\0'; c++) {
        const char *d = strchr(hex, *c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);

        if (d == NULL || n > UINT32_MAX / 16) {
            return false; /* not hex, or n * 16 would not fit */
        }
        n = n * 16 + (uint32_t)(d - hex);
    }
    *v = n;
    return true;
}

static void parse_id_label(struct parser *p, unsigned int idx, int node)
{
    struct hv_config_partition *part = &p->cfg->partitions[idx];
    const char *label;
    char buf[FDT_MAX_PATH];
    uint32_t id, unit;
    int err = fdt_prop_u32(p->fdt, node, "reg", &id);

    if (err == -ENOENT) {
        cfg_error(p, node, "reg", "missing: the partition id (1..%d)", HV_MAX_PARTITIONS);
    } else if (err != 0) {
        cfg_error(p, node, "reg", "must be one cell: the partition id (1..%d)", HV_MAX_PARTITIONS);
    } else if (id < 1 || id > HV_MAX_PARTITIONS) {
        cfg_error(p, node, "reg", "partition id %u is outside 1..%d", id, HV_MAX_PARTITIONS);
    } else {
        part->id = id;
        for (unsigned int j = 0; j < idx; j++) {
            if (p->cfg->partitions[j].id == id) {
                cfg_error(p, node, "reg", "partition id %u is already used by %s", id,
                          node_path(p, p->part_node[j], buf, sizeof(buf)));
                break;
            }
        }
        if (unit_address(fdt_node_name(p->fdt, node), &unit) && unit != id) {
            cfg_error(p, node, "reg", "partition id %u does not match the unit address @%x", id,
                      unit);
        }
    }

    if (!req_name(p, node, "label", &label)) {
        return;
    }
    for (unsigned int j = 0; j < idx; j++) {
        if (strcmp(p->cfg->partitions[j].label, label) == 0) {
            cfg_error(p, node, "label", "\"%s\" is already used by %s", label,
                      node_path(p, p->part_node[j], buf, sizeof(buf)));
            break;
        }
    }
    memcpy(part->label, label, strlen(label) + 1);
}

uint64_t u64_at(const struct fdt_prop *prop, unsigned int i)
{
    return fdt_read_cells((const uint8_t *)prop->data + i * U64_BYTES, PART_CELLS);
}

unsigned int node_index(const int *nodes, unsigned int n, int node)
{
    unsigned int i = 0;

    while (i < n && nodes[i] != node) {
        i++;
    }
    return i;
}

void cfg_taken(struct parser *p, int node, const char *prop, unsigned int i, const char *what,
               unsigned int owner, unsigned int idx, const char *verb)
{
    char buf[FDT_MAX_PATH];

    if (owner == idx) {
        cfg_error(p, node, prop, "entry %u: %s is listed twice", i, what);
    } else {
        cfg_error(p, node, prop, "entry %u: %s is already %s %s", i, what, verb,
                  node_path(p, p->part_node[owner], buf, sizeof(buf)));
    }
}

int cfg_phandle(struct parser *p, int node, const char *prop, const struct fdt_prop *list,
                unsigned int i)
{
    uint32_t ph = fdt_be32((const uint8_t *)list->data + 4 * i);
    int n = fdt_node_by_phandle(p->fdt, ph);

    if (n < 0) {
        cfg_error(p, node, prop, "entry %u: phandle 0x%x does not resolve", i, ph);
    }
    return n;
}

/*
 * Why [a, +size) and [b, +size) cannot be mapped, or NULL when both can: stage 2, NPT and the
 * host tables map whole 4 KiB pages (a partial page would expose its neighbours), and a range
 * must neither be empty nor wrap. The text completes a sentence ("<range> is not ...").
 */
static const char *span_problem(uint64_t a, uint64_t b, uint64_t size)
{
    uint64_t last;

    if (size == 0) {
        return "is empty";
    }
    if (!page_aligned(a) || !page_aligned(b) || !page_aligned(size)) {
        return "is not 4 KiB aligned";
    }
    if (!range_last(a, size, &last) || !range_last(b, size, &last)) {
        return "wraps past the end of the address space";
    }
    return NULL;
}

/* "cpus": /cpus/cpu@N phandles, each owned by exactly one partition. */
static void parse_cpus(struct parser *p, unsigned int idx, int node)
{
    struct hv_config *cfg = p->cfg;
    struct hv_config_partition *part = &cfg->partitions[idx];
    int cpus = fdt_path(p->fdt, "/cpus");
    char buf[FDT_MAX_PATH];
    struct fdt_prop prop;
    unsigned int n = cfg_entries(p, node, "cpus", &prop, 4, 0, "a list of phandles",
                                 "must list at least one CPU");

    part->cpu_first = (uint16_t)cfg->nr_cpus;
    for (unsigned int i = 0; i < n; i++) {
        int cpu = cfg_phandle(p, node, "cpus", &prop, i);
        unsigned int j = node_index(p->cpu_node, cfg->nr_cpus, cpu);
        const char *name = cpu < 0 ? NULL : fdt_node_name(p->fdt, cpu);
        uint64_t hwid, size;

        if (cpu < 0) {
            continue;
        }
        if (cpus < 0 || fdt_parent(p->fdt, cpu) != cpus || strncmp(name, "cpu@", 4) != 0) {
            cfg_error(p, node, "cpus", "entry %u: %s is not a /cpus/cpu@N node", i,
                      node_path(p, cpu, buf, sizeof(buf)));
        } else if (fdt_reg(p->fdt, cpu, 0, &hwid, &size) != 0) {
            cfg_error(p, node, "cpus", "entry %u: /cpus/%s has no valid reg", i, name);
        } else if (j < cfg->nr_cpus) {
            cfg_taken(p, node, "cpus", i, node_path(p, cpu, buf, sizeof(buf)),
                      cfg->cpus[j].partition, idx, "owned by");
        } else if (cfg->nr_cpus == HV_CONFIG_MAX_CPUS) {
            cfg_error(p, node, "cpus", "more than %d CPUs in all partitions", HV_CONFIG_MAX_CPUS);
            break;
        } else {
            p->cpu_node[cfg->nr_cpus] = cpu;
            hv_snprintf(cfg->cpus[cfg->nr_cpus].name, sizeof(cfg->cpus[0].name), "%s", name);
            cfg->cpus[cfg->nr_cpus].hwid = hwid;
            cfg->cpus[cfg->nr_cpus].partition = (uint8_t)idx;
            cfg->nr_cpus++;
        }
    }
    part->cpu_count = (uint16_t)(cfg->nr_cpus - part->cpu_first);
}

/* "memory": <guest host size> triplets. Host placement is checked once all are known. */
static void parse_memory(struct parser *p, unsigned int idx, int node)
{
    struct hv_config *cfg = p->cfg;
    struct hv_config_partition *part = &cfg->partitions[idx];
    struct fdt_prop prop;
    unsigned int n = cfg_entries(p, node, "memory", &prop, 3 * U64_BYTES, 0,
                                 "<guest host size> triplets of 64-bit values",
                                 "must have at least one <guest host size> triplet");

    part->mem_first = (uint16_t)cfg->nr_mem;
    for (unsigned int i = 0; i < n; i++) {
        uint64_t g = u64_at(&prop, 3 * i), h = u64_at(&prop, 3 * i + 1),
                 s = u64_at(&prop, 3 * i + 2);
        const char *why = span_problem(g, h, s);

        if (why != NULL) {
            cfg_error(p, node, "memory", "entry %u: guest 0x%llx, host 0x%llx, size 0x%llx %s", i,
                      (ull)g, (ull)h, (ull)s, why);
        } else if (cfg->nr_mem == HV_CONFIG_MAX_MEM) {
            cfg_error(p, node, "memory", "more than %d memory ranges in all partitions",
                      HV_CONFIG_MAX_MEM);
            break;
        } else {
            p->mem_part[cfg->nr_mem] = (uint8_t)idx;
            p->mem_entry[cfg->nr_mem] = (uint8_t)(i > UINT8_MAX ? UINT8_MAX : i);
            cfg->mem[cfg->nr_mem++] = (struct hv_config_mem){gpa(g), hpa(h), s};
        }
    }
    part->mem_count = (uint16_t)(cfg->nr_mem - part->mem_first);
}

/* The "reg" ranges of a passed-through device into dev; false (reported) when unusable. */
static bool parse_device_regs(struct parser *p, int node, unsigned int i, int devn,
                              struct hv_config_device *dev)
{
    int parent = fdt_parent(p->fdt, devn);
    /* IEEE 1275 ISA binding: two address cells, bit 0 of the first set for I/O space. */
    bool isa = parent >= 0 && fdt_is_compatible(p->fdt, parent, "isa");
    int n = fdt_reg_count(p->fdt, devn);

    if (n < 0) {
        cfg_error(p, node, "devices", "entry %u: %s has a malformed reg", i, dev->path);
        return false;
    }
    if (n > HV_CONFIG_MAX_DEV_REGS) {
        cfg_error(p, node, "devices", "entry %u: %s has more than %d reg ranges", i, dev->path,
                  HV_CONFIG_MAX_DEV_REGS);
        return false;
    }
    for (unsigned int r = 0; r < (unsigned int)n; r++) {
        struct hv_config_dev_reg *reg = &dev->regs[r];
        const char *why;
        int err = fdt_reg(p->fdt, devn, r, &reg->base, &reg->size);

        if (err != 0) {
            cfg_error(p, node, "devices", "entry %u: %s has a malformed reg", i, dev->path);
            return false;
        }
        if (isa && (reg->base >> 32) & 1) {
            reg->pio = true;
            reg->base &= UINT32_MAX;
            continue;
        }
        /* The guest sees the device at the root (1:1): its address is the CPU's, translated
         * through the ranges of every bus above it. */
        err = fdt_reg_translated(p->fdt, devn, r, &reg->base, &reg->size);
        why = err == 0 ? span_problem(reg->base, reg->base, reg->size) : NULL;
        if (err != 0) {
            cfg_error(p, node, "devices", "entry %u: %s reg entry %u %s", i, dev->path, r,
                      err == -ERANGE ? "is not reachable from the CPU (no parent ranges covers it)"
                                     : "has a malformed parent ranges or too wide an address");
        } else if (why != NULL) {
            cfg_error(p, node, "devices", "entry %u: %s MMIO range 0x%llx+0x%llx %s", i, dev->path,
                      (ull)reg->base, (ull)reg->size, why);
        } else {
            continue;
        }
        return false;
    }
    dev->nr_regs = (uint8_t)n;
    return true;
}

/*
 * Devicetree Specification 2.3.4: a node is usable when "status" is absent, "okay" or (the
 * older spelling) "ok"; "disabled", "reserved", "fail" and anything else are not.
 */
static bool node_enabled(const struct fdt *fdt, int node, const char **status)
{
    if (fdt_prop_string(fdt, node, "status", status) != 0) {
        struct fdt_prop prop;

        *status = "";
        return fdt_prop(fdt, node, "status", &prop) != 0; /* absent, or not a string */
    }
    return strcmp(*status, "okay") == 0 || strcmp(*status, "ok") == 0;
}

/* "devices": phandles of passed-through devices (MMIO reg and interrupts, mapped 1:1). */
static void parse_devices(struct parser *p, unsigned int idx, int node)
{
    struct hv_config *cfg = p->cfg;
    struct hv_config_partition *part = &cfg->partitions[idx];
    char buf[FDT_MAX_PATH];
    struct fdt_prop prop;

    part->dev_first = (uint16_t)cfg->nr_devices;
    if (fdt_prop(p->fdt, node, "devices", &prop) != 0) {
        return; /* optional */
    }
    if (prop.len % 4 != 0) {
        cfg_error(p, node, "devices", "must be a list of phandles");
        return;
    }
    for (unsigned int i = 0; i < prop.len / 4; i++) {
        int devn = cfg_phandle(p, node, "devices", &prop, i);
        unsigned int j = node_index(p->dev_node, cfg->nr_devices, devn);
        struct hv_config_device *dev;
        struct fdt_prop irq;
        const char *status;

        if (devn < 0) {
            continue;
        }
        if (!node_enabled(p->fdt, devn, &status)) {
            cfg_error(p, node, "devices", "entry %u: %s is disabled (status \"%.16s\")", i,
                      node_path(p, devn, buf, sizeof(buf)), status);
            continue;
        }
        if (devn == p->console) {
            cfg_error(p, node, "devices", "entry %u: %s is the hypervisor console", i,
                      node_path(p, devn, buf, sizeof(buf)));
            continue;
        }
        if (j < cfg->nr_devices) {
            cfg_taken(p, node, "devices", i, cfg->devices[j].path, cfg->devices[j].partition, idx,
                      "passed through to");
            continue;
        }
        if (cfg->nr_devices == HV_CONFIG_MAX_DEVICES) {
            cfg_error(p, node, "devices", "more than %d devices in all partitions",
                      HV_CONFIG_MAX_DEVICES);
            break;
        }
        dev = &cfg->devices[cfg->nr_devices];
        memset(dev, 0, sizeof(*dev));
        if (fdt_node_path(p->fdt, devn, dev->path, sizeof(dev->path)) != 0) {
            cfg_error(p, node, "devices", "entry %u: node path longer than %d characters", i,
                      HV_CONFIG_PATH_MAX - 1);
            continue;
        }
        if (!parse_device_regs(p, node, i, devn, dev)) {
            continue;
        }
        if (fdt_prop(p->fdt, devn, "interrupts", &irq) == 0) {
            if (irq.len % 4 != 0 || irq.len / 4 > HV_CONFIG_MAX_IRQ_CELLS) {
                cfg_error(p, node, "devices", "entry %u: %s: interrupts must be at most %d cells",
                          i, dev->path, HV_CONFIG_MAX_IRQ_CELLS);
                continue;
            }
            dev->nr_irq_cells = (uint8_t)(irq.len / 4);
            for (unsigned int c = 0; c < dev->nr_irq_cells; c++) {
                dev->irq_cells[c] = fdt_be32((const uint8_t *)irq.data + 4 * c);
            }
        }
        if (fdt_prop(p->fdt, devn, "compatible", &irq) == 0) {
            /* Kept raw for the guest DTB (core/partition/guest_dtb.c), which copies it verbatim. */
            dev->compatible = irq.data;
            dev->compatible_len = irq.len;
        }
        dev->partition = (uint8_t)idx;
        p->dev_entry[cfg->nr_devices] = (uint8_t)(i > UINT8_MAX ? UINT8_MAX : i);
        p->dev_node[cfg->nr_devices++] = devn;
    }
    part->dev_count = (uint16_t)(cfg->nr_devices - part->dev_first);
}

/* ------------------------------------------------------------------------------------------ */
/* shared-mem nodes                                                                           */

void shm_set_id(struct parser *p, unsigned int idx, int node, const char *prop, const char *id,
                uint16_t first)
{
    char buf[FDT_MAX_PATH];

    memcpy(p->cfg->shm[idx].id, id, strlen(id) + 1);
    for (unsigned int j = first; j < idx; j++) {
        if (strcmp(p->cfg->shm[j].id, id) == 0) {
            cfg_error(p, node, prop, "\"%s\" is used twice by this partition (also %s)", id,
                      node_path(p, p->shm_node[j], buf, sizeof(buf)));
            p->shm_bad[idx] = true;
            return;
        }
    }
}

void shm_parse_range(struct parser *p, unsigned int idx, int node, const char *prop, bool host,
                     const char *shape)
{
    struct hv_config_shm *shm = &p->cfg->shm[idx];
    unsigned int h = host; /* the guest address is value h, the size h + 1 */
    struct fdt_prop v;
    const char *why;
    uint64_t hv;

    if (fdt_prop(p->fdt, node, prop, &v) != 0 || v.len != (2 + h) * U64_BYTES) {
        cfg_error(p, node, prop, "must be %s (64-bit values)", shape);
    } else {
        hv = host ? u64_at(&v, 0) : 0;
        why = span_problem(u64_at(&v, h), hv, u64_at(&v, h + 1));
        if (why != NULL) {
            cfg_error(p, node, prop, "range %s", why);
        } else {
            shm->host = hpa(hv);
            shm->guest = gpa(u64_at(&v, h));
            shm->size = u64_at(&v, h + 1);
            return;
        }
    }
    p->shm_bad[idx] = true;
}

/*
 * The value string s (of node/prop, NULL when absent) names in names[0..n) (NULL entries are
 * holes): its index, absent for NULL, or -1 when it names none (reported: "is not <choices>").
 */
static int name_value(struct parser *p, int node, const char *prop, const char *s,
                      const char *const *names, size_t n, int absent, const char *choices)
{
    int v = s != NULL ? config_name_value(names, n, s) : absent;

    if (v < 0) {
        cfg_error(p, node, prop, "\"%.40s\" is not %s", s, choices);
    }
    return v;
}

void shm_parse_role(struct parser *p, unsigned int idx, int node)
{
    int v = name_value(p, node, "role", opt_string(p, node, "role"), shm_role_names,
                       ARRAY_SIZE(shm_role_names), SHM_ROLE_BORROWER, "\"owner\" or \"borrower\"");

    p->cfg->shm[idx].role = v < 0 ? SHM_ROLE_BORROWER : (enum shm_role)v;
    p->shm_bad[idx] |= v < 0;
    p->shm_role_bad[idx] = v < 0;
}

/* access, cache-policy and offset, with the binding's defaults. */
static void parse_shm_attrs(struct parser *p, unsigned int idx, int node)
{
    struct hv_config_shm *shm = &p->cfg->shm[idx];
    struct fdt_prop prop;
    const char *s;
    /* Owners default to rw (0 is no access value); a borrower's default is its owner's,
     * resolved later. */
    int v = name_value(p, node, "access", opt_string(p, node, "access"), shm_access_names,
                       ARRAY_SIZE(shm_access_names), 0, "\"ro\" or \"rw\"");

    shm->access = v > 0 ? (enum shm_access)v : SHM_ACCESS_RW;
    p->shm_access_set[idx] = v > 0;
    p->shm_bad[idx] |= v < 0;
    /* One memory type per physical page: only the owner chooses it (seed: libxl sshm). */
    s = opt_string(p, node, "cache-policy");
    if (s != NULL && shm->role != SHM_ROLE_OWNER) {
        cfg_error(p, node, "cache-policy",
                  "only the owner sets the cache policy (borrowers inherit it)");
        s = NULL;
    }
    v = name_value(p, node, "cache-policy", s, cache_policy_names, ARRAY_SIZE(cache_policy_names),
                   CACHE_POLICY_WB, "\"wb\", \"wt\" or \"nc\"");
    shm->cache_policy = v < 0 ? CACHE_POLICY_WB : (enum cache_policy)v;
    if (s != NULL && v >= 0 && !arch_cache_policy_supported(shm->cache_policy)) {
        cfg_error(p, node, "cache-policy", "\"%s\" is not supported by this architecture", s);
    }
    /* The entry is zeroed (parse_shm()): no "offset" is offset 0. */
    if (fdt_prop(p->fdt, node, "offset", &prop) == 0) {
        if (shm->role == SHM_ROLE_OWNER) {
            cfg_error(p, node, "offset", "only a borrower has an offset into the owner's region");
        } else if (prop.len != U64_BYTES) {
            cfg_error(p, node, "offset", "must be one 64-bit value");
            p->shm_bad[idx] = true;
        } else {
            shm->offset = u64_at(&prop, 0);
            if (!page_aligned(shm->offset)) {
                cfg_error(p, node, "offset", "0x%llx is not 4 KiB aligned", (ull)shm->offset);
                p->shm_bad[idx] = true;
            }
        }
    }
}

/* "doorbell" (optional): <guest-addr> of the region's doorbell register page. */
static void parse_shm_doorbell(struct parser *p, unsigned int idx, int node)
{
    struct hv_config_shm *shm = &p->cfg->shm[idx];
    struct fdt_prop prop;
    const char *why;
    uint64_t g;

    if (cfg_entries(p, node, "doorbell", &prop, U64_BYTES, 1, "one 64-bit guest address", NULL) ==
        0) {
        return;
    }
    g = u64_at(&prop, 0);
    why = span_problem(g, g, HV_DOORBELL_PAGE);
    if (why != NULL) {
        cfg_error(p, node, "doorbell", "0x%llx %s", (ull)g, why);
    } else {
        shm->has_doorbell = true;
        shm->doorbell = gpa(g);
    }
}

/*
 * "pci-slot" (optional): <device number> of the region's ivshmem-style function on the
 * partition's virtual PCI host (include/hv/vpci.h). Its window becomes a BAR, so it must be
 * one: a power of two in size, aligned to it (PCI Local Bus 3.0, 6.2.5.1). After the range.
 */
static void parse_shm_pci(struct parser *p, unsigned int idx, int node, unsigned int first)
{
    struct hv_config_shm *shm = &p->cfg->shm[idx];
    struct arch_vpci_layout l;
    struct fdt_prop prop;
    uint32_t slot;
    unsigned int j = first;

    if (cfg_entries(p, node, "pci-slot", &prop, 4, 1, "one cell (a device number 0..31)", NULL) ==
        0) {
        return;
    }
    slot = fdt_be32(prop.data);
    while (j < idx && !(p->cfg->shm[j].has_pci && p->cfg->shm[j].pci_slot == slot)) {
        j++;
    }
    if (arch_vpci_layout(&l) != 0) {
        cfg_error(p, node, "pci-slot", "this architecture has no virtual PCI host");
    } else if (slot > VPCI_MAX_SLOT) {
        cfg_error(p, node, "pci-slot", "%u is not a device number 0..%u", slot, VPCI_MAX_SLOT);
    } else if (j < idx) {
        cfg_error(p, node, "pci-slot", "slot %u is also \"%s\"'s", slot, p->cfg->shm[j].id);
    } else if (p->shm_bad[idx]) {
        return; /* the range was reported already */
    } else if ((shm->size & (shm->size - 1)) != 0 || (gpa_val(shm->guest) & (shm->size - 1)) != 0) {
        cfg_error(p, node, "pci-slot",
                  "the window 0x%llx+0x%llx cannot be a BAR: its size must be a power of two "
                  "and its guest address aligned to it",
                  (ull)gpa_val(shm->guest), (ull)shm->size);
    } else {
        shm->has_pci = true;
        shm->pci_slot = (uint8_t)slot;
    }
}

static void parse_shm(struct parser *p, unsigned int pidx, int node, bool xen)
{
    struct hv_config *cfg = p->cfg;
    unsigned int idx;
    const char *id;

    if (cfg->nr_shm == HV_CONFIG_MAX_SHM) {
        cfg_error(p, node, "compatible", "more than %d shared-mem nodes in all partitions",
                  HV_CONFIG_MAX_SHM);
        return;
    }
    idx = cfg->nr_shm++;
    memset(&cfg->shm[idx], 0, sizeof(cfg->shm[idx]));
    p->shm_node[idx] = node;
    cfg->shm[idx].partition = (uint8_t)pidx;
    cfg->shm[idx].owner = (uint16_t)idx;
    if (xen) {
        config_parse_xen_shm(p, idx, node, cfg->partitions[pidx].shm_first);
        return;
    }
    config_check_binding(p, node, config_binding_of(SHM_COMPAT));
    if (req_name(p, node, "id", &id)) {
        shm_set_id(p, idx, node, "id", id, cfg->partitions[pidx].shm_first);
    } else {
        p->shm_bad[idx] = true;
    }
    shm_parse_role(p, idx, node);
    parse_shm_attrs(p, idx, node);
    /* "shared-mem": owner <host guest size>, borrower <guest size>. */
    shm_parse_range(p, idx, node, "shared-mem", cfg->shm[idx].role == SHM_ROLE_OWNER,
                    cfg->shm[idx].role == SHM_ROLE_OWNER ? "<host guest size> for an owner"
                                                         : "<guest size> for a borrower");
    parse_shm_doorbell(p, idx, node);
    parse_shm_pci(p, idx, node, cfg->partitions[pidx].shm_first);
}

/* Product builds ignore the test-only properties; test builds link core/config/test_props.c. */
__weak void config_parse_test_props(struct parser *p, struct hv_config_partition *part, int node)
{
    (void)p;
    (void)part;
    (void)node;
}

/* "input-focus" (empty): this partition has the console input at start; one at most. */
static void parse_input_focus(struct parser *p, unsigned int idx, int node)
{
    char buf[HV_CONFIG_PATH_MAX];
    struct fdt_prop prop;
    unsigned int i = 0;

    while (i < idx && !p->cfg->partitions[i].input_focus) {
        i++;
    }
    if (fdt_prop(p->fdt, node, "input-focus", &prop) != 0) {
        return;
    }
    if (prop.len != 0) {
        cfg_error(p, node, "input-focus", "takes no value");
    } else if (i < idx) {
        cfg_error(p, node, "input-focus", "already given to %s",
                  node_path(p, p->part_node[i], buf, sizeof(buf)));
    } else {
        p->cfg->partitions[idx].input_focus = true;
    }
}

/*
 * What the build wrote for a staged image (guests/stage.sh): "bulkhead,<what>-staged" =
 * <host size> (2 + 2 cells) inside a "bulkhead,image-staging" reservation, and
 * "bulkhead,<what>-sha256" = its 32-byte digest. Both or neither, and only with the path
 * property itself; absent while the build has not staged yet (bulkhead-check's first run).
 */
static void parse_staged(struct parser *p, int node, const char *what, const char *path,
                         struct hv_config_staged *st)
{
    const struct hv_config *cfg = p->cfg;
    struct fdt_prop loc = {0}, sum = {0};
    char lprop[32], sprop[32];
    bool has_loc, has_sum, bad_loc, inside = false;
    uint64_t base, size, last;

    hv_snprintf(lprop, sizeof(lprop), "bulkhead,%s-staged", what);
    hv_snprintf(sprop, sizeof(sprop), "bulkhead,%s-sha256", what);
    has_loc = fdt_prop(p->fdt, node, lprop, &loc) == 0;
    has_sum = fdt_prop(p->fdt, node, sprop, &sum) == 0;
    if (!has_loc && !has_sum) {
        return;
    }
    bad_loc = loc.len != 2 * U64_BYTES;
    base = bad_loc ? 0 : u64_at(&loc, 0);
    size = bad_loc ? 0 : u64_at(&loc, 1);
    for (unsigned int r = 0; r < cfg->nr_reserved; r++) {
        inside |= cfg->reserved[r].staging &&
                  range_inside(base, size, hpa_val(cfg->reserved[r].base), cfg->reserved[r].size);
    }
    if (path == NULL || !has_loc || !has_sum) {
        cfg_error(p, node, has_loc ? lprop : sprop, "needs \"%s\", \"%s\" and \"%s\"", what, lprop,
                  sprop);
    } else if (bad_loc || sum.len != HV_CONFIG_SHA256_SIZE) {
        cfg_error(p, node, bad_loc ? lprop : sprop, "must be %s",
                  bad_loc ? "<host size> (2 + 2 cells)" : "32 bytes");
    } else if (!range_last(base, size, &last)) {
        cfg_error(p, node, lprop, "empty or wrapping range");
    } else if (!inside) {
        cfg_error(p, node, lprop,
                  "[0x%llx, 0x%llx) is not inside a /reserved-memory \"" STAGING_COMPAT "\" node",
                  (ull)base, (ull)(base + size));
    } else {
        st->base = hpa(base);
        st->size = size;
        memcpy(st->sha256, sum.data, HV_CONFIG_SHA256_SIZE);
    }
}

static void parse_partition(struct parser *p, int node)
{
    struct hv_config *cfg = p->cfg;
    struct hv_config_partition *part;
    unsigned int idx;

    if (cfg->nr_partitions == HV_MAX_PARTITIONS) {
        cfg_error(p, node, "compatible", "more than %d partitions", HV_MAX_PARTITIONS);
        return;
    }
    idx = cfg->nr_partitions++;
    part = &cfg->partitions[idx];
    memset(part, 0, sizeof(*part));
    p->part_node[idx] = node;
    config_check_binding(p, node, config_binding_of(PART_COMPAT));
    parse_id_label(p, idx, node);
    check_cells(p, node, "#address-cells", PART_CELLS, " (64-bit addresses)");
    check_cells(p, node, "#size-cells", PART_CELLS, " (64-bit sizes)");
    parse_cpus(p, idx, node);
    parse_memory(p, idx, node);
    parse_devices(p, idx, node);
    config_parse_dma(p, idx, node);
    part->image = opt_string(p, node, "image");
    part->initrd = opt_string(p, node, "initrd");
    part->bootargs = opt_string(p, node, "bootargs");
    parse_input_focus(p, idx, node);
    parse_staged(p, node, "image", part->image, &part->image_staged);
    parse_staged(p, node, "initrd", part->initrd, &part->initrd_staged);
    config_parse_test_props(p, part, node);
    part->shm_first = (uint16_t)cfg->nr_shm;
    for (int c = fdt_first_child(p->fdt, node); c >= 0; c = fdt_next_sibling(p->fdt, c)) {
        if (fdt_is_compatible(p->fdt, c, SHM_COMPAT)) {
            parse_shm(p, idx, c, false);
        } else if (fdt_is_compatible(p->fdt, c, XEN_SHM_COMPAT)) {
            parse_shm(p, idx, c, true);
        } else if (strncmp(fdt_node_name(p->fdt, c), "shared-mem", 10) == 0) {
            cfg_error(p, c, "compatible", "must be \"" SHM_COMPAT "\"");
        }
    }
    part->shm_count = (uint16_t)(cfg->nr_shm - part->shm_first);
}

int hv_config_parse(const struct fdt *fdt, const struct hv_config_env *env, struct hv_config *cfg)
{
    static struct parser parser __noinit; /* cleared below */
    struct parser *p = &parser;
    bool any = false;
    int hv;

    /* Static, not on the stack: the hypervisor's boot stack is small. Boot is single-threaded
     * and the host tool parses one file at a time. */
    memset(p, 0, sizeof(*p));
    memset(cfg, 0, sizeof(*cfg));
    p->fdt = fdt;
    p->env = env;
    p->cfg = cfg;
    p->console = -ENOENT;
    parse_ram(p);
    parse_reserved(p);
    hv = parse_hypervisor(p);
    config_find_hypervisor_hw(p);
    if (hv >= 0) {
        for (int c = fdt_first_child(fdt, hv); c >= 0; c = fdt_next_sibling(fdt, c)) {
            if (fdt_is_compatible(fdt, c, PART_COMPAT)) {
                parse_partition(p, c);
                any = true;
            } else if (strncmp(fdt_node_name(fdt, c), "partition", 9) == 0) {
                cfg_error(p, c, "compatible", "must be \"" PART_COMPAT "\"");
                any = true;
            }
        }
        if (!any) {
            cfg_error(p, hv, "partition@1", "at least one partition is required");
        }
        config_cross_check(p);
    }
    return p->errors != 0 ? -EINVAL : 0;
}
