#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/system/arm64_part_dma_edu.sh with the SMMUv3 stage-1 fallback forced
# (CONFIG_SMMUV3_FORCE_STAGE1; QEMU's SMMU always offers both stages): worker's domain is a
# context descriptor (IOVA = guest address) and the same DMA checks must hold, the read-only
# window now blocked by the stage-1 AP bits.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_qemu_extra=(-device edu,dma_mask=0xffffffffffffffff)
part_test arm64_part_dma_edu_s1 dma_edu_s1 kernel 120 \
    'smmuv3@9050000: IDR0 .*: stage 1 \(fallback: context descriptors\), .*' \
    'partition 2 "worker": DMA isolated by smmuv3@9050000, domain 2: depth 3, [0-9]+ table pages, 1 growths, [0-9]+ pages mapped; 00:02.0 \(stream 0x10\)' \
    'iommu-selftest: ok dma-within-own-ram' \
    'iommu-selftest: ok dma-into-read-only-window-blocked' \
    'iommu-selftest: ok dma-into-peer-memory-blocked' \
    'iommu-selftest: ok dma-beyond-own-ram-blocked' \
    'partition 2 "worker": device 00:02.0 DMA write to guest 0x50000000: permission fault' \
    'partition 2 "worker": stopped' \
    'iommu-selftest: ok faults-read-and-reported' \
    'iommu-selftest: ok partition-contained' \
    'iommu-selftest: ok function-reset-on-stop' \
    'iommu-selftest: ok dma-aborted-after-containment' \
    'iommu-selftest: ok peer-untouched' \
    'iommu-partition-test: PASS \([0-9]+ checks, 0 failed\)' \
    'control: guest: PASS'
