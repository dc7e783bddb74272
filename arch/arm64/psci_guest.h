/* SPDX-License-Identifier: Apache-2.0 */
/* PSCI for partitions (psci_guest.c), called by the trap handler (traps.c). */
#pragma once

#include <hv/partition.h>

#include "arm64.h"

/*
 * Handle the PSCI call in regs->x[0..3] of vCPU v (HVC or trapped SMC): result in x0.
 * Returns false when x0 is not a PSCI function id. May not return (CPU_OFF, SYSTEM_OFF,
 * SYSTEM_RESET).
 */
bool psci_guest_call(struct vcpu *v, struct arm64_regs *regs);
