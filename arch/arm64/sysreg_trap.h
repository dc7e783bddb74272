/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 trap hardening (sysreg_trap.c): the trap controls a partition runs under and the
 * handler of the system-register / System-instruction traps (ESR_EL2.EC 0x18). Internal to
 * arch/arm64.
 */
#pragma once

#include <hv/partition.h>

#include "arm64.h"

/*
 * Before every vCPU entry: HCR_EL2 = hcr plus the trap bits (TIDCP, TACR, TSW, TERR with RAS),
 * MDCR_EL2 for a guest (PMU ownership, EL2 counting prohibited), ACTLR_EL2 and the guest's
 * MDSCR_EL1 at known values.
 */
void arm64_el2_traps_write(uint64_t hcr);
/* Handle a trapped MSR/MRS/System instruction of v: emulate, or report and inject UNDEFINED. */
void arm64_sysreg_trap(struct vcpu *v, uint64_t esr, struct arm64_regs *regs);
/* traps.c: step the guest past the trapped instruction (ELR_EL2, T32 IT state). */
void arm64_skip_instruction(uint64_t esr);
