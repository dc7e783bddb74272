#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Every `make bench` script, run once inside `make check`: the figures are deterministic and
# each script fails when its target is missed (e.g. 2 MiB-aligned partition RAM not 100 %
# mapped with blocks, notify-once-per-batch not cheaper than notify-per-page), so this keeps
# the targets enforced and the benches building. One verdict per script.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}/bench
mkdir -p "$out"
rc=0
for b in "$top"/tests/bench/*.sh; do
    name=$(basename "$b" .sh)
    if BH_TOP=$top BH_OUT=$out bash "$b" >"$out/$name.log" 2>&1; then
        echo "PASS bench/$name ($(grep -cE '^[A-Za-z0-9_]+: ' "$out/$name.log") figures)"
    else
        echo "FAIL bench/$name (log: $out/$name.log)"
        tail -n 10 "$out/$name.log" | sed 's/^/    | /'
        rc=1
    fi
done
exit $rc
