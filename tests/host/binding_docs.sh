#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The binding documents' property tables against the parser's (core/config/binding.c, printed
# by bulkhead_check --bindings): for each node kind, the first column of the first table in
# dts/bindings/<compatible>.md whose header starts with "| property" must list exactly the
# properties the parser accepts, in the same order (a row may name several, each in
# backquotes). One PASS/FAIL line per node kind.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}
hostout=$out/host-tools
mkdir -p "$out/logs"
if ! make -s -C "$top" O="$hostout" host-tools >"$out/logs/binding-docs-build.log" 2>&1; then
    echo "FAIL bindings/build: host tool does not build"
    tail -n 20 "$out/logs/binding-docs-build.log" | sed 's/^/    | /'
    exit 1
fi
tables=$("$hostout/host/tools/bulkhead_check" --bindings) || { echo "FAIL bindings/list"; exit 1; }
failed=0
for compat in $(cut -d' ' -f1 <<<"$tables" | uniq); do
    doc=$top/dts/bindings/$compat.md
    want=$(awk -v c="$compat" '$1 == c { print $2 }' <<<"$tables")
    if [ ! -f "$doc" ]; then
        echo "FAIL bindings/$compat: no document dts/bindings/$compat.md"
        failed=1
        continue
    fi
    # The first "| property ..." table: its rows after the |---| line, first cell unquoted.
    got=$(awk '
        /^\| *property *\|/ && !done { in_table = 1; next }
        in_table && /^\|[-| ]+\|$/ { next }
        in_table && /^\|/ {
            cell = $0; sub(/^\| */, "", cell); sub(/ *\|.*/, "", cell)
            # One name per backquoted word: a row may document several ("`a`, `b`").
            n = 0
            while (match(cell, /`[^`]+`/)) {
                print substr(cell, RSTART + 1, RLENGTH - 2); n++
                cell = substr(cell, RSTART + RLENGTH)
            }
            if (n == 0) print cell
            next
        }
        in_table { in_table = 0; done = 1 }
    ' "$doc")
    if [ "$got" = "$want" ]; then
        echo "PASS bindings/$compat"
    else
        echo "FAIL bindings/$compat: dts/bindings/$compat.md and core/config/binding.c differ"
        diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    | /'
        failed=1
    fi
done
exit $failed
