#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 hypercall hardening: "hostile" (guests/arm64/hc_hostile.c) makes hypercalls and PSCI
# calls with bad pointers, lengths and function ids; each must return its error code and
# nothing may stop; across HVC (fast path and full path) every register but the results
# x0..x3 must come back unchanged (SMCCC v1.1). The partition then passes, as does its peer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_test arm64_part_hypercall hypercall kernel 120 \
    'hostile: hc_hostile: device serial@9040000 at 0x9040000' \
    'hostile: hc_hostile: all [0-9]+ bad calls refused, .*' 'hostile: hc_hostile: console still works' \
    'hostile: hc_hostile: controls \.\[2J \.\[2J \.\. end' \
    'hostile: guest: PASS' 'peer: hello: done' 'peer: guest: PASS'
