/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The test guests' side of the virtual GIC and the virtual timer (Arm GIC architecture
 * specification IHI 0069 for GICv3, IHI 0048B for GICv2; Arm ARM D11 generic timer). The
 * version and the addresses come from the guest DT's "arm,gic-v3" or "arm,cortex-a15-gic"
 * node. Interrupts are taken at EL1 (head.S IRQ vector -> rt_irq), which acknowledges
 * (ICC_IAR1_EL1 / GICC_IAR), calls the scenario's guest_irq() and completes the interrupt
 * (ICC_EOIR1_EL1 / GICC_EOIR: priority drop and deactivation, EOImode 0).
 */
#pragma once

#include "rt.h"

#define GIC_PPI_VTIMER 27u

/* Find the GIC in the DTB and enable the distributor (GICv3: Group 1; GICv2: Group 0, as a
 * GIC without the Security Extensions). Boot vCPU; 0 or -1. */
int gic_init(const struct guest_info *gi) __must_check;
/* Whether the DT's GIC is a GICv2 (after gic_init()). */
bool gic_is_v2(void);
/* Per vCPU: GICv3: wake its redistributor, enable the CPU interface (SRE, PMR, Group 1);
 * GICv2: enable its (memory-mapped) CPU interface, PMR. */
void gic_cpu_init(unsigned int vcpu);
/* Enable (or disable) SGI/PPI intid on vCPU vcpu's redistributor (GICv2: the calling
 * vCPU's banked distributor word; vcpu must be the caller). */
void gic_enable_private(unsigned int vcpu, unsigned int intid, bool on);
/* Enable SPI intid in the distributor, routed to vCPU target. */
void gic_enable_spi(unsigned int intid, unsigned int target);
/* Route SPI intid to vCPU target (GICD_IROUTER Aff0 / GICD_ITARGETSR bit), without
 * enabling it; read the routing register back as written (IROUTER / ITARGETSR byte). */
void gic_route_spi(unsigned int intid, unsigned int target);
uint64_t gic_spi_route_reg(unsigned int intid);
/* The distributor / redistributor registers (for the hostile tests; GICv3 only for the
 * redistributors). */
volatile uint32_t *gic_dist_reg(uint32_t offset);
volatile uint32_t *gic_redist_reg(unsigned int vcpu, uint32_t offset);
uint64_t gic_redist_base(void);
/* SGI register write, raw: ICC_SGI1R_EL1 (targets in the partition's affinity space) on
 * GICv3, GICD_SGIR (target list bit i = vCPU i) on GICv2. */
void gic_sgi_raw(uint64_t val);
/* SGI intid to the vCPUs in target_list (bit i = vCPU i). */
void gic_sgi(unsigned int intid, uint16_t target_list);
/* SGI intid to every vCPU but the sender (GICv3 IRM = 1; GICv2 target filter 1). */
void gic_sgi_others(unsigned int intid);

/* With bootargs "gic-poll=1" (gic_init): take one pending interrupt by reading
 * ICC_IAR1_EL1, if IRQs are unmasked; guest_wait() calls it every round. Otherwise nothing. */
void gic_poll(void);

/* PSTATE.I: mask (true) or unmask IRQs at EL1. */
void irq_mask(bool masked);

/* The scenario's handler, called with IRQs masked for every interrupt taken. */
void guest_irq(unsigned int vcpu, unsigned int intid);

/* The current vCPU's index (MPIDR_EL1.Aff0). */
unsigned int guest_vcpu(void);

/* Virtual timer: fire in ticks counter ticks (CNTV_TVAL_EL0), or stop it. */
void vtimer_arm(uint64_t ticks);
void vtimer_stop(void);
