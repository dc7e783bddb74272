// SPDX-License-Identifier: Apache-2.0
/*
 * PCI passthrough, the partition side (include/hv/pci_pt.h). Boot: the "pci" unit finds the
 * board's host bridge (pci-host-ecam-generic), probes every function a partition lists in
 * "pci-devices" and places its BARs in the bridge's 32-bit memory window, with decoding and
 * bus mastering off (drivers/pci/pci_pt.c). No firmware assigned them on QEMU virt, and even
 * where one did, the hypervisor's placement guarantees that each BAR has pages of its own,
 * which stage 2 needs to hand exactly that BAR to one partition.
 *
 * Each partition: guest BAR addresses in its virtual host bridge's window (never the host's),
 * the BARs mapped in stage 2 as device memory (not in the IOMMU domain: no peer-to-peer DMA),
 * the INTx line routed to it (arch_irq_route(): level, the guest's end of interrupt completes
 * the physical one, so the line cannot storm while the guest handles it) and a reset of every
 * function whenever the partition stops, faults or resets (partition_unmap()).
 *
 * INTx policy: a line belongs to one partition. The configuration refuses two partitions'
 * functions on one INTA line (core/config/dma.c); here, with the real Interrupt Pin read,
 * arch_irq_route() refuses any remaining clash and the partition fails to set up.
 */
#include <arch/irq.h>
#include <arch/vpci.h>
#include <hv/boot.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/pci.h>
#include <hv/pci_pt.h>
#include <hv/string.h>
#include <hv/vdev.h>
#include <hv/vpci.h>

/* Indexed like hv_config.dma; ok[i]: probed and placed. */
static struct pci_pt_fn fns[HV_CONFIG_MAX_DMA];
static bool fn_ok[HV_CONFIG_MAX_DMA];

static const struct pt_attrs bar_attrs = {.r = true, .w = true, .x = false, .type = PT_MEM_DEVICE};

/* p's function i (its DMA entry i, include/hv/pci_pt.h), or NULL when that entry is not a
 * PCI function or could not be probed at boot (reported then). */
static struct pci_pt_fn *partition_pci_fn(const struct partition *p, unsigned int i)
{
    unsigned int d = p->config->dma_first + i;

    return i < p->config->dma_count && fn_ok[d] ? &fns[d] : NULL;
}

/* Probe one function and place its BARs; reported either way. */
static void probe_one(const struct hv_config *cfg, unsigned int d, uint64_t *cursor, uint64_t end)
{
    const struct hv_config_dma *m = &cfg->dma[d];
    const struct hv_config_partition *part = &cfg->partitions[m->partition];
    struct pci_pt_fn *fn = &fns[d];
    int err = pci_pt_probe(fn, m->rid);

    if (err == 0) {
        err = pci_pt_assign(fn, true, cursor, end);
    }
    if (err != 0) {
        hv_printf("pci: %s for partition %u \"%s\": %s\n", m->name, part->id, part->label,
                  err == -ENODEV       ? "no such function"
                  : err == -EOPNOTSUPP ? "a bridge cannot be passed through"
                                       : "no room for its BARs in the memory window");
        return;
    }
    fn_ok[d] = true;
    hv_printf("pci: %s %04x:%04x for partition %u \"%s\": INT%c%s%s", m->name,
              pci_read16(m->rid, PCI_VENDOR_ID), pci_read16(m->rid, PCI_DEVICE_ID), part->id,
              part->label, fn->pin != 0 ? 'A' + fn->pin - 1 : '-', fn->flr ? ", FLR" : "",
              fn->nr_caps != 0 ? ", vendor capabilities" : "");
    for (unsigned int b = 0; b < PCI_PT_BARS; b++) {
        /* What stage 2 maps: a power of two of at least a page, so whole KiB or MiB. */
        uint64_t size = MAX(fn->bar[b].size, (uint64_t)PAGE_SIZE);
        unsigned int shift = size >= (UINT64_C(1) << 20) ? 20 : 10;

        if (fn->bar[b].size != 0) {
            hv_printf("; BAR%u %llu %s at %#llx", b, (unsigned long long)(size >> shift),
                      shift == 20 ? "MiB" : "KiB", (unsigned long long)fn->bar[b].host);
        }
    }
    hv_printf("\n");
}

