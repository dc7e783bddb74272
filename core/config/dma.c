// SPDX-License-Identifier: Apache-2.0
/*
 * Partition configuration: DMA masters and the IOMMU behind each. A device that masters DMA
 * reaches every byte of host memory unless an IOMMU translates its requests, so passing one
 * through without an IOMMU would void the partition's isolation: a partition lists its DMA
 * masters, and each must have an IOMMU behind it unless the partition opts out in words
 * ("dma-isolation" = "none"), which the boot log repeats as "DMA not isolated".
 *
 * Where the ids come from: the board DT, with Linux's documented semantics, so a board DT
 * written for Linux needs no change:
 *   - a PCI function ("pci-devices" = <&host-bridge bus device function>) has the requester
 *     id bus << 8 | device << 3 | function (PCI Express Base Specification 2.2.6.2); the host
 *     bridge's "iommu-map" = <rid-base &iommu iommu-base length>... maps it, after masking
 *     with "iommu-map-mask", to a stream id (Linux Documentation/devicetree/bindings/pci/
 *     pci-iommu.yaml). A requester id no entry covers is outside what the IOMMU serves;
 *   - a platform device's "iommus" = <&iommu stream-id>... (Linux Documentation/devicetree/
 *     bindings/iommu/iommu.txt) names its streams; a device in "devices" with "iommus" is a
 *     DMA master, and "dma-masters" names the devices of "devices" that master DMA without
 *     the board DT saying so.
 * Only IOMMUs with #iommu-cells = <1> (the id is the specifier: SMMUv3, AMD-Vi) are
 * supported. On x86 the hypervisor checks each requester id against the ACPI IVRS at boot
 * (the board DT cannot know the firmware's table). Error policy: parser.h.
 */
#include <arch/config.h>
#include <hv/printf.h>
#include <hv/string.h>

#include "parser.h"

/* Cells of one "iommu-map" entry with #iommu-cells = <1>: rid-base, phandle, iommu-base, length. */
#define IOMMU_MAP_CELLS 4u
/* Cells of one "pci-devices" entry: host bridge phandle, bus, device, function. */
#define PCI_DEV_CELLS 4u
/* A PCI host bridge's unit address (#address-cells = <3>) and INTx specifier (#interrupt-cells =
 * <1>: the pin, 1..4 = INTA..INTD) in its "interrupt-map" (IEEE 1275 PCI binding 2.2.1.1:
 * phys.hi = bus << 16 | device << 11 | function << 8; Devicetree Specification 2.4.3). */
#define PCI_UNIT_CELLS 3u
#define PCI_INTX_CELLS 1u
#define PCI_INTX_PINS 4u
/* Cells of a parent's unit address this parser reads, at most. */
#define INTX_PARENT_CELLS_MAX 4u
/* PCI: 32 devices of 8 functions per bus (PCI Express Base Specification 2.2.6.2). */
#define PCI_MAX_DEV 31u
#define PCI_MAX_FN 7u

static uint32_t cell(const struct fdt_prop *prop, unsigned int i)
{
    return fdt_be32((const uint8_t *)prop->data + 4 * i);
}

/*
 * The IOMMU node iommu_ph names, checked to be an IOMMU this binding supports; its first reg
 * (CPU address) in *base. Errors are reported at node/prop, for "what".
 */
static bool iommu_node(struct parser *p, int node, const char *prop, const char *what,
                       uint32_t iommu_ph, uint64_t *base)
{
    char buf[FDT_MAX_PATH];
    uint64_t size;
    uint32_t cells;
    int n = fdt_node_by_phandle(p->fdt, iommu_ph);

    if (n < 0) {
        cfg_error(p, node, prop, "%s: IOMMU phandle 0x%x does not resolve", what, iommu_ph);
    } else if (fdt_prop_u32(p->fdt, n, "#iommu-cells", &cells) != 0) {
        cfg_error(p, node, prop, "%s: %s is not an IOMMU (no #iommu-cells)", what,
                  node_path(p, n, buf, sizeof(buf)));
    } else if (cells != 1) {
        cfg_error(p, node, prop, "%s: %s has #iommu-cells = <%u>; only <1> is supported", what,
                  node_path(p, n, buf, sizeof(buf)), cells);
    } else if (fdt_reg_translated(p->fdt, n, 0, base, &size) != 0) {
        cfg_error(p, node, prop, "%s: %s has no usable reg", what,
                  node_path(p, n, buf, sizeof(buf)));
    } else {
        return true;
    }
    return false;
}

