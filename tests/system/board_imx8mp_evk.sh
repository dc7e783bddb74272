#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The i.MX 8M Plus EVK on QEMU's imx8mp-evk model (4 x Cortex-A53, GICv3, i.MX UART2
# console, PSCI over SMC, an 8 MHz generic timer), one boot per scenario:
#   board_imx8mp_pingpong     the board's default layout (imx8mp_evk_defconfig): every CPU in
#                             a partition, the two partitions exchanging 64 messages through
#                             shared memory; the secondaries started by PSCI CPU_ON, the
#                             timer frequency read from CNTFRQ_EL0 (8 MHz), the console on
#                             the i.MX UART from the first line (early console) on
#   board_imx8mp_gic_hostile  gic_hostile against gic_victim (the victim owns UART1, INTID
#                             58): SGIs outside the partition dropped, distributor writes to
#                             the victim's SPI ignored, the foreign redistributor read
#                             stopping the hostile partition, the victim untouched
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/board.sh"
rc=0

board_test board_imx8mp_pingpong imx8mp_evk_defconfig imx8mp_pingpong 180 \
    'Bulkhead .* \(imx8mp-evk, arm64, .*\)' \
    'arm64: generic timer: 8000000 Hz \(CNTFRQ_EL0\)' \
    'gic: GICv3 distributor at 0x38800000, redistributors at 0x38880000' 'gic: 192 interrupt ids; .*' \
    'cpu[123]: online \(hwid 0x[123]\)' '4 of 4 CPUs online' \
    'config: 2 partitions, 2 shared regions, console /serial@30890000' \
    "${board_pingpong_markers[@]}" || rc=1

board_hostile_test board_imx8mp_gic_hostile imx8mp_evk_defconfig imx8mp_gic_hostile 58 v3 || rc=1
exit $rc
