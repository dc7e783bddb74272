#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# `make image` for the real boards: build each board's default configuration and its image,
# then read the image back the way the board's boot chain does, never trusting the builder:
#   image/<board>   (raspi4b, xlnx-zcu102, imx8mp-evk) the SD-card image's MBR has one
#                   bootable FAT32 partition (type 0x0c) at 1 MiB; its FAT root holds
#                   boot.scr (a valid U-Boot script image, where distro boot looks); every
#                   file the script loads is on the FAT. FIT boards: the script loads
#                   bulkhead.itb and bootm's it at that address, the FIT's hypervisor is the
#                   build's bulkhead.bin at CONFIG_ARM64_LOAD_ADDR and its loadables are the
#                   staged guest images at their staging addresses with their SHA-256. Pi: the
#                   script loads bulkhead.bin at the load address and each staged image at its
#                   staging address (same bytes, same SHA-256), then booti's the load address;
#                   config.txt asks for 64-bit and names as "kernel" a file on the FAT that is
#                   Debian's u-boot-rpi.
#   image/amd-ryzen-v1000  the x86 board's USB image: a GPT with an EFI system partition
#                   whose FAT holds EFI/BOOT/BOOTX64.EFI (where EFI firmware looks on removable
#                   media), MBR boot code and signature for BIOS, El Torito entries for both;
#                   on its ISO 9660 file system GRUB's modules for both platforms and
#                   /boot/grub/grub.cfg, whose multiboot2 line loads the build's bulkhead.elf
#                   and whose module2 lines load the staged guest images, each named by the
#                   SHA-256 the build recorded and identical to it.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}
work=$out/board-images
mkdir -p "$work"
PATH=$PATH:/usr/sbin:/sbin
rc=0

# fail NAME WHY: one failure line, remembered.
fail() {
    echo "FAIL $1: $2"
    rc=1
}

# config_value DIR KEY: a value of DIR/.config, quotes removed.
config_value() {
    sed -n "s/^$2=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$1/.config"
}

# make_image NAME DEFCONFIG DIR: configure DIR and `make image` there; false (after the FAIL
# line) when either fails.
make_image() {
    if ! make -s -C "$top" O="$3" "$2" >"$3.log" 2>&1 ||
        ! make -s -C "$top" O="$3" -j2 image >>"$3.log" 2>&1; then
        fail "$1" "make image failed (log: $3.log)"
        return 1
    fi
}

# The loaded files of a boot script: "<address> <file>" per `load` line.
script_loads() {
    sed -n 's/^load [^ ]* [^ ]* \(0x[0-9a-f]*\) \([^ ]*\)$/\1 \2/p' "$1"
}

# check_arm NAME DEFCONFIG
check_arm() {
    local name=image/$1 defconfig=$2
    local dir=$work/$1 img start fat files script load staged
    make_image "$name" "$defconfig" "$dir" || return
    img=$dir/images/sdcard.img
    [ -f "$img" ] || { fail "$name" "no images/sdcard.img"; return; }
    load=$(config_value "$dir" CONFIG_ARM64_LOAD_ADDR)
    staged=$dir/dts/staged.list

    # The partition table, as sfdisk reads it.
    start=$(sfdisk --json "$img" | python3 -c '
import json, sys
t = json.load(sys.stdin)["partitiontable"]
p = t["partitions"]
ok = t["label"] == "dos" and len(p) == 1 and p[0]["type"] == "c" and p[0].get("bootable")
print(p[0]["start"] if ok else "bad: " + json.dumps(t))')
    case $start in
    2048) ;;
    *) fail "$name" "partition table: want one bootable type-c partition at sector 2048, got $start"; return ;;
    esac
    fat=$img@@$((start * 512))

    # The FAT: boot.scr at the root, a valid script image.
    files=$dir/fat
    rm -rf "$files" && mkdir -p "$files"
    mcopy -s -n -i "$fat" '::*' "$files/" 2>"$dir/mcopy.err" ||
        { fail "$name" "cannot read the FAT at sector $start: $(head -1 "$dir/mcopy.err")"; return; }
    mdir -b -i "$fat" :: | grep -qx '::/boot.scr' ||
        { fail "$name" "no boot.scr at the FAT root"; return; }
    mkimage -l "$files/boot.scr" | grep -q 'Linux Script' ||
        { fail "$name" "boot.scr is not a U-Boot script image"; return; }
    # A legacy script image: 64-byte header, then a zero-terminated length table (8 bytes).
    script=$dir/boot.txt
    tail -c +73 "$files/boot.scr" >"$script"
    local addr file n=0
    while read -r addr file; do
        [ -f "$files/$file" ] || { fail "$name" "boot.scr loads $file, which is not on the FAT"; return; }
        n=$((n + 1))
    done < <(script_loads "$script")
    [ "$n" -gt 0 ] || { fail "$name" "boot.scr loads nothing"; return; }

    if [ "$(config_value "$dir" CONFIG_IMAGE_SDCARD_RPI_UBOOT)" = y ]; then
        check_rpi "$name" "$dir" "$files" "$script" "$load" "$staged" || return
    else
        check_fit "$name" "$dir" "$files" "$script" "$load" "$staged" || return
    fi
    echo "PASS $name"
}

