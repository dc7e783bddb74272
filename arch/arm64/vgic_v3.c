// SPDX-License-Identifier: Apache-2.0
/*
 * The GICv3 front-end of the virtual GIC (common part: vgic.c, vgic.h; design:
 * docs/interrupts.md). Arm GIC architecture specification IHI 0069 throughout.
 *
 * SGIs. With IMO/FMO = 1 the guest's ICC_SGI0R/SGI1R/ASGI1R_EL1 writes trap (12.2.22-24,
 * "traps"): the targets are resolved in the partition's own affinity space (vCPU i has MPIDR
 * Aff0 = i, Aff1..3 = 0), IRM = 1 means every other vCPU of the sender's partition. A target
 * outside the partition is dropped and reported; no SGI ever reaches another partition.
 *
 * Distributor and redistributors. Besides the per-SPI registers of the common part, the
 * distributor has GICD_IROUTER (the guest's target vCPU by Aff0), affinity routing always on
 * and one security state (GICD_CTLR). Each vCPU has one emulated GICR frame pair; the range
 * covers the partition's vCPUs only: an access beyond it is not emulated and stops the
 * partition as a stage-2 fault.
 */
#include <arch/cpu.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/vmmio.h>

#include "vgic.h"

#define VGICR_SGI 0x10000u

#define GICD_IROUTER 0x6000u
#define GICD_IROUTER_END 0x7fe0u
#define GICR_IIDR 0x0004u /* 12.10.17 */
#define GICR_TYPER 0x0008u
#define GICR_WAKER 0x0014u
/* GICD_CTLR as the guest reads it: DS (6, one security state), ARE (4, always on). */
#define VGICD_CTLR_FIXED (1u << 6 | 1u << 4)
#define GICD_CTLR_GRP1 (1u << 1)
/* GICD_PIDR2 / GICR_PIDR2: ArchRev 3 (GICv3) in bits 7:4 (12.9.27). */
#define GIC_PIDR2_V3 0x3bu
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
/* SGI register fields (12.2.23): TargetList 15:0, Aff1 23:16, INTID 27:24, Aff2 39:32,
 * IRM 40, RS 47:44, Aff3 55:48. */
#define SGIR_INTID(v) ((uint32_t)((v) >> 24) & 0xfu)
#define SGIR_IRM (UINT64_C(1) << 40)
#define SGIR_TARGETS(v) ((uint32_t)(v)&0xffffu)
#define SGIR_HIGH_AFF(v)                                                                           \
    ((v) &                                                                                         \
     (UINT64_C(0xff) << 16 | UINT64_C(0xff) << 32 | UINT64_C(0xf) << 44 | UINT64_C(0xff) << 48))

void vgic_sgi_write(struct vcpu *v, uint64_t val, bool group1)
{
    uint32_t targets = SGIR_TARGETS(val);

    if (!group1) {
        vgic_report(v, "Group 0 / alias SGI %u refused (the partition's interrupts are Group 1)",
                    SGIR_INTID(val));
        return;
    }
    if (val & SGIR_IRM) {
        targets = ((1u << v->part->nr_vcpus) - 1) & ~(1u << v->index);
    } else if (SGIR_HIGH_AFF(val) != 0) {
        targets = ~0u << v->part->nr_vcpus; /* another cluster: none of the partition's */
    }
    vgic_sgi_send(v, SGIR_INTID(val), targets, "ICC_SGI1R_EL1", val);
}

/* ------------------------------------------------------------------------------------------ */
/* Distributor: the GICv3-only registers                                                      */

int vgic_v3_dist_read(struct partition *p, struct vcpu *v __unused, uint64_t off, unsigned int size,
                      uint64_t *val)
{
    struct vgic_dist *d = &p->arch.vgic;

    if (off >= GICD_IROUTER + 8 * GIC_SPI_BASE && off < GICD_IROUTER_END && size >= 4) {
        uint32_t intid = (uint32_t)(off - GICD_IROUTER) / 8;

        /* Aff0 = the target vCPU; the high half of a 32-bit pair (Aff3) is 0. */
        *val = vgic_spi_visible(p, intid) && (off & 4) == 0 ? d->target[intid] : 0;
        return 0;
    }
    if (size != 4) {
        return -EINVAL;
    }
    switch (off) {
    case GICD_CTLR:
        *val = VGICD_CTLR_FIXED | (d->enabled ? GICD_CTLR_GRP1 : 0);
        return 0;
    case GICD_TYPER:
        /* ITLinesNumber like the hardware (passed-through SPIs keep their ids), CPUNumber,
         * IDbits = 9 (10-bit ids), No1N: no 1-of-N routing (12.9.38). */
        *val = gic_it_lines() | (uint32_t)((p->nr_vcpus > 8 ? 8 : p->nr_vcpus) - 1) << 5 |
               9u << 19 | 1u << 25;
        return 0;
    case GICD_IIDR:
        *val = VGIC_IIDR;
        return 0;
    case GICD_PIDR2:
        *val = GIC_PIDR2_V3;
        return 0;
    default:
        *val = 0; /* everything else reads as zero */
        return 0;
    }
}

