#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Debian's arm64 Linux kernel and static busybox, the payload of the Linux partition
# (dts/partitions/qemu-arm64-virt-linux.dtsi, tests/system/arm64_linux.sh, `make run`).
# Downloaded with `apt-get download` from the machine's own Debian sources into a cache
# outside the tree, never into it:
#
#   $BULKHEAD_CACHE, else /var/cache/bulkhead as root, else $XDG_CACHE_HOME/bulkhead
#   (default ~/.cache/bulkhead); the payload is its linux-arm64/ directory:
#       Image            the kernel (Debian ships an uncompressed arm64 Image as vmlinuz)
#       busybox          static arm64 busybox (the interactive shell of `make run`)
#       modules/         uio.ko, uio_pci_generic.ko (the ivshmem-style PCI function through
#                        user space); virtio_pci_modern_dev.ko, virtio_pci_legacy_dev.ko,
#                        virtio_pci.ko, virtio_blk.ko (a passed-through virtio-blk disk: Debian
#                        builds them as modules, CONFIG_VIRTIO_PCI=m, CONFIG_VIRTIO_BLK=m)
#       config           the kernel's build configuration
#       bcm2711-rpi-4-b.dtb  the Raspberry Pi 4's device tree from the same package (what the
#                        Pi firmware hands to U-Boot; tests/system/board_raspi4b_uboot.sh
#                        gives it to Debian's U-Boot on QEMU's raspi4b, which has no firmware)
#       VERSION          "<kernel package> <version>" and "<busybox package> <version>"
#
#   fetch_linux.sh            fetch unless the cache is complete (idempotent, no network then)
#   fetch_linux.sh --refresh  resolve and fetch again even if complete
#   fetch_linux.sh --check    exit 0 when the cache is complete, 1 (with the reason) if not
#   fetch_linux.sh --dir      print the payload directory
#
# The kernel is picked by the meta-package: `linux-image-arm64:arm64` depends on exactly one
# `linux-image-<abi>-arm64` (the current ABI of the release), which is what a fresh Debian 12
# machine resolves today and tomorrow. Needs root for `dpkg --add-architecture arm64` and
# `apt-get update` the first time; `apt-get download` itself needs neither.
set -euo pipefail

# shellcheck source=tools/cache.sh
. "$(dirname "$0")/cache.sh"

dir=$(cache_root)/linux-arm64
MODULES=(kernel/drivers/uio/uio.ko kernel/drivers/uio/uio_pci_generic.ko
    kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio_pci_legacy_dev.ko
    kernel/drivers/virtio/virtio_pci.ko kernel/drivers/block/virtio_blk.ko)

complete() {
    local f m
    for f in Image busybox config VERSION bcm2711-rpi-4-b.dtb; do
        [ -s "$dir/$f" ] || { echo "fetch_linux: $dir/$f missing" >&2; return 1; }
    done
    for m in "${MODULES[@]}"; do
        f=modules/$(basename "$m")
        [ -s "$dir/$f" ] || { echo "fetch_linux: $dir/$f missing" >&2; return 1; }
    done
}

case ${1:-} in
--dir) echo "$dir"; exit 0 ;;
--check) complete; exit ;;
--refresh | "") ;;
*) echo "usage: $0 [--check|--dir|--refresh]" >&2; exit 2 ;;
esac
if [ "${1:-}" != --refresh ] && complete 2>/dev/null; then
    echo "fetch_linux: $dir complete ($(head -n 1 "$dir/VERSION"))"
    exit 0
fi

SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo -n)
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    "${SUDO[@]}" dpkg --add-architecture arm64
    "${SUDO[@]}" apt-get update -q
fi
# The meta-package's one linux-image-* dependency is the current ABI.
resolve_kernel() {
    apt-cache depends linux-image-arm64:arm64 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n 1
}
kernel=$(resolve_kernel)
if [ -z "$kernel" ]; then
    # Lists fetched before arm64 was added have no arm64 packages: refresh once.
    "${SUDO[@]}" apt-get update -q
    kernel=$(resolve_kernel)
fi
[ -n "$kernel" ] || { echo "fetch_linux: cannot resolve linux-image-arm64:arm64" >&2; exit 1; }

mkdir -p "$dir"
work=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
# apt-get download writes into the current directory; _apt cannot write into a root-owned
# private directory, which only costs a warning ("unsandboxed"), so allow it.
(cd "$work" && chmod 755 . && apt-get download -q "$kernel:arm64" busybox-static:arm64)
kdeb=$(ls "$work"/linux-image-*_arm64.deb)
bdeb=$(ls "$work"/busybox-static_*_arm64.deb)
mkdir "$work/k" "$work/b" "$work/out" "$work/out/modules"
dpkg-deb -x "$kdeb" "$work/k"
dpkg-deb -x "$bdeb" "$work/b"
cp "$work"/k/boot/vmlinuz-* "$work/out/Image"
cp "$work"/k/boot/config-* "$work/out/config"
cp "$work"/k/usr/lib/linux-image-*/broadcom/bcm2711-rpi-4-b.dtb "$work/out/"
# The Image must be uncompressed (magic "ARM\x64" at 0x38): the hypervisor loads it as is.
[ "$(od -An -c -j 56 -N 4 "$work/out/Image" | tr -d ' ')" = 'ARMd' ] || {
    echo "fetch_linux: $kernel: vmlinuz is not an uncompressed arm64 Image" >&2
    exit 1
}
for m in "${MODULES[@]}"; do
    cp "$work"/k/lib/modules/*/"$m" "$work/out/modules/"
done
cp "$work/b/bin/busybox" "$work/out/busybox"
{
    echo "$(dpkg-deb -f "$kdeb" Package) $(dpkg-deb -f "$kdeb" Version)"
    echo "$(dpkg-deb -f "$bdeb" Package) $(dpkg-deb -f "$bdeb" Version)"
} >"$work/out/VERSION"
rm -rf "$dir/modules"
mv "$work"/out/* "$dir/"
complete
echo "fetch_linux: $dir: $(head -n 1 "$dir/VERSION")"
