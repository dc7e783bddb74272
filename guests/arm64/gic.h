/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The test guests' side of the virtual GICv3 and the virtual timer (Arm GIC architecture
 * specification IHI 0069; Arm ARM D11 generic timer). Addresses come from the guest DT's
 * "arm,gic-v3" node. Interrupts are taken at EL1 (head.S IRQ vector -> rt_irq), which
 * acknowledges through ICC_IAR1_EL1, calls the scenario's guest_irq() and completes the
 * interrupt (ICC_EOIR1_EL1: priority drop and deactivation, EOImode 0).
 */
#pragma once

#include "rt.h"

#define GIC_PPI_VTIMER 27u

/* Find the GIC in the DTB and enable the distributor (Group 1). Boot vCPU; 0 or -1. */
int gic_init(const struct guest_info *gi) __must_check;
/* Per vCPU: wake its redistributor, enable the CPU interface (SRE, PMR, Group 1). */
void gic_cpu_init(unsigned int vcpu);
/* Enable (or disable) SGI/PPI intid on vCPU vcpu's redistributor. */
void gic_enable_private(unsigned int vcpu, unsigned int intid, bool on);
/* Enable SPI intid in the distributor, routed to vCPU target. */
void gic_enable_spi(unsigned int intid, unsigned int target);
/* The distributor / redistributor registers (for the hostile tests). */
volatile uint32_t *gic_dist_reg(uint32_t offset);
volatile uint32_t *gic_redist_reg(unsigned int vcpu, uint32_t offset);
uint64_t gic_redist_base(void);
/* ICC_SGI1R_EL1 write, raw (targets in the partition's affinity space). */
void gic_sgi_raw(uint64_t val);
/* SGI intid to the vCPUs in target_list (bit i = vCPU i). */
void gic_sgi(unsigned int intid, uint16_t target_list);

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
