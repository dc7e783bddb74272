// SPDX-License-Identifier: Apache-2.0
/*
 * Partition configuration, the cross checks: the rules that need every partition parsed
 * (shared-memory owners and borrowers, host ranges against RAM, reservations and each other,
 * guest ranges within a partition, images). Error policy: parser.h.
 */
#include <arch/config.h>
#include <hv/printf.h>
#include <hv/string.h>

#include "parser.h"

const char *reserved_name(const struct parser *p, unsigned int r, char *buf, size_t size)
{
    char path[FDT_MAX_PATH];

    hv_snprintf(buf, size, "%s%s",
                p->cfg->reserved[r].hypervisor ? "the hypervisor image " : "reserved memory ",
                p->reserved_node[r] < 0 ? "(memory reservation block)"
                                        : node_path(p, p->reserved_node[r], path, sizeof(path)));
    return buf;
}

static const char *const hw_kind_names[] = {
    [HW_CONSOLE] = "the hypervisor console",
    [HW_INTC] = "the interrupt controller",
    [HW_MSI] = "the MSI controller",
    [HW_IOMMU] = "the IOMMU",
    [HW_PCI_CFG] = "the PCI configuration space of",
};

/* One overlap found by check_host_range(), with what name says: true when the search stops
 * there (a device's MMIO reports its first, most specific, overlap only). */
static bool host_clash(struct parser *p, int node, const char *prop, const char *what,
                       uint64_t base, uint64_t size, int dev, char *name)
{
    cfg_error(p, node, prop, "%s[0x%llx, 0x%llx) overlaps %s", what, (ull)base, (ull)(base + size),
              name);
    return dev >= 0;
}

/*
 * Report what host range [base, +size) of node/prop, named by what ("entry 1: host range "),
 * overlaps. Memory and shared regions (dev < 0): outside RAM, every reservation, the memory
 * entries before mem_end and the regions before shm_end, each reported. Device dev's MMIO: the
 * hardware the hypervisor keeps, other partitions' devices, the memory entries and regions
 * (before mem_end, shm_end), the reservations and RAM, most specific first (the binding's
 * order), and the first overlap only (one mistake, one message). Its I/O ports (pio): the
 * hypervisor's ports (its hardware's, arch_config_hv_ports()) and every other device's, its
 * own partition's included (ports have no guest overlap check). True when that device range
 * overlaps.
 */
