#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Lay out the guest images a configuration DTB names in the board's staging reservation and
# record where (guest images stay outside the hypervisor image; include/hv/guest_image.h):
#
#   guests/stage.sh DTB ROOT LIST
#
# Every "bulkhead,partition-v1" node under /hypervisor may name an "image" and an "initrd",
# build-time paths relative to ROOT (the build directory). Each distinct file gets a 64 KiB
# aligned place in the /reserved-memory child with compatible "bulkhead,image-staging", in DT
# order. DTB is changed in place: each partition node gets
#   bulkhead,<image|initrd>-staged = <host-hi host-lo size-hi size-lo>
#   bulkhead,<image|initrd>-sha256 = [32 bytes]
# and LIST gets one line per distinct file, "<host address> <size> <sha256> <file>", which
# the boot-loader payload builders read (tools/image/arm64_fit.sh: FIT loadables;
# tools/qemu_arm64.sh: QEMU -device loader). The DTB has passed bulkhead-check (every file
# exists and fits its partition); this checks that all of them fit the staging area.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 DTB ROOT LIST" >&2; exit 2; }
dtb=$1 root=$2 list=$3
ALIGN=$((0x10000))

# The staging reservation: its node and its first reg entry (cells as /reserved-memory says).
staging= base=0 size=0
if fdtget "$dtb" /reserved-memory '#address-cells' >/dev/null 2>&1; then
    ac=$(fdtget "$dtb" /reserved-memory '#address-cells')
    sc=$(fdtget "$dtb" /reserved-memory '#size-cells')
    for n in $(fdtget -l "$dtb" /reserved-memory); do
        compat=$(fdtget -ts "$dtb" "/reserved-memory/$n" compatible 2>/dev/null) || continue
        [[ " $compat " == *" bulkhead,image-staging "* ]] || continue
        staging=/reserved-memory/$n
        read -r -a reg <<<"$(fdtget -tu "$dtb" "$staging" reg)"
        base=0 size=0
        for ((i = 0; i < ac; i++)); do base=$(((base << 32) | reg[i])); done
        for ((i = ac; i < ac + sc; i++)); do size=$(((size << 32) | reg[i])); done
        break
    done
fi

files=() addrs=() sizes=() sums=()
next=$base
# place FILE: sets idx to FILE's entry, adding it after the previous one if new.
place() {
    local f=$1 i s
    for i in "${!files[@]}"; do
        [ "${files[$i]}" = "$f" ] && { idx=$i; return; }
    done
    s=$(stat -L -c %s "$f")
    files+=("$f") addrs+=("$next") sizes+=("$s")
    sums+=("$(sha256sum <"$f" | cut -c1-64)")
    idx=$((${#files[@]} - 1))
    next=$(((next + s + ALIGN - 1) / ALIGN * ALIGN))
}

declare -a marks=()
if fdtget "$dtb" /hypervisor compatible >/dev/null 2>&1; then
    for node in $(fdtget -l "$dtb" /hypervisor); do
        path=/hypervisor/$node
        compat=$(fdtget -ts "$dtb" "$path" compatible 2>/dev/null) || continue
        [[ " $compat " == *" bulkhead,partition-v1 "* ]] || continue
        for what in image initrd; do
            img=$(fdtget -ts "$dtb" "$path" "$what" 2>/dev/null) || continue
            if [ -z "$staging" ]; then
                echo "$dtb: $path: $what: no /reserved-memory node with compatible" \
                    "\"bulkhead,image-staging\" to stage \"$img\" in" >&2
                exit 1
            fi
            case $img in /*) file=$img ;; *) file=$root/$img ;; esac
            [ -f "$file" ] || { echo "$dtb: $path: $what: $file: no such file" >&2; exit 1; }
            place "$file"
            marks+=("$path $what $idx")
        done
    done
fi
if [ $((next - base)) -gt "$size" ] && [ ${#files[@]} -gt 0 ]; then
    echo "$dtb: $staging: reg: the guest images need $((next - base)) bytes, the staging area" \
        "has $size:" >&2
    for i in "${!files[@]}"; do echo "    ${files[$i]}: ${sizes[$i]} bytes" >&2; done
    exit 1
fi
for m in "${marks[@]+"${marks[@]}"}"; do
    read -r path what i <<<"$m"
    a=${addrs[$i]} s=${sizes[$i]}
    fdtput -t u "$dtb" "$path" "bulkhead,$what-staged" \
        $((a >> 32)) $((a & 0xffffffff)) $((s >> 32)) $((s & 0xffffffff))
    # shellcheck disable=SC2046
    fdtput -t bx "$dtb" "$path" "bulkhead,$what-sha256" $(echo "${sums[$i]}" | sed 's/../& /g')
done
: >"$list.tmp"
for i in "${!files[@]}"; do
    printf '0x%x %d %s %s\n' "${addrs[$i]}" "${sizes[$i]}" "${sums[$i]}" \
        "$(realpath "${files[$i]}")" >>"$list.tmp"
done
mv "$list.tmp" "$list"