static int pci_pt_boot(const struct fdt *fdt)
{
    const struct hv_config *cfg = hv_boot_config();
    uint64_t base, size, cursor;
    unsigned int n = 0;
    int err;

    for (unsigned int d = 0; d < cfg->nr_dma; d++) {
        n += cfg->dma[d].pci;
    }
    if (n == 0) {
        return 0;
    }
    err = pci_ecam_init_dt(fdt);
    if (err == 0) {
        err = pci_mem32_window(&base, &size);
    }
    if (err != 0) {
        /* The partitions listing functions then fail to set up (pt_vdev_init). */
        hv_printf("pci: no host bridge with a 32-bit memory window in the board DT (%s): PCI "
                  "functions not passed through\n",
                  errno_name(err));
        return 0;
    }
    cursor = base;
    for (unsigned int d = 0; d < cfg->nr_dma; d++) {
        if (cfg->dma[d].pci) {
            probe_one(cfg, d, &cursor, base + size);
        }
    }
    return 0;
}

HV_UNIT(pci_pt_unit, "pci", HV_UNIT_ORDER_PCI, pci_pt_boot);

bool partition_pci_bar(const struct partition *p, unsigned int i, unsigned int bar, uint64_t *guest,
                       uint64_t *host, uint64_t *size)
{
    const struct pci_pt_fn *fn = partition_pci_fn(p, i);

    return fn != NULL && pci_pt_bar_map(fn, bar, guest, host, size);
}

/* Unmap the guest windows of BARs [0, n) of p's function i from p's stage 2. */
static void unmap_bars(struct partition *p, unsigned int i, unsigned int n)
{
    uint64_t guest, host, size;

    for (unsigned int b = 0; b < n; b++) {
        if (partition_pci_bar(p, i, b, &guest, &host, &size)) {
            partition_unmap_range(p, gpa(guest), size);
        }
    }
}

int partition_pci_map(struct partition *p, unsigned int i)
{
    uint64_t guest, host, size;

    /* A function that is not available has no BAR: pt_vdev_init() refused the partition. */
    for (unsigned int b = 0; b < PCI_PT_BARS; b++) {
        int err;

        if (!partition_pci_bar(p, i, b, &guest, &host, &size)) {
            continue;
        }
        err = partition_map_range(p, gpa(guest), hpa(host), size, &bar_attrs, "PCI BAR",
                                  p->layout->dma[p->config->dma_first + i].name);
        if (err != 0) {
            unmap_bars(p, i, b);
            return err;
        }
    }
    return 0;
}

void partition_pci_unmap(struct partition *p, unsigned int i)
{
    unmap_bars(p, i, PCI_PT_BARS);
}

/* The interrupt number of function i's INTx in p (0: none): what the guest's host bridge
 * interrupt-map sends the function's pin to. */
static uint32_t partition_pci_intx(const struct partition *p, unsigned int i)
{
    const struct pci_pt_fn *fn = partition_pci_fn(p, i);

    if (fn == NULL || fn->pin == 0) {
        return 0;
    }
    return p->layout->dma[p->config->dma_first + i].intx_irq[fn->pin - 1];
}

int partition_pci_route_irqs(struct partition *p)
{
    for (unsigned int i = 0; i < p->config->dma_count; i++) {
        uint32_t irq = partition_pci_intx(p, i);
        int err;

        if (irq == 0) {
            continue;
        }
        err = arch_irq_route(p, irq);
        if (err != 0) {
            partition_printf(p, "PCI function %s: INTx (interrupt %u): %s\n",
                             p->layout->dma[p->config->dma_first + i].name, irq, errno_name(err));
            return err;
        }
    }
    return 0;
}

