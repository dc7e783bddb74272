#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 boot to the banner from the GRUB ISO of `make image` (SeaBIOS -> GRUB -> multiboot2):
# the banner, every CPU of -smp 4 reporting, the default partitions' ping-pong under SVM + NPT
# and the isa-debug-exit verdict of a passing boot. The guest image is a multiboot2 module
# named by its SHA-256 that GRUB loads anywhere: the hypervisor must copy it to its staging
# address (arch/x86/stage.c) before the partitions load it there, SHA-256 checked.
# -no-reboot: a triple fault ends QEMU at once instead of rebooting until the timeout.
. "$(dirname "$0")/lib.sh"

name=x86_boot_grub
if ! dir=$(bh_build x86_boot qemu_x86_64_q35_defconfig tests/system/test.config); then
    echo "FAIL $name: build failed"
    exit 1
fi
if ! make -s -C "$BH_TOP" O="$dir" image >>"$BH_OUT/build/x86_boot.log" 2>&1; then
    echo "FAIL $name: make image failed"
    tail -n 20 "$BH_OUT/build/x86_boot.log" | sed 's/^/    | /'
    exit 1
fi
log=$BH_OUT/logs/$name.console.log
# The default layout stages one image (both partitions run pingpong.bin): where and how big.
read -r staged_addr staged_size _ <"$dir/dts/staged.list"
mapfile -t args < <("$BH_TOP/tools/qemu_x86.sh" --print-args grub "$dir")
bh_qemu 120 "$log" "${bh_x86_machine[@]}" -no-reboot "${args[@]}"
bh_verdict "$name" $? "$BH_X86_PASS" "$log" \
    "multiboot2: module 0: $staged_size bytes copied from 0x[0-9a-f]+ to $staged_addr.*" \
    'x86: multiboot2, TSC [0-9]+ kHz.*' 'acpi: RSDP at 0x[0-9a-f]+ \(multiboot2 tag\).*' 'Bulkhead .*\(qemu-x86_64-q35, x86.*' \
    'cpu0: online \(hwid 0\), boot CPU.*' 'cpu1: online.*' 'cpu2: online.*' 'cpu3: online.*' \
    '4 of 4 CPUs online.*' 'control: pingpong: producer: 64 messages acknowledged.*' \
    'worker: pingpong: consumer: answer received through mbox' 'control: guest: PASS' \
    'worker: guest: PASS' 'all partitions stopped' 'test: boot passed.*'
