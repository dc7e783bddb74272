#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The ZCU102 on QEMU's xlnx-zcu102 model (virtualization=on: 4 x Cortex-A53, GIC-400 with
# the virtualization extensions, Cadence UART0 console, PSCI over SMC), one boot per
# scenario:
#   board_zcu102_pingpong     the board's default layout (xlnx_zcu102_defconfig): every CPU
#                             in a partition (started by PSCI CPU_ON), UART1 passed through,
#                             the two partitions exchanging 64 messages through shared memory;
#                             the timer frequency read from CNTFRQ_EL0, the console on the
#                             Cadence UART
#   board_zcu102_gic_hostile  gic_hostile against gic_victim on the GICv2 vGIC (the victim
#                             owns UART1, INTID 54): SGIs outside the partition (GICD_SGIR)
#                             dropped, distributor writes to the victim's SPI ignored, the
#                             GICH read stopping the hostile partition, the victim untouched
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/board.sh"
rc=0

board_test board_zcu102_pingpong xlnx_zcu102_defconfig zcu102_pingpong 240 \
    'Bulkhead .* \(xlnx-zcu102, arm64, .*\)' \
    'arm64: generic timer: 62500000 Hz \(CNTFRQ_EL0\)' \
    'gic: GICv2 distributor at 0xf9010000, CPU interface at 0xf902f000, virtual interface control at 0xf9040000 \(4 list registers\), virtual CPU interface at 0xf906f000' \
    'cpu[123]: online \(hwid 0x[123]\)' '4 of 4 CPUs online' \
    'config: 2 partitions, 2 shared regions, console /serial@ff000000' \
    "${board_pingpong_markers[@]}" || rc=1

board_hostile_test board_zcu102_gic_hostile xlnx_zcu102_defconfig zcu102_gic_hostile 54 v2 || rc=1
exit $rc
