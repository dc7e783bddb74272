#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# A passed-through device's interrupt on x86 (arch/x86/irq.c, ioapic.c): "owner" owns COM2
# (QEMU's second serial port, a pipe this test writes into; ISA IRQ 3 through the I/O APIC)
# and echoes the lines its receive interrupt brings, as guest vector 0x20 + 3; "watch" owns no
# device and counts every interrupt that reaches it while COM2 is busy: any one fails it. The
# hypervisor must show the route ("partition 1 "owner": GSI 3 routed to cpu1") and report
# how many COM2 interrupts it injected.
. "$(dirname "$0")/lib.sh"

name=x86_part_uart_irq
dir=$(bh_build "$name" qemu_x86_64_q35_defconfig tests/system/layouts/x86_uart_irq.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
mapfile -t args < <("$BH_TOP/tools/qemu_x86.sh" --print-args kernel "$dir")
log=$BH_OUT/logs/$name.console
bh_pipe_prepare com2
# The run nonce, as bh_qemu hands it (tests/system/lib.sh).
bh_x86_nonce
timeout -k 5 180 "${bh_x86_machine[@]}" -no-reboot "${args[@]}" "${BH_NONCE_ARGS[@]}" \
    -display none -monitor none \
    -serial "file:$log" -serial "pipe:$work/com2" </dev/null >"$log.qemu" 2>&1 &
qemu=$!
bh_pipe_open com2 /dev/null

why=
wait_for() { bh_wait_for 90 "$@"; }
send() { printf '%b' "$1" >&3; }

wait_for '^owner: com2: IRQ 3 at vector 0x23: ready$' && wait_for '^watch: watch: ready$' &&
    send 'ping\r' && wait_for "^owner: com2: got 'ping'\$" &&
    send 'quit\r' && wait_for "^owner: com2: got 'quit'\$"
wait "$qemu"
status=$?
bh_pipe_close
bh_fail_why "$name"
bh_verdict "$name" "$status" "$BH_X86_PASS" "$log" \
    'partition 1 "owner": GSI 3 routed to cpu1 as vector 0x23' \
    'owner: com2: 2 lines, [1-9][0-9]* receive interrupts' \
    'watch: watch: no interrupt while the peer.s COM2 was busy' \
    'owner: guest: PASS' 'watch: guest: PASS' \
    'x86: GSI 3: [1-9][0-9]* interrupts injected into partition 1 "owner"' \
    'monitor: all partitions stopped, PASS'
