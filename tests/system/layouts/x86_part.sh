# SPDX-License-Identifier: Apache-2.0
#
# Helper of the x86 partition system tests (tests/system/x86_part_*.sh), sourced after
# tests/system/lib.sh. Each test builds the q35 board with one layout of this directory (its
# <layout>.config fragment: layout, CONFIG_TEST_EXIT, CONFIG_TEST_MONITOR), boots it once
# with QEMU -kernel (multiboot v1) and the staged guest images as QEMU -device loader payloads
# (tools/qemu_x86.sh --print-args kernel) under timeout and decides by QEMU's exit status (the
# test monitor's verdict through isa-debug-exit: PASS only when every partition ended as its
# bulkhead,test-expect says) and console markers. -no-reboot: a triple fault of the
# hypervisor ends QEMU at once. A test sets the array x86_part_qemu_extra for more QEMU
# arguments (devices).

# x86_part_test NAME LAYOUT SECONDS MARKER...: build, boot, verdict. Each MARKER is the start
# of a whole console line, or a whole line when it ends with '$' (bh_verdict matches whole
# lines: a guest's own lines always start with its label, so it cannot forge a hypervisor
# line).
x86_part_test() {
    local name=$1 layout=$2 secs=$3; shift 3
    local dir log status m
    local args=()
    local markers=()
    dir=$(bh_build "$name" qemu_x86_64_q35_defconfig "tests/system/layouts/$layout.config") || {
        echo "FAIL $name: build failed"
        return 1
    }
    log=$BH_OUT/logs/$name.console
    mapfile -t args < <("$BH_TOP/tools/qemu_x86.sh" --print-args kernel "$dir")
    bh_qemu "$secs" "$log" "${bh_x86_machine[@]}" -no-reboot \
        ${x86_part_qemu_extra[@]+"${x86_part_qemu_extra[@]}"} "${args[@]}"
    status=$?
    for m in "$@"; do
        case $m in
        *'$') markers+=("${m%?}") ;;
        *) markers+=("$m.*") ;;
        esac
    done
    bh_verdict "$name" "$status" "$BH_X86_PASS" "$log" "${markers[@]}" \
        'monitor: all partitions stopped, PASS'
}

# x86_fault_markers ID LABEL WHAT ADDRESS: the hypervisor's report of a partition stopped by
# an intercept (WHAT: an extended regex of the reason) at guest address ADDRESS, then its stop.
x86_fault_markers() {
    printf '%s\n' "^partition $1 \"$2\" vcpu [0-9]+: $3: EXITCODE 0x[0-9a-f]+ guest address $4\$" \
        "^partition $1 \"$2\": stopped"
}
