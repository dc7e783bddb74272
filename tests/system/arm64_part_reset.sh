#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 partition reset: "resetter" (guests/arm64/reset.c) asks PSCI SYSTEM_RESET on each of
# its first 100 boots; the hypervisor restarts it from a fresh image each time with the next
# /chosen/bulkhead,boot-count, and it passes on boot 100. Its peer, which borrows its shared
# memory, keeps running undisturbed until then. After every reset the hypervisor's page pool
# must be back at the level it had before the partitions started: no reset leaks a page.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

name=arm64_${PART_BOARD:+${PART_BOARD}_}part_reset
part_test "$name" reset kernel 300 \
    'resetter: reset: boot 0, asking SYSTEM_RESET' \
    'partition 1 "resetter" vcpu 0: system reset' \
    'resetter: partition 1: .*boot-count 100' \
    'resetter: reset: boot 100, running again after 100 SYSTEM_RESETs' \
    'resetter: guest: PASS' 'peer: reset_peer: owner done, still running' 'peer: guest: PASS' |
    sed "s/^PASS $name\$/PASS ${name}_boots/"
bh_pool_after_resets "${name}_pool" "$BH_OUT/logs/$name.console"