static bool check_host_range(struct parser *p, int node, const char *prop, const char *what,
                             uint64_t base, uint64_t size, unsigned int mem_end,
                             unsigned int shm_end, int dev, bool pio)
{
    const struct hv_config *cfg = p->cfg;
    const struct hv_config_device *d = dev >= 0 ? &cfg->devices[dev] : NULL;
    char buf[FDT_MAX_PATH], name[256];
    bool in_ram = false, stop = false;
    const char *hw_what;
    uint64_t hb, hs;

    for (unsigned int r = 0; d == NULL && r < cfg->nr_ram; r++) {
        in_ram |= range_inside(base, size, hpa_val(cfg->ram[r].base), cfg->ram[r].size);
    }
    if (d == NULL && !in_ram && cfg->nr_ram != 0) {
        cfg_error(p, node, prop, "%s[0x%llx, 0x%llx) is not inside a /memory range", what,
                  (ull)base, (ull)(base + size));
    }
    for (unsigned int h = 0; d != NULL && h < p->nr_hw && !stop; h++) {
        const struct hw_range *hw = &p->hw[h];

        if (hw->pio == pio && ranges_overlap(base, size, hw->base, hw->size)) {
            hv_snprintf(name, sizeof(name), "%s %s [0x%llx, 0x%llx), which the hypervisor owns",
                        hw_kind_names[hw->kind], node_path(p, hw->node, buf, sizeof(buf)),
                        (ull)hw->base, (ull)(hw->base + hw->size));
            stop = host_clash(p, node, prop, what, base, size, dev, name);
        }
    }
    /* Other partitions' devices (one partition's own MMIO: the guest overlap check). */
    for (int o = 0; o < dev && !stop; o++) {
        const struct hv_config_device *od = &cfg->devices[o];

        for (unsigned int r = 0; r < od->nr_regs && (pio || od->partition != d->partition) && !stop;
             r++) {
            if (od->regs[r].pio == pio &&
                ranges_overlap(base, size, od->regs[r].base, od->regs[r].size)) {
                hv_snprintf(name, sizeof(name), "device %s of %s", od->path,
                            node_path(p, p->part_node[od->partition], buf, sizeof(buf)));
                stop = host_clash(p, node, prop, what, base, size, dev, name);
            }
        }
    }
    for (unsigned int k = 0; pio && !stop && arch_config_hv_ports(k, &hb, &hs, &hw_what); k++) {
        if (ranges_overlap(base, size, hb, hs)) {
            hv_snprintf(name, sizeof(name), "%s [0x%llx, 0x%llx), which the hypervisor owns",
                        hw_what, (ull)hb, (ull)(hb + hs));
            stop = host_clash(p, node, prop, what, base, size, dev, name);
        }
    }
    if (pio) {
        return stop; /* the rest is memory, another address space */
    }
    for (unsigned int m = 0; m < mem_end && !stop; m++) {
        if (ranges_overlap(base, size, hpa_val(cfg->mem[m].host), cfg->mem[m].size)) {
            hv_snprintf(name, sizeof(name), "memory entry %u of %s", p->mem_entry[m],
                        node_path(p, p->part_node[p->mem_part[m]], buf, sizeof(buf)));
            stop = host_clash(p, node, prop, what, base, size, dev, name);
        }
    }
    for (unsigned int s = 0; s < shm_end && !stop; s++) {
        const struct hv_config_shm *shm = &cfg->shm[s];

        if (shm_region_ok(p, s) && ranges_overlap(base, size, hpa_val(shm->host), shm->size)) {
            hv_snprintf(name, sizeof(name), "shared-memory region \"%s\" (%s)", shm->id,
                        node_path(p, p->shm_node[s], buf, sizeof(buf)));
            stop = host_clash(p, node, prop, what, base, size, dev, name);
        }
    }
    for (unsigned int r = 0; r < cfg->nr_reserved && !stop; r++) {
        const struct hv_config_range *res = &cfg->reserved[r];

        if (ranges_overlap(base, size, hpa_val(res->base), res->size)) {
            size_t n = strlen(reserved_name(p, r, name, sizeof(name)));

            hv_snprintf(name + n, sizeof(name) - n, " [0x%llx, 0x%llx)", (ull)hpa_val(res->base),
                        (ull)(hpa_val(res->base) + res->size));
            stop = host_clash(p, node, prop, what, base, size, dev, name);
        }
    }
    for (unsigned int r = 0; d != NULL && r < cfg->nr_ram && !stop; r++) {
        if (ranges_overlap(base, size, hpa_val(cfg->ram[r].base), cfg->ram[r].size)) {
            hv_snprintf(name, sizeof(name), "RAM [0x%llx, 0x%llx)", (ull)hpa_val(cfg->ram[r].base),
                        (ull)(hpa_val(cfg->ram[r].base) + cfg->ram[r].size));
            stop = host_clash(p, node, prop, what, base, size, dev, name);
        }
    }
    return stop;
}

bool shm_same_id(const struct hv_config *cfg, unsigned int i, unsigned int j)
{
    return cfg->shm[i].xen == cfg->shm[j].xen && strcmp(cfg->shm[i].id, cfg->shm[j].id) == 0;
}

bool shm_id_head(const struct hv_config *cfg, unsigned int i)
{
    for (unsigned int j = 0; j < i; j++) {
        if (shm_same_id(cfg, i, j)) {
            return false;
        }
    }
    return cfg->shm[i].id[0] != '\0';
}

