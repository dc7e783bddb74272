#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 SMP bring-up through the guest's own INIT/SIPI (x2APIC ICR writes, trapped and checked:
# only to the partition's own vCPUs, SIPI only after INIT, at a page it can execute), and an
# IPI to a CPU outside the partition: that partition is stopped, its peer runs on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

mapfile -t ipi < <(x86_fault_markers 1 sipi 'IPI \(ICR 0x300000040\) outside what the partition may send' '0x[0-9a-f]+')
x86_part_test x86_part_sipi x86_sipi 120 \
    '^sipi: smp_sipi: vcpu 1 started by INIT/SIPI' "${ipi[@]}" '^peer: guest: PASS' \
    '^partitions: 1 +sipi +faulted'
