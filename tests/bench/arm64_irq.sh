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
# Each as "<name>: N instructions" and "<name>_exits: N exits"; targets (from Bao on the same
# QEMU) in tests/bench/targets.
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
# Guest images are staged beside the hypervisor: QEMU loads them as U-Boot would.
mapfile -t kargs < <("$BH_TOP/tools/qemu_arm64.sh" --print-args kernel "$dir")
bh_qemu 300 "$log" "${bh_arm64_machine[@]}" -icount shift=0 "${kargs[@]}"
status=$?
rc=0
for fig in vtimer_irq passthrough_irq gicd_read gicd_write; do
    line=$(grep -E "irqbench: $fig: [0-9]+ exits, [0-9]+ instructions" "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "$name: no $fig figure in $log"
        rc=1
        continue
    fi
    echo "arm64_$fig: $(echo "$line" | sed -E 's/.*exits, ([0-9]+) instructions.*/\1/') instructions"
    echo "arm64_${fig}_exits: $(echo "$line" | sed -E 's/.*: ([0-9]+) exits, .*/\1/') exits"
done
if [ "$status" -ne "$BH_ARM64_PASS" ]; then
    echo "$name: QEMU exit status $status (expected $BH_ARM64_PASS)"
    tail -n 15 "$log" | sed 's/^/    | /'
    rc=1
fi
exit $rc