/* Owners and borrowers of each id: exactly one owner; borrowers fit and ask no more. */
static void resolve_shm(struct parser *p)
{
    struct hv_config *cfg = p->cfg;
    char buf[FDT_MAX_PATH];

    for (unsigned int i = 0; i < cfg->nr_shm; i++) {
        const char *id = cfg->shm[i].id;
        /* Whether an entry of this id has an unreadable role: it may be the intended owner,
         * so "no owner" would blame the borrowers for the role's mistake. Any other error of
         * a borrower leaves "no owner" the root cause, reported by the id. */
        bool role_bad = false;
        int owner = -1;

        if (cfg->shm[i].xen || !shm_id_head(cfg, i)) {
            continue; /* xen_shm.c resolves Xen's ids; the id's first entry resolves it */
        }
        for (unsigned int j = i; j < cfg->nr_shm; j++) {
            if (!shm_same_id(cfg, i, j)) {
                continue;
            }
            role_bad |= p->shm_role_bad[j];
            if (cfg->shm[j].role != SHM_ROLE_OWNER) {
                continue;
            }
            if (owner < 0) {
                owner = (int)j;
                cfg->shm[j].users = 1;
            } else {
                cfg_error(p, p->shm_node[j], "role", "\"%s\" has more than one owner (also %s)", id,
                          node_path(p, p->shm_node[owner], buf, sizeof(buf)));
            }
        }
        for (unsigned int j = i; j < cfg->nr_shm; j++) {
            struct hv_config_shm *b = &cfg->shm[j];
            const struct hv_config_shm *o = &cfg->shm[owner < 0 ? i : (unsigned int)owner];

            if (!shm_same_id(cfg, i, j) || b->role != SHM_ROLE_BORROWER) {
                continue;
            }
            if (owner < 0) {
                if (!role_bad) {
                    cfg_error(p, p->shm_node[j], "id", "\"%s\" has no owner", id);
                }
                continue;
            }
            b->owner = (uint16_t)owner;
            b->cache_policy = o->cache_policy;
            if (!p->shm_access_set[j]) {
                b->access = o->access;
            } else if (b->access > o->access) {
                cfg_error(p, p->shm_node[j], "access", "\"%s\" exceeds the owner's \"%s\" (%s)",
                          shm_access_name(b->access), shm_access_name(o->access),
                          node_path(p, p->shm_node[owner], buf, sizeof(buf)));
            }
            if (p->shm_bad[j] || p->shm_bad[owner]) {
                continue;
            }
            /* offset + size <= owner size, written so that nothing can overflow. */
            if (b->offset >= o->size || b->size > o->size - b->offset) {
                cfg_error(p, p->shm_node[j], b->offset != 0 ? "offset" : "shared-mem",
                          "offset 0x%llx + size 0x%llx exceeds the owner's size 0x%llx (%s)",
                          (ull)b->offset, (ull)b->size, (ull)o->size,
                          node_path(p, p->shm_node[owner], buf, sizeof(buf)));
                p->shm_bad[j] = true;
                continue;
            }
            b->host = hpa(hpa_val(o->host) + b->offset);
            cfg->shm[owner].users++;
        }
    }
}

/* [base, base + size) lies below 2^bits (size > 0, the range does not wrap: parse checked). */
static bool below_bits(uint64_t base, uint64_t size, unsigned int bits)
{
    return bits >= 64 || base + (size - 1) < (UINT64_C(1) << bits);
}

/*
 * One range against the address sizes from the hardware (arch_config_addr_bits(), in p): a
 * guest address the stage-2 / nested tables cannot translate, or a host address the CPU cannot
 * emit, would fail at mapping time on one board and silently alias on another. what names the
 * range in the message.
 */
static void check_bits(struct parser *p, int node, const char *prop, const char *what,
                       uint64_t guest, uint64_t host, uint64_t size, bool has_host)
{
    if (!below_bits(guest, size, p->guest_bits)) {
        cfg_error(p, node, prop,
                  "%sguest range [0x%llx, 0x%llx) is beyond the %u-bit guest-physical space of the "
                  "stage-2 tables",
                  what, (ull)guest, (ull)(guest + size), p->guest_bits);
    }
    if (has_host && !below_bits(host, size, p->host_bits)) {
        cfg_error(p, node, prop,
                  "%shost range [0x%llx, 0x%llx) is beyond the %u-bit physical address size", what,
                  (ull)host, (ull)(host + size), p->host_bits);
    }
}

