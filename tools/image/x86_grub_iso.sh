#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Build a GRUB rescue ISO (BIOS; with --efi also EFI) that starts the hypervisor with multiboot2.
#   x86_grub_iso.sh [--efi] ELF GRUB_CFG OUT_ISO [STAGED_LIST]
# --efi: EFI and BIOS in one image (real boards' USB sticks, CONFIG_IMAGE_USB_EFI): GRUB for
# x86_64-efi too (grub-efi-amd64-bin), as an EFI system partition holding EFI/BOOT/BOOTX64.EFI
# beside the i386-pc El Torito image. grub-mkrescue writes an isohybrid image: written
# to a USB stick as is, its MBR partition table shows the ESP to EFI firmware and its MBR boot
# code starts GRUB's i386-pc core on BIOS.
# STAGED_LIST (the build's dts/staged.list, guests/stage.sh: "<address> <size> <sha256> <file>"
# per line): each file goes on the ISO as /boot/staged/<n>-<name> and GRUB_CFG's
# "@STAGED_MODULES@" line becomes one "module2 /boot/staged/<n>-<name> <sha256>" per file:
# GRUB loads modules anywhere, and the hypervisor copies each to the staging address the build
# recorded for that digest (arch/x86/stage.c). Without STAGED_LIST the line is dropped.
# Needs grub-mkrescue (grub-common) with the i386-pc platform (grub-pc-bin), for --efi also
# x86_64-efi (grub-efi-amd64-bin), xorriso and mtools, all in tools/setup.
set -euo pipefail

efi=
if [ "${1:-}" = --efi ]; then
    efi=1
    shift
fi
if [ $# -ne 3 ] && [ $# -ne 4 ]; then
    echo "usage: $0 [--efi] ELF GRUB_CFG OUT_ISO [STAGED_LIST]" >&2
    exit 2
fi
elf=$1 cfg=$2 out=$3 list=${4:-}
for tool in grub-mkrescue xorriso; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found (run tools/setup)" >&2; exit 1; }
done
if [ ! -d /usr/lib/grub/i386-pc ]; then
    echo "$0: GRUB's i386-pc platform is missing (grub-pc-bin; run tools/setup)" >&2
    exit 1
fi
if [ -n "$efi" ] && [ ! -d /usr/lib/grub/x86_64-efi ]; then
    echo "$0: GRUB's x86_64-efi platform is missing (grub-efi-amd64-bin; run tools/setup)" >&2
    exit 1
fi

stage=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$stage" "$log"' EXIT
mkdir -p "$stage/boot/grub" "$(dirname "$out")"
cp "$elf" "$stage/boot/bulkhead.elf"
modules=
if [ -n "$list" ]; then
    mkdir -p "$stage/boot/staged"
    n=0
    while read -r addr size sum file; do
        [ -f "$file" ] || { echo "$0: $file (staged at $addr) missing: run make" >&2; exit 1; }
        [ "$(stat -L -c %s "$file")" = "$size" ] ||
            { echo "$0: $file: not the $size bytes staged at $addr: run make" >&2; exit 1; }
        name=$n-$(basename "$file")
        cp "$file" "$stage/boot/staged/$name"
        modules+="    module2 /boot/staged/$name $sum"$'\n'
        n=$((n + 1))
    done <"$list"
fi
grep -q '^ *@STAGED_MODULES@$' "$cfg" || { echo "$0: $cfg: no @STAGED_MODULES@ line" >&2; exit 1; }
while IFS= read -r line; do
    if [[ $line =~ ^\ *@STAGED_MODULES@$ ]]; then
        printf '%s' "$modules"
    else
        printf '%s\n' "$line"
    fi
done <"$cfg" >"$stage/boot/grub/grub.cfg"
# BIOS only for QEMU (SeaBIOS). With --efi, no -d: grub-mkrescue then takes every GRUB
# platform installed under /usr/lib/grub (tools/setup installs i386-pc and x86_64-efi; it
# checks for both above), the Ryzen board's firmware wants x86_64-efi or a BIOS (CSM) boot.
platforms=(-d /usr/lib/grub/i386-pc)
[ -z "$efi" ] || platforms=()
if ! grub-mkrescue ${platforms[@]+"${platforms[@]}"} -o "$out.tmp" "$stage" >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
mv "$out.tmp" "$out"