/*
 * Requester id rid of a function under host bridge bridge through its "iommu-map": 1 with
 * *base (the IOMMU) and *sid, 0 when the bridge has no iommu-map (no IOMMU), -1 when reported
 * (malformed, or rid outside every entry: reported at node/prop as entry i).
 */
static int map_rid(struct parser *p, int node, unsigned int i, const char *name, int bridge,
                   uint32_t rid, uint64_t *base, uint32_t *sid)
{
    char buf[FDT_MAX_PATH], what[48];
    struct fdt_prop map;
    uint32_t mask = UINT32_MAX;

    if (fdt_prop(p->fdt, bridge, "iommu-map", &map) != 0) {
        return 0;
    }
    (void)hv_snprintf(what, sizeof(what), "entry %u: %s", i, name);
    if (map.len == 0 || map.len % (4 * IOMMU_MAP_CELLS) != 0) {
        cfg_error(p, node, "pci-devices",
                  "%s: %s: iommu-map must be <rid-base &iommu iommu-base length> entries", what,
                  node_path(p, bridge, buf, sizeof(buf)));
        return -1;
    }
    (void)fdt_prop_u32(p->fdt, bridge, "iommu-map-mask", &mask);
    rid &= mask;
    for (unsigned int e = 0; e < map.len / (4 * IOMMU_MAP_CELLS); e++) {
        uint32_t rid_base = cell(&map, e * IOMMU_MAP_CELLS);
        uint32_t len = cell(&map, e * IOMMU_MAP_CELLS + 3);

        /* rid - rid_base < len: inside the entry, without overflow. */
        if (rid < rid_base || rid - rid_base >= len) {
            continue;
        }
        if (!iommu_node(p, node, "pci-devices", what, cell(&map, e * IOMMU_MAP_CELLS + 1), base)) {
            return -1;
        }
        *sid = cell(&map, e * IOMMU_MAP_CELLS + 2) + (rid - rid_base);
        return 1;
    }
    cfg_error(p, node, "pci-devices",
              "%s: requester id 0x%x is outside what the IOMMU serves (no iommu-map entry of %s "
              "covers it)",
              what, rid, node_path(p, bridge, buf, sizeof(buf)));
    return -1;
}

/*
 * The shared interrupt INTx pin (1..4) of function rid under bridge reaches through the
 * bridge's "interrupt-map" (Devicetree Specification 2.4.3: the child unit address and
 * specifier, ANDed with "interrupt-map-mask", select an entry; the entry names the parent
 * controller and its specifier), decoded by the arch; 0 when the bridge has no map, no entry
 * matches, the parent is not the root interrupt controller or the line is not one a partition
 * may own (spec gets the parent specifier). Functions behind a PCI-to-PCI bridge are swizzled by
 * that bridge first (PCI-to-PCI Bridge Architecture 1.2, 9.1); the map only describes functions of
 * the host bridge's own bus, so for them the answer is the map's entry of their own address, as
 * Linux reads it.
 */
