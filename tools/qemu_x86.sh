#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Run a built x86 Bulkhead on QEMU q35, the machine dts/boards/qemu-x86_64-q35.dts states.
#
#   qemu_x86.sh [--boot kernel|grub] [--timeout SECONDS] O [-- EXTRA-QEMU-ARGS...]
#       Interactive: console on stdio, Ctrl-A x quits (default: QEMU -kernel, 1 h limit).
#   qemu_x86.sh --print-args kernel|grub O
#       Print the boot-specific QEMU arguments, one per line, for tests/system scripts that
#       add the machine and console arguments themselves.
#
# O is a build directory: O/bulkhead.elf for --boot kernel (QEMU's multiboot v1 loader),
# O/images/bulkhead.iso (make image) for grub. Guest images are not part of the hypervisor:
# with --boot kernel, each line of the build's O/dts/staged.list ("<address> <size> <sha256>
# <file>", guests/stage.sh) becomes a QEMU -device loader that puts the file at its staging
# address; the GRUB ISO carries them as multiboot2 modules instead (docs/x86.md).
# BH_STAGED_LIST overrides the list (tests that load a corrupted copy).
set -euo pipefail

# shellcheck source=tools/qemu_staged.sh
. "$(dirname "$0")/qemu_staged.sh"

MACHINE=(qemu-system-x86_64 -M q35 -cpu qemu64,+svm,+npt -smp 4 -m 2G
    -device isa-debug-exit,iobase=0xf4,iosize=0x04)

usage() {
    echo "usage: $0 [--boot kernel|grub] [--timeout SECONDS] O [-- QEMU-ARGS...]" >&2
    echo "       $0 --print-args kernel|grub O" >&2
    exit 2
}

# boot_args METHOD O: the arguments that load Bulkhead, one per line.
boot_args() {
    local method=$1 o=$2
    case $method in
    kernel)
        [ -f "$o/bulkhead.elf" ] || { echo "$0: $o/bulkhead.elf missing: run make" >&2; return 1; }
        printf '%s\n' -kernel "$o/bulkhead.elf"
        staged_loader_args "${BH_STAGED_LIST:-$o/dts/staged.list}"
        ;;
    grub)
        [ -f "$o/images/bulkhead.iso" ] ||
            { echo "$0: $o/images/bulkhead.iso missing: run make image" >&2; return 1; }
        printf '%s\n' -cdrom "$o/images/bulkhead.iso"
        ;;
    *)
        usage
        ;;
    esac
}

qemu_main qemu_x86 kernel "$@"
