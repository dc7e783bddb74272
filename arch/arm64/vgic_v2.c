// SPDX-License-Identifier: Apache-2.0
/*
 * The GICv2 front-end of the virtual GIC (common part: vgic.c, vgic.h; design:
 * docs/interrupts.md). Arm GIC architecture specification v2, IHI 0048B.
 *
 * CPU interface. The guest's GICC is the GIC's virtual CPU interface: the physical GICV frame
 * (banked: each CPU reaches its own) is mapped in the partition's stage 2 at the guest's GICC
 * address (arch_partition_implied_map(), the one mapping the architecture implies; the
 * stage-2 audit of test builds expects exactly it). Its accesses never trap; the hypervisor
 * feeds it through the list registers (GICH_LR<n>, 5.3.11; gicv2.c converts them). The
 * guest sees a GIC without the Security Extensions: its interrupts are Group 0, signalled as
 * IRQ (GICV_CTLR.FIQEn = 0), and each SGI reaches it with source CPU 0.
 *
 * Distributor (trapped, 4 KiB). The per-SPI registers and their confinement (only the
 * partition's own SPIs are visible) are the common part's; the banked SGI/PPI words are the
 * accessing vCPU's own. Here: GICD_CTLR (Enable), GICD_TYPER, GICD_ITARGETSR (the target
 * vCPU of an SPI; each vCPU reads its own interface bit, 1 << its index, in the banked
 * words) and the SGI registers. GICD_SGIR writes are resolved in the partition's own vCPUs:
 * target-list bit i = vCPU i, filter 1 = every other vCPU of the partition, 2 = the sender;
 * a bit beyond the partition's vCPUs is dropped and reported, and a vCPU on another CPU is
 * reached through the hypervisor's kick SGI (vgic_pend: vCPU -> physical CPU interface), so
 * no SGI ever reaches another partition's CPU.
 */
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/vmmio.h>

#include "vgic.h"

#define GICD_CTLR_ENABLE 1u
#define GICD_ITARGETSR 0x0800u
#define GICD_ITARGETSR_END 0x0c00u
#define GICD_SGIR 0x0f00u
#define GICD_CPENDSGIR 0x0f10u
#define GICD_SPENDSGIR 0x0f20u
#define GICD_SGIR_END 0x0f30u
/* ICPIDR2 (4.3.16: at 0xfe8 in a GICv2): ArchRev 2 in bits 7:4, as a GIC-400 reads. */
#define GICD_ICPIDR2 0x0fe8u
#define GIC_PIDR2_V2 0x2bu
/* GICD_SGIR (4.3.15): TargetListFilter 25:24, CPUTargetList 23:16, SGIINTID 3:0. */
#define SGIR_FILTER(v) (((v) >> 24) & 3u)
#define SGIR_TARGETS(v) (((v) >> 16) & 0xffu)
#define SGIR_INTID(v) ((v)&0xfu)
#define SGIR_FILTER_LIST 0u
#define SGIR_FILTER_OTHERS 1u
#define SGIR_FILTER_SELF 2u

/* The interface bits of p's vCPUs (bit i = vCPU i). */
static uint32_t vcpu_bits(const struct partition *p)
{
    return (1u << p->nr_vcpus) - 1;
}

/* A write to GICD_SGIR by v. */
static void sgir_write(struct vcpu *v, uint32_t val)
{
    uint32_t targets = SGIR_TARGETS(val);

    switch (SGIR_FILTER(val)) {
    case SGIR_FILTER_OTHERS:
        targets = vcpu_bits(v->part) & ~(1u << v->index);
        break;
    case SGIR_FILTER_SELF:
        targets = 1u << v->index;
        break;
    case SGIR_FILTER_LIST:
        break;
    default:
        vgic_report(v, "SGI %u with the reserved target filter dropped (GICD_SGIR %#x)",
                    SGIR_INTID(val), val);
        return;
    }
    vgic_sgi_send(v, SGIR_INTID(val), targets, "GICD_SGIR", val);
}

