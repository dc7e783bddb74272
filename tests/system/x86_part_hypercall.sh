#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 hypercalls by VMMCALL: bad arguments are refused with their error codes and nothing
# stops; SYSTEM_RESET restarts a partition from a fresh image (boot-count 1) beside peers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

x86_part_test x86_part_hypercall x86_hypercall 120 \
    '^hostile: hc_hostile: console write of a buffer outside memory: -4 as expected' \
    '^hostile: hc_hostile: vcpu start of a huge index: -3 as expected' \
    '^hostile: hc_hostile: console from a good buffer' '^hostile: hc_hostile: COM2 LSR read directly' \
    '^hostile: guest: PASS' \
    '^partition 2 "reset" vcpu 0: system reset' '^reset: reset: boot 1, running again' \
    '^reset: guest: PASS' '^peer: guest: PASS' '^partitions: 2 +reset +off +0/1 +1 '
