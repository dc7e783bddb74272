#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 doorbell cost (make bench), by the -icount method of arm64_icount.sh: two partitions
# (layout tests/system/layouts/bench_doorbell.dtsi) ring each other 1024 round trips per
# kind, each side's interrupt handler ringing back (guests/arm64/bench_doorbell.c). Prints,
# per doorbell (from the ring to the peer's handler, both guests' code included):
#   arm64_doorbell_hvc[_exits]   ring by BH_HC_DOORBELL_RING: instructions, exits
#   arm64_doorbell_mmio[_exits]  ring by a write to the doorbell register page
# Exits count the ringer's trap and the receiver's wake-up (BH_HC_TEST_TRAPS). The count is
# QEMU's global icount: the boot CPU's idle loop (it polls the console) is included. For
# comparison, arm64_icount's hvc_round_trip is one bare hypercall.
. "$(dirname "$0")/icount.inc"

name=arm64_doorbell
icount_run "$name" bench_doorbell
rc=0
for fig in doorbell_hvc doorbell_mmio; do
    line=$(grep -E "bench: $fig: [0-9]+ instructions, [0-9.]+ exits per doorbell" "$log" |
        tail -n 1)
    if [ -n "$line" ]; then
        echo "arm64_$fig: $(echo "$line" | sed -E 's/.*: ([0-9]+) instructions.*/\1/') instructions"
        echo "arm64_${fig}_exits: $(echo "$line" | sed -E 's/.*, ([0-9.]+) exits.*/\1/') exits"
    else
        echo "$name: no $fig figure in $log"
        rc=1
    fi
done
icount_exit "$name" "$rc"
