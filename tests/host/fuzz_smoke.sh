#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Fuzz smoke run for `make check`: builds every libFuzzer target (tests/fuzz/fuzz_<name>.c)
# and runs each for FUZZ_SMOKE_TIME seconds (default 20), or for the fixed number of inputs a
# target sets (fuzz-<name>-smoke-runs in tests/fuzz/fuzz_<name>.mk: the fast targets whose
# input is not a DTB); the DTB targets start from every DTB the tree produces. A target passes
# when libFuzzer ends normally with no crash, timeout, leak or sanitizer report. Prints
# "PASS fuzz/<name>" or "FAIL fuzz/<name>: why" per target.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}/fuzz-smoke
secs=${FUZZ_SMOKE_TIME:-20}
mkdir -p "$out"

if ! command -v clang >/dev/null 2>&1; then
    echo "SKIP fuzz: clang is not installed (tools/setup)"
    exit 0
fi
if ! make -s -C "$top" O="$out" fuzz-build >"$out/build.log" 2>&1; then
    echo "FAIL fuzz/build: see $out/build.log"
    tail -n 20 "$out/build.log"
    exit 1
fi

status=0
for bin in "$out"/host/fuzz/*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    log=$out/$name.log
    make -s -C "$top" O="$out" fuzz-smoke FUZZ_TARGETS="$name" FUZZ_SMOKE_TIME="$secs" \
        >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" |
        tail -n 1)
    report=$(grep -m1 -E '^==[0-9]+== ?ERROR|runtime error:|^SUMMARY: ' "$log")
    if [ "$rc" -eq 0 ] && [ -n "$runs" ] && [ -z "$report" ]; then
        echo "PASS fuzz/$name ($runs)"
    else
        echo "FAIL fuzz/$name: ${report:-exit status $rc} (log: $log)"
        grep -A30 -E '^==[0-9]+== ?ERROR|runtime error:|invariant broken' "$log" |
            head -n 40
        status=1
    fi
done
exit $status