int vgic_v3_dist_write(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size,
                       uint64_t val)
{
    if (off >= GICD_IROUTER + 8 * GIC_SPI_BASE && off < GICD_IROUTER_END && size >= 4) {
        uint32_t intid = (uint32_t)(off - GICD_IROUTER) / 8;
        unsigned int t = (unsigned int)(val & 0xffu);

        if ((off & 4) != 0 || !vgic_spi_visible(p, intid)) {
            return 0; /* Aff3 half, or not the partition's: ignored (Linux writes them all) */
        }
        /* A target outside the partition (or IRM = 1) means its vCPU 0. */
        if ((val & ~UINT64_C(0xff) & 0xffffffffu) != 0 || t >= p->nr_vcpus) {
            t = 0;
        }
        vgic_spi_set_target(p, intid, t);
        return 0;
    }
    if (size != 4) {
        return -EINVAL;
    }
    if (off == GICD_CTLR) {
        vgic_dist_enable(v, (val & GICD_CTLR_GRP1) != 0);
    }
    return 0; /* everything else ignores writes */
}

/* ------------------------------------------------------------------------------------------ */
/* Emulated redistributors: one RD_base + SGI_base frame pair per vCPU                       */

static int gicr_read(void *dev, struct vcpu *v __unused, uint64_t off, unsigned int size,
                     uint64_t *val)
{
    struct partition *p = dev;
    /* t < p->nr_vcpus: off is inside the region vgic_v3_init() registered (vmmio_dispatch()). */
    unsigned int t = (unsigned int)(off / VGICR_FRAME);
    const struct vgic_vcpu *g = &p->vcpus[t].arch.vgic;
    uint32_t reg = (uint32_t)(off % VGICR_FRAME);
    if (reg == GICR_TYPER && (size == 8 || size == 4)) {
        /* Affinity = Aff0 t (63:32), Processor_Number t (23:8), Last (4) (12.10.33). */
        *val = (uint64_t)t << 32 | (uint64_t)t << 8 | (t + 1 == p->nr_vcpus ? 1u << 4 : 0);
        if (size == 4) {
            *val &= 0xffffffffu;
        }
        return 0;
    }
    if (reg == GICR_TYPER + 4 && size == 4) {
        *val = t;
        return 0;
    }
    if (reg >= VGICR_SGI) {
        return vgic_private_read(&p->vcpus[t], reg - VGICR_SGI, size, val);
    }
    if (size != 4) {
        return -EINVAL;
    }
    switch (reg) {
    case GICR_IIDR:
        *val = VGIC_IIDR;
        break;
    case GICR_WAKER:
        *val = g->sleep ? GICR_WAKER_SLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0;
        break;
    case GICD_PIDR2:
        *val = GIC_PIDR2_V3;
        break;
    default:
        *val = 0;
        break;
    }
    return 0;
}

static int gicr_write(void *dev, struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
    struct partition *p = dev;
    unsigned int t = (unsigned int)(off / VGICR_FRAME);
    uint32_t reg = (uint32_t)(off % VGICR_FRAME);

    if (reg >= VGICR_SGI) {
        return vgic_private_write(v, &p->vcpus[t], reg - VGICR_SGI, size, val);
    }
    if (size != 4) {
        return -EINVAL;
    }
    if (reg == GICR_WAKER) {
        p->vcpus[t].arch.vgic.sleep = (val & GICR_WAKER_SLEEP) != 0;
    }
    return 0; /* everything else ignores writes */
}

static const struct vmmio_ops gicr_ops = {.read = gicr_read, .write = gicr_write};

int vgic_v3_init(struct partition *p)
{
    return vmmio_register(p, gpa(VGICR_BASE), (uint64_t)p->nr_vcpus * VGICR_FRAME, &gicr_ops, p,
                          "GIC redistributors");
}
