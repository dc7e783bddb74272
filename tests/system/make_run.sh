#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# `make run` as a user types it, with the configuration a fresh tree builds for each arch:
#   make_run_arm64   qemu_arm64_virt_linux_defconfig through Debian's U-Boot (FIT with the
#                    staged kernel, initramfs and peer as loadables; pflash environment): the
#                    banner, all 4 CPUs, the partition table, Linux reaching its shell in
#                    partition "linux" while "peer" reports progress and answers Linux's
#                    first message on its doorbell interrupt; then the test types
#                    `echo $((6*7))` into the Linux partition's console (the input focus
#                    starts there) and expects 42, and Ctrl-] three times must move the focus
#                    to "peer"; every CPU belongs to a partition, so the console's receive
#                    interrupt must go to linux's cpu1, then follow the focus to peer's cpu0
#   make_run_imx8mp  imx8mp_evk_defconfig: the board's QEMU model (imx8mp-evk), the Image at
#                    RAM base + text_offset and the staged guests as loader payloads; the
#                    default layout's ping-pong passes on the EVK's UART2 console
#   make_run_x86_linux  qemu_x86_64_q35_linux_defconfig with -kernel and the staged images
#                    (Debian's amd64 vmlinux, the initramfs, the peer) as QEMU -device loader
#                    payloads (tools/qemu_x86.sh): the banner, all 4 CPUs, the table, Linux
#                    reaching its shell in partition "linux" after its peer answered its
#                    messages over shared memory; then the test types `echo $((6*7))` into
#                    the Linux partition's virtual COM1 (the input focus starts there; COM1's
#                    receive interrupt goes to linux's first CPU) and expects 42, and Ctrl-]
#                    three times must move the focus to "peer"
#   make_run_x86     qemu_x86_64_q35_defconfig (the bare-metal layout): banner, all 4 CPUs,
#                    the table and the two default partitions completing their ping-pong
#                    under SVM + NPT
# These configurations have no test exit, so the run is ended here once every marker has
# appeared (or after a bound), and the verdict is the markers alone.
set -u
. "$(dirname "$0")/lib.sh"

