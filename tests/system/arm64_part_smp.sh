#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 guest SMP: "smp" (guests/arm64/smp.c, two vCPUs) starts vCPU 1 with PSCI CPU_ON,
# twice (the second time by the SMC32 id); vCPU 1 reports and switches itself off with CPU_OFF
# each time; AFFINITY_INFO and a refused CPU_ON of a running vCPU are checked on the way, by the
# SMC64 and the SMC32 ids alike (PSCI_VERSION and FEATURES of the SMC32 ids too).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_test arm64_part_smp smp kernel 120 \
    'smp: smp: bad CPU_ON entries refused' 'smp: smp: vcpu 1 up \(round 1, MPIDR_EL1 0x[0-9a-f]+\)' 'smp: smp: vcpu 1 up \(round 2, MPIDR_EL1 0x[0-9a-f]+\)' \
    'smp: smp: round 2: vcpu 1 on, reported, off' \
    'smp: smp: SMC32 CPU_ON and AFFINITY_INFO answered as SMC64' 'smp: smp: both vCPUs reported' \
    'smp: guest: PASS' 'peer: guest: PASS'
