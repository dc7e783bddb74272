#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Build what U-Boot needs to boot Bulkhead on arm64 without typing anything:
#   OUT/bulkhead.its    FIT source: the hypervisor ("kernel", at its load address) + the DTB
#                       + every staged guest image as a loadable at its staging address
#   OUT/bulkhead.itb    the FIT (mkimage -f), for `bootm FIT_ADDR`
#   OUT/uboot-env.txt   U-Boot environment source (bootdelay=0, bootcmd=bootm FIT_ADDR)
#   OUT/uboot-env.img   that environment (mkenvimage -s 0x40000) padded to a 64 MiB flash bank
#   OUT/fit-addr        FIT_ADDR, for tools/qemu_arm64.sh
#
#   arm64_fit.sh --image BIN --dtb DTB --load ADDR --fit-addr ADDR [--staged LIST]
#                [--description TEXT] --out DIR
#
# LIST is the build's staged-image list (guests/stage.sh: "<address> <size> <sha256> <file>"
# per line): U-Boot's bootm copies each loadable to its "load" address, the staging area the
# board reserves, where the hypervisor verifies it against the SHA-256 in its DTB.
#
# Debian's qemu_arm64 U-Boot (2023.01) keeps a 256 KiB environment at the start of the
# second CFI flash bank (0x04000000) of QEMU virt: give this image as pflash unit 1.
# Needs mkimage and mkenvimage (u-boot-tools) and dtc, all in tools/setup.
set -euo pipefail

usage() {
    echo "usage: $0 --image BIN --dtb DTB --load ADDR --fit-addr ADDR [--staged LIST] [--description TEXT] --out DIR" >&2
    exit 2
}

image= dtb= load= fit_addr= out= staged= description="Bulkhead hypervisor"
while [ $# -gt 0 ]; do
    case $1 in
    --image) image=$2; shift 2 ;;
    --dtb) dtb=$2; shift 2 ;;
    --load) load=$2; shift 2 ;;
    --fit-addr) fit_addr=$2; shift 2 ;;
    --staged) staged=$2; shift 2 ;;
    --description) description=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) usage ;;
    esac
done
[ -n "$image" ] && [ -n "$dtb" ] && [ -n "$load" ] && [ -n "$fit_addr" ] && [ -n "$out" ] || usage
for tool in mkimage mkenvimage dtc; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found (run tools/setup)" >&2; exit 1; }
done
for f in "$image" "$dtb"; do
    [ -f "$f" ] || { echo "$0: $f: no such file" >&2; exit 1; }
done
case $description in *'"'* | *'\'*) echo "$0: the description may not contain quotes" >&2; exit 2 ;; esac

# One 32-bit cell per address (the FIT's #address-cells): enough below 4 GiB.
if [ $((load)) -ge $((1 << 32)) ] || [ $((fit_addr)) -ge $((1 << 32)) ]; then
    echo "$0: load and FIT addresses must be below 4 GiB" >&2
    exit 1
fi
# The staged guest images: FIT image nodes, the configuration's loadables, and the ranges
# U-Boot copies to (none may overlap the FIT itself or the hypervisor).
loadable_nodes= loadables= targets=() payload=0
if [ -n "$staged" ]; then
    [ -f "$staged" ] || { echo "$0: $staged: no such file" >&2; exit 1; }
    n=0
    while read -r addr size sum file; do
        [ -f "$file" ] || { echo "$0: $file: no such file" >&2; exit 1; }
        [ $((addr)) -lt $((1 << 32)) ] || { echo "$0: $file: staged above 4 GiB" >&2; exit 1; }
        loadable_nodes+="
        guest-$n {
            description = \"$(basename "$file")\";
            data = /incbin/(\"$(realpath "$file")\");
            type = \"firmware\";
            arch = \"arm64\";
            compression = \"none\";
            load = <$(printf '0x%08x' $((addr)))>;
            hash-1 {
                algo = \"sha256\";
            };
        };
"
        loadables+="${loadables:+, }\"guest-$n\""
        targets+=("$addr $size $file")
        payload=$((payload + size))
        n=$((n + 1))
    done <"$staged"
fi
# The FIT must not overlap where U-Boot copies the kernel and the loadables to.
img_size=$(stat -c %s "$image")
fit_size_max=$((img_size + $(stat -c %s "$dtb") + payload + 0x10000))
for t in "$load $img_size the hypervisor image" "${targets[@]+"${targets[@]}"}"; do
    read -r a s what <<<"$t"
    if [ $((fit_addr)) -lt $((a + s)) ] && [ $((fit_addr + fit_size_max)) -gt $((a)) ]; then
        echo "$0: FIT at $fit_addr overlaps $what at $a" >&2
        exit 1
    fi
done

mkdir -p "$out"
image=$(realpath "$image")
dtb=$(realpath "$dtb")
load_hex=$(printf '0x%08x' $((load)))
fit_hex=$(printf '0x%08x' $((fit_addr)))

# U-Boot's bootm treats an arm64 "linux" kernel as an Image and (re)places it by the Image
# header, which puts it at the same address as "load" (RAM base + text_offset).
cat >"$out/bulkhead.its.tmp" <<ITS
/dts-v1/;

/ {
    description = "$description";
    #address-cells = <1>;

    images {
        hypervisor {
            description = "Bulkhead hypervisor (arm64 Image)";
            data = /incbin/("$image");
            type = "kernel";
            arch = "arm64";
            os = "linux";
            compression = "none";
            load = <$load_hex>;
            entry = <$load_hex>;
            hash-1 {
                algo = "sha256";
            };
        };

        fdt {
            description = "Bulkhead configuration DTB";
            data = /incbin/("$dtb");
            type = "flat_dt";
            arch = "arm64";
            compression = "none";
            hash-1 {
                algo = "sha256";
            };
        };
$loadable_nodes    };

    configurations {
        default = "bulkhead";

        bulkhead {
            description = "$description";
            kernel = "hypervisor";
            fdt = "fdt";${loadables:+
            loadables = $loadables;}
        };
    };
};
ITS
mv "$out/bulkhead.its.tmp" "$out/bulkhead.its"
mkimage -q -f "$out/bulkhead.its" "$out/bulkhead.itb.tmp"
mv "$out/bulkhead.itb.tmp" "$out/bulkhead.itb"

# bootdelay=0: no key press needed (U-Boot still polls once, so a key stops autoboot).
# If bootm returns, say so and stay at the prompt rather than trying the network.
cat >"$out/uboot-env.txt" <<ENV
bootdelay=0
bootcmd=bootm $fit_hex; echo Bulkhead: bootm $fit_hex failed
ENV
mkenvimage -s 0x40000 -o "$out/uboot-env.img.tmp" "$out/uboot-env.txt"
# QEMU wants the whole 64 MiB bank; the rest is erased flash (0xff is what an erased CFI
# flash reads, but U-Boot only reads the first 256 KiB, so zero padding is fine too).
truncate -s 64M "$out/uboot-env.img.tmp"
mv "$out/uboot-env.img.tmp" "$out/uboot-env.img"
echo "$fit_hex" >"$out/fit-addr"