# same_addr A B: numerically equal addresses.
same_addr() { [ $(($1)) -eq $(($2)) ]; }

# check_fit NAME DIR FILES SCRIPT LOAD STAGED
check_fit() {
    local name=$1 dir=$2 files=$3 script=$4 load=$5 staged=$6
    local fit_addr list addr size sum file i
    fit_addr=$(script_loads "$script" | awk '$2 == "bulkhead.itb" { print $1 }')
    [ -n "$fit_addr" ] || { fail "$name" "boot.scr does not load bulkhead.itb"; return 1; }
    grep -qx "bootm $fit_addr" "$script" ||
        { fail "$name" "boot.scr does not bootm bulkhead.itb's address $fit_addr"; return 1; }
    list=$(dumpimage -l "$files/bulkhead.itb") || { fail "$name" "bulkhead.itb is not a FIT"; return 1; }
    # Image 0 is the hypervisor: the build's Image, at the load address.
    dumpimage -T flat_dt -p 0 -o "$dir/fit-hv.bin" "$files/bulkhead.itb" >/dev/null &&
        cmp -s "$dir/fit-hv.bin" "$dir/bulkhead.bin" ||
        { fail "$name" "the FIT's first image is not bulkhead.bin"; return 1; }
    awk '/^ Image 0 /,/^ Image 1 /' <<<"$list" | grep -qx "  Load Address: $(printf '0x%08x' $((load)))" ||
        { fail "$name" "the hypervisor is not loaded at $load"; return 1; }
    awk '/^ Default Configuration/,0' <<<"$list" | grep -q 'Kernel: *hypervisor' ||
        { fail "$name" "the default configuration boots no hypervisor"; return 1; }
    # Each staged guest image is a loadable at its staging address with the same bytes.
    i=2
    while read -r addr size sum file; do
        dumpimage -T flat_dt -p "$i" -o "$dir/fit-$i.bin" "$files/bulkhead.itb" >/dev/null ||
            { fail "$name" "the FIT has no image $i for $file"; return 1; }
        [ "$(sha256sum <"$dir/fit-$i.bin" | cut -d' ' -f1)" = "$sum" ] ||
            { fail "$name" "FIT image $i is not $file (SHA-256)"; return 1; }
        awk "/^ Image $i /,/^ Image $((i + 1)) /" <<<"$list" |
            grep -qx "  Load Address: $(printf '0x%08x' $((addr)))" ||
            { fail "$name" "FIT image $i is not loaded at $addr"; return 1; }
        awk '/^ Default Configuration/,0' <<<"$list" | grep -q "Loadables: .*guest-$((i - 2))" ||
            { fail "$name" "guest-$((i - 2)) is not a loadable of the default configuration"; return 1; }
        i=$((i + 1))
    done <"$staged"
}

# check_rpi NAME DIR FILES SCRIPT LOAD STAGED
check_rpi() {
    local name=$1 dir=$2 files=$3 script=$4 load=$5 staged=$6
    local kernel loads addr size sum file hv
    grep -qx 'arm_64bit=1' "$files/config.txt" 2>/dev/null ||
        { fail "$name" "config.txt missing or not 64-bit"; return 1; }
    kernel=$(sed -n 's/^kernel=//p' "$files/config.txt")
    [ -n "$kernel" ] && [ -f "$files/$kernel" ] ||
        { fail "$name" "config.txt's kernel \"$kernel\" is not on the FAT"; return 1; }
    cmp -s "$files/$kernel" "$("$top/tools/fetch_uboot_rpi.sh" --dir)/u-boot.bin" ||
        { fail "$name" "$kernel is not Debian's u-boot-rpi"; return 1; }
    loads=$(script_loads "$script")
    hv=$(while read -r addr file; do same_addr "$addr" "$load" && echo "$file"; done <<<"$loads")
    [ -n "$hv" ] && cmp -s "$files/$hv" "$dir/bulkhead.bin" ||
        { fail "$name" "boot.scr loads no bulkhead.bin at $load"; return 1; }
    grep -qx "booti $(printf '0x%08x' $((load))) - \${fdtcontroladdr}" "$script" ||
        { fail "$name" "boot.scr does not booti the load address $load"; return 1; }
    while read -r addr size sum file; do
        local hit=
        while read -r a f; do
            same_addr "$a" "$addr" && [ "$(sha256sum <"$files/$f" | cut -d' ' -f1)" = "$sum" ] && hit=$f
        done <<<"$loads"
        [ -n "$hit" ] || { fail "$name" "$(basename "$file") is not loaded at $addr with its SHA-256"; return 1; }
    done <"$staged"
}

