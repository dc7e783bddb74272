#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 SYSTEM_RESET while another vCPU of the partition runs (guests/arm64/reset_smp.c): the
# spinning vCPU never traps by itself, so only the stage-2 removal can stop it; the image
# must be reloaded after it parked (fresh data), and vCPU 1 must be off after each reset.
# Once from vCPU 0, once from vCPU 1; then the partition passes, as does its peer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_test arm64_part_reset_smp reset_smp kernel 120 \
    'rsmp: reset_smp: boot 0, vcpu 0 asks SYSTEM_RESET while vcpu 1 spins' \
    'partition 1 "rsmp" vcpu 0: system reset' \
    'rsmp: reset_smp: boot 1, vcpu 1 asks SYSTEM_RESET while vcpu 0 spins' \
    'partition 1 "rsmp" vcpu 1: system reset' \
    'rsmp: partition 1: .*boot-count 2' \
    'rsmp: reset_smp: boot 2, fresh data, vcpu 1 off' \
    'rsmp: guest: PASS' 'peer: guest: PASS'
