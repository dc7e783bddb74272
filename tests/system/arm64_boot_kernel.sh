#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64: QEMU -kernel boots the hypervisor image (arm64 Image header) at EL2; the banner
# appears, every CPU reports and the boot verdict comes back through semihosting SYS_EXIT.
. "$(dirname "$0")/lib.sh"

name=arm64_boot_kernel
dir=$(bh_build "$name" qemu_arm64_virt_defconfig tests/system/test.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
log=$BH_OUT/logs/$name.console
bh_qemu 120 "$log" "${bh_arm64_machine[@]}" -kernel "$dir/bulkhead.bin"
bh_verdict "$name" $? "$BH_ARM64_PASS" "$log" \
    'Bulkhead .*\(qemu-arm64-virt, arm64.*' '  CPUs: 4   RAM: 2048 MiB .*' \
    'cpu0: online \(hwid 0\), boot CPU' 'cpu1: online \(hwid 0x1\)' \
    'cpu2: online \(hwid 0x2\)' 'cpu3: online \(hwid 0x3\)' \
    '^4 of 4 CPUs online' 'arm64: entered at EL2;.*' '^test: boot passed'
