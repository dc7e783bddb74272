#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The AMD Ryzen Embedded V1000 board's USB image (make image, amd_ryzen_v1000_defconfig) booted
# the way a BIOS boots a USB stick: QEMU q35 with 8 CPUs standing in for the board (QEMU has
# no model of it; SVM + NPT, no IOMMU), the image as a raw disk, SeaBIOS running the image's
# MBR boot code, GRUB's i386-pc core loading bulkhead.elf and the staged guest image by
# multiboot2, the default layout (two partitions of four threads each) exchanging 64
# messages. One boot:
#   board_amd_ryzen_v1000_usb_bios
# Decided by the test monitor's isa-debug-exit status and whole console lines. The image's
# EFI path is not booted (no EFI firmware is installed); tests/host/board_images.sh checks it.
. "$(dirname "$0")/lib.sh"

name=board_amd_ryzen_v1000_usb_bios
dir=$(bh_build_image "$name" amd_ryzen_v1000_defconfig tests/system/layouts/v1000_pingpong.config) || exit 1
# A copy: the boot must not change the build's image.
cp "$dir/images/bulkhead.iso" "$dir/usb.img"
log=$BH_OUT/logs/$name.console
# bh_x86_machine with the board's 8 hardware threads.
machine=(qemu-system-x86_64 -M q35 -cpu qemu64,+svm,+npt -smp 8 -m 2G
    -device isa-debug-exit,iobase=0xf4,iosize=0x04)
bh_qemu 240 "$log" "${machine[@]}" -no-reboot -drive "file=$dir/usb.img,format=raw,if=ide"
bh_verdict "$name" $? "$BH_X86_PASS" "$log" \
    'Bulkhead .*\(amd-ryzen-v1000, x86.*' '  CPUs: 8 .*' '8 of 8 CPUs online' \
    'cpu7: online \(hwid 0x7\)' 'acpi: RSDP at 0x[0-9a-f]+ \(multiboot2 tag\)' \
    'multiboot2: module 0: [0-9]+ bytes copied from 0x[0-9a-f]+ to 0x3c000000' \
    'config: 2 partitions, 2 shared regions, console /isa/serial@i3f8' \
    'partition 2 "worker": starting vcpu 0 on cpu4 at 0x100000, .*' \
    'control: pingpong: producer: 64 messages acknowledged, digest 0x[0-9a-f]+ matches' \
    'worker: pingpong: consumer: 64 messages verified' \
    'control: guest: PASS' 'worker: guest: PASS' 'monitor: all partitions stopped, PASS'
