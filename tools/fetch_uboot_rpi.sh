#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Debian's arm64 U-Boot for the Raspberry Pi 4 (package u-boot-rpi, Debian main), which the
# raspi4b SD-card image carries (tools/image/arm64_sdcard.sh, docs/boards/raspi4b.md).
# Downloaded with `apt-get download u-boot-rpi:arm64` into the cache outside the tree
# (tools/cache.sh), never into it; its u-boot-rpi/ directory holds:
#       u-boot.bin   usr/lib/u-boot/rpi_4/u-boot.bin (an arm64 binary the Pi firmware starts
#                    at EL2 as its "kernel")
#       VERSION      "<package> <version>"
#
#   fetch_uboot_rpi.sh            fetch unless the cache is complete (idempotent)
#   fetch_uboot_rpi.sh --refresh  fetch again even if complete
#   fetch_uboot_rpi.sh --check    exit 0 when the cache is complete, 1 (with the reason) if not
#   fetch_uboot_rpi.sh --dir      print the payload directory
#
# Needs the arm64 dpkg architecture (tools/fetch_linux.sh adds it the first time).
set -euo pipefail

# shellcheck source=tools/cache.sh
. "$(dirname "$0")/cache.sh"
dir=$(cache_root)/u-boot-rpi

cache_start fetch_uboot_rpi "$dir" "${1:-}" u-boot.bin VERSION

mkdir -p "$dir"
work=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
# As in fetch_linux.sh: _apt cannot write into a root-owned private directory (a warning only).
(cd "$work" && chmod 755 . && apt-get download -q u-boot-rpi:arm64)
deb=$(ls "$work"/u-boot-rpi_*_arm64.deb)
dpkg-deb -x "$deb" "$work/x"
bin=$work/x/usr/lib/u-boot/rpi_4/u-boot.bin
[ -s "$bin" ] || { echo "fetch_uboot_rpi: $deb has no rpi_4/u-boot.bin" >&2; exit 1; }
cp "$bin" "$dir/u-boot.bin.tmp"
echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >"$dir/VERSION.tmp"
mv "$dir/u-boot.bin.tmp" "$dir/u-boot.bin"
mv "$dir/VERSION.tmp" "$dir/VERSION"
cache_start fetch_uboot_rpi "$dir" "" u-boot.bin VERSION
echo "fetch_uboot_rpi: $dir is incomplete after the download" >&2
exit 1
