#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 partition DMA isolation with a real DMA master (q35, -device amd-iommu,pt=off, edu
# pinned at 00:06.0 and assigned to "worker": tests/system/layouts/x86_dma_edu.dtsi). Before
# the partitions start, the partition DMA test (tests/selftest/iommu/partition_dma.c) drives
# edu through worker's own AMD-Vi domain: DMA within worker's RAM lands; DMA into its
# read-only window, into control's memory (its host address as IOVA) and beyond its RAM
# leaves the planted patterns unchanged. QEMU's AMD-Vi writes no event log (BRIEF §7): the
# IOMMU's PCI status bit and the model's aliasing of out-of-reach IOVAs are printed, fault
# decoding is covered by tests/unit/test_amdvi.c. Both partitions then run and pass.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

x86_part_qemu_extra=(-device amd-iommu,pt=off -device edu,dma_mask=0xffffffffffffffff,addr=06.0)
x86_part_test x86_part_dma_edu x86_dma_edu 180 \
    '^partition 2 "worker": DMA isolated by amd-vi@fed80000, domain 2: depth [0-9], [0-9]+ table pages, 1 growths, [0-9]+ pages mapped; 00:06.0 \(stream 0x30\)$' \
    '^partition 1 "control": no DMA masters$' \
    '^iommu-partition-test: edu 00:06.0 BAR0 0x[0-9a-f]+, partition 2 "worker", peer "control"$' \
    '^iommu-selftest: ok dma-within-own-ram$' \
    '^iommu-selftest: ok dma-into-read-only-window-blocked$' \
    '^iommu-partition-test: dma-into-read-only-window-blocked: IOMMU PCI status signaled-target-abort ' \
    '^iommu-selftest: ok dma-into-peer-memory-blocked$' \
    '^iommu-selftest: ok dma-beyond-own-ram-blocked$' \
    '^iommu-selftest: ok partition-keeps-its-domain$' \
    '^iommu-selftest: ok peer-untouched$' \
    '^iommu-partition-test: PASS \([0-9]+ checks, 0 failed\)$' \
    '^control: guest: PASS' '^worker: guest: PASS'
