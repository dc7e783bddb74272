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
. "$(dirname "$0")/icount.inc"

name=arm64_irq
BH_QEMU_TAIL=(-serial null)
icount_run "$name" irqbench
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
icount_exit "$name" "$rc"
