# SPDX-License-Identifier: Apache-2.0
#
# Sourced by tools/qemu_arm64.sh and tools/qemu_x86.sh: the QEMU arguments that put the
# staged guest images where the build laid them out.
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
