#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 partitions with DMA isolation (q35, -device amd-iommu,pt=off, edu pinned at 00:06.0):
# "resetter" owns edu (tests/system/layouts/x86_dma.dtsi), so it gets an AMD-Vi domain
# mirroring its memory and ring0; "peer" has no DMA masters. The boot log must say so (depth,
# table pages, growth, edu's DeviceID 0x30); resetter's SYSTEM_RESET tears the domain down and
# builds it again (the growth line once at boot and once per reset: the guest resets 100
# times), and the page pool (IOMMU table pages included) is back at its level before start
# after every reset. DMA through the domain: tests/system/x86_part_dma_edu.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

name=x86_part_dma
grow='iommu amd-vi@fed80000: domain 1: depth 0 -> [0-9] for DFN 0x[0-9a-f]+ \(root 0x[0-9a-f]+, [0-9]+ table pages\)'
x86_part_qemu_extra=(-device amd-iommu,pt=off -device edu,dma_mask=0xffffffffffffffff,addr=06.0)
x86_part_test "$name" x86_dma 300 \
    '^partition 2 "peer": no DMA masters$' "^$grow\$" \
    '^partition 1 "resetter": DMA isolated by amd-vi@fed80000, domain 1: depth [0-9], [0-9]+ table pages, 1 growths, [0-9]+ pages mapped; 00:06.0 \(stream 0x30\)$' \
    '^partition 1 "resetter" vcpu 0: system reset' \
    '^resetter: reset: boot 100, running again after 100 SYSTEM_RESETs' \
    '^resetter: guest: PASS' '^peer: reset_peer: owner done, still running' \
    '^peer: guest: PASS' || exit 1
log=$BH_OUT/logs/$name.console
if [ "$(tr -d '\r' <"$log" | grep -cxE "$grow")" != 101 ]; then
    echo "FAIL ${name}_domain: the domain was not built exactly 101 times (boot and 100 resets)"
    exit 1
fi
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
    exit 1
fi