/*
 * Host ranges: within the address sizes, in RAM, clear of reservations, partitions disjoint,
 * regions disjoint. Guest ranges: within the guest address size (devices, mapped 1:1, must fit
 * both spaces).
 */
static void check_host_memory(struct parser *p)
{
    const struct hv_config *cfg = p->cfg;
    char what[HV_CONFIG_PATH_MAX + 32];

    for (unsigned int i = 0; i < cfg->nr_mem; i++) {
        const struct hv_config_mem *m = &cfg->mem[i];
        int node = p->part_node[p->mem_part[i]];

        hv_snprintf(what, sizeof(what), "entry %u: ", p->mem_entry[i]);
        check_bits(p, node, "memory", what, gpa_val(m->guest), hpa_val(m->host), m->size, true);
        hv_snprintf(what, sizeof(what), "entry %u: host range ", p->mem_entry[i]);
        (void)check_host_range(p, node, "memory", what, hpa_val(m->host), m->size, i, 0, -1, false);
    }
    for (unsigned int i = 0; i < cfg->nr_shm; i++) {
        const struct hv_config_shm *s = &cfg->shm[i];
        const char *prop = s->xen ? "xen,shared-mem" : "shared-mem";

        if (p->shm_bad[i]) {
            continue;
        }
        /* A borrower's host range is its owner's, checked there. */
        check_bits(p, p->shm_node[i], prop, "", gpa_val(s->guest), hpa_val(s->host), s->size,
                   shm_is_region_head(s, i));
        if (shm_is_region_head(s, i)) {
            (void)check_host_range(p, p->shm_node[i], prop, "host range ", hpa_val(s->host),
                                   s->size, cfg->nr_mem, i, -1, false);
        }
    }
    for (unsigned int d = 0; d < cfg->nr_devices; d++) {
        const struct hv_config_device *dev = &cfg->devices[d];
        int node = p->part_node[dev->partition];
        bool clash = false;

        for (unsigned int r = 0; r < dev->nr_regs; r++) {
            const struct hv_config_dev_reg *reg = &dev->regs[r];

            hv_snprintf(what, sizeof(what), "entry %u: %s %s", p->dev_entry[d], dev->path,
                        reg->pio ? "I/O ports " : "MMIO ");
            if (!reg->pio) {
                check_bits(p, node, "devices", what, reg->base, reg->base, reg->size, true);
            }
            /* Other owners of the MMIO or ports: the first overlap of the first clashing
             * range only. */
            clash = clash || check_host_range(p, node, "devices", what, reg->base, reg->size,
                                              cfg->nr_mem, cfg->nr_shm, (int)d, reg->pio);
        }
    }
}

/* One guest-physical range of a partition, for the overlap check. */
struct guest_range {
    uint64_t base, size;
    int node;         /* where to report */
    const char *prop; /* which property */
    char what[48];    /* how to name it */
};

/*
 * The k-th guest range of partition idx: the ranges of the arch's virtual devices (every
 * partition has them, arch_config_vdev_range()), its memory triplets, then its shared
 * regions, then their doorbell pages (skipped where there is none), then its devices' MMIO
 * ranges (mapped 1:1). False once k is past the last. r->what is written only when named:
 * the overlap check looks at every pair, and names only the ones it reports.
 */
static bool guest_range(const struct parser *p, unsigned int idx, unsigned int k,
                        struct guest_range *r, bool *skip, bool named)
{
    const struct hv_config *cfg = p->cfg;
    const struct hv_config_partition *part = &cfg->partitions[idx];

    uint64_t base, size;
    const char *what;
    unsigned int nvdev = 0;

