#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The build refuses an invalid layout: copy the arm64 default layout, make the partition 2
# borrower of "ring0" ask for "rw" while its owner grants only "ro", select the copy with an
# EXTRA_CONFIG fragment (absolute CONFIG_PARTITION_LAYOUT) and check that `make` fails naming
# the node and property. The unmodified copy must build its DTB (so the edit is the cause).
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}
work=$out/config-build
rm -rf "$work"
mkdir -p "$work"
layout=$top/dts/partitions/qemu-arm64-virt-default.dtsi
expect='/hypervisor/partition@2/shared-mem@0: access: "rw" exceeds the owner'"'"'s "ro"'

# build NAME LAYOUT-FILE TARGET...: configure a build using LAYOUT-FILE and make TARGET.
build() {
    local dir=$work/$1 file=$2; shift 2
    printf 'CONFIG_PARTITION_LAYOUT="%s"\n' "$file" >"$work/$(basename "$dir").config"
    make -s -C "$top" O="$dir" qemu_arm64_virt_defconfig \
        EXTRA_CONFIG="$work/$(basename "$dir").config" >"$dir.log" 2>&1 &&
        make -C "$top" O="$dir" -j2 "$@" >>"$dir.log" 2>&1
}

cp "$layout" "$work/good.dtsi"
if build good "$work/good.dtsi" "$work/good/dts/bulkhead.dtb"; then
    echo "PASS config/build-valid-layout"
else
    echo "FAIL config/build-valid-layout: the unmodified layout copy does not build its DTB"
    tail -n 20 "$work/good.log" | sed 's/^/    | /'
    exit 1
fi

# Owner of ring0 grants "ro"; its borrower asks "rw" (placeholder so the swap is exact).
sed -e 's/access = "ro"/access = "@@"/' -e '0,/access = "rw"/s//access = "ro"/' \
    -e 's/access = "@@"/access = "rw"/' "$layout" >"$work/bad.dtsi"
if cmp -s "$layout" "$work/bad.dtsi"; then
    echo "FAIL config/build-rejects-layout: could not edit the layout"
    exit 1
fi
# -k: other objects failing to build must not hide whether the DTB check ran.
if build bad "$work/bad.dtsi" -k all; then
    echo "FAIL config/build-rejects-layout: make succeeded with a borrower asking rw from an ro owner"
    exit 1
fi
if grep -qF -- "$work/bad.dtsi: $expect" "$work/bad.log"; then
    echo "PASS config/build-rejects-layout"
else
    echo "FAIL config/build-rejects-layout: make failed without '$expect'"
    tail -n 20 "$work/bad.log" | sed 's/^/    | /'
    exit 1
fi
