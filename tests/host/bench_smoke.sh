#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Every `make bench` script, run once inside `make check`: the figures are deterministic,
# so each figure is held to its gate in tests/bench/targets (its target, or for a target not
# reached yet a regression bound: `make bench` itself fails on the target). One verdict per
# script. Then docs/bench.md must quote the figures these runs printed (tools/bench_doc.py
# writes it; counts under -icount move by a few instructions between runs, so within 3 %).
set -u -o pipefail
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}/bench
mkdir -p "$out"
rc=0
for b in "$top"/tests/bench/*.sh; do
    name=$(basename "$b" .sh)
    if BH_TOP=$top BH_OUT=$out bash "$b" 2>&1 | "$top/tests/bench/check" --gate >"$out/$name.log"; then
        echo "PASS bench/$name ($(grep -cE '^[A-Za-z0-9_]+: ' "$out/$name.log") figures)"
    else
        echo "FAIL bench/$name (log: $out/$name.log)"
        tail -n 10 "$out/$name.log" | sed 's/^/    | /'
        rc=1
    fi
done
cat "$out"/*.log | grep -E '^[A-Za-z0-9_.-]+: [0-9.]+' >"$out/figures.txt"
if why=$("$top/tools/bench_doc.py" --check "$out/figures.txt"); then
    echo "PASS bench/docs (docs/bench.md quotes the figures printed)"
else
    echo "FAIL bench/docs: $why (regenerate: tools/bench_doc.py $out/figures.txt)"
    rc=1
fi
exit $rc
