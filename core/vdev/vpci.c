// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual PCI host of each partition (design: include/hv/vpci.h, docs/pci.md): the
 * bus of functions, the trapped ECAM and emulated-BAR window, INTx through the partition's
 * virtual interrupt controller, and the bridge's guest-DT node (Linux binding
 * pci/host-generic-pci.yaml, with the interrupt mapping of the PCI bus binding, IEEE 1275
 * "PCI Bus Binding" and the Devicetree Specification 2.4).
 */
#include <arch/irq.h>
#include <arch/vpci.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt_write.h>
#include <hv/lockorder.h>
#include <hv/partition.h>
#include <hv/pci.h>
#include <hv/range.h>
#include <hv/string.h>
#include <hv/vdev.h>
#include <hv/vmmio.h>
#include <hv/vpci.h>

static LOCK_CLASS(vpci_lock_class, "vpci", LOCK_RANK_VPCI);

/* A partition's bus: built at setup, read-only afterwards. */
struct vpci_bus {
    struct arch_vpci_layout layout;
    unsigned int nr_funcs;
    struct vpci_func *funcs[VPCI_MAX_FUNCS];
    uint64_t mem_next; /* the window's first unallocated byte (emulated BARs) */
};

static struct vpci_bus buses[HV_MAX_PARTITIONS];

struct vpci_func *vpci_func_at(const struct partition *p, unsigned int slot)
{
    const struct vpci_bus *b = &buses[p->index];