    *skip = false;
    while (arch_config_vdev_range(nvdev, &base, &size, &what)) {
        if (k == nvdev) {
            *r = (struct guest_range){base, size, p->part_node[idx], "", ""};
            if (named) {
                hv_snprintf(r->what, sizeof(r->what), "%s", what);
            }
            return true;
        }
        nvdev++;
    }
    k -= nvdev;
    if (k < part->mem_count) {
        const struct hv_config_mem *m = &cfg->mem[part->mem_first + k];

        *r = (struct guest_range){gpa_val(m->guest), m->size, p->part_node[idx], "memory", ""};
        if (named) {
            hv_snprintf(r->what, sizeof(r->what), "memory entry %u",
                        p->mem_entry[part->mem_first + k]);
        }
        return true;
    }
    k -= part->mem_count;
    if (k < 2 * part->shm_count) {
        unsigned int i = part->shm_first + k % part->shm_count;
        const struct hv_config_shm *s = &cfg->shm[i];
        bool bell = k >= part->shm_count;

        *skip = bell ? !s->has_doorbell : p->shm_bad[i];
        *r = bell ? (struct guest_range){gpa_val(s->doorbell), HV_DOORBELL_PAGE, p->shm_node[i],
                                         "doorbell", ""}
                  : (struct guest_range){gpa_val(s->guest), s->size, p->shm_node[i],
                                         s->xen ? "xen,shared-mem" : "shared-mem", ""};
        if (named) {
            hv_snprintf(r->what, sizeof(r->what), "%s \"%s\"",
                        bell ? "the doorbell page of" : "shared memory", s->id);
        }
        return true;
    }
    k -= 2 * part->shm_count;
    for (unsigned int d = part->dev_first; d < part->dev_first + part->dev_count; d++) {
        const struct hv_config_device *dev = &cfg->devices[d];

        if (k < dev->nr_regs) {
            *skip = dev->regs[k].pio;
            *r = (struct guest_range){dev->regs[k].base, dev->regs[k].size, p->part_node[idx],
                                      "devices", ""};
            if (named) {
                hv_snprintf(r->what, sizeof(r->what), "device %.36s", dev->path);
            }
            return true;
        }
        k -= dev->nr_regs;
    }
    return false;
}

/* Guest ranges of one partition never overlap each other (memory, shm, devices). */
static void check_guest_overlaps(struct parser *p)
{
    for (unsigned int idx = 0; idx < p->cfg->nr_partitions; idx++) {
        struct guest_range a, b;
        bool skip_a, skip_b;

        for (unsigned int i = 0; guest_range(p, idx, i, &a, &skip_a, false); i++) {
            for (unsigned int j = 0; j < i && !skip_a; j++) {
                if (!guest_range(p, idx, j, &b, &skip_b, false) || skip_b ||
                    !ranges_overlap(a.base, a.size, b.base, b.size)) {
                    continue;
                }
                (void)guest_range(p, idx, i, &a, &skip_a, true);
                (void)guest_range(p, idx, j, &b, &skip_b, true);
                /* Two ranges of one device are the board's business, not the layout's. */
                if (a.node == b.node && a.prop == b.prop && strcmp(a.what, b.what) == 0) {
                    continue;
                }
                cfg_error(p, a.node, a.prop, "guest range [0x%llx, 0x%llx) of %s overlaps %s",
                          (ull)a.base, (ull)(a.base + a.size), a.what, b.what);
            }
        }
    }
}

/* The host tool and tests link core/config/images.c; the hypervisor has no image files to
 * check at boot (its env has no image_size: the build checked them, then packed them). */
__weak void config_check_images(struct parser *p)
{
    (void)p;
}

void config_cross_check(struct parser *p)
{
    resolve_shm(p);
    config_resolve_xen_shm(p);
    arch_config_addr_bits(&p->guest_bits, &p->host_bits);
    check_host_memory(p);
    config_check_devices(p);
    check_guest_overlaps(p);
    config_check_images(p);
}
