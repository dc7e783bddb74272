#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Doorbells (core/partition/doorbell.c, include/hv/doorbell.h): "ping" and "pong" run
# guests/arm64/doorbell.c (through guests/include/bulkhead/guest.h). They ring each other
# 20 rounds, alternating the hypercall and the doorbell register page, and each must count
# exactly 20 interrupts; pong ringing a region it does not use gets BH_HC_E_NOENT; a flood of
# 500 rings while the peer masks its interrupts yields exactly one interrupt, both ways; and
# while the peer has it disabled at its distributor, one interrupt and at most one exit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_test arm64_part_doorbell doorbell kernel 120 \
    'ping: doorbell: "bell" interrupt [0-9]+, page 0xa000000' \
    'pong: doorbell: "bell" interrupt [0-9]+, page 0xa000000' \
    'ping: doorbell: 20 rounds, 20 interrupts received' \
    'pong: doorbell: 20 rounds, 20 interrupts received' \
    'pong: doorbell: ringing "solo" \(not ours\): BH_HC_E_NOENT' \
    'ping: doorbell: flood of 500 rings while masked: 1 interrupt' \
    'pong: doorbell: flood of 500 rings while masked: 1 interrupt' \
    'pong: doorbell: flood of 500 rings while disabled: 1 interrupt, [01] exit\(s\)' \
    'ping: guest: PASS' 'pong: guest: PASS'
