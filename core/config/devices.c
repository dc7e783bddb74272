// SPDX-License-Identifier: Apache-2.0
/*
 * Partition configuration, passed-through devices against every other owner of the physical
 * address space. A device is mapped 1:1 into its partition, so its MMIO must not reach RAM
 * (/memory: partitions' memory, shared regions, /reserved-memory and the hypervisor's own
 * image and pool), another partition's device, or hardware the hypervisor keeps for itself:
 * the interrupt controller (a guest writing the GIC distributor could route any interrupt),
 * MSI controllers, IOMMUs (a guest could rewrite its own DMA isolation), PCI configuration
 * space and its console UART. A device's I/O ports (HAS_PIO, ISA binding) are reached directly
 * too, so they must not overlap another device's or the hypervisor's (its console). That hardware
 * is found in the board DT by what it is (its properties), never by a list of addresses, so a new
 * board needs no code change; the MMIO check itself (and the ports') is check_host_range() in
 * check.c, with the other host-range rules. An interrupt line shared between two partitions would
 * let one raise or mask the other's, so each belongs to one partition at most, and never to the
 * hypervisor's own devices. Error policy: parser.h.
 */
#include <arch/config.h>
#include <hv/errno.h>
#include <hv/printf.h>
#include <hv/string.h>

#include "parser.h"

/* The node node's interrupts go to (Devicetree Specification 2.4.1: "interrupt-parent", else
 * inherited from the nearest ancestor that has one), or a negative value when none. */
static int interrupt_parent(const struct fdt *fdt, int node)
{
    uint32_t ph;

    for (int n = node; n >= 0; n = fdt_parent(fdt, n)) {
        if (fdt_prop_u32(fdt, n, "interrupt-parent", &ph) == 0) {
            return fdt_node_by_phandle(fdt, ph);
        }
    }
    return -ENOENT;
}

static bool has_prop(const struct fdt *fdt, int node, const char *name)
{
    struct fdt_prop prop;

    return fdt_prop(fdt, node, name, &prop) == 0;
}

/*
 * A root interrupt controller: it has "interrupt-controller" (2.4.2) and sends its interrupts
 * to no other controller (the GIC, whose inherited parent is itself). A controller wired into
 * another one (a GPIO block's interrupt lines) is an ordinary device a partition may own.
 */
static bool root_intc(const struct fdt *fdt, int node)
{
    int parent;

    if (!has_prop(fdt, node, "interrupt-controller")) {
        return false;
    }
    parent = interrupt_parent(fdt, node);
    return parent < 0 || parent == node;
}

/* What node is to the hypervisor, by its own properties only; HW_NONE for anything else. */
static enum hw_kind node_kind(const struct parser *p, int node)
{
    const char *type;

    if (node == p->console) {
        return HW_CONSOLE;
    }
    if (has_prop(p->fdt, node, "msi-controller")) { /* GIC ITS, GICv2m frames */
        return HW_MSI;
    }
    if (root_intc(p->fdt, node)) {
        return HW_INTC;
    }
    if (has_prop(p->fdt, node, "#iommu-cells")) { /* IOMMU binding: a DMA translation unit */
        return HW_IOMMU;
    }
    /* A PCI host bridge (IEEE 1275 PCI binding): its reg is configuration space (ECAM). */
    if (fdt_prop_string(p->fdt, node, "device_type", &type) == 0 && strcmp(type, "pci") == 0) {
        return HW_PCI_CFG;
    }
    return HW_NONE;
}

