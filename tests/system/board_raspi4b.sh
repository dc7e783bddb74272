#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The Raspberry Pi 4 on QEMU's raspi4b model (4 x Cortex-A72, GIC-400, PL011 console, no
# PSCI: spin-table secondaries), one boot per scenario:
#   board_raspi4b_pingpong     the board's default layout (raspi4b_defconfig): every CPU in a
#                              partition, the secondaries released from QEMU's spin table
#                              (0xd8 + 8 * n), the partitions exchanging 64 messages through
#                              shared memory; the guests' PSCI is the hypervisor's
#   board_raspi4b_gic_hostile  gic_hostile against gic_victim on the GICv2 vGIC (the victim
#                              owns the aux block, INTID 125)
# The machine has no power-off (no PSCI firmware), but the CPUs' semihosting works on this
# model: the verdict is the test monitor's exit status, its "test: exit" line with the run's
# nonce, and whole console lines.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/board.sh"
rc=0

board_test board_raspi4b_pingpong raspi4b_defconfig raspi4b_pingpong 240 \
    'Bulkhead .* \(raspi4b, arm64, .*\)' \
    'arm64: generic timer: 62500000 Hz \(CNTFRQ_EL0\)' \
    'gic: GICv2 distributor at 0xff841000, CPU interface at 0xff842000, virtual interface control at 0xff844000 \(4 list registers\), virtual CPU interface at 0xff846000' \
    'cpu[123]: online \(hwid 0x[123]\)' '4 of 4 CPUs online' \
    'config: 2 partitions, 2 shared regions, console /serial@fe201000' \
    "${board_pingpong_markers[@]}" || rc=1

board_hostile_test board_raspi4b_gic_hostile raspi4b_defconfig raspi4b_gic_hostile 125 v2 || rc=1
exit $rc
