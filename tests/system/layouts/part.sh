# SPDX-License-Identifier: Apache-2.0
#
# Helper of the arm64 partition system tests (tests/system/arm64_part_*.sh), sourced after
# tests/system/lib.sh. Each test builds the default board with one layout of this directory
# (its <layout>.config fragment: layout, CONFIG_TEST_EXIT, CONFIG_TEST_MONITOR), boots once
# under timeout and decides by QEMU's exit status (the test monitor's verdict: 0 only when
# every partition ended as its bulkhead,test-expect says) and console markers.

# part_test NAME LAYOUT kernel|uboot SECONDS MARKER...: build, boot, verdict. PART_CPU=model
# boots another -cpu than the default; PART_BUILD=name shares one build between runs. QEMU
# arguments in the array part_qemu_extra (e.g. -device edu,...) are added to the machine's.
# PART_BOARD=gicv2 runs the same scenario on the GICv2 board (qemu_arm64_virt_gicv2_defconfig,
# virt gic-version=2) under the name arm64_gicv2_part_* (tests/system/arm64_gicv2_part_*.sh).
part_qemu_extra=()
part_test() {
    local name=$1 layout=$2 boot=$3 secs=$4; shift 4
    local dir log status build=${PART_BUILD:-}
    local machine=("${bh_arm64_machine[@]}")
    local defconfig=qemu_arm64_virt_defconfig
    [ -n "${PART_CPU:-}" ] && machine=("${machine[@]/#cortex-a57/$PART_CPU}")
    if [ "${PART_BOARD:-}" = gicv2 ]; then
        name=${name/#arm64_part_/arm64_gicv2_part_}
        build=${build:+${build}_gicv2}
        defconfig=qemu_arm64_virt_gicv2_defconfig
        machine=("${machine[@]/gic-version=3/gic-version=2}")
    fi
    dir=$(bh_build "${build:-$name}" "$defconfig" \
        "tests/system/layouts/$layout.config") || {
        echo "FAIL $name: build failed"
        return 1
    }
    if [ "$boot" = uboot ] &&
        ! make -s -C "$BH_TOP" O="$dir" image >>"$BH_OUT/build/${build:-$name}.log" 2>&1; then
        echo "FAIL $name: make image failed"
        tail -n 20 "$BH_OUT/build/${build:-$name}.log" | sed 's/^/    | /'
        return 1
    fi
    local args=()
    mapfile -t args < <("$BH_TOP/tools/qemu_arm64.sh" --print-args "$boot" "$dir")
    log=$BH_OUT/logs/$name.console
    bh_qemu "$secs" "$log" "${machine[@]}" "${part_qemu_extra[@]}" "${args[@]}"
    status=$?
    bh_verdict "$name" "$status" "$BH_ARM64_PASS" "$log" "$@" \
        'monitor: all partitions stopped, PASS'
}

# part_fault_markers ID LABEL KIND WHAT ADDRESS: the markers of a partition stopped by a
# stage-2 fault of KIND ("translation", "permission", "access flag") at guest ADDRESS, WHAT
# being the rest of the report ("write to read-only memory"): the exact report line, then the
# stop.
part_fault_markers() {
    printf '%s\n' \
        "partition $1 \"$2\" vcpu [0-9]+: stage-2 $3 fault \(level [0-3]\): $4: ESR 0x[0-9a-f]+ guest address $5" \
        "partition $1 \"$2\": stopped"
}