void partition_pci_reset(struct partition *p)
{
    for (unsigned int i = 0; i < p->config->dma_count; i++) {
        struct pci_pt_fn *fn = partition_pci_fn(p, i);

        if (fn != NULL) {
            pci_pt_reset(fn);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* On the partition's virtual PCI host (include/hv/vpci.h)                                    */

/* Passed-through functions per partition, at most (slots 1.. of its virtual bus). */
#define PCI_PT_MAX_PER_PART 4

/* Indexed like hv_config.dma (an entry belongs to one partition). Not cleared at boot:
 * pt_vdev_init() clears each function before it uses it. */
static struct vpci_func vfuncs[HV_CONFIG_MAX_DMA] __noinit;

/* The physical reset happens in partition_unmap() (before the domain goes); nothing else. */
static const struct vpci_func_ops pt_func_ops = {.cfg_read = pci_pt_cfg_read,
                                                 .cfg_write = pci_pt_cfg_write};

/* The first free slot of p's bus from `from` on, 0 when none: the passed-through functions
 * fill the slots around the shared-memory ones ("pci-slot", core/partition/ivshmem.c, whose
 * vdev is set up before this one: VDEV_ORDER_VPCI_FUNC). */
static unsigned int free_slot(const struct partition *p, unsigned int from)
{
    for (unsigned int s = from; s <= VPCI_MAX_SLOT; s++) {
        if (vpci_func_at(p, s) == NULL) {
            return s;
        }
    }
    return 0;
}

static int pt_vdev_init(struct partition *p)
{
    unsigned int n = 0, slot = 1;
    struct arch_vpci_layout l;
    uint64_t cursor;
    int err;

    for (unsigned int i = 0; i < p->config->dma_count; i++) {
        n += p->layout->dma[p->config->dma_first + i].pci;
    }
    if (n == 0) {
        return 0;
    }
    if (n > PCI_PT_MAX_PER_PART || arch_vpci_layout(&l) != 0 || l.mapped_size == 0) {
        partition_printf(p, "%u PCI functions: no virtual PCI host for them (at most %d)\n", n,
                         PCI_PT_MAX_PER_PART);
        return -ENODEV;
    }
    /* Each function in configuration order: its guest BARs in the host bridge's window for
     * mapped BARs (never the host's addresses), then the function on the bus. */
    cursor = l.mapped;
    for (unsigned int i = 0; i < p->config->dma_count; i++) {
        struct pci_pt_fn *fn = partition_pci_fn(p, i);
        const struct hv_config_dma *m = &p->layout->dma[p->config->dma_first + i];
        struct vpci_func *f = &vfuncs[p->config->dma_first + i];

        if (!m->pci) {
            continue;
        }
        if (fn == NULL) {
            partition_printf(p, "PCI function %s is not available\n", m->name);
            return -ENODEV;
        }
        err = pci_pt_assign(fn, false, &cursor, l.mapped + l.mapped_size);
        if (err != 0) {
            partition_printf(
                p, "PCI function %s: its BARs do not fit the guest window %#llx+%#llx\n", m->name,
                (unsigned long long)l.mapped, (unsigned long long)l.mapped_size);
            return err;
        }
        memset(f, 0, sizeof(*f));
        f->ops = &pt_func_ops;
        f->dev = fn;
        f->name = m->name;
        f->slot = free_slot(p, slot);
        if (f->slot == 0) {
            partition_printf(p, "PCI %s: no free slot on its virtual host\n", m->name);
            return -ENOSPC;
        }
        slot = f->slot + 1;
        /* The generic header backs the bus's bookkeeping (BARs, pin) and the registers the
         * guest may write; the rest is the filtered physical one (pci_pt_cfg_read()). */
        err = pci_pt_guest_header(fn, &f->cfg);
        f->intx_virq = partition_pci_intx(p, i);
        if (f->intx_virq != 0) {
            f->intx_own = true;
            memcpy(f->intx_spec, m->intx_spec[fn->pin - 1],
                   MIN(sizeof(f->intx_spec), sizeof(m->intx_spec[0])));
        }
        if (err == 0) {
            err = vpci_add_func(p, f);
        }
        if (err != 0) {
            return err;
        }
        partition_printf(p, "PCI %s passed through as 00:%02x.0 on its virtual host\n", m->name,
                         f->slot);
    }
    return 0;
}

static const struct vdev_ops pt_vdev_ops = {.name = "pci-passthrough", .init = pt_vdev_init};

VDEV(pci_pt_vdev, VDEV_ORDER_VPCI_PT, &pt_vdev_ops);
