# SPDX-License-Identifier: Apache-2.0
#
# Sourced by tools/qemu_arm64.sh and tools/qemu_x86.sh: their shared command line (qemu_main)
# and the QEMU arguments that put the staged guest images where the build laid them out.
#
# staged_loader_args LIST: one "-device" and one "loader,file=FILE,addr=ADDRESS,force-raw=on"
# line per line of LIST ("<address> <size> <sha256> <file>", guests/stage.sh), so that QEMU
# writes each file at its staging address before the CPUs start, as a boot loader would. No
# output when LIST does not exist (a build without a partition layout stages nothing).
staged_loader_args() {
    local list=$1 addr size sum file
    [ -f "$list" ] || return 0
    while read -r addr size sum file; do
        [ -f "$file" ] || { echo "$0: $file missing: run make" >&2; return 1; }
        printf '%s\n' -device "loader,file=$file,addr=$addr,force-raw=on"
    done <"$list"
}

# qemu_main NAME DEFAULT_BOOT ARGS...: the command line both runners share:
#   [--boot MODE] [--timeout SECS] O [-- QEMU-ARGS...]   boot O's image in QEMU (MACHINE)
#   --print-args MODE O                                 print the boot arguments, one a line
#   --print-machine O                                   print MACHINE, one argument a line
# The sourcing script defines MACHINE (an array), usage() and boot_args MODE O. If it also
# defines board_machine O (sets MACHINE for the board O is configured for) and board_boot O
# (prints that board's default MODE), they are called once O is known.
qemu_main() {
    local name=$1 default_boot=$2
    shift 2
    local boot= secs=3600 print= o args
    while [ $# -gt 0 ]; do
        case $1 in
        --boot) boot=$2; shift 2 ;;
        --timeout) secs=$2; shift 2 ;;
        --print-args) print=args; boot=$2; shift 2 ;;
        --print-machine) print=machine; shift ;;
        --) break ;;
        -*) usage ;;
        *) break ;;
        esac
    done
    [ $# -ge 1 ] || usage
    o=$1; shift
    if declare -F board_machine >/dev/null; then
        board_machine "$o" || exit 1
    fi
    if [ -z "$boot" ] && declare -F board_boot >/dev/null; then
        boot=$(board_boot "$o")
    fi
    boot=${boot:-$default_boot}
    if [ "$print" = machine ]; then
        printf '%s\n' "${MACHINE[@]}"
        exit
    elif [ -n "$print" ]; then
        boot_args "$boot" "$o"
        exit
    fi
    [ "${1:-}" = -- ] && shift
    mapfile -t args < <(boot_args "$boot" "$o")
    [ ${#args[@]} -gt 0 ] || exit 1
    echo "$name: booting $boot; Ctrl-A x quits (limit ${secs}s)" >&2
    exec timeout --foreground "$secs" "${MACHINE[@]}" "${args[@]}" -display none -serial mon:stdio "$@"
}
