# SPDX-License-Identifier: Apache-2.0
#
# Helper of the real-board model tests (tests/system/board_*.sh), sourced after
# tests/system/lib.sh. Each scenario builds the board's defconfig with a layout fragment of
# this directory (<board>_<scenario>.config: layout, CONFIG_TEST_EXIT, CONFIG_TEST_MONITOR),
# boots the board's QEMU model once (tools/qemu_arm64.sh --print-machine: the machine the
# board DT states) with the Image at RAM base + text_offset and the guest images where the
# boot loader would stage them, and decides by the exit status (the test monitor's verdict,
# semihosting SYS_EXIT), the hypervisor's verdict line with this run's nonce, and whole
# console lines.

# board_test NAME DEFCONFIG FRAGMENT SECONDS MARKER...: build, boot, verdict.
board_test() {
    local name=$1 defconfig=$2 frag=$3 secs=$4; shift 4
    local dir log status machine=() args=()
    dir=$(bh_build "$name" "$defconfig" "tests/system/layouts/$frag.config") || {
        echo "FAIL $name: build failed"
        return 1
    }
    mapfile -t machine < <("$BH_TOP/tools/qemu_arm64.sh" --print-machine "$dir")
    mapfile -t args < <("$BH_TOP/tools/qemu_arm64.sh" --print-args kernel "$dir")
    log=$BH_OUT/logs/$name.console
    bh_qemu "$secs" "$log" "${machine[@]}" \
        -semihosting-config enable=on,target=native,chardev=bh_semihost "${args[@]}"
    status=$?
    bh_verdict "$name" "$status" "$BH_ARM64_PASS" "$log" "$@" \
        'monitor: all partitions stopped, PASS'
}

# The markers of the default layout's ping-pong (dts/partitions/<board>-default.dtsi).
board_pingpong_markers=(
    'control: dt: guest addresses only .*' 'worker: dt: guest addresses only .*'
    'control: pingpong: producer: 64 messages acknowledged, digest 0x[0-9a-f]+ matches'
    'worker: pingpong: consumer: 64 messages verified'
    'worker: pingpong: consumer: answer received through mbox'
    'control: guest: PASS' 'worker: guest: PASS'
)