static uint32_t intx_line(const struct parser *p, int bridge, uint32_t rid, uint32_t pin,
                          uint32_t spec[HV_CONFIG_INTX_CELLS])
{
    const uint32_t key[PCI_UNIT_CELLS + PCI_INTX_CELLS] = {rid << 8, 0, 0, pin};
    uint32_t mask[PCI_UNIT_CELLS + PCI_INTX_CELLS] = {~0u, ~0u, ~0u, ~0u};
    uint32_t ac = 0, ic = 0;
    struct fdt_prop map, mprop;
    size_t off = 0;

    if (fdt_prop_u32(p->fdt, bridge, "#address-cells", &ac) != 0 || ac != PCI_UNIT_CELLS ||
        fdt_prop_u32(p->fdt, bridge, "#interrupt-cells", &ic) != 0 || ic != PCI_INTX_CELLS ||
        fdt_prop(p->fdt, bridge, "interrupt-map", &map) != 0) {
        return 0;
    }
    if (fdt_prop(p->fdt, bridge, "interrupt-map-mask", &mprop) == 0 && mprop.len == sizeof(mask)) {
        for (unsigned int c = 0; c < ARRAY_SIZE(mask); c++) {
            mask[c] = cell(&mprop, c);
        }
    }
    while (off + 4 * (ARRAY_SIZE(key) + 1) <= map.len) {
        const uint8_t *e = (const uint8_t *)map.data + off;
        int parent = fdt_node_by_phandle(p->fdt, fdt_be32(e + 4 * ARRAY_SIZE(key)));
        uint32_t pac = 0, pic = 0, irq;
        bool match = true;
        size_t len;

        /* The parent's unit address cells default to 0 when it has no #address-cells. */
        if (parent < 0 || fdt_prop_u32(p->fdt, parent, "#interrupt-cells", &pic) != 0 || pic == 0 ||
            pic > HV_CONFIG_INTX_CELLS) {
            return 0; /* malformed: the rest cannot be delimited */
        }
        (void)fdt_prop_u32(p->fdt, parent, "#address-cells", &pac);
        len = 4 * (ARRAY_SIZE(key) + 1 + pac + pic);
        if (pac > INTX_PARENT_CELLS_MAX || off + len > map.len) {
            return 0;
        }
        for (unsigned int c = 0; c < ARRAY_SIZE(key); c++) {
            match = match && (fdt_be32(e + 4 * c) & mask[c]) == (key[c] & mask[c]);
        }
        if (match) {
            for (unsigned int c = 0; c < pic; c++) {
                spec[c] = fdt_be32(e + 4 * (ARRAY_SIZE(key) + 1 + pac + c));
            }
            if (fdt_prop(p->fdt, parent, "interrupt-controller", &mprop) == 0 &&
                arch_config_shared_irq(spec, pic, &irq)) {
                return irq;
            }
            return 0;
        }
        off += len;
    }
    return 0;
}

/*
 * Add a DMA master of partition idx; checks it against every master already added (earlier
 * partitions and this one): a PCI function or a stream in two places is an error at
 * node/prop.
 */
static void add_dma(struct parser *p, unsigned int idx, int node, const char *prop, unsigned int i,
                    const struct hv_config_dma *m)
{
    struct hv_config *cfg = p->cfg;
    char buf[FDT_MAX_PATH];

    for (unsigned int j = 0; j < cfg->nr_dma; j++) {
        const struct hv_config_dma *o = &cfg->dma[j];

        if (m->pci && o->pci && o->rid == m->rid && strcmp(o->path, m->path) == 0) {
            (void)hv_snprintf(buf, sizeof(buf), "%s under %s", m->name, m->path);
            cfg_taken(p, node, prop, i, buf, o->partition, idx, "assigned to");
        } else if (m->isolated && o->isolated && o->iommu == m->iommu && o->sid == m->sid &&
                   o->partition != idx) {
            /* Two functions aliased onto one stream (iommu-map-mask, a PCIe-to-PCI bridge)
             * can only be translated together: never by two partitions' domains. */
            cfg_error(p, node, prop, "entry %u: %s has stream id 0x%x, which %s's %s also uses", i,
                      m->name, m->sid, node_path(p, p->part_node[o->partition], buf, sizeof(buf)),
                      o->name);
        } else if (m->pci && o->pci && o->partition != idx && m->intx_irq[0] != 0 &&
                   m->intx_irq[0] == o->intx_irq[0]) {
            /* An INTx line is level-triggered and wired-OR: whichever partition owned it would
             * see (and could mask) the other's interrupts. The pin is only known at boot; the
             * build checks INTA, the pin a single-function device must use (PCI Local Bus
             * 3.0, 6.2.4), and the boot refuses any other clash when it routes the line. */
            cfg_error(p, node, prop,
                      "entry %u: %s: its INTx line (INTA: interrupt %u) is also that of %s in "
                      "%s: an INTx line belongs to one partition",
                      i, m->name, m->intx_irq[0], o->name,
                      node_path(p, p->part_node[o->partition], buf, sizeof(buf)));
        } else {
            continue;
        }
        return;
    }
    if (cfg->nr_dma == HV_CONFIG_MAX_DMA) {
        cfg_error(p, node, prop, "more than %d DMA masters in all partitions", HV_CONFIG_MAX_DMA);
        return;
    }
    cfg->dma[cfg->nr_dma] = *m;
    cfg->dma[cfg->nr_dma++].partition = (uint8_t)idx;
}

