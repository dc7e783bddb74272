#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# IOMMU bench (make bench): callgrind instruction counts per 4 KiB page for mapping 1 GiB in
# batches of 512 pages, counting only the mapping phase (--toggle-collect on the bench
# function): the domain grown by notify-before-map (one notify per batch) against the same
# mapping with the root fixed from the start at the depth of the same reach (the grown run's
# final depth), which is the cost of growth; and IOMMU table pages per domain for a few
# partition layouts against a fixed 4-level table. Builds tests/bench/iommu_bench.c with the
# production sources (drivers/iommu/iommu.c, core/mm/pgtable*.c) and the fake IOMMU driver,
# optimised, without sanitizers, as a release (non-debug) configuration.
# Prints "name: value unit" lines; targets in tests/bench/targets.
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

# count NAME ARGS...: instructions executed inside bench_batch (inclusive) for that run.
count() {
    local name=$1 f=$out/callgrind.$1.out
    shift
    valgrind --tool=callgrind --callgrind-out-file="$f" --toggle-collect=bench_batch \
        "$bin" "$@" >"$out/$name.log" 2>&1 ||
        { echo "iommu_notify: $name failed" >&2; cat "$out/$name.log" >&2; return 1; }
    awk '/^(summary|totals):/ { print $2; exit }' "$f"
}

grown=$(count grown batch) || exit 1
depth=$(sed -n 's/.*depth=\([0-9]*\).*/\1/p' "$out/grown.log")
fixed=$(count fixed fixed "$depth") || exit 1
notifies=$(sed -n 's/^notifies=\([0-9]*\).*/\1/p' "$out/grown.log")

per() { echo $(( ($1 + pages / 2) / pages )); }
echo "iommu_map_1G_grown: $(per "$grown") instructions/page (depth 1 grown to $depth)"
echo "iommu_map_1G_fixed: $(per "$fixed") instructions/page (fixed at depth $depth)"
echo "iommu_map_1G_grown_vs_fixed: $(awk -v a="$grown" -v b="$fixed" 'BEGIN { printf "%.3f", a / b }') x"
echo "iommu_map_1G_notifies: $notifies calls"

"$bin" tables || { echo "iommu_notify: table layouts failed"; exit 1; }
