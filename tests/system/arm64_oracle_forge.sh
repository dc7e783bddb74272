#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The test oracle itself (tests/system/lib.sh): a guest ("forger", guests/arm64/forge.c) ends
# QEMU with semihosting SYS_EXIT 0 after printing every line a pass would show, through its
# console and through semihosting. bh_verdict must call that run a FAIL (no hypervisor line
# "test: exit 0, run <nonce>"); this test passes only when it does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

name=arm64_oracle_forge
out=$(part_test "$name" forge kernel 120 'forger: monitor: all partitions stopped, PASS')
echo "$out" | sed 's/^/    oracle| /'
if [[ $out == "FAIL $name: no hypervisor verdict line 'test: exit 0, run <this run's nonce>'"* ]] &&
    ! grep -q '^monitor: ' "$BH_OUT/logs/$name.console"; then
    echo "PASS $name"
else
    echo "FAIL $name: the forged exit was not rejected for the missing hypervisor verdict line"
    exit 1
fi
