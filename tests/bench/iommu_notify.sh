#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# IOMMU bench (make bench): callgrind instruction counts per 4 KiB page for mapping 1 GiB in
# batches of 512 pages with one notify per batch versus one notify per page, counting only
# the mapping phase (--toggle-collect on the bench function), and IOMMU table pages per domain
# for a few partition layouts versus a fixed 4-level table. Builds tests/bench/iommu_bench.c
# with the production sources (drivers/iommu/iommu.c, core/mm/pgtable*.c) and the fake IOMMU
# driver, optimised, without sanitizers, as a release (non-debug) configuration.
# Prints "name: value unit" lines; exits non-zero when notify-once-per-batch is not cheaper.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/bench}/iommu
mkdir -p "$out"

command -v valgrind >/dev/null || { echo "iommu_notify: valgrind missing (tools/setup)"; exit 1; }

# The sources the IOMMU unit test links (one list, in its .mk), on the fake arch.
. "$top/tests/system/lib.sh"
# shellcheck disable=SC2207
srcs=(tests/bench/iommu_bench.c tests/unit/fake/fake_arch.c $(bh_unit_sources iommu))
bin=$out/iommu_bench
# Release configuration: no CONFIG_DEBUG, so no lock-order bookkeeping in the counts.
if ! (cd "$top" && gcc -std=c11 -O2 -g -Wall -Wextra -Werror -Wmissing-prototypes \
    -Wstrict-prototypes -Wshadow -Wvla -D_DEFAULT_SOURCE -DCONFIG_NR_CPUS=8 \
    -DCONFIG_ARCH='"fake"' -DCONFIG_BOARD='"fake"' -Iinclude -Itests/unit \
    -Itests/unit/fake/include -Itests/unit/fake "${srcs[@]}" -o "$bin") >"$out/build.log" 2>&1; then
    echo "iommu_notify: build failed:"; tail -n 20 "$out/build.log"; exit 1
fi

pages=262144 # 1 GiB of 4 KiB pages

# count MODE FUNCTION: instructions executed inside FUNCTION (inclusive) for that mode.
count() {
    local f=$out/callgrind.$1.out
    valgrind --tool=callgrind --callgrind-out-file="$f" --toggle-collect="$2" \
        "$bin" "$1" >"$out/$1.log" 2>&1 || { echo "iommu_notify: $1 failed" >&2; cat "$out/$1.log" >&2; return 1; }
    awk '/^(summary|totals):/ { print $2; exit }' "$f"
}

batch=$(count batch bench_batch) || exit 1
per_page=$(count per-page bench_per_page) || exit 1
once=$(count once-per-page bench_once_per_page) || exit 1

per() { echo $(( ($1 + pages / 2) / pages )); }
echo "iommu_map_1G_batch512_notify_once_per_batch: $(per "$batch") instructions/page"
echo "iommu_map_1G_notify_and_map_per_page: $(per "$per_page") instructions/page"
echo "iommu_map_1G_notify_once_per_batch_map_per_page: $(per "$once") instructions/page"
echo "iommu_notify_cost_saved_by_batching: $(per $((per_page - once))) instructions/page"
echo "iommu_map_1G_speedup_batch_vs_per_page: $(awk -v a="$per_page" -v b="$batch" 'BEGIN { printf "%.1f", a / b }') x"
for m in batch per-page once-per-page; do
    sed -n 's/^notifies=\([0-9]*\).*/iommu_map_1G_notifies_'"$m"': \1 calls/p' "$out/$m.log"
done

"$bin" tables || { echo "iommu_notify: table layouts failed"; exit 1; }

if [ "$batch" -ge "$per_page" ] || [ "$once" -ge "$per_page" ]; then
    echo "iommu_notify: notify once per batch is not cheaper than notify per page"
    exit 1
fi