# run_make NAME DEFCONFIG SECONDS MARKER...: build DEFCONFIG, start `make run`, wait until the
# last marker appears (or SECONDS pass), stop QEMU, check every marker.
run_make() {
    local name=$1 defconfig=$2 secs=$3; shift 3
    local dir=$BH_OUT/build/$name log=$BH_OUT/logs/$name.console pid waited=0 last
    mkdir -p "$BH_OUT/build"
    if ! make -s -C "$BH_TOP" O="$dir" "$defconfig" >"$dir.log" 2>&1; then
        echo "FAIL $name: configuration failed"; tail -n 10 "$dir.log"; return 1
    fi
    last=${!#}
    : >"$log"
    setsid make -s -C "$BH_TOP" O="$dir" run </dev/null >"$log" 2>&1 &
    pid=$!
    while [ "$waited" -lt "$secs" ] && kill -0 "$pid" 2>/dev/null; do
        grep -Eq -- "$last" "$log" && break
        sleep 1
        waited=$((waited + 1))
    done
    kill -TERM -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # The verdict is the markers: report status 0 to bh_verdict when the run was ended here.
    bh_verdict "$name" 0 0 "$log" "$@"
}

# run_make_typed NAME DEFCONFIG SECONDS PROMPT TEXT MARKER...: like run_make, but stdin is a
# FIFO: once PROMPT (a regex) is on the console, TEXT is typed, then Ctrl-]; the run ends
# when the last marker appears.
run_make_typed() {
    local name=$1 defconfig=$2 secs=$3 prompt=$4 text=$5; shift 5
    local dir=$BH_OUT/build/$name log=$BH_OUT/logs/$name.console fifo=$BH_OUT/$name.stdin
    local pid waited=0 last typed=
    mkdir -p "$BH_OUT/build"
    if ! make -s -C "$BH_TOP" O="$dir" "$defconfig" >"$dir.log" 2>&1; then
        echo "FAIL $name: configuration failed"; tail -n 10 "$dir.log"; return 1
    fi
    last=${!#}
    : >"$log"
    rm -f "$fifo" && mkfifo "$fifo"
    setsid make -s -C "$BH_TOP" O="$dir" run <"$fifo" >"$log" 2>&1 &
    pid=$!
    exec 9>"$fifo" # the writer stays open: QEMU never sees end of input
    while [ "$waited" -lt "$secs" ] && kill -0 "$pid" 2>/dev/null; do
        if [ -z "$typed" ] && grep -Eq -- "$prompt" "$log"; then
            sleep 2
            printf '%s\r' "$text" >&9
            sleep 5
            printf '\035\035\035' >&9 # Ctrl-] three times: the focus moves on
            typed=1
        fi
        grep -Eq -- "$last" "$log" && break
        sleep 1
        waited=$((waited + 1))
    done
    exec 9>&-
    kill -TERM -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$fifo"
    bh_verdict "$name" 0 0 "$log" "$@"
}

rc=0
if ! "$BH_TOP/tools/fetch_linux.sh" --check >/dev/null 2>&1 && [ "${CI:-}" != true ]; then
    # The arm64 `make run` configuration boots Debian's kernel: without the cache (and not
    # under CI, where tools/setup has run) that half is skipped, with the reason.
    echo "SKIP make_run_arm64: no Debian kernel in $("$BH_TOP/tools/fetch_linux.sh" --dir) (run tools/setup)"
    skip_arm64=1
fi
# The expected answer is computed here, not written out, so that the typed command line's
# echo cannot satisfy the marker. The partition with the input focus shows its partial
# lines (the shell prompt), and the hypervisor console does not break them when another
# source prints: a line printed after the prompt may follow it on the same console line,
# hence the optional "linux: ..." prefix of those markers.
[ -n "${skip_arm64:-}" ] ||
    run_make_typed make_run_arm64 qemu_arm64_virt_linux_defconfig 420 'linux# ' 'echo $((6*7))' \
    'U-Boot 20.*' 'Bulkhead [0-9].*' 'arm64: entered at EL2;.*' \
    'cpu0: online.*' 'cpu1: online.*' 'cpu2: online.*' 'cpu3: online.*' '4 of 4 CPUs online.*' \
    'config: 2 partitions.*' ' *partition 1 "linux".*' ' *partition 2 "peer".*' \
    'input focus: partition 1 "linux" \(Ctrl-\] 3 times switches\)' \
    'peer: running, [0-9]+ messages answered' \
    'linux: Bulkhead: Linux is up in this partition; its peer answers over shared memory\.' \
    '(linux: .*)?peer: message 1 answered on its doorbell interrupt' \
    'console input: interrupt [0-9]+ on cpu1' \
    "(linux: )?$((6 * 7))" '(linux: .*)?input focus: partition 2 "peer".*' \
    'console input: interrupt [0-9]+ on cpu0' || rc=1
if ! "$BH_TOP/tools/fetch_linux.sh" --arch x86_64 --check >/dev/null 2>&1 && [ "${CI:-}" != true ]; then
    echo "SKIP make_run_x86_linux: no Debian kernel in $("$BH_TOP/tools/fetch_linux.sh" --arch x86_64 --dir) (run tools/setup)"
else
    run_make_typed make_run_x86_linux qemu_x86_64_q35_linux_defconfig 900 '[/~] # ' 'echo $((6*7))' \
        'Bulkhead [0-9].*' 'cpu0: online.*' 'cpu1: online.*' 'cpu2: online.*' 'cpu3: online.*' \
        '4 of 4 CPUs online.*' 'config: 2 partitions.*' ' *partition 1 "linux".*' \
        ' *partition 2 "peer".*' 'input focus: partition 1 "linux" \(Ctrl-\] 3 times switches\)' \
        'peer: ready, polling "linux-peer" at 0x20000000' \
        'linux: Bulkhead: Linux is up in this partition; its peer answered 8 messages over shared memory\.' \
        "(linux: )?$((6 * 7))" '(linux: .*)?input focus: partition 2 "peer".*' || rc=1
fi
run_make make_run_x86 qemu_x86_64_q35_defconfig 120 \
    'Bulkhead [0-9].*' 'cpu0: online.*' 'cpu1: online.*' 'cpu2: online.*' 'cpu3: online.*' \
    '4 of 4 CPUs online.*' 'config: 2 partitions.*' ' *partition 1 "control".*' ' *partition 2 "worker".*' \
    'control: guest: PASS' 'worker: guest: PASS' 'all partitions stopped' || rc=1
run_make make_run_imx8mp imx8mp_evk_defconfig 180 \
    'Bulkhead [0-9].* \(imx8mp-evk, arm64(, .*)?\)' '4 of 4 CPUs online.*' 'config: 2 partitions.*' \
    'control: guest: PASS' 'worker: guest: PASS' 'all partitions stopped' || rc=1
exit $rc
