#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 fault containment: a read-only borrower ("reader", guests/arm64/shm_ro_write.c)
# writes its "ring0" window. The hypervisor must report the stage-2 permission fault at that
# guest address and stop only that partition; the owner ("owner", hello.c) still passes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

# A permission fault (the page is mapped, read-only), not a translation fault.
mapfile -t fault < <(part_fault_markers 2 reader permission 'write to read-only memory' \
    0x50000000)
part_test arm64_part_shm_ro shm_ro kernel 120 \
    'reader: shm_ro_write: writing read-only "ring0" at 0x50000000' \
    "${fault[@]}" \
    'owner: hello: done' 'owner: guest: PASS'
