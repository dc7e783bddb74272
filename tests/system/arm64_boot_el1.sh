#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64: without virtualization=on QEMU enters the image at EL1. The entry code must say
# so on the UART and stop through semihosting with the bad-entry exit code (2) rather
# than run, fault or hang.
. "$(dirname "$0")/lib.sh"

name=arm64_boot_el1
dir=$(bh_build arm64_boot_kernel qemu_arm64_virt_defconfig tests/system/test.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
log=$BH_OUT/logs/$name.console
machine=()
for a in "${bh_arm64_machine[@]}"; do
    case $a in virt,*) a=virt,gic-version=3 ;; esac # no virtualization: no EL2
    machine+=("$a")
done
# The entry code stops before any C runs, so no run nonce is read (the harness's FIFO would
# just wait): the verdict is the exit code and the entry code's own line.
BH_NO_NONCE=1 bh_qemu 60 "$log" "${machine[@]}" -kernel "$dir/bulkhead.bin"
status=$?
markers=('Bulkhead: not entered at EL2; .*')
grep -q '^Bulkhead [0-9]' "$log" && markers+=('no banner at EL1')
bh_verdict "$name" "$status" 2 "$log" "${markers[@]}"