int vgic_v2_dist_read(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size,
                      uint64_t *val)
{
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR_END && size <= 4) {
        uint64_t r = 0;

        for (unsigned int i = 0; i < size; i++) {
            uint32_t intid = (uint32_t)(off - GICD_ITARGETSR) + i;
            uint32_t byte = 0;

            if (intid < GIC_SPI_BASE) {
                byte = 1u << v->index; /* read-only: the reader's own interface */
            } else if (vgic_spi_visible(p, intid)) {
                byte = 1u << (vgic_spi_target(p, intid) - p->vcpus);
            }
            r |= (uint64_t)byte << (8 * i);
        }
        *val = r;
        return 0;
    }
    if (size != 4) {
        return -EINVAL;
    }
    switch (off) {
    case GICD_CTLR:
        *val = p->arch.vgic.enabled ? GICD_CTLR_ENABLE : 0;
        break;
    case GICD_TYPER:
        /* ITLinesNumber like the hardware (passed-through SPIs keep their ids), CPUNumber,
         * no Security Extensions (4.3.2). */
        *val = gic_it_lines() | (uint32_t)(p->nr_vcpus - 1) << 5;
        break;
    case GICD_IIDR:
        *val = VGIC_IIDR;
        break;
    case GICD_ICPIDR2:
        *val = GIC_PIDR2_V2;
        break;
    default:
        *val = 0; /* everything else reads as zero */
        break;
    }
    /* GICD_[SC]PENDSGIR<n> (4.3.16, 4.3.17): a byte per SGI of the reader, its source CPUs;
     * sources are not kept, and the guest takes every SGI from CPU 0 (bit 0). */
    for (unsigned int i = 0; off >= GICD_CPENDSGIR && off < GICD_SGIR_END && i < 4; i++) {
        *val |= (uint64_t)vgic_pending(v, (uint32_t)(off % 16) + i) << (8 * i);
    }
    return 0;
}

int vgic_v2_dist_write(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size,
                       uint64_t val)
{
    if (off >= GICD_ITARGETSR + GIC_SPI_BASE && off < GICD_ITARGETSR_END && size <= 4) {
        for (unsigned int i = 0; i < size; i++) {
            uint32_t intid = (uint32_t)(off - GICD_ITARGETSR) + i;
            /* One of the partition's vCPUs: the lowest one named; none of them: vCPU 0. */
            uint32_t mine = (uint32_t)(val >> (8 * i)) & 0xffu & vcpu_bits(p);

            if (vgic_spi_visible(p, intid)) {
                vgic_spi_set_target(p, intid, mine != 0 ? (unsigned int)__builtin_ctz(mine) : 0);
            }
        }
        return 0;
    }
    if (size != 4) {
        return -EINVAL;
    }
    switch (off) {
    case GICD_CTLR:
        vgic_dist_enable(v, (val & GICD_CTLR_ENABLE) != 0);
        break;
    case GICD_SGIR:
        sgir_write(v, (uint32_t)val);
        break;
    default:
        if (off >= GICD_SPENDSGIR && off < GICD_SGIR_END) {
            /* Set-pending bytes (4.3.17): any source bit pends that SGI on the writer. */
            for (unsigned int i = 0; i < 4; i++) {
                if ((val >> (8 * i)) & 0xffu) {
                    vgic_pend(v, (uint32_t)(off - GICD_SPENDSGIR) + i);
                }
            }
        } else if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR) {
            /* Clear-pending bytes (4.3.16): any source bit clears that SGI on the writer. */
            for (unsigned int i = 0; i < 4; i++) {
                if ((val >> (8 * i)) & 0xffu) {
                    vgic_unpend(v, v, (uint32_t)(off - GICD_CPENDSGIR) + i, true);
                }
            }
        }
        break; /* everything else ignores writes */
    }
    return 0;
}

unsigned int arch_partition_implied_map(const struct partition *p __unused,
                                        struct partition_expect *out, unsigned int max)
{
    if (gic_version != GIC_V2 || max == 0) {
        return 0;
    }
    /* The GICV frame at the guest's GICC address: Device, read-write, never executable. */
    out[0] = (struct partition_expect){
        .guest = VGICC_BASE,
        .host = gicv2_vcpu_base(),
        .size = VGICC_SIZE,
        .attrs = {.r = true, .w = true, .x = false, .type = PT_MEM_DEVICE},
        .what = "GIC virtual CPU interface",
    };
    return 1;
}
