// SPDX-License-Identifier: Apache-2.0
/*
 * ivshmem-style PCI functions (design: include/hv/ivshmem.h, docs/pci.md): a virtual device
 * (include/hv/vdev.h) that adds one function to the partition's virtual PCI host for each of
 * its shared-memory entries with "pci-slot". It lives with the partitions, beside the
 * doorbells it reuses (a write of BH_IVSHMEM_DOORBELL rings like BH_HC_DOORBELL_RING).
 *
 * The function keeps two registers of its own, the doorbell status and mask; its interrupt
 * condition is status & mask, which the host turns into PCI STATUS.Interrupt-Status and the
 * INTA level (vpci_intx_set_locked()). Both under the function's lock.
 */
#include <hv/config.h>
#include <hv/doorbell.h>
#include <hv/errno.h>
#include <hv/hypercall_abi.h>
#include <hv/ivshmem.h>
#include <hv/partition.h>
#include <hv/vdev.h>
#include <hv/vpci.h>

/* Class code (PCI Code and ID Assignment 1.11, 1.6): memory controller, RAM. */
#define IVSHMEM_CLASS 0x050000u

/* One entry's function: indexed like hv_config.shm. */
struct ivshmem {
    struct vpci_func func;
    unsigned int shm; /* its entry */
    uint32_t status;  /* BH_IVSHMEM_ISTATUS */
    uint32_t mask;    /* BH_IVSHMEM_IMASK */
};

/* Not cleared at boot: ivshmem_init() sets every entry of a partition before it can run, and
 * only a running partition's entries are rung (doorbell_ring_to()). */
static struct ivshmem ivshmems[HV_CONFIG_MAX_SHM] __noinit;

/* The condition the host shows and turns into INTA. f->lock held. */
static void update(struct ivshmem *s)
{
    vpci_intx_set_locked(&s->func, (s->status & s->mask & 1u) != 0);
}

void ivshmem_ring(unsigned int shm)
{
    struct ivshmem *s = &ivshmems[shm];

    if (s->func.part == NULL) {
        return; /* not set up (its partition failed setup) */
    }
    spin_lock(&s->func.lock);
    s->status |= 1u;
    update(s);
    spin_unlock(&s->func.lock);
}

static int regs_read(struct vpci_func *f, struct vcpu *v __unused, unsigned int bar, uint64_t off,
                     unsigned int size, uint64_t *val)
{
    struct ivshmem *s = f->dev;

    if (bar != 0 || size != 4) {
        return -EINVAL; /* the registers take aligned 32-bit accesses only */
    }
    spin_lock(&f->lock);
    /* DOORBELL and the rest of the page read 0; off is a multiple of 4 (vmmio_dispatch). */
    const uint32_t regs[] = {
        [BH_IVSHMEM_ID / 4] = f->part->config->id,
        [BH_IVSHMEM_PEERS / 4] = doorbell_peers(f->part, s->shm),
        [BH_IVSHMEM_ISTATUS / 4] = s->status,
        [BH_IVSHMEM_IMASK / 4] = s->mask,
        [BH_IVSHMEM_MAGIC / 4] = BH_IVSHMEM_MAGIC_VALUE,
    };

    *val = off / 4 < ARRAY_SIZE(regs) ? regs[off / 4] : 0;
    spin_unlock(&f->lock);
    return 0;
}

static int regs_write(struct vpci_func *f, struct vcpu *v, unsigned int bar, uint64_t off,
                      unsigned int size, uint64_t val)
{
    struct ivshmem *s = f->dev;

    if (bar != 0 || size != 4) {
        return -EINVAL;
    }
    if (off == BH_IVSHMEM_DOORBELL) {
        /* No lock: the ring may reach another partition's function (same lock class). */
        (void)doorbell_ring_to(v->part, s->shm, (uint32_t)val);
        return 0;
    }
    spin_lock(&f->lock);
    if (off == BH_IVSHMEM_ISTATUS) {
        s->status &= ~(uint32_t)val;
    } else if (off == BH_IVSHMEM_IMASK) {
        s->mask = (uint32_t)val & 1u;
    }
    update(s);
    spin_unlock(&f->lock);
    return 0;
}

static void ivshmem_reset(struct vpci_func *f)
{
    struct ivshmem *s = f->dev;

    s->status = 0;
    s->mask = 0;
}

static const struct vpci_func_ops ivshmem_ops = {
    .bar_read = regs_read, .bar_write = regs_write, .reset = ivshmem_reset};

static int ivshmem_init(struct partition *p)
{
    static const struct vpci_id id = {.vendor = BH_IVSHMEM_VENDOR,
                                      .device = BH_IVSHMEM_DEVICE,
                                      .class_code = IVSHMEM_CLASS,
                                      .subsys_vendor = BH_IVSHMEM_VENDOR,
                                      .subsys_id = BH_IVSHMEM_DEVICE};

    for (unsigned int k = 0; k < p->config->shm_count; k++) {
        unsigned int i = p->config->shm_first + k;
        const struct hv_config_shm *c = &p->layout->shm[i];
        struct ivshmem *s = &ivshmems[i];
        const struct vpci_bar regs = {.kind = VPCI_BAR_EMULATED, .size = BH_IVSHMEM_REGS_SIZE};
        /* The window the partition already maps (core/partition/shm.c), where it maps it. */
        const struct vpci_bar win = {.kind = VPCI_BAR_MAPPED,
                                     .size = c->size,
                                     .is64 = true,
                                     .prefetchable = true,
                                     .addr = c->guest};
        int err;

        *s = (struct ivshmem){.shm = i};
        if (!c->has_pci) {
            continue;
        }
        s->func.ops = &ivshmem_ops;
        s->func.dev = s;
        s->func.name = c->id;
        s->func.slot = c->pci_slot;
        /* No DMA (the region is memory the partition maps, not a bus master's target): no
         * Bus Master. INTA, so Interrupt Disable. */
        vpci_cfg_init(&s->func.cfg, &id, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE,
                      PCI_INTERRUPT_PIN_A);
        err = vpci_cfg_set_bar(&s->func.cfg, 0, &regs);
        if (err == 0) {
            err = vpci_cfg_set_bar(&s->func.cfg, 2, &win); /* checked by the config: a BAR */
        }
        if (err == 0) {
            err = vpci_add_func(p, &s->func);
        }
        if (err != 0) {
            s->func.part = NULL;
            return err;
        }
    }
    return 0;
}

static const struct vdev_ops ivshmem_vdev_ops = {
    .name = "ivshmem",
    .init = ivshmem_init,
};

VDEV(ivshmem_vdev, VDEV_ORDER_VPCI_FUNC, &ivshmem_vdev_ops);
