#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 interrupt virtualization cost (make bench), measured like arm64_icount.sh under QEMU
# -icount shift=0 (one instruction = 1 ns of virtual time) by guests/arm64/irqbench.c, which
# prints exits and hypervisor instructions per event:
#   arm64_vtimer_irq        the EL1 virtual timer's interrupt, delivered through a list
#                           register with HW = 1 (the guest's EOI completes it)
#   arm64_passthrough_irq   a passed-through device's SPI (uart1's TX interrupt), likewise
#   arm64_gicd_read/write   a trapped access to the emulated distributor (GICD_ISENABLER of
#                           the partition's own SPI): round trip, load or store included
# Each has a target from Bao on the same QEMU (BRIEF; issue 10 item 13): 1 exit and 199
# instructions per interrupt (the passed-through one takes the same path), 224 / 690
# instructions per distributor read / write. A figure worse than its target fails the bench.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export BH_TOP=$top BH_OUT=${BH_OUT:-$top/out/bench}
. "$top/tests/system/lib.sh"

name=arm64_irq
dir=$(bh_build "$name" qemu_arm64_virt_defconfig tests/system/layouts/irqbench.config) || {
    echo "$name: build failed"
    exit 1
}
log=$BH_OUT/logs/$name.console
BH_QEMU_TAIL=(-serial null)
bh_qemu 300 "$log" "${bh_arm64_machine[@]}" -icount shift=0 -kernel "$dir/bulkhead.bin"
status=$?
rc=0
# name  max-exits  max-instructions
targets="vtimer_irq 1 199
passthrough_irq 1 199
gicd_read 1 224
gicd_write 1 690"
while read -r fig max_exits max_insns; do
    line=$(grep -E "irqbench: $fig: [0-9]+ exits, [0-9]+ instructions" "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "$name: no $fig figure in $log"
        rc=1
        continue
    fi
    exits=$(echo "$line" | sed -E 's/.*: ([0-9]+) exits, .*/\1/')
    insns=$(echo "$line" | sed -E 's/.*exits, ([0-9]+) instructions.*/\1/')
    verdict=ok
    if [ "$exits" -gt "$max_exits" ] || [ "$insns" -gt "$max_insns" ]; then
        verdict="WORSE than the target ($max_exits exit(s), $max_insns instructions)"
        rc=1
    fi
    echo "arm64_$fig: $exits exits, $insns instructions ($verdict)"
done <<<"$targets"
if [ "$status" -ne "$BH_ARM64_PASS" ]; then
    echo "$name: QEMU exit status $status (expected $BH_ARM64_PASS)"
    tail -n 15 "$log" | sed 's/^/    | /'
    rc=1
fi
exit $rc
