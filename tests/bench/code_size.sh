#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Code size (make bench): lines of code, cloc-style (blank lines and comments excluded), of
# the .c and .S files compiled into the hypervisor of each architecture's default build. The
# file list is what the compiler read: every .c and .S named in the dependency files
# (obj/**/*.d, written by -MMD) of the objects the link loaded (the LOAD lines of the linker
# map), so a file counts when and only when the build compiled and linked it (or #included
# it); an object an earlier configuration left in the same directory does not count.
# Headers are not counted. Prints
#   code_lines_arm64   qemu_arm64_virt_defconfig
#   code_lines_x86     qemu_x86_64_q35_defconfig
# Targets: tests/bench/targets.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/bench}/code_size
mkdir -p "$out"
rc=0
for arch in arm64:qemu_arm64_virt_defconfig x86:qemu_x86_64_q35_defconfig; do
    name=${arch%%:*} defconfig=${arch#*:} dir=$out/$name
    if ! { make -s -C "$top" O="$dir" "$defconfig" && make -s -C "$top" O="$dir" -j2; } \
        >"$out/$name.build.log" 2>&1; then
        echo "code_size: $name build failed (log: $out/$name.build.log)"
        rc=1
        continue
    fi
    # The sources of the hypervisor's linked objects (obj/), never the guests' or host tools'.
    sed -n 's|^LOAD \(.*/obj/.*\)\.o$|\1.d|p' "$dir/bulkhead.map" | xargs cat | tr ' \\' '\n\n' |
        grep -E '\.(c|S)$' | sort -u >"$out/$name.files"
    [ -s "$out/$name.files" ] || { echo "code_size: $name: no dependency files"; rc=1; continue; }
    lines=$(python3 "$top/tests/bench/sloc.py" <"$out/$name.files") || { rc=1; continue; }
    echo "code_lines_$name: $lines lines ($(wc -l <"$out/$name.files") files)"
done
exit $rc
