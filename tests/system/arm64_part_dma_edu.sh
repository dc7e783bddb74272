#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 partition DMA isolation with a real DMA master (QEMU virt, iommu=smmuv3, edu at
# 00:02.0 assigned to "worker": tests/system/layouts/dma_edu.dtsi). Before the partitions
# start, the partition DMA test (tests/selftest/iommu/partition_dma.c) drives edu through
# worker's own SMMU domain: DMA within worker's RAM lands; DMA into its read-only window,
# into control's memory and beyond its RAM is blocked, read from the event queue and
# reported for worker's domain, the first as "partition 2 "worker": device 00:02.0 DMA write to guest ...:
# permission fault", which stops worker (faulted, domain torn down, edu aborted); control
# then runs and passes. Verdict: the test monitor's exit status plus console markers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_qemu_extra=(-device edu,dma_mask=0xffffffffffffffff)
part_test arm64_part_dma_edu dma_edu kernel 120 \
    'partition 2 "worker": DMA isolated by smmuv3@9050000, domain 2: depth 3, [0-9]+ table pages, 1 growths, [0-9]+ pages mapped; 00:02.0 \(stream 0x10\)' \
    'iommu-selftest: ok dma-within-own-ram' \
    'iommu-selftest: ok dma-into-read-only-window-blocked' \
    'iommu-selftest: ok dma-into-peer-memory-blocked' \
    'iommu-selftest: ok dma-beyond-own-ram-blocked' \
    'smmuv3@9050000: event: F_PERMISSION \(0x13\) sid 0x10 addr 0x50000000 write .*' \
    'partition 2 "worker": device 00:02.0 DMA write to guest 0x50000000: permission fault' \
    'partition 2 "worker": stopped' \
    'iommu smmuv3@9050000: domain 2 \(device blocked\): DMA translation fault: device 0x10 write 0x48000000 \(event 0x10\)' \
    'iommu smmuv3@9050000: domain 2 \(device blocked\): DMA translation fault: device 0x10 write 0x7ff00000 \(event 0x10\)' \
    'iommu-selftest: ok faults-read-and-reported' \
    'iommu-selftest: ok partition-contained' \
    'pci: 00:02.0 1234:11e8 for partition 2 "worker": INTA; BAR0 1 MiB at 0x10000000' \
    'iommu-selftest: ok function-reset-on-stop' \
    'iommu-selftest: ok dma-aborted-after-containment' \
    'iommu-selftest: ok peer-untouched' \
    'iommu-partition-test: PASS \([0-9]+ checks, 0 failed\)' \
    'control: guest: PASS'
