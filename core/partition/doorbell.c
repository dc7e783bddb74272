// SPDX-License-Identifier: Apache-2.0
/*
 * Doorbells (design: include/hv/doorbell.h; guest ABI: include/hv/hypercall_abi.h): a
 * virtual device of every partition (include/hv/vdev.h) that reserves one virtual interrupt
 * per shared-memory entry (arch_irq_virtual_alloc()) and emulates the entries' doorbell
 * register pages. It lives with the partitions, not in core/vdev/, because a ring walks the
 * partition table.
 */
#include <arch/irq.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/doorbell.h>
#include <hv/errno.h>
#include <hv/fdt_write.h>
#include <hv/hypercall_abi.h>
#include <hv/ivshmem.h>
#include <hv/partition.h>
#include <hv/string.h>
#include <hv/vdev.h>
#include <hv/vmmio.h>

/* One shared-memory entry's doorbell: indexed like hv_config.shm. */
struct doorbell {
    struct partition *part; /* the partition the entry belongs to */
    unsigned int shm;       /* its index in hv_config.shm */
    uint32_t irq;           /* its interrupt in part, 0: none (no interrupt controller) */
    uint32_t irq_spec[ARCH_IRQ_DT_CELLS_MAX]; /* its specifier in part's guest DT */
};

static struct doorbell doorbells[HV_CONFIG_MAX_SHM];

unsigned int doorbell_ring_to(struct partition *from, unsigned int shm, unsigned int target)
{
    const struct hv_config *cfg = from->layout;
    unsigned int region = cfg->shm[shm].owner, rung = 0;

    for (unsigned int j = 0; j < cfg->nr_shm; j++) {
        struct partition *q = &partitions[cfg->shm[j].partition];
        bool pci = IS_ENABLED(CONFIG_VPCI) && cfg->shm[j].has_pci;

        if (j == shm || cfg->shm[j].owner != region || q == from ||
            (target != 0 && q->config->id != target) || partition_state(q) != PARTITION_RUNNING ||
            (!pci && doorbells[j].irq == 0)) {
            continue;
        }
        if (pci) {
            ivshmem_ring(j); /* its function's interrupt status, INTA if unmasked */
            rung++;
        } else if (arch_irq_raise(q, doorbells[j].irq) == 0) {
            /* Merged by the arch when still pending: no extra interrupt, no extra exit. */
            rung++;
        }
    }
    return rung;
}

int doorbell_find(const struct partition *p, const char *id, size_t len)
{
    for (unsigned int i = 0; i < p->config->shm_count; i++) {
        unsigned int s = p->config->shm_first + i;
        const char *sid = p->layout->shm[s].id;

        if (strlen(sid) == len && memcmp(sid, id, len) == 0) {
            return (int)s;
        }
    }
    return -ENOENT;
}

uint32_t doorbell_irq(const struct partition *p, unsigned int shm)
{
    return doorbells[shm].part == p ? doorbells[shm].irq : 0;
}

unsigned int doorbell_peers(const struct partition *p, unsigned int shm)
{
    const struct hv_config *cfg = p->layout;
    unsigned int n = 0;

    for (unsigned int j = 0; j < cfg->nr_shm; j++) {
        n += cfg->shm[j].owner == cfg->shm[shm].owner && cfg->shm[j].partition != p->index;
    }
    return n;
}

/* The register page: aligned 32-bit accesses only (anything else is a fault). */
static int db_read(void *dev, struct vcpu *v __unused, uint64_t offset, unsigned int size,
                   uint64_t *val)
{
    const struct doorbell *d = dev;

    if (size != 4 || (offset & 3) != 0) {
        return -EINVAL;
    }
    *val = offset == BH_DB_IRQ     ? d->irq
           : offset == BH_DB_PEERS ? doorbell_peers(d->part, d->shm)
           : offset == BH_DB_MAGIC ? BH_DB_MAGIC_VALUE
                                   : 0; /* the other registers read as zero */
    return 0;
}

static int db_write(void *dev, struct vcpu *v, uint64_t offset, unsigned int size,
                    uint64_t val __unused)
{
    const struct doorbell *d = dev;

    if (size != 4 || (offset & 3) != 0) {
        return -EINVAL;
    }
    if (offset == BH_DB_RING) {
        (void)doorbell_ring_to(v->part, d->shm, 0);
    }
    return 0;
}

static const struct vmmio_ops db_ops = {.read = db_read, .write = db_write};

static int doorbell_init(struct partition *p)
{
    for (unsigned int k = 0; k < p->config->shm_count; k++) {
        unsigned int s = p->config->shm_first + k;
        const struct hv_config_shm *c = &p->layout->shm[s];
        struct doorbell *d = &doorbells[s];
        uint32_t virq;
        int err;

        *d = (struct doorbell){.part = p, .shm = s, .irq = 0};
        /* Edge-rising: a ring is an event. In DT order after the devices before this one
         * (the vUART), so a layout always gives the same numbers. An entry that is a PCI
         * function is rung through the function's INTA instead (core/partition/ivshmem.c). */
        err = IS_ENABLED(CONFIG_VPCI) && c->has_pci
                  ? -ENODEV
                  : arch_irq_virtual_alloc(p, true, &virq, d->irq_spec);
        if (err == 0) {
            d->irq = virq;
        } else if (err != -ENODEV) {
            partition_printf(p, "shared memory \"%s\": no doorbell interrupt: %s\n", c->id,
                             errno_name(err));
            return err;
        }
        if (c->has_doorbell) {
            err = vmmio_register(p, c->doorbell, BH_DB_PAGE_SIZE, &db_ops, d, "doorbell");
            if (err != 0) {
                return err;
            }
        }
    }
    return 0;
}

void doorbell_guest_dt(struct fdt_writer *w, const struct partition *p, unsigned int shm)
{
    const struct hv_config_shm *c = &p->layout->shm[shm];

    if (doorbell_irq(p, shm) != 0) {
        fdt_write_prop_cells(w, "interrupts", doorbells[shm].irq_spec, arch_irq_dt_cells());
        fdt_write_prop_u32(w, "interrupt-parent", arch_irq_guest_phandle(p));
    }
    if (c->has_doorbell) {
        fdt_write_prop_u64(w, "bulkhead,doorbell", gpa_val(c->doorbell));
    }
}

static const struct vdev_ops doorbell_ops = {
    .name = "doorbell",
    .init = doorbell_init,
};

VDEV(doorbell_vdev, VDEV_ORDER_DOORBELL, &doorbell_ops);
