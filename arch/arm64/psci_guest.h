/* SPDX-License-Identifier: Apache-2.0 */
/* PSCI for partitions (psci_guest.c), called by the trap handler (traps.c). */
#pragma once

#include <hv/partition.h>

#include "arm64.h"

/*
 * Whether fn (x0 of an HVC or a trapped SMC) is a PSCI function id: the Standard Secure
 * Service range 0x84000000..0x8400001f or its SMC64 twin (bit 30, SMCCC 2.5), bits 63:32
 * zero. guest.S's fast path makes the same check in assembly (conduit_check).
 */
static inline bool psci_guest_id(uint64_t fn)
{
    return ((fn & ~UINT64_C(0x40000000)) - 0x84000000u) < 0x20u;
}

/*
 * Handle the PSCI call hc of vCPU v (fn = x0, arg[0..2] = x1..x3): the result in ret[0],
 * x1..x3 given back in ret[1..3]; a hypercall_fn (include/hv/partition.h), reached through
 * hypercall_call() for a psci_guest_id() only. May not return (CPU_OFF, SYSTEM_OFF,
 * SYSTEM_RESET).
 */
void psci_guest_call(struct vcpu *v, struct hypercall *hc);
