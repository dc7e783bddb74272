#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Console input on x86 by interrupt (arch/x86/ioapic.c, irq.c, vuart.c,
# include/hv/console_input.h): the test types into the hypervisor console (QEMU -serial pipe,
# COM1, whose receive interrupt is ISA IRQ 4 through the I/O APIC) and two partitions running
# echo.bin echo the lines their virtual COM1 received by interrupt. Every CPU belongs to a
# partition (the boot CPU to "left"), so nothing polls: the input only arrives if the
# hypervisor takes COM1's interrupt on the focused partition's CPU, out of a running guest
# (#VMEXIT INTR). "hello" goes to "right" (focus at start, cpu2); Ctrl-] three times moves
# the focus to "left" (cpu0), which gets "world" and "quit"; once "left" has stopped, the
# next switch goes back to "right", which gets "quit". Neither partition may see the other's
# line; the interrupt must follow the focus ("console input: interrupt 4 on cpuN") and be
# taken there (the hypervisor reports one taken elsewhere, and each one it forwards from the
# CPU the input has just left).
. "$(dirname "$0")/lib.sh"

name=x86_part_console_input
left_cpu=0
right_cpu=2
dir=$(bh_build "$name" qemu_x86_64_q35_defconfig tests/system/layouts/x86_console_input.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
mapfile -t args < <("$BH_TOP/tools/qemu_x86.sh" --print-args kernel "$dir")
log=$BH_OUT/logs/$name.console
bh_pipe_prepare con
# The run nonce, as bh_qemu hands it (tests/system/lib.sh): a fw_cfg file the hypervisor reads
# and prints with its verdict.
bh_x86_nonce
timeout -k 5 180 "${bh_x86_machine[@]}" -no-reboot "${args[@]}" "${BH_NONCE_ARGS[@]}" \
    -display none -monitor none \
    -serial "pipe:$work/con" </dev/null >"$log.qemu" 2>&1 &
qemu=$!
bh_pipe_open con "$log"

why=
wait_for() { bh_wait_for 90 "$@"; }
type_in() { printf '%b' "$1" >&3; }

on() { echo "^console input: interrupt 4 on cpu$1\$"; }
wait_for '^left: echo: ready$' && wait_for '^right: echo: ready$' &&
    wait_for '^input focus: partition 2 "right" \(Ctrl-\] 3 times switches\)$' &&
    wait_for "$(on "$right_cpu")" &&
    type_in 'hello\r' && wait_for "^right: echo: got 'hello'\$" &&
    type_in '\x1d\x1d\x1d' && wait_for '^input focus: partition 1 "left"$' &&
    wait_for "$(on "$left_cpu")" &&
    type_in 'world\r' && wait_for "^left: echo: got 'world'\$" &&
    type_in 'quit\r' && wait_for "^left: echo: got 'quit'\$" &&
    wait_for '^partition 1 "left": stopped' &&
    type_in '\x1d\x1d\x1d' && wait_for '^input focus: partition 2 "right"$' &&
    wait_for "$(on "$right_cpu")" 2 &&
    type_in 'quit\r' && wait_for "^right: echo: got 'quit'\$"
wait "$qemu"
status=$?
bh_pipe_close
if grep -Eq 'console input: interrupt [0-9]+ taken on cpu' "$log"; then
    why="${why:+$why; }the console's interrupt was taken on a CPU it was not routed to"
fi
# An edge already accepted by the old CPU when the focus moved is forwarded (arch/x86/irq.c):
# at most one per move (two moves here); more means the I/O APIC kept the old route.
fwd=$(grep -Ec '^x86: GSI 4 taken on cpu[0-9]+ after its move to cpu[0-9]+: forwarded' "$log")
if [ "$fwd" -gt 2 ]; then
    why="${why:+$why; }$fwd interrupts forwarded from a CPU the input no longer goes to"
fi
for leak in "right: echo: got 'world'" "left: echo: got 'hello'"; do
    if grep -q -- "$leak" "$log"; then
        why="${why:+$why; }input reached the partition without the focus: $leak"
    fi
done
bh_fail_why "$name"
BH_NONCE=
bh_verdict "$name" "$status" "$BH_X86_PASS" "$log" \
    'left: echo: 2 lines, [0-9]+ receive interrupts' 'right: echo: 2 lines, [0-9]+ receive interrupts' \
    'left: guest: PASS' 'right: guest: PASS' 'monitor: all partitions stopped, PASS'
