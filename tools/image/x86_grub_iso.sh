#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Build a BIOS-bootable GRUB rescue ISO that starts the hypervisor with multiboot2.
#   x86_grub_iso.sh ELF GRUB_CFG OUT_ISO
# Needs grub-mkrescue (grub-common) with the i386-pc platform (grub-pc-bin), xorriso and
# mtools, all in tools/setup.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 ELF GRUB_CFG OUT_ISO" >&2
    exit 2
fi
elf=$1 cfg=$2 out=$3
for tool in grub-mkrescue xorriso; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found (run tools/setup)" >&2; exit 1; }
done
if [ ! -d /usr/lib/grub/i386-pc ]; then
    echo "$0: GRUB's i386-pc platform is missing (grub-pc-bin; run tools/setup)" >&2
    exit 1
fi

stage=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$stage" "$log"' EXIT
mkdir -p "$stage/boot/grub" "$(dirname "$out")"
cp "$elf" "$stage/boot/bulkhead.elf"
cp "$cfg" "$stage/boot/grub/grub.cfg"
# Only the BIOS platform: the test machines boot SeaBIOS, and an EFI image would need
# packages the project does not install.
if ! grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out.tmp" "$stage" >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
mv "$out.tmp" "$out"
