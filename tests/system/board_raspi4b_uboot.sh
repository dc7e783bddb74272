#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The Raspberry Pi 4's SD-card image booted as on the board, from the U-Boot stage on: QEMU's
# raspi4b runs no VideoCore firmware, so QEMU starts Debian's U-Boot for the Pi (the image's
# u-boot-rpi4.bin, from the tools/setup cache) with -kernel and the Pi 4 device tree of
# Debian's kernel package (-dtb, what the firmware would pass), the image as the SD card.
# U-Boot's distro boot must find boot.scr on the FAT partition and run it: load bulkhead.bin
# and the staged guest image, booti; the hypervisor then verifies the image's SHA-256 and
# runs the default layout's ping-pong under the test monitor. One boot:
#   board_raspi4b_uboot
# Decided by the semihosting exit status, the hypervisor's verdict line with the run's nonce,
# whole console lines, and U-Boot's own lines (its console is the mini UART, QEMU's second
# serial port, without the firmware's disable-bt overlay).
# Skipped (counted, with the reason) when the Debian payloads are missing and CI is unset.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/board.sh"

name=board_raspi4b_uboot
dtb=$("$BH_TOP/tools/fetch_linux.sh" --dir)/bcm2711-rpi-4-b.dtb
uboot=$("$BH_TOP/tools/fetch_uboot_rpi.sh" --dir)/u-boot.bin
if [ ! -s "$dtb" ] || [ ! -s "$uboot" ]; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL $name: $dtb or $uboot missing; run tools/setup"
        exit 1
    fi
    echo "SKIP $name: $dtb or $uboot missing (run tools/setup)"
    exit 0
fi
dir=$(bh_build_image "$name" raspi4b_defconfig tests/system/layouts/raspi4b_pingpong.config) || exit 1
# QEMU wants an SD card whose size is a power of two: pad a copy (a real card is larger).
sd=$dir/sd.img
cp "$dir/images/sdcard.img" "$sd"
size=$(stat -c %s "$sd") pow=1
while [ "$pow" -lt "$size" ]; do pow=$((pow * 2)); done
truncate -s "$pow" "$sd"
log=$BH_OUT/logs/$name.console
ulog=$BH_OUT/logs/$name.uboot
rm -f "$ulog"
mapfile -t machine < <("$BH_TOP/tools/qemu_arm64.sh" --print-machine "$dir")
BH_QEMU_TAIL=(-serial "file:$ulog")
bh_qemu 240 "$log" "${machine[@]}" -semihosting-config enable=on,target=native,chardev=bh_semihost \
    -kernel "$(dirname "$uboot")/u-boot.bin" -dtb "$dtb" -drive "if=sd,format=raw,file=$sd"
status=$?
rc=0
bh_verdict "$name" "$status" "$BH_ARM64_PASS" "$log" 'U-Boot 2023\.01.*' \
    'Bulkhead .* \(raspi4b, arm64, .*\)' 'arm64: entered at EL2;.*' '4 of 4 CPUs online' \
    '    image   guests/arm64/pingpong\.bin \([0-9]+ bytes staged at 0x10000000, sha256 .*' \
    "${board_pingpong_markers[@]}" 'monitor: all partitions stopped, PASS' || rc=1
for m in 'Found U-Boot script /boot\.scr' 'Bulkhead: loading bulkhead\.bin and the guest images'; do
    if ! tr -d '\r' <"$ulog" | grep -Eqx "$m"; then
        echo "FAIL ${name}_script: U-Boot's console has no line '$m' ($ulog)"
        rc=1
    fi
done
[ "$rc" -ne 0 ] || echo "PASS ${name}_script"
exit $rc