/* A master without an IOMMU: accepted only under dma-isolation "none". */
static bool unisolated_ok(struct parser *p, unsigned int idx, int node, const char *prop,
                          unsigned int i, const char *name, const char *why)
{
    if (p->cfg->partitions[idx].dma_isolation == DMA_ISOLATION_NONE) {
        return true;
    }
    cfg_error(p, node, prop,
              "entry %u: %s masters DMA with no IOMMU behind it (%s); dma-isolation = \"none\" "
              "would accept that",
              i, name, why);
    return false;
}

/* "pci-devices": <&host-bridge bus device function> entries. */
static void parse_pci_devices(struct parser *p, unsigned int idx, int node)
{
    char buf[FDT_MAX_PATH];
    struct fdt_prop prop;

    unsigned int n = cfg_entries(p, node, "pci-devices", &prop, 4 * PCI_DEV_CELLS, 0,
                                 "<&host-bridge bus device function> entries", NULL);

    for (unsigned int i = 0; i < n; i++) {
        uint32_t bus = cell(&prop, i * PCI_DEV_CELLS + 1);
        uint32_t dev = cell(&prop, i * PCI_DEV_CELLS + 2);
        uint32_t fn = cell(&prop, i * PCI_DEV_CELLS + 3);
        int bridge = fdt_node_by_phandle(p->fdt, cell(&prop, i * PCI_DEV_CELLS));
        struct hv_config_dma m = {.pci = true};
        const char *type;
        struct fdt_prop range;
        int found;

        (void)hv_snprintf(m.name, sizeof(m.name), "%02x:%02x.%x", bus, dev, fn);
        if (bridge < 0 || fdt_prop_string(p->fdt, bridge, "device_type", &type) != 0 ||
            strcmp(type, "pci") != 0) {
            cfg_error(p, node, "pci-devices",
                      "entry %u: the phandle does not name a PCI host bridge (device_type \"pci\")",
                      i);
        } else if (bus > UINT8_MAX || dev > PCI_MAX_DEV || fn > PCI_MAX_FN) {
            cfg_error(p, node, "pci-devices",
                      "entry %u: bus 0x%x device 0x%x function 0x%x is not a PCI function "
                      "(bus <= 0xff, device <= 0x1f, function <= 7)",
                      i, bus, dev, fn);
        } else if (fdt_prop(p->fdt, bridge, "bus-range", &range) == 0 && range.len == 8 &&
                   (bus < cell(&range, 0) || bus > cell(&range, 1))) {
            cfg_error(p, node, "pci-devices",
                      "entry %u: %s: bus 0x%02x is outside the bus-range of %s", i, m.name, bus,
                      node_path(p, bridge, buf, sizeof(buf)));
        } else if (fdt_node_path(p->fdt, bridge, m.path, sizeof(m.path)) != 0) {
            cfg_error(p, node, "pci-devices",
                      "entry %u: host bridge path longer than %d characters", i,
                      HV_CONFIG_PATH_MAX - 1);
        } else {
            m.rid = (uint16_t)(bus << 8 | dev << 3 | fn);
            for (uint32_t pin = 1; pin <= PCI_INTX_PINS; pin++) {
                m.intx_irq[pin - 1] = intx_line(p, bridge, m.rid, pin, m.intx_spec[pin - 1]);
            }
            found = map_rid(p, node, i, m.name, bridge, m.rid, &m.iommu, &m.sid);
            m.isolated = found > 0;
            if (found > 0 || (found == 0 && unisolated_ok(p, idx, node, "pci-devices", i, m.name,
                                                          "its host bridge has no iommu-map"))) {
                add_dma(p, idx, node, "pci-devices", i, &m);
            }
        }
    }
}

