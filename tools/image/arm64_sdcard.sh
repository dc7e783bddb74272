#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The SD-card image of a real arm64 board (`make image`, docs/boards/<board>.md):
#   OUT/boot.cmd     the U-Boot boot script's source
#   OUT/boot.scr     that script for U-Boot's `source` (mkimage -T script)
#   OUT/sdcard.img   an MBR disk: partition 1, FAT32 (type 0x0c, bootable) at 1 MiB, holding
#                    boot.scr at its root (where U-Boot's distro boot looks: boot_scripts),
#                    bulkhead.itb (the FIT: hypervisor, DTB, guest images as loadables) and,
#                    with --rpi-uboot, what the Pi's firmware and U-Boot need (see below)
#
#   arm64_sdcard.sh --board NAME --image BIN --fit ITB --load ADDR --fit-addr ADDR
#                   [--staged LIST] [--rpi-uboot U-BOOT.BIN] --out DIR
#
# Without --rpi-uboot (ZCU102, i.MX 8M Plus: the vendor's first-stage firmware and U-Boot
# come from BOOT.BIN / flash.bin, docs/boards/), boot.scr loads bulkhead.itb at ADDR and runs
# `bootm`: U-Boot copies the hypervisor to its load address and every guest image to its
# staging address, checking each one's SHA-256 on the way.
# With --rpi-uboot (Raspberry Pi 4): the FAT also gets that U-Boot as u-boot-rpi4.bin and a
# config.txt naming it as the firmware's "kernel". Debian's U-Boot for the Pi is built
# without FIT support (CONFIG_FIT is not set in u-boot-rpi 2023.01), so there boot.scr loads
# the same pieces one by one: bulkhead.bin at the hypervisor's load address, each staged
# guest image (staged/<n>-<name>) at its staging address (the hypervisor checks the SHA-256
# its DTB records), then `booti`. The Pi's own boot firmware (start4.elf, fixup4.dat) is not
# in Debian main and is not carried: docs/boards/raspi4b.md says where to get it.
#
# LIST is the build's staged-image list (guests/stage.sh: "<address> <size> <sha256> <file>").
# Needs mkimage (u-boot-tools), sfdisk (fdisk) and mformat/mcopy/mmd (mtools): tools/setup.
set -euo pipefail

usage() {
    echo "usage: $0 --board NAME --image BIN --fit ITB --load ADDR --fit-addr ADDR [--staged LIST] [--rpi-uboot BIN] --out DIR" >&2
    exit 2
}

board= image= fit= load= fit_addr= staged= rpi_uboot= out=
while [ $# -gt 0 ]; do
    case $1 in
    --board) board=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    --fit) fit=$2; shift 2 ;;
    --load) load=$2; shift 2 ;;
    --fit-addr) fit_addr=$2; shift 2 ;;
    --staged) staged=$2; shift 2 ;;
    --rpi-uboot) rpi_uboot=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) usage ;;
    esac
done
[ -n "$board" ] && [ -n "$image" ] && [ -n "$fit" ] && [ -n "$load" ] && [ -n "$fit_addr" ] &&
    [ -n "$out" ] || usage
PATH=$PATH:/usr/sbin:/sbin
for tool in mkimage sfdisk mformat mcopy mmd; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found (run tools/setup)" >&2; exit 1; }
done
for f in "$image" "$fit" ${staged:+"$staged"}; do
    [ -f "$f" ] || { echo "$0: $f: no such file" >&2; exit 1; }
done
if [ -n "$rpi_uboot" ] && [ ! -s "$rpi_uboot" ]; then
    echo "$0: $rpi_uboot missing: Debian's u-boot-rpi is fetched by tools/setup (tools/fetch_uboot_rpi.sh)" >&2
    exit 1
fi

