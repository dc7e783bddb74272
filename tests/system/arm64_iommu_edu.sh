#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# SMMUv3 end to end on QEMU virt (tests/selftest/iommu/smmuv3.c, CONFIG_IOMMU_SELFTEST):
# the hypervisor finds edu through the DT ECAM, assigns it (SID 8) to a stage-2 domain and
# checks: the STE aborts before any notify and a map before notify is refused; DMA through a
# low mapping at depth 2 (S2T0SZ 34); growth by two levels to depth 4 (S2T0SZ 20) for a DFN
# above 2^40, DMA through the new and the old mappings; DMA to an unmapped DFN blocked with
# F_TRANSLATION (its 1024 records take the stream past the per-stream fault limit: its STE is
# made aborting, and assigning it again restores it) and a write to a read-only page blocked
# with F_PERMISSION, both read from the event queue. Verdict: semihosting exit status plus
# fixed console markers.
#
# QEMU facts this relies on (BRIEF §7): iommu=smmuv3 gives a nested SMMU (S1P and S2P); a
# 64-bit edu DMA mask (the default 28-bit mask clamps addresses); a blocked 4 KiB DMA gives
# one event per 4 bytes (the driver coalesces them). edu's slot depends on the machine's
# other PCI devices (00:02.0 with this machine), so the SID is not hard-coded. Model gaps:
# QEMU ignores GBPA (with SMMUEN = 0 it bypasses), leaves the S2 bit of fault records of a
# stage-2-only STE clear (printed "stage 1") and reports a full event queue as
# GERROR.EVENTQ_ABT_ERR rather than through the PROD overflow flag.
. "$(dirname "$0")/lib.sh"
name=arm64_iommu_edu
dir=$(bh_build "$name" qemu_arm64_virt_defconfig tests/system/arm64_iommu.config) || {
    echo "FAIL $name: build"
    exit 1
}
log=$BH_OUT/logs/$name.console
rm -f "$log"
# Guest images are staged beside the hypervisor: QEMU loads them as U-Boot would.
mapfile -t kargs < <("$BH_TOP/tools/qemu_arm64.sh" --print-args kernel "$dir")
bh_qemu 60 "$log" "${bh_arm64_machine[@]}" -device edu,dma_mask=0xffffffffffffffff \
    "${kargs[@]}"
status=$?
bh_verdict "$name" "$status" "$BH_ARM64_PASS" "$log" \
    'smmuv3@9050000: IDR0 .*: stage 2, 44-bit IPA/PA, coherent, .* GBPA abort.*' \
    'pci: ECAM 0x4010000000, buses 00-.*' \
    'iommu-selftest: edu 00:0[0-9a-f].0 \(sid 0x[0-9a-f]+\).*' \
    'iommu-selftest: ok ste-abort-before-notify[[:cntrl:]]*$' \
    'iommu-selftest: ok blocked-before-notify[[:cntrl:]]*$' \
    'iommu-selftest: ok blocked-before-notify-no-event[[:cntrl:]]*$' \
    'iommu-selftest: ok map-before-notify-refused[[:cntrl:]]*$' \
    'iommu [a-z0-9@-]+: domain 60: depth 0 -> 2 for DFN.*' \
    'iommu-selftest: ok ste-s2-depth-2[[:cntrl:]]*$' \
    'iommu-selftest: ok dma-low[[:cntrl:]]*$' \
    'iommu [a-z0-9@-]+: domain 60: depth 2 -> 4 for DFN.*' \
    'iommu-selftest: ok ste-s2-depth-4[[:cntrl:]]*$' \
    'iommu-selftest: ok dma-high-after-growth[[:cntrl:]]*$' \
    'iommu-selftest: ok dma-low-after-growth[[:cntrl:]]*$' \
    'smmuv3@9050000: event: F_TRANSLATION \(0x10\) sid 0x[0-9a-f]+ addr 0x[0-9a-f]+ write.*' \
    'iommu-selftest: ok unmapped-dfn-blocked-event[[:cntrl:]]*$' \
    'iommu smmuv3@9050000: device 0x[0-9a-f]+ disabled after 1024 faults[[:cntrl:]]*$' \
    'iommu-selftest: ok stream-disabled-past-the-limit[[:cntrl:]]*$' \
    'iommu-selftest: ok stream-enabled-by-reassignment[[:cntrl:]]*$' \
    'smmuv3@9050000: event: F_PERMISSION \(0x13\) sid 0x[0-9a-f]+ addr 0x12000 write.*' \
    'iommu-selftest: ok write-to-read-only-blocked-event[[:cntrl:]]*$' \
    'iommu-selftest: ok dma-read-of-read-only[[:cntrl:]]*$' \
    'iommu-selftest: PASS \([0-9]+ checks, 0 failed\).*'
