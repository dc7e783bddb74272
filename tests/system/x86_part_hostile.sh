#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 isolation: a read-only borrower writing its shared window and a partition writing past
# its RAM are stopped by nested page faults (reported with partition, vCPU, exit code and
# guest address) while their peer runs to its end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

# The faulting guest addresses: the reader's read-only window (0x10000000) and the first byte
# past the writer's 128 MiB.
mapfile -t reader < <(x86_fault_markers 2 reader 'write to read-only memory' 0x10000000)
mapfile -t writer < <(x86_fault_markers 3 writer "access outside the partition's memory" 0x8000000)
x86_part_test x86_part_hostile x86_hostile 120 \
    '^owner: hello: CPUID says BulkheadHV, hypervisor bit, no SVM' '^owner: guest: PASS' \
    "${reader[@]}" "${writer[@]}" \
    '^partitions: 2 +reader +faulted' '^partitions: 3 +writer +faulted'