    for (unsigned int i = 0; i < b->nr_funcs; i++) {
        if (b->funcs[i]->slot == slot) {
            return b->funcs[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* INTx                                                                                       */

void vpci_intx_set_locked(struct vpci_func *f, bool cond)
{
    bool line;

    f->intx_cond = cond;
    /* PCI Local Bus 3.0, 6.2.3: Interrupt Status shows the function's condition whatever
     * Interrupt Disable says; 6.2.2: Interrupt Disable only stops the pin being asserted. */
    vpci_cfg_set_status(&f->cfg, PCI_STATUS_INTERRUPT, cond);
    line = cond && (vpci_cfg_command(&f->cfg) & PCI_COMMAND_INTX_DISABLE) == 0;
    if (line != f->intx_line && f->intx_virq != 0 && !f->intx_own) {
        f->intx_line = line;
        /* f's own virq of its own partition: refused only if the arch lost it. */
        if (arch_irq_level(f->part, f->intx_virq, line) != 0) {
            hv_printf("virtual PCI %s: INTx interrupt %u refused\n", f->name, f->intx_virq);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* ECAM                                                                                       */

/* A configuration access (at most a DWORD, PCIe 6.0, 7.2.2.2) of the function's ops, or of
 * the generic emulation of its header where it has none. */
static int ecam_access(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size,
                       bool write, uint64_t *val)
{
    /* The function (PCIe 6.0, 7.2.2: bus 27:20, device 19:15, function 14:12): only function
     * 0 of each slot exists; bus 0 is all the window holds. */
    struct vpci_func *f =
        ((off >> 12) & 7) != 0 ? NULL : vpci_func_at(p, (unsigned int)(off >> 15) & 0x1fu);
    unsigned int reg = (unsigned int)(off & (VPCI_CFG_SIZE - 1));
    uint32_t r = write ? (uint32_t)*val : 0;
    int err = 0;

    if (size > 4) {
        return -EINVAL;
    }
    if (f == NULL) {
        /* No function: a read completes with all ones (PCIe 6.0, 2.3.2, UR to a config read
         * from the root complex), which is how software sees an empty slot; a write is
         * dropped. */
        *val = size == 4 ? UINT32_MAX : (UINT32_C(1) << (size * 8)) - 1;
        return 0;
    }
    spin_lock(&f->lock);
    if (write && f->ops->cfg_write != NULL) {
        err = f->ops->cfg_write(f, v, reg, size, r);
    } else if (write) {
        vpci_cfg_write(&f->cfg, reg, size, r);
    } else if (f->ops->cfg_read != NULL) {
        err = f->ops->cfg_read(f, v, reg, size, &r);
    } else {
        vpci_cfg_read(&f->cfg, reg, size, &r);
    }
    if (write) {
        /* COMMAND.Interrupt-Disable may have changed: the line follows at once. */
        vpci_intx_set_locked(f, f->intx_cond);
    }
    spin_unlock(&f->lock);
    *val = r;
    return err;
}

static int ecam_read(void *dev, struct vcpu *v, uint64_t off, unsigned int size, uint64_t *val)
{
    return ecam_access(dev, v, off, size, false, val);
}

static int ecam_write(void *dev, struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
    return ecam_access(dev, v, off, size, true, &val);
}

static const struct vmmio_ops ecam_ops = {.read = ecam_read, .write = ecam_write};

/* ------------------------------------------------------------------------------------------ */
/* The emulated-BAR window                                                                    */

/*
 * The function of b with a BAR overlapping [a, a + size), only an EMULATED one when emulated:
 * that BAR's index in *bar and a's offset into it in *off; NULL when there is none.
 */
static struct vpci_func *bar_at(const struct vpci_bus *b, uint64_t a, uint64_t size, bool emulated,
                                unsigned int *bar, uint64_t *off)
{
    for (unsigned int i = 0; i < b->nr_funcs; i++) {
        for (unsigned int k = 0; k < VPCI_NR_BARS; k++) {
            const struct vpci_bar *r = &b->funcs[i]->cfg.bar[k];

            if (r->kind != VPCI_BAR_NONE && (!emulated || r->kind == VPCI_BAR_EMULATED) &&
                ranges_overlap(a, size, gpa_val(r->addr), r->size)) {
                *bar = k;
                *off = a - gpa_val(r->addr);
                return b->funcs[i];
            }
        }
    }
    return NULL;
}

/* Whether f decodes memory now (COMMAND.Memory-Space, 6.2.2). A snapshot: a BAR access
 * racing a COMMAND write from another vCPU sees one or the other, as on a bus. */
static bool decodes(struct vpci_func *f)
{
    uint16_t cmd;

    spin_lock(&f->lock);
    cmd = vpci_cfg_command(&f->cfg);
    spin_unlock(&f->lock);
    return (cmd & PCI_COMMAND_MEMORY) != 0;
}

static int win_read(void *dev, struct vcpu *v, uint64_t off, unsigned int size, uint64_t *val)
{
    const struct vpci_bus *b = &buses[((struct partition *)dev)->index];
    unsigned int bar;
    uint64_t boff;
    struct vpci_func *f = bar_at(b, b->layout.mem + off, 1, true, &bar, &boff);

    if (f == NULL || !decodes(f) || f->ops->bar_read == NULL) {
        /* Nothing decodes the address: all ones, as a master abort reads on PCI. */
        *val = size == 8 ? UINT64_MAX : (UINT64_C(1) << (size * 8)) - 1;
        return 0;
    }
    return f->ops->bar_read(f, v, bar, boff, size, val);
}

static int win_write(void *dev, struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
    const struct vpci_bus *b = &buses[((struct partition *)dev)->index];
    unsigned int bar;
    uint64_t boff;
    struct vpci_func *f = bar_at(b, b->layout.mem + off, 1, true, &bar, &boff);

    if (f == NULL || !decodes(f) || f->ops->bar_write == NULL) {
        return 0;
    }
    return f->ops->bar_write(f, v, bar, boff, size, val);
}

static const struct vmmio_ops win_ops = {.read = win_read, .write = win_write};

/* ------------------------------------------------------------------------------------------ */
/* Set-up                                                                                     */

static int refuse(const struct partition *p, const struct vpci_func *f, int err, const char *why)
{
    hv_printf("partition %u \"%s\": virtual PCI %02x:%02x.0 %s: %s\n", p->config->id,
              p->config->label, 0u, f->slot, f->name, why);
    return err;
}

int vpci_add_func(struct partition *p, struct vpci_func *f)
{
    struct vpci_bus *b = &buses[p->index];
    unsigned int other;
    uint64_t at;
    int err;

    if (arch_vpci_layout(&b->layout) != 0) {
        return refuse(p, f, -ENODEV, "no virtual PCI host on this architecture");
    }
    if (f->slot > VPCI_MAX_SLOT) {
        return refuse(p, f, -EINVAL, "slot out of range");
    }
    if (vpci_func_at(p, f->slot) != NULL) {
        return refuse(p, f, -EEXIST, "slot already taken");
    }
    if (b->nr_funcs == VPCI_MAX_FUNCS) {
        return refuse(p, f, -ENOSPC, "too many functions");
    }
    for (unsigned int k = 0; k < VPCI_NR_BARS; k++) {
        struct vpci_bar *r = &f->cfg.bar[k];

        if (r->kind == VPCI_BAR_EMULATED) {
            uint64_t a = (b->layout.mem + b->mem_next + r->size - 1) & ~(r->size - 1);

            if (a + r->size - b->layout.mem > b->layout.mem_size) {
                return refuse(p, f, -ENOSPC, "emulated-BAR window full");
            }
            r->addr = gpa(a);
            b->mem_next = a + r->size - b->layout.mem;
        } else if (r->kind == VPCI_BAR_MAPPED &&
                   bar_at(b, gpa_val(r->addr), r->size, false, &other, &at) != NULL) {
            /* Another function's BAR already on the bus overlaps it. */
            return refuse(p, f, -EEXIST, "BAR overlaps another function's");
        }
    }
    if (b->nr_funcs == 0) {
        err = vmmio_register(p, gpa(b->layout.ecam), VPCI_ECAM_SIZE, &ecam_ops, p, "PCI ECAM");
        if (err == 0) {
            err = vmmio_register(p, gpa(b->layout.mem), b->layout.mem_size, &win_ops, p,
                                 "PCI BAR window");
        }
        if (err != 0) {
            return err;
        }
    }
    f->part = p;
    spin_lock_init_class(&f->lock, &vpci_lock_class);
    f->intx_cond = f->intx_line = false;
    if (!f->intx_own) {
        f->intx_virq = 0;
    }
    if (!f->intx_own && f->cfg.regs[PCI_INTERRUPT_PIN] != 0) {
        /* Level-high: INTx is a level (PCI Local Bus 3.0, 2.2.6). */
        err = arch_irq_virtual_alloc(p, false, &f->intx_virq, f->intx_spec);
        if (err == -ENODEV) {
            f->intx_virq = 0; /* no interrupt controller for partitions: no INTA */
        } else if (err != 0) {
            return refuse(p, f, err, "no interrupt for INTA");
        }
    }
    b->funcs[b->nr_funcs++] = f;
    return 0;
}

static int vpci_host_init(struct partition *p)
{
    buses[p->index] = (struct vpci_bus){.nr_funcs = 0};
    return 0;
}

static void vpci_host_reset(struct partition *p)
{
    struct vpci_bus *b = &buses[p->index];

    for (unsigned int i = 0; i < b->nr_funcs; i++) {
        struct vpci_func *f = b->funcs[i];

        spin_lock(&f->lock);
        if (f->ops->reset != NULL) {
            f->ops->reset(f);
        }
        vpci_cfg_reset(&f->cfg);
        vpci_intx_set_locked(f, false);
        spin_unlock(&f->lock);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Guest DT                                                                                   */

static void put_range(uint32_t *c, uint32_t space, uint64_t base, uint64_t size)
{
    /* <phys.hi phys.mid phys.lo  cpu.hi cpu.lo  size.hi size.lo>: PCI address = CPU address. */
    c[0] = space;
    c[1] = c[3] = (uint32_t)(base >> 32);
    c[2] = c[4] = (uint32_t)base;
    c[5] = (uint32_t)(size >> 32);
    c[6] = (uint32_t)size;
}

static void vpci_host_guest_dt(struct fdt_writer *w, const struct partition *p)
{
    const struct vpci_bus *b = &buses[p->index];
    /* One window for the emulated BARs plus one per MAPPED BAR: 7 cells each. */
    uint32_t ranges[7 * (1 + VPCI_MAX_FUNCS * VPCI_NR_BARS)];
    /* interrupt-map: child <phys.hi 0 0 pin> + parent phandle + specifier (parent
     * #address-cells is 0, written by the arch's controller node). */
    uint32_t imap[VPCI_MAX_FUNCS * (5 + ARCH_IRQ_DT_CELLS_MAX)];
    const uint32_t imask[4] = {0x1fu << 11, 0, 0, 7}; /* device number and pin */
    const uint32_t reg[4] = {(uint32_t)(b->layout.ecam >> 32), (uint32_t)b->layout.ecam, 0,
                             VPCI_ECAM_SIZE};
    const uint32_t bus_range[2] = {0, 0};
    unsigned int nr = 0, ni = 0, cells = arch_irq_dt_cells();
    char name[32];

    if (b->nr_funcs == 0) {
        return;
    }
    put_range(&ranges[nr], PCI_DT_MEM32, b->layout.mem, b->layout.mem_size);
    nr += 7;
    for (unsigned int i = 0; i < b->nr_funcs; i++) {
        const struct vpci_func *f = b->funcs[i];

        for (unsigned int k = 0; k < VPCI_NR_BARS; k++) {
            const struct vpci_bar *r = &f->cfg.bar[k];

            if (r->kind == VPCI_BAR_MAPPED) {
                uint32_t space = r->is64 ? PCI_DT_MEM64 : PCI_DT_MEM32;

                put_range(&ranges[nr], space | (r->prefetchable ? PCI_DT_PREFETCH : 0),
                          gpa_val(r->addr), r->size);
                nr += 7;
            }
        }
        if (f->intx_virq != 0) {
            const uint32_t child[5] = {f->slot << 11, 0, 0, PCI_INTERRUPT_PIN_A,
                                       arch_irq_guest_phandle(p)};

            memcpy(&imap[ni], child, sizeof(child));
            memcpy(&imap[ni + 5], f->intx_spec, cells * sizeof(uint32_t));
            ni += 5 + cells;
        }
    }
    (void)hv_snprintf(name, sizeof(name), "pcie@%llx", (unsigned long long)b->layout.ecam);
    fdt_write_begin_node(w, name);
    fdt_write_prop_string(w, "compatible", "pci-host-ecam-generic");
    fdt_write_prop_string(w, "device_type", "pci");
    fdt_write_prop_cells(w, "reg", reg, 4);
    fdt_write_prop_cells(w, "bus-range", bus_range, 2);
    fdt_write_prop_u32(w, "#address-cells", 3);
    fdt_write_prop_u32(w, "#size-cells", 2);
    fdt_write_prop_cells(w, "ranges", ranges, nr);
    if (ni != 0) {
        fdt_write_prop_u32(w, "#interrupt-cells", 1);
        fdt_write_prop_cells(w, "interrupt-map-mask", imask, 4);
        fdt_write_prop_cells(w, "interrupt-map", imap, ni);
    }
    fdt_write_end_node(w);
}

/* /chosen: Linux keeps the BARs as the hypervisor fixed them (no reassignment, which would
 * move an emulated BAR outside its trap or a mapped one off its memory). */
static void vpci_host_chosen(struct fdt_writer *w, const struct partition *p)
{
    if (buses[p->index].nr_funcs != 0) {
        fdt_write_prop_u32(w, "linux,pci-probe-only", 1); /* Linux reads a u32, 1 = on */
    }
}

static const struct vdev_ops vpci_host_ops = {
    .name = "vpci",
    .init = vpci_host_init,
    .reset = vpci_host_reset,
    .guest_dt = vpci_host_guest_dt,
    .chosen = vpci_host_chosen,
};

VDEV(vpci_host_vdev, VDEV_ORDER_VPCI, &vpci_host_ops);
