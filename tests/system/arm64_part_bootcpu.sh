#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64: every CPU belongs to a partition, the boot CPU included (layouts/bootcpu.dtsi).
# After set-up the boot CPU enters vCPU 0 of "first" (hello.c) like the secondaries enter
# theirs; "second" (smp.c) runs on the three other CPUs and starts its vCPU 1 with CPU_ON.
# Both pass, and the run is ended by whichever CPU stops the last partition.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_test arm64_part_bootcpu bootcpu kernel 120 \
    '  partition 1 "first": cpus cpu@0 \(hwid 0x0\)' \
    'partition 1 "first": starting vcpu 0 on cpu0 at 0x40000000, DTB at 0x47ff0000' \
    'partition 2 "second": starting vcpu 0 on cpu1 at 0x40000000, DTB at 0x47ff0000' \
    'first: hello: done' 'first: guest: PASS' \
    'second: smp: both vCPUs reported' 'second: guest: PASS'
