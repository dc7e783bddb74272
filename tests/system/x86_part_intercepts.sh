#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 fault containment for intercepts: an I/O port outside the partition's IOPM (QEMU's
# debug-exit port: a leak would end QEMU with the wrong status), a write to the SVM host-save
# MSR and a triple fault each stop their partition with a report naming partition, vCPU,
# reason, exit code and guest address; EFER reads hide SVME and cannot clear it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

mapfile -t io < <(x86_fault_markers 1 ioport 'OUT of I/O port 0xf4 denied' '0x[0-9a-f]+')
mapfile -t msr < <(x86_fault_markers 2 msr 'WRMSR of MSR 0xc0010117 denied' '0x[0-9a-f]+')
mapfile -t shut < <(x86_fault_markers 3 shutdown 'shutdown \(triple fault\)' '0x[0-9a-f]+')
x86_part_test x86_part_intercepts x86_intercepts 120 \
    "${io[@]}" "${msr[@]}" "${shut[@]}" '^msr: msr_hostile: EFER 0x[0-9a-f]+, SVME hidden' \
    '^partitions: 1 +ioport +faulted' '^partitions: 2 +msr +faulted' \
    '^partitions: 3 +shutdown +faulted'
