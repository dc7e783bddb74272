#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 EL2 trap hardening (arch/arm64/sysreg_trap.c): "hostile" (guests/arm64/trap_hostile.c)
# writes ACTLR_EL1, reads and writes an IMPLEMENTATION DEFINED register, touches a RAS error
# record, runs DC CSW / CISW, filters the cycle counter to EL2 only and sets a watchpoint on
# the hypervisor aimed at EL2, and on the A57 reaches PMXEVTYPER_EL0 / PMXEVCNTR_EL0 with
# PMSELR_EL0.SEL naming no counter. Each must be refused with a report naming the register (or
# converted / filtered, with its report) while the guest and its peer pass. Booted twice:
# on a Cortex-A57 (PMUv3, no HPMD: the PMU is trapped and NSH filtered; no FEAT_RAS) and on
# QEMU's "max" (PMUv3p5: HPMD + HCCD; FEAT_RAS: the ERR* records trap).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

h='partition 2 "hostile" vcpu 0'
common=(
    "$h: refused write to auxiliary control register ACTLR_EL1: UNDEFINED injected"
    'hostile: trap_hostile: ACTLR_EL1 reads 0'
    "$h: refused read of IMPLEMENTATION DEFINED register S3_1_C15_C2_0: UNDEFINED injected"
    "$h: refused write to IMPLEMENTATION DEFINED register S3_1_C15_C2_0: UNDEFINED injected"
    "$h: converted write to set/way maintenance DC CSW: clean\\+invalidate by VA of the partition's memory, once per level swept"
    'hostile: trap_hostile: EL2-only cycle counter stayed at 0 over 64 hypercalls'
    'hostile: trap_hostile: watchpoint on EL2 did not fire, hypervisor answered'
    'hostile: trap_hostile: BRK taken at EL1'
    'hostile: guest: PASS' 'peer: guest: PASS'
)
PART_CPU=cortex-a57 PART_BUILD=arm64_part_traps part_test arm64_part_traps_a57 traps kernel 120 \
    "${common[@]}" 'hostile: trap_hostile: FEAT_RAS absent' \
    "$h: filtered write to event filter PMCCFILTR_EL0: EL2 counting \\(NSH\\) cleared" \
    "$h: refused read of PMU register PMXEVTYPER_EL0: UNDEFINED injected" \
    "$h: refused write to PMU register PMXEVCNTR_EL0: UNDEFINED injected"
PART_CPU=max PART_BUILD=arm64_part_traps part_test arm64_part_traps_max traps kernel 120 \
    "${common[@]}" 'hostile: trap_hostile: FEAT_RAS present' \
    "$h: refused read of RAS error record register ERRIDR_EL1: UNDEFINED injected"
