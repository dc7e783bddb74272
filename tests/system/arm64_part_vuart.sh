#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 virtual console UART (arch/arm64/vpl011.c, trapped MMIO through core/vdev/vmmio.c):
# "console" (guests/arm64/vuart.c) finds the PL011 at /chosen stdout-path, checks its registers and the
# load/store decode, and prints lines through UARTDR, which must appear with its label; the
# peer passes; "hostile" does a load pair from the UART (no instruction syndrome) and must
# end in the fault-containment report, not a crash.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

mapfile -t h < <(part_fault_markers 3 hostile translation \
    'MMIO read the hypervisor cannot emulate' 0x9000000)
part_test arm64_part_vuart vuart kernel 120 \
    'console: vuart: stdout-path UART at 0x9000000 size 0x1000' \
    'console: vuart: registers and decode ok \(FR 0x[0-9a-f]+\)' \
    'console: vuart: hello through the PL011' \
    'console: vuart: second line, written in two parts' \
    'console: guest: PASS' 'peer: hello: done' 'peer: guest: PASS' \
    'hostile: vuart: hostile: ldp from 0x9000000' \
    "${h[@]}"
