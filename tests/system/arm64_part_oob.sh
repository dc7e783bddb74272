#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 fault containment: "reader" reads and "writer" writes guest addresses outside their
# memory (guests/arm64/oob_read.c, oob_write.c). Each must be reported with its guest address
# and stopped; the peer partition ("peer", hello.c) still passes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

# Both are translation faults (nothing is mapped there), named as such with the access.
mapfile -t r < <(part_fault_markers 2 reader translation \
    "read outside the partition's memory" 0x48000000)
mapfile -t w < <(part_fault_markers 3 writer translation \
    "write outside the partition's memory" 0x48010000)
part_test arm64_part_oob oob kernel 120 \
    'reader: oob_read: reading guest address 0x48000000' \
    "${r[@]}" \
    'writer: oob_write: writing guest address 0x48010000' \
    "${w[@]}" \
    'peer: hello: done' 'peer: guest: PASS'
