#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 partitions with DMA isolation (QEMU virt, iommu=smmuv3, edu at 00:02.0): the reset
# layout with edu assigned to "resetter" (tests/system/layouts/dma.dtsi). The boot log must
# say that "resetter" is DMA-isolated by the SMMU (its domain's depth, table pages and growth,
# edu's stream 0x10) and that "peer" has no DMA masters; resetter's SYSTEM_RESET tears the
# domain down and builds it again (the growth line once at boot and once per reset: the
# reset guest resets 100 times); both partitions pass. What
# the domain maps, and that resets leak nothing, is checked by the host tests
# (tests/unit/test_partition.c); DMA through the domain by tests/system/arm64_part_dma_edu.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

name=arm64_part_dma
grow='iommu smmuv3@9050000: domain 1: depth 0 -> 3 for DFN 0x[0-9a-f]+ \(root 0x[0-9a-f]+, 1 table pages\)'
part_qemu_extra=(-device edu,dma_mask=0xffffffffffffffff)
part_test "$name" dma kernel 120 \
    'partition 2 "peer": no DMA masters' "$grow" \
    'partition 1 "resetter": DMA isolated by smmuv3@9050000, domain 1: depth 3, [0-9]+ table pages, 1 growths, [0-9]+ pages mapped; 00:02.0 \(stream 0x10\)' \
    'partition 1 "resetter" vcpu 0: system reset' "$grow" \
    'resetter: reset: boot 100, running again after 100 SYSTEM_RESETs' \
    'resetter: guest: PASS' 'peer: guest: PASS' || exit 1
if [ "$(grep -cE "$grow" "$BH_OUT/logs/$name.console")" != 101 ]; then
    echo "FAIL $name: the domain was not built exactly 101 times (boot and 100 resets)"
    exit 1
fi
