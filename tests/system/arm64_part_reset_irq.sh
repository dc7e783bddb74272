#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 reset from inside an interrupt handler: "resetter" (guests/arm64/reset_irq.c) asks
# PSCI SYSTEM_RESET from its SGI handler before the end of interrupt; the next boot must take
# the same SGI again, so the reset must leave no active priority in the vCPU's CPU interface.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

name=arm64_${PART_BOARD:+${PART_BOARD}_}part_reset_irq
part_test "$name" reset_irq kernel 120 \
    'resetter: reset_irq: boot 0, SYSTEM_RESET from the SGI handler' \
    'partition 1 "resetter" vcpu 0: system reset' \
    'resetter: reset_irq: boot 1, SGI taken again after a reset with it active' \
    'resetter: guest: PASS'
