#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Run a built arm64 Bulkhead on the QEMU model of the board O is configured for
# (CONFIG_BOARD): QEMU virt (dts/boards/qemu-arm64-virt.dts; gic-version=2 for
# qemu-arm64-virt-gicv2), or the models of the real
# boards, raspi4b, xlnx-zcu102 and imx8mp-evk (dts/boards/, docs/boards/).
#
#   qemu_arm64.sh [--boot uboot|kernel] [--timeout SECONDS] O [-- EXTRA-QEMU-ARGS...]
#       Interactive: console on stdio, Ctrl-A x quits (1 h limit). Default: through U-Boot
#       on virt; the real boards' models have no U-Boot flash, so the Image is loaded as
#       their boot loader would (kernel: QEMU -kernel at RAM base + text_offset).
#   qemu_arm64.sh --print-args uboot|kernel O
#       Print the boot-specific QEMU arguments, one per line, for tests/system scripts that
#       add the machine and console arguments themselves.
#   qemu_arm64.sh --print-machine O
#       Print the board's machine arguments, one per line (the console's -serial comes
#       right after them: the i.MX 8M Plus EVK's console is the second UART).
#
# O is a build directory: O/bulkhead.bin for --boot kernel, O/images/ (make image) for uboot.
# Guest images are not part of bulkhead.bin: with --boot kernel, each line of the build's
# O/dts/staged.list ("<address> <size> <sha256> <file>", guests/stage.sh) becomes a QEMU
# -device loader that puts the file at its staging address, as U-Boot does for the FIT's
# loadables. BH_STAGED_LIST overrides the list (tests that load a corrupted copy).
# U-Boot boot: Debian's qemu_arm64 U-Boot as firmware (it stays at EL2 and leaves HCR_EL2 and
# CPTR_EL2 for the hypervisor to initialise), its environment in flash bank 1, the FIT placed
# in RAM by QEMU's generic loader; the environment's bootcmd runs `bootm` at once.
set -euo pipefail

# shellcheck source=tools/qemu_staged.sh
. "$(dirname "$0")/qemu_staged.sh"

UBOOT_BIN=/usr/lib/u-boot/qemu_arm64/u-boot.bin
MACHINE=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,iommu=smmuv3
    -cpu cortex-a57 -smp 4 -m 2G)

# board_config O KEY: a value of O's configuration (quotes removed), empty when unset.
board_config() {
    sed -n "s/^$2=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$1/.config" 2>/dev/null
}

# The machine of each board (BRIEF 9): the real boards' models with the 2 GiB and 4 CPUs
# their DTs state; the i.MX 8M Plus EVK's console is UART2, QEMU's second serial port.
board_machine() {
    local board
    board=$(board_config "$1" CONFIG_BOARD)
    case $board in
    '' | qemu-arm64-virt) ;;
    qemu-arm64-virt-gicv2) MACHINE=("${MACHINE[@]/gic-version=3/gic-version=2}") ;;
    raspi4b) MACHINE=(qemu-system-aarch64 -M raspi4b -m 2G) ;;
    xlnx-zcu102) MACHINE=(qemu-system-aarch64 -M xlnx-zcu102,virtualization=on -m 2G) ;;
    imx8mp-evk) MACHINE=(qemu-system-aarch64 -M imx8mp-evk -smp 4 -m 2G -serial null) ;;
    *) echo "$0: no QEMU model for board \"$board\"" >&2; return 1 ;;
    esac
}

# U-Boot from flash on virt; the Image straight from QEMU on the real boards' models.
board_boot() {
    case $(board_config "$1" CONFIG_BOARD) in
    '' | qemu-arm64-virt | qemu-arm64-virt-gicv2) echo uboot ;;
    *) echo kernel ;;
    esac
}

usage() {
    echo "usage: $0 [--boot uboot|kernel] [--timeout SECONDS] O [-- QEMU-ARGS...]" >&2
    echo "       $0 --print-args uboot|kernel O" >&2
    exit 2
}

# boot_args METHOD O: the arguments that load Bulkhead, one per line.
boot_args() {
    local method=$1 o=$2
    case $method in
    kernel)
        [ -f "$o/bulkhead.bin" ] || { echo "$0: $o/bulkhead.bin missing: run make" >&2; return 1; }
        printf '%s\n' -kernel "$o/bulkhead.bin"
        staged_loader_args "${BH_STAGED_LIST:-$o/dts/staged.list}"
        ;;
    uboot)
        local img=$o/images
        for f in bulkhead.itb uboot-env.img fit-addr; do
            [ -f "$img/$f" ] || { echo "$0: $img/$f missing: run make image" >&2; return 1; }
        done
        [ -f "$UBOOT_BIN" ] || { echo "$0: $UBOOT_BIN missing (u-boot-qemu; run tools/setup)" >&2; return 1; }
        printf '%s\n' -bios "$UBOOT_BIN" \
            -drive "if=pflash,unit=1,format=raw,readonly=on,file=$img/uboot-env.img" \
            -device "loader,file=$img/bulkhead.itb,addr=$(cat "$img/fit-addr"),force-raw=on"
        ;;
    *)
        usage
        ;;
    esac
}

qemu_main qemu_arm64 uboot "$@"
