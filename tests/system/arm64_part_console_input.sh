#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Console input (include/hv/console_input.h, arch/arm64/vpl011.c): the test types into the
# hypervisor console (QEMU -serial pipe) and two partitions running echo.bin echo the lines
# their virtual UART received by interrupt. "hello" goes to "right", which has the focus at
# start (its "input-focus"); Ctrl-] three times moves the focus (wrapping round) to "left",
# which gets "world" and "quit"; once "left" has stopped, the next switch goes to "right",
# which gets "quit". Neither partition may see the other's line.
. "$(dirname "$0")/lib.sh"

name=arm64_part_console_input
dir=$(bh_build "$name" qemu_arm64_virt_defconfig tests/system/layouts/console_input.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
mapfile -t args < <("$BH_TOP/tools/qemu_arm64.sh" --print-args kernel "$dir")
log=$BH_OUT/logs/$name.console
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap '' PIPE # typing after QEMU has gone fails the write, not the script
mkfifo "$work/con.in" "$work/con.out"
: >"$log"
timeout -k 5 120 "${bh_arm64_machine[@]}" "${args[@]}" -display none -monitor none \
    -serial "pipe:$work/con" -chardev "file,id=bh_semihost,path=$log.semihost" \
    </dev/null >"$log.qemu" 2>&1 &
qemu=$!
cat "$work/con.out" >>"$log" &
reader=$!
exec 3>"$work/con.in"

why=
# wait_for REGEX [COUNT]: until REGEX matches COUNT (default 1) lines of the log, 60 s at most.
wait_for() {
    local n=0
    while [ "$(grep -Ec -- "$1" "$log")" -lt "${2:-1}" ]; do
        if [ $n -ge 600 ] || ! kill -0 "$qemu" 2>/dev/null; then
            why="${why:+$why; }no '$1' (x${2:-1})"
            return 1
        fi
        sleep 0.1
        n=$((n + 1))
    done
}
type_in() { printf '%b' "$1" >&3; }

wait_for 'left: echo: ready' && wait_for 'right: echo: ready' &&
    wait_for 'input focus: partition 2 "right" \(Ctrl-\] 3 times switches\)' &&
    type_in 'hello\r' && wait_for "right: echo: got 'hello'" &&
    type_in '\x1d\x1d\x1d' && wait_for 'input focus: partition 1 "left"' &&
    type_in 'world\r' && wait_for "left: echo: got 'world'" &&
    type_in 'quit\r' && wait_for "left: echo: got 'quit'" && wait_for 'partition 1 "left": stopped' &&
    type_in '\x1d\x1d\x1d' && wait_for 'input focus: partition 2 "right"' 2 &&
    type_in 'quit\r' && wait_for "right: echo: got 'quit'"
wait "$qemu"
status=$?
exec 3>&-
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
for leak in "right: echo: got 'world'" "left: echo: got 'hello'"; do
    if grep -q -- "$leak" "$log"; then
        why="${why:+$why; }input reached the partition without the focus: $leak"
    fi
done
if [ -n "$why" ]; then
    echo "FAIL $name: $why"
    tail -n 25 "$log" | sed 's/^/    | /'
    exit 1
fi
bh_verdict "$name" "$status" "$BH_ARM64_PASS" "$log" \
    'left: echo: 2 lines, [0-9]+ receive interrupts' 'right: echo: 2 lines, [0-9]+ receive interrupts' \
    'left: guest: PASS' 'right: guest: PASS' 'monitor: all partitions stopped, PASS'
