#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The test oracle itself on x86 (tests/system/lib.sh): a guest ("forger", guests/x86/forge.c)
# given the isa-debug-exit ports ends QEMU with the status of a pass after printing every line
# a pass would show. bh_verdict must call that run a FAIL (no hypervisor line
# "test: exit 0, run <nonce>", the nonce being in fw_cfg, out of every partition's reach);
# this test passes only when it does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

name=x86_oracle_forge
out=$(x86_part_test "$name" x86_forge 120 '^forger: monitor: all partitions stopped, PASS$')
echo "$out" | sed 's/^/    oracle| /'
if [[ $out == "FAIL $name: no hypervisor verdict line 'test: exit 0, run <this run's nonce>'"* ]] &&
    grep -q '^test: run nonce received' "$BH_OUT/logs/$name.console" &&
    ! grep -q '^monitor: ' "$BH_OUT/logs/$name.console"; then
    echo "PASS $name"
else
    echo "FAIL $name: the forged exit was not rejected for the missing hypervisor verdict line"
    exit 1
fi
