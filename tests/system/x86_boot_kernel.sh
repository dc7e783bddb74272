#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 boot to the banner through QEMU -kernel (multiboot v1, a.out kludge): the banner, every
# CPU of -smp 4 reporting, and the isa-debug-exit verdict of a passing boot.
# -no-reboot: a triple fault ends QEMU at once instead of rebooting until the timeout.
. "$(dirname "$0")/lib.sh"

name=x86_boot_kernel
if ! dir=$(bh_build x86_boot qemu_x86_64_q35_defconfig tests/system/test.config); then
    echo "FAIL $name: build failed"
    exit 1
fi
log=$BH_OUT/logs/$name.console.log
mapfile -t args < <("$BH_TOP/tools/qemu_x86.sh" --print-args kernel "$dir")
bh_qemu 60 "$log" "${bh_x86_machine[@]}" -no-reboot "${args[@]}"
bh_verdict "$name" $? "$BH_X86_PASS" "$log" \
    'x86: multiboot, TSC [0-9]+ kHz.*' 'acpi: RSDP at 0x[0-9a-f]+ \(BIOS area\).*' 'Bulkhead .*\(qemu-x86_64-q35, x86.*' \
    'cpu0: online \(hwid 0\), boot CPU.*' 'cpu1: online.*' 'cpu2: online.*' 'cpu3: online.*' \
    '4 of 4 CPUs online.*' 'test: boot passed.*'
