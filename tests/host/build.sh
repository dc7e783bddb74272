#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The build system's promises (tests/run prints each verdict):
#   build/out-of-tree          make O=dir builds and leaves the source tree as it was
#   build/kconfig-unknown      a fragment or defconfig naming an unknown symbol fails with
#                              kconfiglib's warning text
#   build/kconfig-unmet        a value whose dependencies are not met fails, naming the symbol
#   build/defconfigs-minimal   every configs/*_defconfig is what savedefconfig writes
#   build/incremental          a second make rebuilds nothing; touching a header rebuilds
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}/build-host
rm -rf "$out"
mkdir -p "$out"
rc=0
pass() { echo "PASS build/$1"; }
fail() {
    echo "FAIL build/$1: $2"
    rc=1
}

# Out of tree, x86 (the acceptance command of the foundation issue), then the source tree's
# status must be what it was before.
before=$(git -C "$top" status --porcelain --untracked-files=all)
if make -s -C "$top" O="$out/bx" qemu_x86_64_q35_defconfig >"$out/bx.log" 2>&1 &&
    make -s -C "$top" O="$out/bx" -j2 >>"$out/bx.log" 2>&1; then
    after=$(git -C "$top" status --porcelain --untracked-files=all)
    if [ "$before" != "$after" ]; then
        fail out-of-tree "the build changed the source tree: $(diff <(echo "$before") <(echo "$after") | head -5 | tr '\n' ' ')"
    elif [ ! -f "$out/bx/bulkhead.elf" ]; then
        fail out-of-tree "no bulkhead.elf in $out/bx"
    else
        pass out-of-tree
    fi
else
    fail out-of-tree "build failed: $(tail -n 5 "$out/bx.log" | tr '\n' ' ')"
fi

# An unknown symbol, through a fragment and through a defconfig.
printf 'CONFIG_NO_SUCH_OPTION=y\n' >"$out/unknown.config"
if make -s -C "$top" O="$out/k1" qemu_arm64_virt_defconfig EXTRA_CONFIG="$out/unknown.config" \
    >"$out/k1.log" 2>&1; then
    fail kconfig-unknown "an unknown symbol in a fragment was accepted"
elif ! grep -q "warning: attempt to assign the value 'y' to the undefined symbol NO_SUCH_OPTION" \
    "$out/k1.log"; then
    fail kconfig-unknown "no kconfiglib warning text: $(head -n 3 "$out/k1.log" | tr '\n' ' ')"
else
    pass kconfig-unknown
fi

# A value that cannot take: the PL011 driver on an x86 board.
printf 'CONFIG_SERIAL_PL011=y\n' >"$out/unmet.config"
if make -s -C "$top" O="$out/k2" qemu_x86_64_q35_defconfig EXTRA_CONFIG="$out/unmet.config" \
    >"$out/k2.log" 2>&1; then
    fail kconfig-unmet "CONFIG_SERIAL_PL011=y on x86 was accepted"
elif ! grep -q "SERIAL_PL011" "$out/k2.log"; then
    fail kconfig-unmet "the error does not name the symbol: $(head -n 3 "$out/k2.log" | tr '\n' ' ')"
else
    pass kconfig-unmet
fi

# Minimal defconfigs (STYLE: savedefconfig output, one per board x layout).
bad=
for d in "$top"/configs/*_defconfig; do
    name=$(basename "$d")
    if ! make -s -C "$top" O="$out/sd/$name" "$name" >"$out/sd-$name.log" 2>&1 ||
        ! make -s -C "$top" O="$out/sd/$name" savedefconfig >>"$out/sd-$name.log" 2>&1; then
        bad="$bad $name(failed)"
    elif ! diff -q "$d" "$out/sd/$name/defconfig" >/dev/null; then
        bad="$bad $name"
    fi
done
if [ -n "$bad" ]; then
    fail defconfigs-minimal "not savedefconfig output:$bad"
else
    pass defconfigs-minimal
fi

# Incremental builds: nothing to do the second time; a header change rebuilds its users.
if [ -f "$out/bx/bulkhead.elf" ]; then
    n=$(make -C "$top" O="$out/bx" -j2 2>&1 | grep -c '^  \(CC\|AS\|LD\) ')
    touch "$top/include/hv/fdt.h"
    m=$(make -C "$top" O="$out/bx" -j2 2>&1 | grep -c '^  CC .*lib/fdt.o')
    if [ "$n" -ne 0 ]; then
        fail incremental "a second make rebuilt $n objects"
    elif [ "$m" -ne 1 ]; then
        fail incremental "touching include/hv/fdt.h did not rebuild lib/fdt.o"
    else
        pass incremental
    fi
fi
exit $rc