void config_find_hypervisor_hw(struct parser *p)
{
    /*
     * up[d]: the kind of the nearest node at depth <= d on the current path that owns its
     * children, or HW_NONE. Kept along the walk so that a node's owner is found without a scan
     * from the root per ancestor (the FDT has no parent links).
     */
    enum hw_kind up[FDT_MAX_DEPTH + 1];
    int depth = 0;

    for (int node = fdt_root(p->fdt); node >= 0; node = fdt_next_node(p->fdt, node, &depth)) {
        enum hw_kind own, kind;
        bool owns, isa;
        int n, parent;

        if (depth < 0 || depth > FDT_MAX_DEPTH) {
            return; /* fdt_init() bounds the depth; a blob changed since is not walked */
        }
        own = node_kind(p, node);
        /* Nodes below these are parts of them (a GICv3's ITS, an IOMMU's children). */
        owns = own == HW_INTC || own == HW_MSI || own == HW_IOMMU;
        up[depth] = owns ? own : depth == 0 ? HW_NONE : up[depth - 1];
        /* The node's own kind, or that of the nearest ancestor owning its children. */
        kind = depth == 0 ? HW_NONE : own != HW_NONE ? own : up[depth - 1];
        if (kind == HW_NONE) {
            continue;
        }
        n = fdt_reg_count(p->fdt, node);
        parent = fdt_parent(p->fdt, node);
        isa = parent >= 0 && fdt_is_compatible(p->fdt, parent, "isa");
        if (p->nr_hw_nodes == HV_CONFIG_MAX_HW) {
            cfg_error(p, node, "reg", "more than %d nodes of hardware the hypervisor owns",
                      HV_CONFIG_MAX_HW);
            return;
        }
        p->hw_node[p->nr_hw_nodes++] = node;
        for (int i = 0; i < n; i++) {
            uint64_t base, size;
            /* An ISA I/O-port reg (read as parse_device_regs() reads a device's) is ports a
             * partition's device must not overlap either. Any other reg that does not reach
             * the CPU (a PCI function's configuration address) is nothing anyone could map. */
            bool pio = isa && fdt_reg(p->fdt, node, (unsigned int)i, &base, &size) == 0 &&
                       (base >> 32) & 1;

            if ((!pio && fdt_reg_translated(p->fdt, node, (unsigned int)i, &base, &size) != 0) ||
                size == 0) {
                continue;
            }
            if (p->nr_hw == HV_CONFIG_MAX_HW) {
                cfg_error(p, node, "reg",
                          "more than %d MMIO ranges of hardware the hypervisor owns",
                          HV_CONFIG_MAX_HW);
                return;
            }
            p->hw[p->nr_hw++] =
                (struct hw_range){pio ? base & UINT32_MAX : base, size, node, kind, pio};
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Interrupts                                                                                 */

/* Where node's interrupts are decoded from: its "interrupts" and the cells of its root
 * interrupt controller. False when it has none there (no interrupts, or sent to another
 * controller). */
struct irq_src {
    struct fdt_prop prop;
    uint32_t cells;
};

static bool irq_src(const struct parser *p, int node, struct irq_src *src)
{
    int parent = interrupt_parent(p->fdt, node);

    return parent >= 0 && root_intc(p->fdt, parent) &&
           fdt_prop_u32(p->fdt, parent, "#interrupt-cells", &src->cells) == 0 && src->cells != 0 &&
           src->cells <= 4 && fdt_prop(p->fdt, node, "interrupts", &src->prop) == 0;
}

/*
 * The k-th shared interrupt of src (decoded by the arch for its root interrupt controller):
 * true and *irq; false once past the last. Per-CPU ones (PPIs) are not shared lines and are
 * skipped.
 */
static bool shared_irq(const struct irq_src *src, unsigned int k, uint32_t *irq)
{
    uint32_t spec[4];

    for (uint32_t off = 0; off + 4 * src->cells <= src->prop.len; off += 4 * src->cells) {
        for (uint32_t c = 0; c < src->cells; c++) {
            spec[c] = fdt_be32((const uint8_t *)src->prop.data + off + 4 * c);
        }
        if (arch_config_shared_irq(spec, src->cells, irq) && k-- == 0) {
            return true;
        }
    }
    return false;
}

/* Whether irq is one of node's shared interrupts. */
static bool has_irq(const struct parser *p, int node, uint32_t irq)
{
    struct irq_src src;
    uint32_t o;
    bool any = irq_src(p, node, &src);

    for (unsigned int j = 0; any && shared_irq(&src, j, &o); j++) {
        if (o == irq) {
            return true;
        }
    }
    return false;
}

/* Each shared interrupt of device d: not the hypervisor's, not another partition's. */
static void check_irqs(struct parser *p, unsigned int d)
{
    const struct hv_config *cfg = p->cfg;
    const struct hv_config_device *dev = &cfg->devices[d];
    int node = p->part_node[dev->partition];
    char buf[FDT_MAX_PATH];
    struct irq_src src;
    uint32_t irq;

    if (!irq_src(p, p->dev_node[d], &src)) {
        return;
    }
    for (unsigned int k = 0; shared_irq(&src, k, &irq); k++) {
        bool clash = false;

        for (unsigned int h = 0; h < p->nr_hw_nodes && !clash; h++) {
            clash = has_irq(p, p->hw_node[h], irq);
            if (clash) {
                cfg_error(p, node, "devices",
                          "entry %u: %s: interrupt %u is used by %s, which the hypervisor owns",
                          p->dev_entry[d], dev->path, irq,
                          node_path(p, p->hw_node[h], buf, sizeof(buf)));
            }
        }
        for (unsigned int o = 0; o < d && !clash; o++) {
            const struct hv_config_device *od = &cfg->devices[o];

            clash = od->partition != dev->partition && has_irq(p, p->dev_node[o], irq);
            if (clash) {
                cfg_error(p, node, "devices",
                          "entry %u: %s: interrupt %u is also the interrupt of %s in %s",
                          p->dev_entry[d], dev->path, irq, od->path,
                          node_path(p, p->part_node[od->partition], buf, sizeof(buf)));
            }
        }
    }
}

void config_check_devices(struct parser *p)
{
    for (unsigned int d = 0; d < p->cfg->nr_devices; d++) {
        check_irqs(p, d);
    }
}
