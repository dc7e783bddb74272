#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 IOMMU fault events by interrupt while every CPU runs a partition (QEMU virt,
# iommu=smmuv3, edu at 00:02.0 assigned to "worker" on cpu1; "control" owns cpu0, cpu2,
# cpu3: tests/system/layouts/dma_irq.dtsi). The SMMU's "eventq" and "gerror" SPIs are
# claimed on worker's CPU. Just before the partitions start, the IOMMU interrupt test
# (tests/selftest/iommu/dma_irq.c) starts one edu DMA write beyond worker's RAM and does not
# wait; it lands while the partitions start or run (each busy for 3 s once its guest runs;
# since each partition's own CPU scrubs and loads its RAM first, the DMA may land while
# worker's CPU is still doing that: either way every CPU belongs to a partition). Shown: the
# event interrupt is handled on cpu1 (worker's), never taken elsewhere; worker is contained
# by the fault; the stream is disabled once its records pass the per-stream limit; control
# keeps running and passes. Verdict: the test monitor's exit status plus markers and
# the order of the lines.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

name=arm64_part_dma_irq
part_qemu_extra=(-device edu,dma_mask=0xffffffffffffffff)
part_test "$name" dma_irq kernel 180 \
    'iommu smmuv3@9050000: fault interrupts [0-9]+ [0-9]+ on cpu1 \(worker\)' \
    'iommu-irq-test: edu 00:02.0 DMA write of 4096 bytes to guest 0x[0-9a-f]+ of partition 2 "worker" started on cpu0, not awaited' \
    'iommu smmuv3@9050000: fault interrupt [0-9]+ handled on cpu1 \(partition "worker"\)' \
    'partition 2 "worker": device 00:02.0 DMA write to guest 0x[0-9a-f]+: translation fault' \
    'partition 2 "worker": stopped' \
    'iommu smmuv3@9050000: device 0x10 disabled after [0-9]+ faults' \
    'partition 2 "worker": device 00:02.0 disabled after [0-9]+ faults' \
    'control: guest: PASS' || exit 1

# The order: the fault was handled before worker stopped, control passed after it, and no
# fault interrupt ran on a CPU it was not routed to.
lines=$BH_OUT/logs/$name.console.lines
at() { grep -nE -m1 -- "$1" "$lines" | cut -d: -f1; }
handled=$(at '^iommu smmuv3@9050000: fault interrupt [0-9]+ handled on cpu1')
stopped=$(at '^partition 2 "worker": stopped')
passed=$(at '^control: guest: PASS')
if grep -qE 'fault interrupt [0-9]+ taken on cpu[0-9]+, routed to' "$lines"; then
    echo "FAIL $name: a fault interrupt ran on a CPU it was not routed to"
    exit 1
fi
if ! [ "$handled" -lt "$stopped" ] ||
    ! [ "$stopped" -lt "$passed" ]; then
    echo "FAIL $name: order: interrupt handled at line $handled," \
        "worker stopped at $stopped, control passed at $passed"
    exit 1
fi
echo "PASS $name: order"
