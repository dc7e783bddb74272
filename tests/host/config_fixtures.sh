#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Configuration fixtures through tools/bulkhead-check: every tests/config/good/*.dts must be
# valid (exit 0, no output); every tests/config/bad/*.dts must be invalid (exit 1) and print
# each of its "// expect: /node/path: property: reason" lines (as "FILE: <expect>", a fixed
# string match), with every message in the FILE: /path: property: reason form. Image paths
# resolve against tests/config/. One PASS/FAIL line per fixture.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}
export O=$out/host-tools
check=$top/tools/bulkhead-check
cd "$top" || exit 2
failed=0

fail() {
    echo "FAIL $1: $2"
    [ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/    | /'
    failed=1
}

# Build the tool once, visibly, so that a compile error is not blamed on a fixture.
if ! make -s -C "$top" O="$O" host-tools >"$out/logs/config-tool-build.log" 2>&1; then
    fail config/build "host tool does not build" "$(tail -n 20 "$out/logs/config-tool-build.log")"
    exit 1
fi

for f in tests/config/good/*.dts; do
    name=config/good/$(basename "$f" .dts)
    msg=$("$check" --image-root tests/config "$f" 2>&1)
    rc=$?
    if [ "$rc" -ne 0 ] || [ -n "$msg" ]; then
        fail "$name" "exit status $rc, expected 0" "$msg"
    else
        echo "PASS $name"
    fi
done

for f in tests/config/bad/*.dts; do
    name=config/bad/$(basename "$f" .dts)
    mapfile -t expects < <(sed -n 's|^// expect: ||p' "$f")
    if [ ${#expects[@]} -eq 0 ]; then
        fail "$name" "no // expect: line"
        continue
    fi
    msg=$("$check" --image-root tests/config "$f" 2>&1)
    rc=$?
    why=
    [ "$rc" -eq 1 ] || why="exit status $rc, expected 1"
    for e in "${expects[@]}"; do
        grep -qF -- "$f: $e" <<<"$msg" || why="${why:+$why; }missing '$e'"
    done
    # Every line is one error: FILE: /absolute/node/path: property: reason.
    if grep -qvE "^$f: /[^ ]*: [^ ]+: ." <<<"$msg"; then
        why="${why:+$why; }a message is not 'FILE: /path: property: reason'"
    fi
    if [ -n "$why" ]; then
        fail "$name" "$why" "$msg"
    else
        echo "PASS $name"
    fi
done

# Exit status 2 for usage and I/O errors.
"$check" >/dev/null 2>&1; rc1=$?
"$check" --bogus tests/config/good/base.dts >/dev/null 2>&1; rc2=$?
"$check" tests/config/no-such-file.dtb >/dev/null 2>&1; rc3=$?
printf '/dts-v1/;\n/ { broken' >"$out/broken.dts"
"$check" "$out/broken.dts" >/dev/null 2>&1; rc4=$?
head -c 100 /dev/urandom >"$out/garbage.dtb"
"$check" "$out/garbage.dtb" >/dev/null 2>&1; rc5=$?
if [ "$rc1$rc2$rc3$rc4$rc5" = 22221 ]; then
    echo "PASS config/exit-status"
else
    fail config/exit-status "usage, bad option, missing file, bad DTS, garbage DTB gave $rc1 $rc2 $rc3 $rc4 $rc5; want 2 2 2 2 1"
fi
exit $failed
