#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 unexpected-exception report: with CONFIG_TEST_FAULT the hypervisor reads an unmapped
# address after boot (arch/x86/test_fault.c). The #PF must be reported with its vector, RIP,
# error code and CR2, and QEMU must end with the exception status: isa-debug-exit value 4
# (X86_EXCEPTION_EXIT_CODE), i.e. status (4 << 1) | 1 = 9.
# -no-reboot: a triple fault ends QEMU at once instead of rebooting until the timeout.
. "$(dirname "$0")/lib.sh"

name=x86_fault
if ! grep -q '^config TEST_FAULT$' "$BH_TOP/Kconfig"; then
    echo "SKIP $name: this tree's Kconfig has no TEST_FAULT option"
    exit 0
fi
if ! dir=$(bh_build x86_fault qemu_x86_64_q35_defconfig tests/system/test.config \
    tests/system/x86_fault.config); then
    echo "FAIL $name: build failed"
    exit 1
fi
log=$BH_OUT/logs/$name.console.log
mapfile -t args < <("$BH_TOP/tools/qemu_x86.sh" --print-args kernel "$dir")
bh_qemu 60 "$log" "${bh_x86_machine[@]}" -no-reboot "${args[@]}"
bh_verdict "$name" $? 9 "$log" \
    '4 of 4 CPUs online.*' 'test-fault: reading unmapped address 0x100000000.*' \
    'EXCEPTION: cpu0: vector 14 \(#PF page fault\) rip 0x[0-9a-f]+ error 0 cr2 0x100000000.*' \
    '  rsp 0x[0-9a-f]+ rflags.*'
