#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Doorbells on x86 (core/partition/doorbell.c, arch/x86/irq.c): "ping" and "pong" run
# guests/x86/doorbell.c. Each reads its doorbell vector from its guest DTB, and they ring each
# other 20 rounds by BH_HC_DOORBELL_RING (VMMCALL) with checksummed messages both ways, each
# counting exactly 20 interrupts (SVM virtual interrupts); pong ringing a region it does not
# use gets BH_HC_E_NOENT; a flood of 500 rings while the peer masks its interrupts yields
# exactly one interrupt, both ways.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

x86_part_test x86_part_doorbell x86_doorbell 180 \
    '^ping: doorbell: "bell" vector 0x[0-9a-f]+$' \
    '^pong: doorbell: "bell" vector 0x[0-9a-f]+$' \
    '^ping: doorbell: 20 rounds, 20 interrupts received, checksums good$' \
    '^pong: doorbell: 20 rounds, 20 interrupts received, checksums good$' \
    '^pong: doorbell: ringing "solo" \(not ours\): BH_HC_E_NOENT$' \
    '^ping: doorbell: flood of 500 rings while masked: 1 interrupt$' \
    '^pong: doorbell: flood of 500 rings while masked: 1 interrupt$' \
    '^ping: guest: PASS' '^pong: guest: PASS'
