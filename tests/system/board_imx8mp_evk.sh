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

h='partition 1 "hostile" vcpu 0'
board_test board_imx8mp_gic_hostile imx8mp_evk_defconfig imx8mp_gic_hostile 180 \
    "$h: vgic: SGI 1 to CPUs outside the partition dropped \(ICC_[A-Z0-9]+_EL1 0x[0-9a-f]+\)" \
    "$h: vgic: SGI 2 to CPUs outside the partition dropped \(ICC_[A-Z0-9]+_EL1 0x[0-9a-f]+\)" \
    'hostile: gic_hostile: SGIs by affinity outside the partition dropped' \
    'hostile: gic_hostile: broadcast SGI reached vcpu 1 only' \
    "$h: vgic: GICD write 0x104 to interrupts 32..63 it does not own \(bits 0x4000000\) ignored" \
    'hostile: gic_hostile: distributor writes to SPI 58 ignored' \
    'hostile: gic_hostile: 16 pending SGIs at once, on each vCPU: none lost' \
    'hostile: gic_hostile: 1000 self-SGIs, 1000 taken' \
    "$h: stage-2 translation fault \(level 1\): read outside the partition.s memory: ESR 0x[0-9a-f]+ guest address 0x80e0008" \
    'partition 1 "hostile": stopped' \
    'victim: gic_victim: no interrupt from the hostile partition, SPI 58 still its own' \
    'victim: guest: PASS' || rc=1
exit $rc
