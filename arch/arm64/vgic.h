/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the virtual GIC: what its common part (vgic.c: interrupt state, routing,
 * confinement, list registers, the distributor's per-SPI registers, the guest DT node)
 * offers its two front-ends (vgic_v3.c: redistributors, ICC_SGI1R_EL1; vgic_v2.c:
 * GICD_ITARGETSR and GICD_SGIR, the virtual CPU interface mapped in stage 2), and what they
 * give back. Register offsets: IHI 0069 12.9 / IHI 0048B 4.3, identical for
 * the registers named here.
 */
#pragma once

#include <hv/partition.h>

#include "gic.h"

/* Where a partition sees its distributor: the QEMU virt address in both versions. */
#define VGICD_BASE 0x08000000u
/* GICv2: where it sees its CPU interface, the QEMU virt GICC address; 8 KiB (GICC_DIR is at
 * 0x1000, 4.4). */
#define VGICC_BASE 0x08010000u
#define VGICC_SIZE 0x2000u
/* GICv3: where it sees its redistributors, the QEMU virt address. */
#define VGICR_BASE 0x080a0000u
#define VGICR_FRAME 0x20000u /* RD_base + SGI_base per vCPU (no VLPIs) */

/* Distributor registers common to GICv2 and GICv3; word 0 of each one-bit-per-interrupt
 * register (and the first 32 priority bytes, the first two configuration words) covers the
 * SGIs and PPIs, banked per CPU: the GICv3 redistributor's SGI frame has them at the same
 * offsets. */
#define GICD_CTLR 0x0000u
#define GICD_TYPER 0x0004u
#define GICD_IIDR 0x0008u
#define GICD_IGROUPR 0x0080u
#define GICD_ISENABLER 0x0100u
#define GICD_ICENABLER 0x0180u
#define GICD_ISPENDR 0x0200u
#define GICD_ICPENDR 0x0280u
#define GICD_ISACTIVER 0x0300u
#define GICD_ICACTIVER 0x0380u
#define GICD_IPRIORITYR 0x0400u
#define GICD_IPRIORITYR_END 0x0800u
#define GICD_ICFGR 0x0c00u
#define GICD_ICFGR_END 0x0d00u
#define GICD_PIDR2 0xffe8u
/* Implementer "Bulkhead" in GICD_IIDR / GICR_IIDR / GICC_IIDR: product 0x42 ('B'). */
#define VGIC_IIDR 0x42000000u

/* Make intid pending on t (its pending set); interrupt t's CPU when it is not the caller's. */
void vgic_pend(struct vcpu *t, uint32_t intid);

/* A guest's write by v clearing the pending state of t's virtual intid (GICD_ICPENDR<n>,
 * GICv2's GICD_CPENDSGIR<n>): out of t's pending set and list registers, unless active, or,
 * with line, a level interrupt whose line is high. */
void vgic_unpend(struct vcpu *v, struct vcpu *t, uint32_t intid, bool line);

/* Whether t's intid reads as pending: its pending set; its list registers too on t's own CPU. */
bool vgic_pending(const struct vcpu *t, uint32_t intid);

/* Whether p may see SPI intid: a physical one it owns or one of its virtual ones. */
bool vgic_spi_visible(const struct partition *p, uint32_t intid);

/* The vCPU the guest routed SPI intid to (vCPU 0 by default). */
struct vcpu *vgic_spi_target(struct partition *p, uint32_t intid);

/* Route p's SPI intid to its vCPU t (< p->nr_vcpus): the guest's choice, and the physical
 * routing when the SPI is a passed-through one. */
void vgic_spi_set_target(struct partition *p, uint32_t intid, unsigned int t);

/* GICD_CTLR's enable bit as the guest wrote it (v the writer): held-back interrupts of the
 * other vCPUs may go out once it is on. */
void vgic_dist_enable(struct vcpu *v, bool on);

/* The banked SGI/PPI registers of vCPU t (reg = the distributor offset: IGROUPR0,
 * I[SC]ENABLER0, I[SC]PENDR0, I[SC]ACTIVER0, IPRIORITYR0..7, ICFGR0/1), read or written by
 * vCPU v (a GICv3 redistributor's SGI frame; a GICv2 guest's CPENDSGIR), through the
 * distributor's per-interrupt emulation. 0; -EINVAL for a size the register does not take.
 * Other offsets read as zero and ignore writes. */
int vgic_private_read(struct vcpu *t, uint32_t reg, unsigned int size, uint64_t *val);
int vgic_private_write(struct vcpu *v, struct vcpu *t, uint32_t reg, unsigned int size,
                       uint64_t val);

/* SGI intid from v to the vCPUs of targets (bit i = vCPU i): bits beyond the partition's
 * vCPUs are dropped and reported with the register written (reg, val). */
void vgic_sgi_send(struct vcpu *v, uint32_t intid, uint32_t targets, const char *reg, uint64_t val);

/* The distributor accesses the common part does not handle (CTLR, TYPER, identification,
 * routing, SGI registers): 0, or -EINVAL to stop the partition. */
int vgic_v3_dist_read(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size,
                      uint64_t *val);
int vgic_v3_dist_write(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size,
                       uint64_t val);
int vgic_v2_dist_read(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size,
                      uint64_t *val);
int vgic_v2_dist_write(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size,
                       uint64_t val);

/* The version's regions besides the distributor (GICv3: the redistributors), at the
 * partition's set-up. */
int vgic_v3_init(struct partition *p) __must_check;

/* The distributor region's size the version's guests see. */
#define VGICD_SIZE_V3 0x10000u
#define VGICD_SIZE_V2 0x1000u
