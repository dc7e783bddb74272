#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# `make run` as a user types it, with the default configuration of each arch and no input:
#   make_run_arm64   boots through Debian's U-Boot (FIT + pflash environment, no typing):
#                    banner, all 4 CPUs, the partition table from the embedded DTB, and the
#                    two default partitions completing their shared-memory ping-pong
#   make_run_x86     boots with -kernel: banner, all 4 CPUs, the partition table and the two
#                    default partitions completing their ping-pong under SVM + NPT
# The default configuration has no test exit, so the run is ended here once every marker has
# appeared (or after a bound), and the verdict is the markers alone.
set -u
. "$(dirname "$0")/lib.sh"

# run_make NAME DEFCONFIG SECONDS MARKER...: build DEFCONFIG, start `make run`, wait until the
# last marker appears (or SECONDS pass), stop QEMU, check every marker.
run_make() {
    local name=$1 defconfig=$2 secs=$3; shift 3
    local dir=$BH_OUT/build/$name log=$BH_OUT/logs/$name.console pid waited=0 last
    mkdir -p "$BH_OUT/build"
    if ! make -s -C "$BH_TOP" O="$dir" "$defconfig" >"$dir.log" 2>&1; then
        echo "FAIL $name: configuration failed"; tail -n 10 "$dir.log"; return 1
    fi
    last=${!#}
    : >"$log"
    setsid make -s -C "$BH_TOP" O="$dir" run </dev/null >"$log" 2>&1 &
    pid=$!
    while [ "$waited" -lt "$secs" ] && kill -0 "$pid" 2>/dev/null; do
        grep -Eq -- "$last" "$log" && break
        sleep 1
        waited=$((waited + 1))
    done
    kill -TERM -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # The verdict is the markers: report status 0 to bh_verdict when the run was ended here.
    bh_verdict "$name" 0 0 "$log" "$@"
}

rc=0
run_make make_run_arm64 qemu_arm64_virt_defconfig 240 \
    'U-Boot 20.*' 'Bulkhead [0-9].*' 'arm64: entered at EL2;.*' \
    'cpu0: online.*' 'cpu1: online.*' 'cpu2: online.*' 'cpu3: online.*' '4 of 4 CPUs online.*' \
    'config: 2 partitions.*' ' *partition 1 "control".*' ' *partition 2 "worker".*' \
    'control: guest: PASS.*' 'worker: guest: PASS.*' 'all partitions stopped.*' || rc=1
run_make make_run_x86 qemu_x86_64_q35_defconfig 120 \
    'Bulkhead [0-9].*' 'cpu0: online.*' 'cpu1: online.*' 'cpu2: online.*' 'cpu3: online.*' \
    '4 of 4 CPUs online.*' 'config: 2 partitions.*' ' *partition 1 "control".*' ' *partition 2 "worker".*' \
    'control: guest: PASS' 'worker: guest: PASS' 'all partitions stopped' || rc=1
exit $rc
