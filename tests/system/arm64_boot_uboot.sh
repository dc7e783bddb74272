#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64: the `make run` path. Debian's U-Boot as firmware reads its environment from flash
# bank 1 (bootdelay=0, bootcmd=bootm FIT), boots the FIT (hypervisor + DTB) that QEMU's
# loader put in RAM, and the hypervisor must find itself at EL2 with every CPU reporting.
. "$(dirname "$0")/lib.sh"

name=arm64_boot_uboot
dir=$(bh_build_image "$name" qemu_arm64_virt_defconfig tests/system/test.config) || exit 1
mapfile -t boot < <("$BH_TOP/tools/qemu_arm64.sh" --print-args uboot "$dir")
log=$BH_OUT/logs/$name.console
bh_qemu 180 "$log" "${bh_arm64_machine[@]}" "${boot[@]}"
bh_verdict "$name" $? "$BH_ARM64_PASS" "$log" \
    'U-Boot 20.*' 'Loading Environment from Flash\.\.\. OK' ' *Verifying Hash Integrity \.\.\. sha256\+ OK' \
    'Starting kernel \.\.\.' \
    'Bulkhead .*\(qemu-arm64-virt, arm64.*' \
    'cpu0: online \(hwid 0\), boot CPU' 'cpu1: online \(hwid 0x1\)' \
    'cpu2: online \(hwid 0x2\)' 'cpu3: online \(hwid 0x3\)' \
    '^4 of 4 CPUs online' 'arm64: entered at EL2;.*' '^test: boot passed'