mkdir -p "$out"
work=$(mktemp -d "$out/.sdcard.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/fat"
hex() { printf '0x%08x' $(($1)); }

# The boot script. Distro boot sets devtype, devnum and distro_bootpart before `source`;
# the defaults cover running it by hand from the first SD/MMC device.
src="load \${devtype} \${devnum}:\${distro_bootpart}"
{
    echo "# Bulkhead boot script for $board (tools/image/arm64_sdcard.sh). U-Boot's distro boot"
    echo "# finds boot.scr at the root of the FAT partition and runs it."
    echo "if test -z \"\${devtype}\"; then setenv devtype mmc; fi"
    echo "if test -z \"\${devnum}\"; then setenv devnum 0; fi"
    echo "if test -z \"\${distro_bootpart}\"; then setenv distro_bootpart 1; fi"
    if [ -z "$rpi_uboot" ]; then
        echo "echo Bulkhead: loading bulkhead.itb"
        echo "$src $(hex "$fit_addr") bulkhead.itb"
        echo "bootm $(hex "$fit_addr")"
        echo "echo Bulkhead: bootm $(hex "$fit_addr") failed"
    else
        echo "echo Bulkhead: loading bulkhead.bin and the guest images"
        echo "$src $(hex "$load") bulkhead.bin"
        if [ -n "$staged" ]; then
            n=0
            while read -r addr size sum file; do
                [ "$(stat -L -c %s "$file")" = "$size" ] ||
                    { echo "$0: $file: not the $size bytes staged at $addr: run make" >&2; exit 1; }
                name=$n-$(basename "$file")
                mkdir -p "$work/fat/staged"
                cp "$file" "$work/fat/staged/$name"
                echo "$src $(hex "$addr") staged/$name"
                n=$((n + 1))
            done <"$staged"
        fi
        # The hypervisor reads its configuration from the DTB it embeds; x0 (U-Boot's own
        # DTB here) is not used.
        echo "booti $(hex "$load") - \${fdtcontroladdr}"
        echo "echo Bulkhead: booti $(hex "$load") failed"
    fi
} >"$out/boot.cmd"
mkimage -q -A arm64 -O linux -T script -C none -n "Bulkhead $board" -d "$out/boot.cmd" \
    "$out/boot.scr.tmp" >/dev/null
mv "$out/boot.scr.tmp" "$out/boot.scr"

cp "$out/boot.scr" "$work/fat/boot.scr"
cp "$fit" "$work/fat/bulkhead.itb"
if [ -n "$rpi_uboot" ]; then
    cp "$image" "$work/fat/bulkhead.bin"
    cp "$rpi_uboot" "$work/fat/u-boot-rpi4.bin"
    # The Pi firmware's config.txt: a 64-bit "kernel" (U-Boot) entered at EL2 through the
    # firmware's armstub (spin table at 0xd8 for the secondaries), the GIC-400 enabled, the
    # PL011 (UART0) on GPIO 14/15 as the console (the disable-bt overlay moves Bluetooth off
    # it; overlays/disable-bt.dtbo comes with the firmware, docs/boards/raspi4b.md).
    cat >"$work/fat/config.txt" <<'CFG'
# Bulkhead on the Raspberry Pi 4 (tools/image/arm64_sdcard.sh)
arm_64bit=1
enable_gic=1
enable_uart=1
dtoverlay=disable-bt
kernel=u-boot-rpi4.bin
CFG
fi

# The FAT partition: at least 64 MiB (FAT32's minimum cluster count with 512-byte sectors
# needs about 33 MiB), more when the payload is large (a Linux guest), with room to spare.
payload_kib=$(du -sk "$work/fat" | cut -f1)
fat_mib=$(((payload_kib / 1024) * 3 / 2 + 16))
[ "$fat_mib" -ge 64 ] || fat_mib=64
truncate -s "${fat_mib}M" "$work/fat.img"
# Fixed volume serial and disk identifier: the same inputs give the same image.
mformat -i "$work/fat.img" -F -v BULKHEAD -N 42484b31 ::
(cd "$work/fat" && find . -mindepth 1 -type d | sed 's|^\./||' | sort |
    while read -r d; do mmd -i "$work/fat.img" "::$d"; done)
(cd "$work/fat" && find . -type f | sed 's|^\./||' | sort |
    while read -r f; do mcopy -i "$work/fat.img" "$f" "::$f"; done)

# The disk: an MBR with the FAT partition at 1 MiB (sector 2048), marked bootable (the Pi's
# boot ROM and U-Boot's distro boot both read the first FAT partition).
truncate -s $(((fat_mib + 1) * 1024 * 1024)) "$work/sdcard.img"
printf 'label: dos\nlabel-id: 0x42484b31\nstart=2048, size=%d, type=c, bootable\n' \
    $((fat_mib * 2048)) | sfdisk -q "$work/sdcard.img"
dd if="$work/fat.img" of="$work/sdcard.img" bs=1M seek=1 conv=notrunc status=none
mv "$work/sdcard.img" "$out/sdcard.img"
