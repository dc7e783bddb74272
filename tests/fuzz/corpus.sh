#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Compile every DTB the repository can produce into OUTDIR (the seed corpus of the fuzz
# targets and the input set of the libfdt differential test):
#   - every *.dts under dts/ and tests/, alone (cpp + dtc, as the Makefile does);
#   - every board (dts/boards/*.dts) with every partition layout (dts/partitions/*.dtsi);
#   - the tests/fdt/ fixtures once more as version 16 blobs (dtc -V 16).
# A source that does not compile alone (a fragment, a board/layout pair that does not fit)
# is skipped, and so is a blob identical to one already written. Prints the number of
# blobs written; exits non-zero only if there is none.
#
#   tests/fuzz/corpus.sh OUTDIR
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: corpus.sh OUTDIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cppflags=(-nostdinc -undef -x assembler-with-cpp -I"$top/dts" -I"$top/dts/include")
n=0

# compile NAME DTC-EXTRA-FLAGS SOURCE...: cpp the sources (as #includes) and run dtc.
compile() {
    local name=$1 extra=$2
    shift 2
    local src
    : >"$tmp/in.dts"
    for src in "$@"; do
        printf '#include "%s"\n' "$src" >>"$tmp/in.dts"
    done
    if cpp "${cppflags[@]}" "$tmp/in.dts" -o "$tmp/pp.dts" 2>/dev/null &&
        dtc -q $extra -I dts -O dtb -o "$out/$name.dtb" "$tmp/pp.dts" 2>/dev/null; then
        n=$((n + 1))
    else
        rm -f "$out/$name.dtb"
    fi
}

while IFS= read -r f; do
    rel=${f#"$top"/}
    compile "${rel//\//_}" "" "$f"
done < <(find "$top/dts" "$top/tests" -name '*.dts' -not -path '*/out/*' | sort)

for b in "$top"/dts/boards/*.dts; do
    [ -e "$b" ] || continue
    for l in "$top"/dts/partitions/*.dtsi; do
        [ -e "$l" ] || continue
        compile "combo_$(basename "$b" .dts)+$(basename "$l" .dtsi)" "" "$b" "$l"
    done
done

for f in "$top"/tests/fdt/*.dts; do
    [ -e "$f" ] || continue
    compile "v16_$(basename "$f" .dts)" "-V 16" "$f"
done

# Identical blobs (a layout guarded for another arch compiles to the board alone) once only.
declare -A seen
for f in "$out"/*.dtb; do
    [ -e "$f" ] || continue
    sum=$(md5sum <"$f")
    if [ -n "${seen[$sum]:-}" ]; then
        rm -f "$f"
        n=$((n - 1))
    fi
    seen[$sum]=1
done

echo "$n"
[ "$n" -gt 0 ]
