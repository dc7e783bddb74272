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
log=$BH_OUT/logs/$name.console
start=$(tr -d '\r' <"$log" | sed -n 's/^partitions: page pool \([0-9]*\) pages used before start$/\1/p')
mapfile -t levels < <(tr -d '\r' <"$log" |
    sed -n 's/^partition 1 "resetter": reset \([0-9]*\) done, page pool \([0-9]*\) pages used$/\1 \2/p')
why=
[ -n "$start" ] || why="no pool level before start"
[ "${#levels[@]}" -eq 100 ] || why="${why:+$why; }${#levels[@]} reset reports, expected 100"
for l in "${levels[@]}"; do
    if [ "${l#* }" != "$start" ]; then
        why="${why:+$why; }after reset ${l% *} the pool has ${l#* } pages used, $start before"
        break
    fi
done
if [ -z "$why" ]; then
    echo "PASS ${name}_pool: ${#levels[@]} resets, page pool at $start pages after each"
else
    echo "FAIL ${name}_pool: $why"
fi