# check_x86 NAME DEFCONFIG
check_x86() {
    local name=image/$1 defconfig=$2
    local dir=$work/$1 img esp files cfg
    make_image "$name" "$defconfig" "$dir" || return
    img=$dir/images/bulkhead.iso
    [ -f "$img" ] || { fail "$name" "no images/bulkhead.iso"; return; }
    # The partition table: GPT with exactly one EFI system partition.
    esp=$(sfdisk --json "$img" | python3 -c '
import json, sys
t = json.load(sys.stdin)["partitiontable"]
e = [p for p in t["partitions"] if p["type"] == "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"]
print(e[0]["start"] if t["label"] == "gpt" and len(e) == 1 else "bad: " + json.dumps(t))')
    case $esp in
    *[!0-9]* | '') fail "$name" "partition table: want a GPT with one EFI system partition, got $esp"; return ;;
    esac
    mdir -b -i "$img@@$((esp * 512))" ::/EFI/BOOT 2>/dev/null | grep -qix '::/EFI/BOOT/BOOTX64.EFI' ||
        { fail "$name" "no EFI/BOOT/BOOTX64.EFI on the EFI system partition"; return; }
    # BIOS: the MBR's boot signature and boot code (GRUB's isohybrid MBR).
    [ "$(od -An -tx1 -j510 -N2 "$img" | tr -d ' ')" = 55aa ] ||
        { fail "$name" "no MBR boot signature"; return; }
    [ -n "$(od -An -tx1 -N440 "$img" | tr -d ' 0\n')" ] ||
        { fail "$name" "no MBR boot code for BIOS"; return; }
    xorriso -indev "$img" -report_el_torito plain 2>/dev/null >"$dir/eltorito.txt"
    grep -Eq 'El Torito boot img : +[0-9]+ +BIOS +y' "$dir/eltorito.txt" &&
        grep -Eq 'El Torito boot img : +[0-9]+ +UEFI +y' "$dir/eltorito.txt" ||
        { fail "$name" "El Torito lacks a BIOS or a UEFI boot image"; return; }
    # The ISO file system: GRUB for both platforms, its configuration and what it loads.
    files=$dir/iso
    rm -rf "$files"
    xorriso -osirrox on -indev "$img" -extract / "$files" >/dev/null 2>&1 ||
        { fail "$name" "cannot read the ISO file system"; return; }
    for f in boot/grub/i386-pc/multiboot2.mod boot/grub/x86_64-efi/multiboot2.mod; do
        [ -f "$files/$f" ] || { fail "$name" "no $f on the image"; return; }
    done
    cfg=$files/boot/grub/grub.cfg
    local elf
    elf=$(sed -n 's/^ *multiboot2 \([^ ]*\)$/\1/p' "$cfg")
    [ -n "$elf" ] && cmp -s "$files$elf" "$dir/bulkhead.elf" ||
        { fail "$name" "grub.cfg's multiboot2 line does not load the build's bulkhead.elf"; return; }
    local addr size sum file mod
    while read -r addr size sum file; do
        mod=$(awk -v s="$sum" '$1 == "module2" && $3 == s { print $2 }' "$cfg")
        [ -n "$mod" ] && [ "$(sha256sum <"$files$mod" | cut -d' ' -f1)" = "$sum" ] ||
            { fail "$name" "$(basename "$file") is not a module2 named by its SHA-256"; return; }
    done <"$dir/dts/staged.list"
    echo "PASS $name"
}

check_arm raspi4b raspi4b_defconfig
check_arm xlnx-zcu102 xlnx_zcu102_defconfig
check_arm imx8mp-evk imx8mp_evk_defconfig
check_x86 amd-ryzen-v1000 amd_ryzen_v1000_defconfig
exit $rc
