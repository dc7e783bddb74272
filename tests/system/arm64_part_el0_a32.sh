#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 traps from AArch32 EL0: "a32" (guests/arm64/el0_a32.c) runs A32 and T32 code at EL0
# whose WFIs and virtual-UART load trap to the hypervisor; they must be handled (16-bit T32
# length, IT state advanced) without stopping the partition. Both partitions pass.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_test arm64_part_el0_a32 el0_a32 kernel 120 \
    'a32: el0_a32: A32 WFI and UARTFR load from EL0 handled' \
    'a32: el0_a32: T32 load in an IT block and WFI \(16-bit\) stepped over exactly' \
    'a32: guest: PASS' 'peer: guest: PASS'
