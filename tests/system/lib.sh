# SPDX-License-Identifier: Apache-2.0
#
# Helpers for the QEMU system tests (sourced by tests/system/*.sh, run by tests/run).
# Every QEMU run is wrapped in `timeout`; verdicts come from the exit status (semihosting
# SYS_EXIT on Arm, isa-debug-exit on x86) and/or fixed console markers.
set -u
BH_TOP=${BH_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BH_OUT=${BH_OUT:-$BH_TOP/out/check}
mkdir -p "$BH_OUT/logs" "$BH_OUT/build"

# QEMU exit status of a passing test: arm64 semihosting exit code 0; x86 isa-debug-exit
# turns the value v written to port 0xf4 into status (v << 1) | 1.
BH_ARM64_PASS=0
BH_X86_PASS=1

# bh_build NAME DEFCONFIG [FRAGMENT...]: configure and build; prints the build directory. Builds
# that differ only in their partition layout share one directory, $BH_OUT/build/<DEFCONFIG>-<hash
# of the fragments' settings in order, "is not set" lines included, but CONFIG_PARTITION_LAYOUT>:
# no C object depends on the layout
# (tools/kconfig.py), so switching layouts there rebuilds the DTB and relinks (about 1 s against
# 15 s for a whole build). Tests run one at a time and each uses its directory before the next
# build, so the sharing is safe. NAME names the build's log, $BH_OUT/build/NAME.log, and a
# symbolic link $BH_OUT/build/NAME to the directory (which a later test may have rebuilt for
# its own layout).
bh_build() {
    local name=$1 defconfig=$2; shift 2
    local frags=() f key dir log=$BH_OUT/build/$name.log
    for f in "$@"; do frags+=("$BH_TOP/$f"); done
    key=$(cat "${frags[@]}" </dev/null | grep -E '^(CONFIG_|# CONFIG_.* is not set)' |
        grep -v '^CONFIG_PARTITION_LAYOUT=' | sha256sum | cut -c1-12)
    dir=$BH_OUT/build/${defconfig%_defconfig}-$key
    if ! make -s -C "$BH_TOP" O="$dir" "$defconfig" EXTRA_CONFIG="${frags[*]}" >"$log" 2>&1 ||
        ! make -s -C "$BH_TOP" O="$dir" -j"$(nproc)" all >>"$log" 2>&1; then
        echo "build of $name failed:" >&2
        tail -n 30 "$log" >&2
        return 1
    fi
    rm -rf "${BH_OUT:?}/build/$name" && ln -s "$(basename "$dir")" "$BH_OUT/build/$name"
    echo "$dir"
}

# bh_build_image NAME DEFCONFIG [FRAGMENT...]: bh_build, then `make image` in the same
# directory. Prints the build directory; on failure returns 1 after "FAIL NAME: ..." on
# stderr (which tests/run reads with stdout).
bh_build_image() {
    local name=$1 dir
    dir=$(bh_build "$@") || {
        echo "FAIL $name: build failed" >&2
        return 1
    }
    if ! make -s -C "$BH_TOP" O="$dir" image >>"$BH_OUT/build/$name.log" 2>&1; then
        {
            echo "FAIL $name: make image failed"
            tail -n 20 "$BH_OUT/build/$name.log" | sed 's/^/    | /'
        } >&2
        return 1
    fi
    echo "$dir"
}

# bh_qemu SECONDS LOG QEMU-BINARY ARGS...: run QEMU headless, console to LOG; returns its
# exit status (124 on timeout). Arguments in the array BH_QEMU_TAIL (if set) come after the
# console's -serial, e.g. a second -serial for a partition's passed-through UART.
#
# An arm64 run (semihosting on) also gets a per-run nonce that only the hypervisor can learn
# (include/arch/test.h): QEMU runs in LOG.run/, where "bulkhead-nonce" is a FIFO written once
# by a background writer; the hypervisor reads it at boot, before any partition runs, so a
# guest that opens it later (QEMU gives EL1 semihosting too) blocks instead of learning it.
# The nonce is left in BH_NONCE for bh_verdict, which then also requires the hypervisor's
# last line "test: exit <expected status>, run <nonce>". Guests' own semihosting output goes
# to LOG.semihost, never into LOG. BH_NO_NONCE=1 skips the nonce (a run whose hypervisor never
# reaches C code).
#
# An x86 run (isa-debug-exit) gets its nonce as the QEMU fw_cfg file "opt/bulkhead/nonce"
# (bh_x86_nonce), which the hypervisor reads at boot through I/O ports no partition is given
# (arch/x86/setup.c); its verdict line carries the code written to isa-debug-exit, so
# bh_verdict expects "test: exit (STATUS - 1) / 2, run <nonce>".
BH_NONCE=
BH_NONCE_X86=
BH_NONCE_ARGS=()
BH_QEMU_SECS=
bh_qemu() {
    local secs=$1 log=$2; shift 2
    local run writer= status start=$SECONDS
    case $log in /*) ;; *) log=$PWD/$log ;; esac
    run=$log.run
    rm -rf "$run" && mkdir -p "$run"
    BH_NONCE=
    BH_NONCE_X86=
    BH_NONCE_ARGS=()
    if [[ " $* " == *" isa-debug-exit,"* ]] && [ "${BH_NO_NONCE:-0}" != 1 ]; then
        bh_x86_nonce
    fi
    if [[ " $* " == *" -semihosting-config "* ]] && [ "${BH_NO_NONCE:-0}" != 1 ]; then
        BH_NONCE=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
        mkfifo "$run/bulkhead-nonce"
        timeout "$secs" sh -c 'printf %s "$1" >"$2"' sh "$BH_NONCE" "$run/bulkhead-nonce" &
        writer=$!
    fi
    (cd "$run" && timeout -k 5 "$secs" "$@" ${BH_NONCE_ARGS[@]+"${BH_NONCE_ARGS[@]}"} \
        -display none -monitor none -serial "file:$log" ${BH_QEMU_TAIL[@]+"${BH_QEMU_TAIL[@]}"} -chardev "file,id=bh_semihost,path=$log.semihost" </dev/null >"$log.qemu" 2>&1)
    status=$?
    BH_QEMU_SECS=$((SECONDS - start))
    if [ -n "$writer" ]; then
        kill "$writer" 2>/dev/null
        wait "$writer" 2>/dev/null
    fi
    rm -rf "$run"
    return $status
}

# bh_x86_nonce: a new x86 run nonce in BH_NONCE, the QEMU arguments that hand it to the
# hypervisor in the array BH_NONCE_ARGS (for a test that starts QEMU itself).
bh_x86_nonce() {
    BH_NONCE=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
    BH_NONCE_X86=1
    BH_NONCE_ARGS=(-fw_cfg "name=opt/bulkhead/nonce,string=$BH_NONCE")
}

# Common machine arguments.
bh_arm64_machine=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,iommu=smmuv3
    -cpu cortex-a57 -smp 4 -m 2G -semihosting-config enable=on,target=native,chardev=bh_semihost)
bh_x86_machine=(qemu-system-x86_64 -M q35 -cpu qemu64,+svm,+npt -smp 4 -m 2G
    -device isa-debug-exit,iobase=0xf4,iosize=0x04)

# bh_verdict NAME STATUS EXPECTED LOG [MARKER...]: PASS when the status matches and every
# marker (an extended regex) matches one whole console line of LOG (grep -x: a marker can never
# be satisfied by the tail of a longer line, such as a guest's "label: ..." echo of it), and,
# after a bh_qemu run, the hypervisor's "test: exit CODE, run <nonce>" line is there too (CODE
# is EXPECTED on arm64, (EXPECTED - 1) / 2 on x86): a guest can end QEMU with any status
# through semihosting (or an x86 guest given the isa-debug-exit port), but cannot print that
# line. Otherwise FAIL with the reason and the log tail.
bh_verdict() {
    local name=$1 status=$2 expected=$3 log=$4; shift 4
    local m why= code=$expected
    # The UARTs print CR LF: match on the lines without the CR.
    tr -d '\r' <"$log" >"$log.lines"
    if [ "$status" -eq 124 ]; then
        why="timed out"
    elif [ "$status" -ne "$expected" ]; then
        why="exit status $status, expected $expected"
    fi
    if [ -n "$BH_NONCE_X86" ]; then
        code=$(((expected - 1) / 2))
        [ $((expected % 2)) -eq 1 ] || why="${why:+$why; }expected status $expected is no isa-debug-exit status"
    fi
    if [ -n "$BH_NONCE" ] && ! grep -Fqx -- "test: exit $code, run $BH_NONCE" "$log.lines"; then
        why="${why:+$why; }no hypervisor verdict line 'test: exit $code, run <this run's nonce>'"
    fi
    BH_NONCE=
    BH_NONCE_X86=
    for m in "$@"; do
        if ! grep -Eqx -- "$m" "$log.lines"; then
            why="${why:+$why; }missing console marker '$m'"
        fi
    done
    if [ -z "$why" ]; then
        echo "PASS $name"
        return 0
    fi
    # What QEMU itself said and how long it ran go into the FAIL line, which is never cut
    # from an excerpt: a run that ends early with no hypervisor line is told apart from a hang.
    [ -n "$BH_QEMU_SECS" ] && why="$why; QEMU ran ${BH_QEMU_SECS} s"
    [ -s "$log.qemu" ] && why="$why; QEMU's last words: '$(tail -n 1 "$log.qemu" | tr -d '\r')'"
    [ -s "$log.semihost" ] && why="$why; semihosting output: '$(tail -c 200 "$log.semihost" | tr '\n\r' '  ')'"
    BH_QEMU_SECS=
    echo "FAIL $name: $why"
    tail -n 25 "$log" | sed 's/^/    | /'
    [ -s "$log.qemu" ] && sed 's/^/    qemu| /' "$log.qemu" | tail -n 5
    return 1
}

# Typing into a QEMU "-serial pipe:$work/NAME" and waiting for console lines, for the tests
# that launch QEMU themselves: they set log (the console log) and, once QEMU runs, qemu (its
# pid); bh_wait_for adds what it missed to why.
#
# bh_pipe_prepare NAME: a temporary directory $work (removed at exit) holding the pipe's FIFOs;
# empties $log. Writes into the pipe after QEMU has gone fail the write, not the script.
bh_pipe_prepare() {
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    trap '' PIPE
    mkfifo "$work/$1.in" "$work/$1.out"
    : >"$log"
}
# bh_pipe_open NAME OUT: once QEMU has been started, append what it writes into the pipe to OUT
# and open file descriptor 3 to type into it; bh_pipe_close closes both.
bh_pipe_open() {
    cat "$work/$1.out" >>"$2" &
    bh_pipe_reader=$!
    exec 3>"$work/$1.in"
}
bh_pipe_close() {
    exec 3>&-
    kill "$bh_pipe_reader" 2>/dev/null
    wait "$bh_pipe_reader" 2>/dev/null
}
# bh_wait_for SECONDS REGEX [COUNT]: until REGEX matches COUNT (default 1) lines of $log (CRs
# dropped), SECONDS at most and while QEMU runs.
bh_wait_for() {
    local n=0
    while [ "$(tr -d '\r' <"$log" | grep -Ec -- "$2")" -lt "${3:-1}" ]; do
        if [ $n -ge $(($1 * 10)) ] || ! kill -0 "$qemu" 2>/dev/null; then
            why="${why:+$why; }no '$2' (x${3:-1})"
            return 1
        fi
        sleep 0.1
        n=$((n + 1))
    done
}
# bh_fail_why NAME: when why is set, FAIL NAME with it and the log's tail, and exit.
bh_fail_why() {
    [ -z "$why" ] && return 0
    echo "FAIL $1: $why"
    tail -n 25 "$log" | sed 's/^/    | /'
    exit 1
}

# bh_pool_after_resets NAME LOG: PASS NAME when the console LOG has 100 reports of partition 1
# "resetter" reset, each with the page pool back at its level before the partitions started
# (no reset leaks a page); otherwise FAIL NAME and return 1.
bh_pool_after_resets() {
    local name=$1 log=$2 start l why=
    local -a levels
    start=$(tr -d '\r' <"$log" | sed -n 's/^partitions: page pool \([0-9]*\) pages used before start$/\1/p')
    mapfile -t levels < <(tr -d '\r' <"$log" |
        sed -n 's/^partition 1 "resetter": reset \([0-9]*\) done, page pool \([0-9]*\) pages used$/\1 \2/p')
    [ -n "$start" ] || why="no pool level before start"
    [ "${#levels[@]}" -eq 100 ] || why="${why:+$why; }${#levels[@]} reset reports, expected 100"
    for l in "${levels[@]}"; do
        if [ "${l#* }" != "$start" ]; then
            why="${why:+$why; }after reset ${l% *} the pool has ${l#* } pages used, $start before"
            break
        fi
    done
    if [ -n "$why" ]; then
        echo "FAIL $name: $why"
        return 1
    fi
    echo "PASS $name: ${#levels[@]} resets, page pool at $start pages after each"
}

# bh_unit_sources NAME: the production sources tests/unit/test_NAME.mk lists for that unit
# test, so host benches build from the same list and cannot drift from it.
bh_unit_sources() {
    printf 'print:\n\t@echo $(unit-%s)\n' "$1" |
        make -s --no-print-directory -f "$BH_TOP/tests/unit/test_$1.mk" -f - print
}
