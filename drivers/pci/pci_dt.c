// SPDX-License-Identifier: Apache-2.0
/*
 * PCI configuration space from the device tree, for arches without ACPI: the ECAM window of
 * a "pci-host-ecam-generic" host bridge (Linux binding pci/host-generic-pci.yaml: reg = the
 * ECAM window, bus-range = <first last>, default 0..255) and its 32-bit memory window
 * (ranges entries of 3 PCI address cells, 2 parent cells and 2 size cells; PCI address
 * phys.hi space code bits 25:24 = 0b10 for 32-bit memory, IEEE 1275 PCI binding 2.2.1.1).
 */
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/pci.h>

static uint64_t mem32_base, mem32_size;

/* The first non-prefetchable 32-bit memory window of node's ranges, identity-mapped. */
static void find_mem32(const struct fdt *fdt, int node)
{
    struct fdt_prop prop;
    int pac = fdt_address_cells(fdt, fdt_parent(fdt, node));
    int sc = fdt_size_cells(fdt, node);
    size_t entry;

    if (fdt_prop(fdt, node, "ranges", &prop) != 0 || pac < 1 || pac > 2 || sc < 1 || sc > 2) {
        return;
    }
    entry = (size_t)(PCI_DT_ADDR_CELLS + pac + sc) * 4;
    for (size_t off = 0; off + entry <= prop.len; off += entry) {
        const uint8_t *e = (const uint8_t *)prop.data + off;
        uint32_t hi = fdt_be32(e);
        uint64_t pci = fdt_read_cells(e + 4, 2);
        uint64_t cpu = fdt_read_cells(e + PCI_DT_ADDR_CELLS * 4, (unsigned int)pac);
        uint64_t size = fdt_read_cells(e + (PCI_DT_ADDR_CELLS + pac) * 4, (unsigned int)sc);

        if (((hi >> PCI_DT_SPACE_SHIFT) & PCI_DT_SPACE_MASK) == PCI_DT_SPACE_MEM32 &&
            !(hi & PCI_DT_PREFETCH) && pci == cpu && size != 0) {
            mem32_base = cpu;
            mem32_size = size;
            return;
        }
    }
}

int pci_ecam_init_dt(const struct fdt *fdt)
{
    int node = fdt_find_compatible(fdt, -1, "pci-host-ecam-generic");
    unsigned int first = 0, last;
    uint64_t base, size;
    struct fdt_prop prop;
    int err;

    if (node < 0) {
        return -ENOENT;
    }
    err = fdt_reg(fdt, node, 0, &base, &size);
    if (err != 0) {
        return err == -ENOENT ? -EINVAL : err;
    }
    if (size < PCI_ECAM_BUS_SIZE) {
        return -EINVAL;
    }
    last = (unsigned int)MIN(size / PCI_ECAM_BUS_SIZE - 1, UINT64_C(0xff));
    if (fdt_prop(fdt, node, "bus-range", &prop) == 0) {
        if (prop.len != 8) {
            return -EINVAL;
        }
        first = fdt_be32(prop.data);
        last = fdt_be32((const uint8_t *)prop.data + 4);
        /* reg covers the buses of bus-range, from the first one (host-generic-pci). */
        if (first > last || last > 0xff || (last - first + 1) * PCI_ECAM_BUS_SIZE > size) {
            return -EINVAL;
        }
    }
    find_mem32(fdt, node);
    return pci_ecam_init(hpa(base), first, last);
}

int pci_mem32_window(uint64_t *base, uint64_t *size)
{
    if (mem32_size == 0) {
        return -ENOENT;
    }
    *base = mem32_base;
    *size = mem32_size;
    return 0;
}
