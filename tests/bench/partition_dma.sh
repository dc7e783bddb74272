#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# DMA isolation bench (make bench): for a few partition layouts, the IOMMU domain that the
# real partition map path builds (partition_init() -> partition_map(): one notify, then the
# memory and windows mapped into stage 2 and the domain) versus the same path with every root
# fixed at 4 levels (a driver without growth, the same reach as the 4-level stage-2 / NPT
# tables). Figures: the domain's table pages, and callgrind instructions per mapped page spent
# in iommu_notify_dfn() + iommu_map_pages() (inclusive). Builds tests/bench/
# partition_dma_bench.c with the partition unit test's sources (tests/unit/test_partition.mk),
# optimised, no sanitizers, release (no lock-order bookkeeping).
# Prints "name: value unit" lines; targets in tests/bench/targets.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/bench}/partition_dma
mkdir -p "$out"

command -v valgrind >/dev/null || { echo "partition_dma: valgrind missing (tools/setup)"; exit 1; }

. "$top/tests/system/lib.sh"
# shellcheck disable=SC2207
srcs=(tests/bench/partition_dma_bench.c tests/unit/fake/fake_arch.c tests/unit/pt_arena.c
    $(bh_unit_sources partition))
bin=$out/partition_dma_bench
if ! (cd "$top" && gcc -std=c11 -O2 -g -Wall -Wextra -Werror -Wmissing-prototypes \
    -Wstrict-prototypes -Wshadow -Wvla -D_DEFAULT_SOURCE -include tests/unit/fake/autoconf.h \
    -Iinclude -Itests/unit -Itests/unit/fake/include -Itests/unit/fake "${srcs[@]}" -o "$bin") \
    >"$out/build.log" 2>&1; then
    echo "partition_dma: build failed:"; tail -n 20 "$out/build.log"; exit 1
fi

# run LAYOUT MODE: "<instructions in notify+map> <table pages> <mapped pages> <depth>".
run() {
    local f=$out/callgrind.$1.$2.out log=$out/$1.$2.log
    valgrind --tool=callgrind --callgrind-out-file="$f" --toggle-collect=iommu_notify_dfn \
        --toggle-collect=iommu_map_pages "$bin" "$1" "$2" >"$log" 2>&1 ||
        { echo "partition_dma: $1 $2 failed" >&2; cat "$log" >&2; return 1; }
    local ins pages mapped depth
    ins=$(awk '/^(summary|totals):/ { print $2; exit }' "$f")
    pages=$(sed -n 's/.*table_pages=\([0-9]*\).*/\1/p' "$log")
    mapped=$(sed -n 's/.*mapped_pages=\([0-9]*\).*/\1/p' "$log")
    depth=$(sed -n 's/^depth=\([0-9]*\).*/\1/p' "$log")
    echo "$ins $pages $mapped $depth"
}

for layout in default 16M_4k 1G_64M_above_4G; do
    read -r gi gp gm gd < <(run "$layout" grown) || exit 1
    read -r fi fp fm fd < <(run "$layout" fixed) || exit 1
    [ "$gm" = "$fm" ] && [ "$gm" -gt 0 ] || { echo "partition_dma: $layout maps $gm vs $fm pages"; exit 1; }
    pr=$(awk -v a="$gp" -v b="$fp" 'BEGIN { printf "%.3f", a / b }')
    ir=$(awk -v a="$gi" -v b="$fi" 'BEGIN { printf "%.3f", a / b }')
    gpp=$(awk -v a="$gi" -v n="$gm" 'BEGIN { printf "%.2f", a / n }')
    fpp=$(awk -v a="$fi" -v n="$fm" 'BEGIN { printf "%.2f", a / n }')
    echo "iommu_domain_table_pages_${layout}_grown_vs_fixed4: $pr x ($gp pages at depth $gd / $fp at $fd)"
    echo "iommu_partition_map_${layout}_grown_vs_fixed4: $ir x ($gpp / $fpp instructions/page)"
done
