#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Differential test of Bulkhead's FDT reader (lib/fdt.c) against Debian's libfdt: every DTB
# the tree produces (tests/fuzz/corpus.sh) and deterministic mutations of each, read by both;
# see tests/fdt/diff_main.c for the rules. One "PASS|FAIL fdt-diff/<blob>" line per blob.
# The run stays short as the corpus grows: FDT_DIFF_BUDGET (default 6000) variants in all,
# spread over the blobs, at least 20 each; FDT_DIFF_MUTATIONS=N sets N per blob instead.
#
# Both libraries name their functions fdt_*, so Bulkhead's side (lib/fdt.c +
# tests/fdt/diff_ours.c) is linked into one relocatable object whose only global symbol is
# diff_ours(), then linked with libfdt's side and -lfdt.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}/fdt-diff
budget=${FDT_DIFF_BUDGET:-6000}
mkdir -p "$out/obj"

if [ ! -e /usr/include/libfdt.h ]; then
    echo "SKIP fdt-diff: libfdt-dev is not installed (tools/setup)"
    exit 0
fi

cflags=(-std=c11 -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wvla
    -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
    -D_DEFAULT_SOURCE)
ours=(-I"$top/include" -I"$top/tests/unit/fake/include" -include "$top/tests/unit/fake/autoconf.h")

build() {
    gcc "${cflags[@]}" "${ours[@]}" -c "$top/lib/fdt.c" -o "$out/obj/fdt.o" &&
        gcc "${cflags[@]}" "${ours[@]}" -c "$top/tests/fdt/diff_ours.c" -o "$out/obj/diff_ours.o" &&
        ld -r -o "$out/obj/ours.o" "$out/obj/fdt.o" "$out/obj/diff_ours.o" &&
        objcopy --keep-global-symbol=diff_ours "$out/obj/ours.o" &&
        gcc "${cflags[@]}" -c "$top/tests/fdt/diff_libfdt.c" -o "$out/obj/diff_libfdt.o" &&
        gcc "${cflags[@]}" -c "$top/tests/fdt/diff_main.c" -o "$out/obj/diff_main.o" &&
        gcc "${cflags[@]}" -o "$out/fdt_diff" "$out/obj/diff_main.o" "$out/obj/diff_libfdt.o" \
            "$out/obj/ours.o" -lfdt
}
if ! build >"$out/build.log" 2>&1; then
    echo "FAIL fdt-diff/build: see $out/build.log"
    tail -n 20 "$out/build.log"
    exit 1
fi

rm -rf "$out/corpus"
if ! n=$("$top/tests/fuzz/corpus.sh" "$out/corpus"); then
    echo "FAIL fdt-diff/corpus: no DTB could be compiled"
    exit 1
fi
mutations=${FDT_DIFF_MUTATIONS:-$((budget / n > 20 ? budget / n : 20))}
echo "fdt-diff: $n blobs, $mutations mutations each"
"$out/fdt_diff" -n "$mutations" "$out"/corpus/*.dtb
