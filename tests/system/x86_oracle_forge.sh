#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The test oracle itself on x86 (tests/system/lib.sh): a guest ("forger", guests/x86/forge.c)
# given the isa-debug-exit ports ends QEMU with the status of a pass after printing every line
# a pass would show. bh_verdict must call that run a FAIL (no hypervisor line
# "test: exit 0, run <nonce>", the nonce being in fw_cfg, out of every partition's reach);
# this test passes only when it does. A third partition ("fwcfg") given the fw_cfg ports must
# be refused at boot and never start (arch/x86/test.c: it could read the nonce).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

name=x86_oracle_forge
out=$(x86_part_test "$name" x86_forge 120 '^forger: monitor: all partitions stopped, PASS$')
echo "$out" | sed 's/^/    oracle| /'
log=$BH_OUT/logs/$name.console
if ! grep -q '^partition 3 "fwcfg": .*I/O ports 0x510+0xc: fw_cfg is the hypervisor.s' "$log" ||
    ! grep -q '^partition 3 "fwcfg": not started' "$log" || grep -q '^fwcfg: ' "$log"; then
    echo "FAIL $name: the partition given the fw_cfg ports was not refused at boot"
    exit 1
fi
if [[ $out == "FAIL $name: no hypervisor verdict line 'test: exit 0, run <this run's nonce>'"* ]] &&
    grep -q '^test: run nonce received' "$log" && ! grep -q '^monitor: ' "$log"; then
    echo "PASS $name"
else
    echo "FAIL $name: the forged exit was not rejected for the missing hypervisor verdict line"
    exit 1
fi
