#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 PCI passthrough driven by a guest (QEMU virt, iommu=smmuv3, edu at 00:02.0 passed
# through to "worker": tests/system/layouts/pci_edu.dtsi). worker's bare-metal driver
# (guests/arm64/pci_edu.c) finds edu by scanning its virtual PCI host's ECAM at the address
# its DTB gives, checks the configuration-space filter (BAR0 a guest address, sizing gives
# the size mask, BAR writes ignored, I/O Space refused, MSI hidden), turns on Memory Space and
# Bus Master, DMAs within its own RAM both ways (data checked), takes edu's INTx through the
# vGIC on the physical line routed to it (held by Interrupt-Disable, delivered once per
# raise, not again after the ack), then makes one DMA the SMMU must block. The hypervisor
# reports that fault naming the partition and the device and stops worker; "control"
# (guests/arm64/pci_edu_peer.c) keeps running, checks the DMA reached none of the places it
# planted patterns in, and passes.
#
# Containment stops worker at its first blocked DMA, so each blocked target is one run of
# the same build: the run's mode is a word a QEMU loader writes into "ring0" (shared regions
# keep their contents; pci_edu.h): ro = worker's read-only window (F_PERMISSION), peer =
# control's host memory used as a device address, beyond = past worker's RAM
# (F_TRANSLATION).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

# Markers of every run: the driver's checks and control's.
common=(
    'partition 2 "worker": DMA isolated by smmuv3@9050000, domain 2: .*00:02.0 \(stream 0x10\)'
    'pci: 00:02.0 1234:11e8 for partition 2 "worker": INTA; BAR0 1 MiB at 0x[0-9a-f]+'
    'partition 2 "worker": PCI 00:02.0 passed through as 00:01.0 on its virtual host'
    'worker: pci-edu: 00:01.0 1234:11e8'
    'worker: pci-edu: ok scan-finds-edu-alone'
    'worker: pci-edu: ok bar-sizing-gives-1MiB-mask'
    'worker: pci-edu: ok bar-write-ignored'
    'worker: pci-edu: ok command-memory-master-taken-io-refused'
    'worker: pci-edu: ok msi-capability-hidden'
    'worker: pci-edu: ok bar0-is-edu \(ident 010000ed\)'
    'worker: pci-edu: ok dma-within-own-ram \(4096 bytes both ways\)'
    'worker: pci-edu: ok intx-disable-holds-the-line'
    'worker: pci-edu: ok intx-delivered-once-per-raise \(2 interrupts\)'
    'partition 2 "worker": stopped'
    'control: pci-edu-peer: ok own RAM intact'
    'control: pci-edu-peer: ok ring0 page worker sees read-only intact'
    'control: guest: PASS'
)

PART_BUILD=arm64_part_pci_edu
rc=0
# run NAME MODE TARGET FAULT: one boot with the mode word, its blocked DMA and report.
run() {
    local name=$1 mode=$2 target=$3 fault=$4
    part_qemu_extra=(-device edu,dma_mask=0xffffffffffffffff
        -device "loader,addr=0x601ff000,data=$mode,data-len=4")
    part_test "$name" pci_edu kernel 180 "${common[@]}" \
        "control: pci-edu-peer: worker announced mode $mode" \
        "worker: pci-edu: DMA write to $target \(.*\), must be blocked" \
        "smmuv3@9050000: event: F_[A-Z]+ \(0x1[03]\) sid 0x10 addr $target write .*" \
        "partition 2 \"worker\": device 00:02.0 DMA write to guest $target: $fault fault" ||
        rc=1
}
run arm64_part_pci_edu_ro 1 0x50001000 permission
run arm64_part_pci_edu_peer 2 0x4c000000 translation
run arm64_part_pci_edu_beyond 3 0x7ff00000 translation
exit $rc
