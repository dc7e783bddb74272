#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 staged guest images (include/hv/guest_image.h): the smp test layout ("smp" runs
# smp.bin, "peer" runs hello.bin) booted with -kernel, its images put in the staging area by
# QEMU's loader as the build listed them, except that hello.bin's copy has one byte flipped.
# The hypervisor must refuse "peer" by name (SHA-256 mismatch) and run "smp" to its pass;
# the test monitor then reports exactly "peer" as not matching (exit status 1).
# Also checked: the hypervisor binary does not contain the guest images (they are loaded
# beside it, not linked into it).
. "$(dirname "$0")/lib.sh"

name=arm64_image_verify
dir=$(bh_build "$name" qemu_arm64_virt_defconfig tests/system/layouts/smp.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
list=$dir/dts/staged.list
bad=$BH_OUT/$name.list
hello=$(grep ' [^ ]*/guests/arm64/hello\.bin$' "$list" | cut -d' ' -f4)
[ -n "$hello" ] || { echo "FAIL $name: hello.bin not in $list"; exit 1; }
# One byte in the middle of hello.bin, inverted.
cp "$hello" "$BH_OUT/$name.hello.bin"
off=$(($(stat -c %s "$hello") / 2))
byte=$(od -An -tu1 -j "$off" -N 1 "$hello" | tr -d ' ')
printf "$(printf '\\%03o' $((255 - byte)))" |
    dd of="$BH_OUT/$name.hello.bin" bs=1 seek="$off" conv=notrunc status=none
sed "s| $hello\$| $BH_OUT/$name.hello.bin|" "$list" >"$bad"

mapfile -t boot < <(BH_STAGED_LIST=$bad "$BH_TOP/tools/qemu_arm64.sh" --print-args kernel "$dir")
log=$BH_OUT/logs/$name.console
bh_qemu 120 "$log" "${bh_arm64_machine[@]}" "${boot[@]}"
status=$?
rc=0
bh_verdict "$name" "$status" 1 "$log" \
    'partition 2 "peer": image "guests/arm64/hello\.bin": SHA-256 of the staged copy at 0x[0-9a-f]+ \([0-9]+ bytes\) does not match the build.s: refused' \
    'partition 2 "peer": setup failed: EBADMSG' \
    'smp: guest: PASS' 'monitor: partition 2 "peer" did not match its expectation' \
    'monitor: all partitions stopped, FAIL' || rc=1
if grep -q 'monitor: partition 1 "smp" did not match' "$log" || grep -q '^peer: ' "$log"; then
    echo "FAIL ${name}_peers: a partition other than the corrupted one was affected"
    rc=1
else
    echo "PASS ${name}_peers"
fi
# The hypervisor binary holds no guest image: hello.bin's first 64 bytes appear nowhere in it.
pattern=$(od -An -tx1 -N 64 "$hello" | tr -d ' \n')
if od -An -tx1 -v "$dir/bulkhead.bin" | tr -d ' \n' | grep -q "$pattern"; then
    echo "FAIL ${name}_not_linked: hello.bin is inside bulkhead.bin"
    rc=1
else
    echo "PASS ${name}_not_linked"
fi
exit $rc