/*
 * "dma-masters": devices of this partition's "devices" that master DMA. One the board DT gives
 * "iommus" is a master anyway (parse_platform_masters); one without is accepted only under
 * dma-isolation "none".
 */
static void parse_dma_masters(struct parser *p, unsigned int idx, int node)
{
    const struct hv_config_partition *part = &p->cfg->partitions[idx];
    char buf[FDT_MAX_PATH];
    struct fdt_prop prop, iommus;

    unsigned int n = cfg_entries(p, node, "dma-masters", &prop, 4, 0, "a list of phandles", NULL);

    for (unsigned int i = 0; i < n; i++) {
        int devn = cfg_phandle(p, node, "dma-masters", &prop, i);
        unsigned int d = node_index(p->dev_node + part->dev_first, part->dev_count, devn);
        const struct hv_config_device *dev = &p->cfg->devices[part->dev_first + d];
        struct hv_config_dma m = {0};

        if (devn >= 0 && d == part->dev_count) {
            cfg_error(p, node, "dma-masters", "entry %u: %s is not in this partition's devices", i,
                      node_path(p, devn, buf, sizeof(buf)));
        } else if (devn >= 0 && fdt_prop(p->fdt, devn, "iommus", &iommus) != 0 &&
                   unisolated_ok(p, idx, node, "dma-masters", i, dev->path, "it has no iommus")) {
            memcpy(m.path, dev->path, sizeof(m.path));
            (void)hv_snprintf(m.name, sizeof(m.name), "%s", fdt_node_name(p->fdt, devn));
            add_dma(p, idx, node, "dma-masters", i, &m);
        }
    }
}

/* The platform DMA masters the board DT names: devices of the partition with "iommus". */
static void parse_platform_masters(struct parser *p, unsigned int idx, int node)
{
    const struct hv_config_partition *part = &p->cfg->partitions[idx];

    for (unsigned int d = part->dev_first; d < part->dev_first + part->dev_count; d++) {
        const struct hv_config_device *dev = &p->cfg->devices[d];
        int devn = p->dev_node[d];
        struct hv_config_dma m = {.isolated = true};
        struct fdt_prop iommus;
        unsigned int n = cfg_entries(p, devn, "iommus", &iommus, 8, 0,
                                     "<&iommu stream-id> entries (#iommu-cells = <1>)", NULL);

        memcpy(m.path, dev->path, sizeof(m.path));
        (void)hv_snprintf(m.name, sizeof(m.name), "%s", fdt_node_name(p->fdt, devn));
        for (unsigned int s = 0; s < n; s++) {
            char what[48];

            (void)hv_snprintf(what, sizeof(what), "entry %u", s);
            if (!iommu_node(p, devn, "iommus", what, cell(&iommus, 2 * s), &m.iommu)) {
                break;
            }
            m.sid = cell(&iommus, 2 * s + 1);
            add_dma(p, idx, node, "devices", p->dev_entry[d], &m);
        }
    }
}

void config_parse_dma(struct parser *p, unsigned int idx, int node)
{
    struct hv_config_partition *part = &p->cfg->partitions[idx];
    const char *s = opt_string(p, node, "dma-isolation");

    part->dma_first = (uint16_t)p->cfg->nr_dma;
    if (s != NULL && strcmp(s, "none") == 0) {
        part->dma_isolation = DMA_ISOLATION_NONE;
    } else if (s != NULL && strcmp(s, "iommu") != 0) {
        cfg_error(p, node, "dma-isolation", "must be \"iommu\" or \"none\"");
    }
    parse_pci_devices(p, idx, node);
    parse_platform_masters(p, idx, node);
    parse_dma_masters(p, idx, node);
    part->dma_count = (uint16_t)(p->cfg->nr_dma - part->dma_first);
}
