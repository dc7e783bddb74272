#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64: an unexpected EL2 exception is reported and stops the machine. CONFIG_TEST_FAULT
# reads an unmapped address after every CPU has reported; the report must name the vector,
# decode the data abort, give ESR/ELR/FAR/SPSR with FAR = that address, and QEMU must end
# with the exception exit code (4), not the boot verdict.
. "$(dirname "$0")/lib.sh"

name=arm64_fault
dir=$(bh_build "$name" qemu_arm64_virt_defconfig tests/system/test.config \
    tests/system/arm64_fault.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
log=$BH_OUT/logs/$name.console
bh_qemu 120 "$log" "${bh_arm64_machine[@]}" -kernel "$dir/bulkhead.bin"
status=$?
markers=('^4 of 4 CPUs online' 'test-fault: reading unmapped address 0x[0-9a-f]+.*'
    'EXCEPTION: cpu0: unexpected synchronous exception, EL2 with SP_EL2'
    '  ESR_EL2=0x0*96[0-9a-f]{6}  EC 0x25 \(data abort\).*' '  translation fault, level [0-3], read'
    '  ELR_EL2=0x0*404[0-9a-f]{5}  FAR_EL2=0x[0-9a-f]{16}  SPSR_EL2=0x[0-9a-f]+'
    '.*  x30 [0-9a-f]{16}  sp  [0-9a-f]{16}' 'cpu0: stopped')
# FAR must be the very address the test read.
want=$(sed -n 's/.*test-fault: reading unmapped address \(0x[0-9a-f]*\).*/\1/p' "$log" 2>/dev/null)
far=$(sed -n 's/.*FAR_EL2=\(0x[0-9a-f]*\).*/\1/p' "$log" 2>/dev/null)
if [ -z "$want" ] || [ -z "$far" ] || [ $((want)) -ne $((far)) ]; then
    markers+=("FAR_EL2 equal to the address read (${want:-?} vs ${far:-?})")
fi
grep -q '^test: boot' "$log" && markers+=('no boot verdict after the exception')
bh_verdict "$name" "$status" 4 "$log" "${markers[@]}"
