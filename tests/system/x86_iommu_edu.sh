#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# AMD-Vi end to end on QEMU q35 (tests/selftest/iommu/amdvi.c, CONFIG_IOMMU_SELFTEST): the
# hypervisor drives QEMU's edu device through an IOMMU domain. DMA through low and high
# mappings across depth growth (Mode 1 -> 3 -> 5), the out-of-reach aliasing that
# notify-before-map prevents, and blocked DMA to a never-assigned device, an unmapped DFN and
# a read-only page. Verdict: isa-debug-exit status plus fixed console markers.
#
# QEMU facts this relies on (BRIEF §7): pt=off (pt=on bypasses translation), a 64-bit edu DMA
# mask (the default 28-bit mask clamps addresses), no event log writes by the model.
. "$(dirname "$0")/lib.sh"
name=x86_iommu_edu
dir=$(bh_build "$name" qemu_x86_64_q35_defconfig tests/system/iommu.config) || {
    echo "FAIL $name: build"
    exit 1
}
log=$BH_OUT/logs/$name.console
rm -f "$log"
mapfile -t args < <("$BH_TOP/tools/qemu_x86.sh" --print-args kernel "$dir")
bh_qemu 60 "$log" "${bh_x86_machine[@]}" -device amd-iommu,pt=off \
    -device edu,dma_mask=0xffffffffffffffff "${args[@]}"
status=$?
bh_verdict "$name" "$status" "$BH_X86_PASS" "$log" \
    'amd-vi@fed80000: devtab .* status 0x18.*' \
    'iommu [a-z0-9@-]+: domain 60: depth 0 -> 1 .*' \
    'iommu [a-z0-9@-]+: domain 60: depth 1 -> 3 .*' \
    'iommu [a-z0-9@-]+: domain 60: depth 3 -> 5 .*' \
    'iommu-selftest: ok dma-low[[:cntrl:]]*$' \
    'iommu-selftest: ok map-before-notify-refused[[:cntrl:]]*$' \
    'iommu-selftest: gap: at Mode 1 a DMA to out-of-reach 0x40010000 ALIASED.*' \
    'iommu-selftest: ok dma-far-lands-on-far-page[[:cntrl:]]*$' \
    'iommu-selftest: ok alias-target-untouched-after-notify[[:cntrl:]]*$' \
    'iommu-selftest: ok dma-high-after-growth[[:cntrl:]]*$' \
    'iommu-selftest: ok dma-low-after-growth[[:cntrl:]]*$' \
    'iommu-selftest: ok blocked-before-notify[[:cntrl:]]*$' \
    'iommu-selftest: ok unmapped-dfn-blocked[[:cntrl:]]*$' \
    'iommu-selftest: ok write-to-read-only-blocked[[:cntrl:]]*$' \
    'iommu-selftest: dte-iw0-write-signals-abort: IOMMU PCI status signaled-target-abort set.*' \
    'iommu-selftest: event log: .*' \
    'iommu-selftest: PASS \([0-9]+ checks, 0 failed\).*'
