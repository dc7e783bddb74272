#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Console input (include/hv/console_input.h, arch/arm64/vpl011.c): the test types into the
# hypervisor console (QEMU -serial pipe) and two partitions running echo.bin echo the lines
# their virtual UART received by interrupt. "hello" goes to "right", which has the focus at
# start (its "input-focus"); Ctrl-] three times moves the focus (wrapping round) to "left",
# which gets "world" and "quit"; once "left" has stopped, the next switch goes to "right",
# which gets "quit". Neither partition may see the other's line. The console's receive
# interrupt must follow the focus to the focused partition's CPU ("console input: interrupt N
# on cpuM") and be taken there (the hypervisor reports one taken elsewhere).
# arm64_part_console_input_cpu0.sh runs the same with "right" on the boot CPU (cpu0).
. "$(dirname "$0")/lib.sh"

name=${ci_name:-arm64_part_console_input}
layout=${ci_layout:-tests/system/layouts/console_input.config}
left_cpu=${ci_left_cpu:-1}
right_cpu=${ci_right_cpu:-2}
dir=$(bh_build "$name" qemu_arm64_virt_defconfig "$layout") || {
    echo "FAIL $name: build failed"
    exit 1
}
mapfile -t args < <("$BH_TOP/tools/qemu_arm64.sh" --print-args kernel "$dir")
log=$BH_OUT/logs/$name.console
bh_pipe_prepare con
# The run nonce, as bh_qemu hands it (tests/system/lib.sh): the hypervisor reads it by
# semihosting from ./bulkhead-nonce and prints it with its verdict.
mkdir "$work/run"
BH_NONCE=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
mkfifo "$work/run/bulkhead-nonce"
timeout 120 sh -c 'printf %s "$1" >"$2"' sh "$BH_NONCE" "$work/run/bulkhead-nonce" &
writer=$!
(cd "$work/run" && exec timeout -k 5 120 "${bh_arm64_machine[@]}" "${args[@]}" -display none \
    -monitor none -serial "pipe:$work/con" -chardev "file,id=bh_semihost,path=$log.semihost" \
    </dev/null >"$log.qemu" 2>&1) &
qemu=$!
bh_pipe_open con "$log"

why=
wait_for() { bh_wait_for 60 "$@"; }
type_in() { printf '%b' "$1" >&3; }

on() { echo "console input: interrupt [0-9]+ on cpu$1"; }
wait_for 'left: echo: ready' && wait_for 'right: echo: ready' &&
    wait_for 'input focus: partition 2 "right" \(Ctrl-\] 3 times switches\)' &&
    wait_for "$(on "$right_cpu")" &&
    type_in 'hello\r' && wait_for "right: echo: got 'hello'" &&
    type_in '\x1d\x1d\x1d' && wait_for 'input focus: partition 1 "left"' &&
    wait_for "$(on "$left_cpu")" &&
    type_in 'world\r' && wait_for "left: echo: got 'world'" &&
    type_in 'quit\r' && wait_for "left: echo: got 'quit'" && wait_for 'partition 1 "left": stopped' &&
    type_in '\x1d\x1d\x1d' && wait_for 'input focus: partition 2 "right"' 2 &&
    wait_for "$(on "$right_cpu")" 2 &&
    type_in 'quit\r' && wait_for "right: echo: got 'quit'"
wait "$qemu"
status=$?
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
if grep -Eq 'console input: interrupt [0-9]+ taken on cpu' "$log"; then
    why="${why:+$why; }the console's interrupt was taken on a CPU it was not routed to"
fi
bh_pipe_close
for leak in "right: echo: got 'world'" "left: echo: got 'hello'"; do
    if grep -q -- "$leak" "$log"; then
        why="${why:+$why; }input reached the partition without the focus: $leak"
    fi
done
bh_fail_why "$name"
bh_verdict "$name" "$status" "$BH_ARM64_PASS" "$log" \
    'left: echo: 2 lines, [0-9]+ receive interrupts' 'right: echo: 2 lines, [0-9]+ receive interrupts' \
    'left: guest: PASS' 'right: guest: PASS' 'monitor: all partitions stopped, PASS'
