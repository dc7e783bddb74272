#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 interrupt isolation (guests/arm64/gic_hostile.c against gic_victim.c): SGIs aimed
# outside the partition by affinity and by broadcast, distributor writes to the victim's
# SPI, more pending interrupts than list registers and a flood of self-SGIs (each counted
# exactly once), pending state cleared by GICD_ICPENDR (its own virtual SPI: held back, listed,
# listed on its other vCPU; GICv2: SGI bits read-only there, GICD_CPENDSGIR clears), then a
# read of another CPU's redistributor (GICv2: of the GICH frame).
# Each attempt is contained and reported; the hostile partition ends faulted by the last one;
# the victim sees no interrupt it did not cause and passes. PART_BOARD=gicv2
# (arm64_gicv2_part_gic_hostile.sh): the same through GICD_SGIR and GICD_ITARGETSR.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

sgi_pend='hostile: gic_hostile: virtual SPI [0-9]+ cleared by GICD_ICPENDR: disabled, listed, on vcpu 1'
if [ "${PART_BOARD:-}" = gicv2 ]; then
    sgi_reg='GICD_SGIR 0x[0-9a-f]+'
    sgi_pend2='hostile: gic_hostile: SGI pending bits: GICD_I\[SC\]PENDR0 ignored, GICD_CPENDSGIR clears'
    last_fault='level 3\): read outside the partition.s memory: ESR 0x[0-9a-f]+ guest address 0x8030004'
else
    sgi_reg='ICC_[A-Z0-9]+_EL1 0x[0-9a-f]+'
    sgi_pend2=$sgi_pend
    last_fault='level 1\): read outside the partition.s memory: ESR 0x[0-9a-f]+ guest address 0x80e0008'
fi
part_test arm64_part_gic_hostile gic_hostile kernel 120 \
    "partition 1 \"hostile\" vcpu 0: vgic: SGI 1 to CPUs outside the partition dropped \\($sgi_reg\\)" \
    "partition 1 \"hostile\" vcpu 0: vgic: SGI 2 to CPUs outside the partition dropped \\($sgi_reg\\)" \
    "partition 1 \"hostile\" vcpu 0: vgic: SGI 3 to CPUs outside the partition dropped \\($sgi_reg\\)" \
    'hostile: gic_hostile: SGIs by affinity outside the partition dropped' \
    'hostile: gic_hostile: broadcast SGI reached vcpu 1 only' \
    'partition 1 "hostile" vcpu 0: vgic: GICD write 0x104 to interrupts 32..63 it does not own \(bits 0x100\) ignored' \
    'partition 1 "hostile" vcpu 0: vgic: GICD write 0x204 to interrupts 32..63 it does not own \(bits 0x100\) ignored' \
    'hostile: gic_hostile: distributor writes to SPI 40 ignored' \
    'hostile: gic_hostile: 16 pending SGIs at once, on each vCPU: none lost' \
    'hostile: gic_hostile: 1000 self-SGIs, 1000 taken' \
    "$sgi_pend" "$sgi_pend2" \
    "partition 1 \"hostile\" vcpu 0: stage-2 translation fault \\($last_fault" \
    'partition 1 "hostile": stopped' \
    'victim: gic_victim: no interrupt from the hostile partition, SPI 40 still its own' \
    'victim: guest: PASS'
