#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 fault containment: "reader" reads and "writer" writes guest addresses outside their
# memory (guests/arm64/oob_read.c, oob_write.c). Each must be reported with its guest address
# and stopped; the peer partition ("peer", hello.c) still passes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

mapfile -t r < <(part_fault_markers 2 reader)
mapfile -t w < <(part_fault_markers 3 writer)
part_test arm64_part_oob oob kernel 120 \
    'reader: oob_read: reading guest address 0x48000000' \
    'partition 2 "reader" vcpu 0: .*guest address 0x48000000' "${r[@]}" \
    'writer: oob_write: writing guest address 0x48010000' \
    'partition 3 "writer" vcpu 0: .*guest address 0x48010000' "${w[@]}" \
    'peer: hello: done' 'peer: guest: PASS'
