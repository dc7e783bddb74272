#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Debian's Linux kernel and static busybox, the payload of the Linux partitions
# (arm64: dts/partitions/qemu-arm64-virt-linux.dtsi, tests/system/arm64_linux.sh;
# x86-64: dts/partitions/qemu-x86_64-q35-linux.dtsi, tests/system/x86_linux.sh; `make run`).
# Downloaded with `apt-get download` from the machine's own Debian sources into a cache
# outside the tree, never into it:
#
#   $BULKHEAD_CACHE, else /var/cache/bulkhead as root, else $XDG_CACHE_HOME/bulkhead
#   (default ~/.cache/bulkhead); the payload is its linux-arm64/ or linux-x86_64/ directory:
#       Image            arm64: the kernel (Debian ships an uncompressed arm64 Image as vmlinuz)
#       vmlinux          x86_64: the kernel's ELF, extracted from the bzImage (below)
#       busybox          static busybox of that architecture (the shell of `make run`)
#       modules/         arm64: uio.ko, uio_pci_generic.ko (the ivshmem-style PCI function
#                        through user space); virtio_pci_modern_dev.ko, virtio_pci_legacy_dev.ko,
#                        virtio_pci.ko, virtio_blk.ko (a passed-through virtio-blk disk: Debian
#                        builds them as modules, CONFIG_VIRTIO_PCI=m, CONFIG_VIRTIO_BLK=m)
#       config           the kernel's build configuration
#       bcm2711-rpi-4-b.dtb  the Raspberry Pi 4's device tree from the same package (what the
#                        Pi firmware hands to U-Boot; tests/system/board_raspi4b_uboot.sh
#                        gives it to Debian's U-Boot on QEMU's raspi4b, which has no firmware)
#       VERSION          "<kernel package> <version>" and "<busybox package> <version>"
#
#   fetch_linux.sh [--arch arm64|x86_64]            fetch unless the cache is complete
#                                                   (idempotent, no network then)
#   fetch_linux.sh [--arch A] --refresh             resolve and fetch again even if complete
#   fetch_linux.sh [--arch A] --check               exit 0 when the cache is complete, 1 (with
#                                                   the reason) if not
#   fetch_linux.sh [--arch A] --dir                 print the payload directory
#
# The default architecture is arm64. The kernel is picked by the meta-package:
# `linux-image-<arch>` depends on exactly one `linux-image-<abi>-<arch>` (the current ABI of
# the release), which is what a fresh Debian 12 machine resolves today and tomorrow. arm64
# needs root for `dpkg --add-architecture arm64` and `apt-get update` the first time;
# `apt-get download` itself needs neither.
#
# x86_64: Debian's amd64 package has only a bzImage (CONFIG_PVH=y). Its protected-mode part
# starts at (setup_sects + 1) * 512 (setup_sects = byte 0x1f1, 0 meaning 4) and carries the
# compressed kernel at payload_offset (u32 at 0x248) for payload_length bytes (u32 at 0x24c)
# (Linux boot protocol 2.08+, Documentation/arch/x86/boot.rst). The payload is the xz-compressed
# `objcopy -S` of vmlinux followed by its relocations and the size: `xz --single-stream`
# decompresses the first stream and ignores the rest, leaving the ELF with its PVH note
# (XEN_ELFNOTE_PHYS32_ENTRY), which the hypervisor loads (arch/x86/elf.c).
set -euo pipefail

# shellcheck source=tools/cache.sh
. "$(dirname "$0")/cache.sh"

arch=arm64
if [ "${1:-}" = --arch ]; then
    arch=${2:-}
    shift 2 || true
fi
case $arch in
arm64)
    deb_arch=arm64
    kernel_file=Image
    EXTRA=(bcm2711-rpi-4-b.dtb)
    MODULES=(kernel/drivers/uio/uio.ko kernel/drivers/uio/uio_pci_generic.ko
        kernel/drivers/virtio/virtio_pci_modern_dev.ko
        kernel/drivers/virtio/virtio_pci_legacy_dev.ko
        kernel/drivers/virtio/virtio_pci.ko kernel/drivers/block/virtio_blk.ko)
    ;;
x86_64)
    deb_arch=amd64
    kernel_file=vmlinux
    EXTRA=()
    MODULES=()
    ;;
*) echo "fetch_linux: unknown architecture '$arch' (arm64, x86_64)" >&2; exit 2 ;;
esac
dir=$(cache_root)/linux-$arch

USAGE="$0 [--arch arm64|x86_64] [--check|--dir|--refresh]"
files=("$kernel_file" busybox config VERSION "${EXTRA[@]}" "${MODULES[@]/#*\//modules/}")
cache_start fetch_linux "$dir" "${1:-}" "${files[@]}"

SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo -n)
native=$(dpkg --print-architecture)
if [ "$deb_arch" != "$native" ] && ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
    "${SUDO[@]}" dpkg --add-architecture "$deb_arch"
    "${SUDO[@]}" apt-get update -q
fi
# The meta-package's one linux-image-* dependency is the current ABI.
resolve_kernel() {
    apt-cache depends "linux-image-$deb_arch:$deb_arch" 2>/dev/null |
        sed -n "s/^ *Depends: \(linux-image-[0-9][^:]*-$deb_arch\)\(:$deb_arch\)\{0,1\}\$/\1/p" |
        head -n 1
}
kernel=$(resolve_kernel)
if [ -z "$kernel" ]; then
    # Lists fetched before the architecture was added have no packages for it: refresh once.
    "${SUDO[@]}" apt-get update -q
    kernel=$(resolve_kernel)
fi
[ -n "$kernel" ] || { echo "fetch_linux: cannot resolve linux-image-$deb_arch:$deb_arch" >&2; exit 1; }

mkdir -p "$dir"
work=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
# apt-get download writes into the current directory; _apt cannot write into a root-owned
# private directory, which only costs a warning ("unsandboxed"), so allow it.
(cd "$work" && chmod 755 . && apt-get download -q "$kernel:$deb_arch" "busybox-static:$deb_arch")
kdeb=$(ls "$work"/linux-image-*_"$deb_arch".deb)
bdeb=$(ls "$work"/busybox-static_*_"$deb_arch".deb)
mkdir "$work/k" "$work/b" "$work/out" "$work/out/modules"
dpkg-deb -x "$kdeb" "$work/k"
dpkg-deb -x "$bdeb" "$work/b"
cp "$work"/k/boot/config-* "$work/out/config"

# Little-endian unsigned integer of $3 bytes at offset $2 of file $1.
le() {
    od -An -tu"$3" -j "$2" -N "$3" --endian=little "$1" | tr -d ' '
}

case $arch in
arm64)
    cp "$work"/k/boot/vmlinuz-* "$work/out/Image"
    cp "$work"/k/usr/lib/linux-image-*/broadcom/bcm2711-rpi-4-b.dtb "$work/out/"
    # The Image must be uncompressed (magic "ARM\x64" at 0x38): the hypervisor loads it as is.
    [ "$(od -An -c -j 56 -N 4 "$work/out/Image" | tr -d ' ')" = 'ARMd' ] || {
        echo "fetch_linux: $kernel: vmlinuz is not an uncompressed arm64 Image" >&2
        exit 1
    }
    ;;
x86_64)
    bz=$(ls "$work"/k/boot/vmlinuz-*)
    # Setup header (boot protocol): "HdrS" at 0x202, version >= 2.08 for payload_offset.
    [ "$(od -An -c -j 514 -N 4 "$bz" | tr -d ' ')" = HdrS ] &&
        [ "$(le "$bz" 518 2)" -ge 520 ] || {
        echo "fetch_linux: $kernel: $bz is not a bzImage of boot protocol >= 2.08" >&2
        exit 1
    }
    sects=$(le "$bz" 497 1)
    [ "$sects" -ne 0 ] || sects=4
    start=$(((sects + 1) * 512 + $(le "$bz" 584 4)))
    length=$(le "$bz" 588 4)
    magic=$(od -An -tx1 -j "$start" -N 6 "$bz" | tr -d ' ')
    [ "$magic" = fd377a585a00 ] || {
        echo "fetch_linux: $kernel: the bzImage payload is not xz (magic $magic)" >&2
        exit 1
    }
    head -c $((start + length)) "$bz" | tail -c "$length" |
        xz -dc --single-stream >"$work/out/vmlinux"
    [ "$(od -An -tx1 -N 5 "$work/out/vmlinux" | tr -d ' ')" = 7f454c4602 ] || {
        echo "fetch_linux: $kernel: the decompressed payload is not an ELF64" >&2
        exit 1
    }
    ;;
esac
for m in "${MODULES[@]}"; do
    cp "$work"/k/lib/modules/*/"$m" "$work/out/modules/"
done
cp "$work/b/bin/busybox" "$work/out/busybox"
{
    echo "$(dpkg-deb -f "$kdeb" Package) $(dpkg-deb -f "$kdeb" Version)"
    echo "$(dpkg-deb -f "$bdeb" Package) $(dpkg-deb -f "$bdeb" Version)"
} >"$work/out/VERSION"
rm -rf "$dir/modules"
[ "${#MODULES[@]}" -gt 0 ] || rmdir "$work/out/modules"
mv "$work"/out/* "$dir/"
cache_start fetch_linux "$dir" "" "${files[@]}"
echo "fetch_linux: $dir is incomplete after the download" >&2
exit 1
