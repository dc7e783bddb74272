#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 partition reset: "resetter" (guests/arm64/reset.c) asks PSCI SYSTEM_RESET on its
# first boot; the hypervisor restarts it from a fresh image with /chosen/bulkhead,boot-count
# 1, where it passes. Its peer, which borrows its shared memory, is not disturbed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_test arm64_part_reset reset kernel 120 \
    'resetter: reset: boot 0, asking SYSTEM_RESET' \
    'partition 1 "resetter" vcpu 0: system reset' \
    'resetter: partition 1: .*boot-count 1' \
    'resetter: reset: boot 1, running again after SYSTEM_RESET' \
    'resetter: guest: PASS' 'peer: guest: PASS'
