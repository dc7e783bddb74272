#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 boot work (make bench; issue 15 item 1): the default layout on a non-test build, run
# under QEMU TCG with tests/bench/boot_plugin.c (built here with the host gcc), which counts
# per CPU the executed instructions of the hypervisor's text, by physical address, from the
# first instruction until that CPU runs guest code, and ends QEMU once every partition's boot
# vCPU has run its first instruction. Prints:
#   arm64_boot_work          instructions over all CPUs, without the three below and idle
#   arm64_boot_scrub         instructions per 64 bytes zeroing partition RAM (arch_guest_mem_zero)
#   arm64_boot_image_copy    instructions per 64 bytes copying staged images (arch_guest_mem_copy)
#   arm64_boot_image_hash    instructions per 64 bytes of SHA-256 over the staged images
# Idle (issue 15 item 5): TCG does not sleep on WFE, so a CPU waiting for its vCPU keeps
# running the wait loop (vcpu_cpu_main with arch_cpu_wait, and arch_irq_service / gic_service,
# which find nothing pending), and the boot CPU polls while each secondary comes up (smp_wait_report with
# arch_time_us, arch_cpu_relax, hv_cpus_online); instructions inside those functions are
# counted apart ("idle") and left out: how long a wait spins depends on the host's threads. The
# run uses MTTCG (no -icount): under -icount's round-robin the plugin was not called for the
# CPUs powered on later, and nothing here needs icount's clock.
# BH_BOOT_PROFILE=N also prints the N functions with the most boot work, with their callers
# (tests/bench/boot_profile.py).
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export BH_TOP=$top BH_OUT=${BH_OUT:-$top/out/bench}
. "$top/tests/system/lib.sh"

name=arm64_boot
dir=$(bh_build "$name" qemu_arm64_virt_defconfig) || {
    echo "$name: build failed"
    exit 1
}
plugin=$BH_OUT/build/boot_plugin.so
gcc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$plugin" "$top/tests/bench/boot_plugin.c" || {
    echo "$name: plugin build failed"
    exit 1
}
elf=$dir/bulkhead.elf
# range SYMBOL: START:END of a function, from the ELF's symbol table.
range() {
    nm -S "$elf" | while read -r a s _ n; do
        [ "$n" = "$1" ] && printf '0x%s:0x%x\n' "$a" $((0x$a + 0x$s))
    done
}
addr() { nm "$elf" | awk -v n="$1" '$3 == n { print "0x" $1 }'; }
# Both partitions of the default layout start at guest 0x40000000 (checked below).
entry=0x40000000
out=$BH_OUT/logs/$name.counts
args="text=$(addr __text_start):$(addr __text_end),guest=$entry:2,out=$out"
for f in vcpu_cpu_main arch_cpu_wait arch_irq_service gic_service smp_wait_report \
    arch_time_us arch_cpu_relax hv_cpus_online; do
    r=$(range $f)
    [ -n "$r" ] || { echo "$name: no function $f in $elf (renamed? update the idle list)"; exit 1; }
    args="$args,bucket=idle:$r"
done
args="$args,bucket=scrub:$(range arch_guest_mem_zero),bucket=copy:$(range arch_guest_mem_copy)"
args="$args,bucket=hash:$(range sha256_block)"
[ -n "${BH_BOOT_PROFILE:-}" ] && args="$args,profile=$out.profile"
log=$BH_OUT/logs/$name.console
rm -f "$out"
mapfile -t kargs < <("$top/tools/qemu_arm64.sh" --print-args kernel "$dir")
BH_NO_NONCE=1 bh_qemu 600 "$log" qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,iommu=smmuv3 \
    -cpu cortex-a57 -smp 4 -m 2G -plugin "$plugin,$args" "${kargs[@]}"
status=$?
if [ "$status" -ne 0 ] || ! grep -q '^started 2 of 2$' "$out" 2>/dev/null; then
    echo "$name: QEMU exit status $status, no complete count"
    tail -n 15 "$log" "$log.qemu" | sed 's/^/    | /'
    exit 1
fi
starts=$(grep -c "starting vcpu 0 on cpu[0-9]* at $entry," "$log")
if [ "$starts" -ne 2 ]; then
    echo "$name: expected both partitions to start at $entry"
    exit 1
fi
count() { awk -v n="$1" '$1 == n { print $2 }' "$out"; }
# Partition RAM and staged image bytes, from the configuration the hypervisor prints.
ram=$(tr -d '\r' <"$log" | awk '$1 == "memory" && $2 == "guest" && $7 == "MiB" { s += $6 } END { print s * 1048576 }')
img=$(tr -d '\r' <"$log" | sed -n 's/^ *image .*(\([0-9]*\) bytes staged.*/\1/p' | awk '{ s += $1 } END { print s }')
sed 's/^/  # /' "$out"
[ -n "${BH_BOOT_PROFILE:-}" ] && "$top/tests/bench/boot_profile.py" "$elf" "$out.profile" \
    "$BH_BOOT_PROFILE" vcpu_cpu_main arch_cpu_wait arch_irq_service gic_service smp_wait_report \
    arch_time_us arch_cpu_relax hv_cpus_online arch_guest_mem_zero arch_guest_mem_copy sha256_block |
    sed 's/^/  # /'
echo "arm64_boot_work: $(count boot) instructions"
awk -v c="$(count scrub)" -v b="$ram" 'BEGIN { printf "arm64_boot_scrub: %.2f instructions/64B\n", c * 64 / b }'
awk -v c="$(count copy)" -v b="$img" 'BEGIN { printf "arm64_boot_image_copy: %.2f instructions/64B\n", c * 64 / b }'
awk -v c="$(count hash)" -v b="$img" 'BEGIN { printf "arm64_boot_image_hash: %.0f instructions/64B\n", c * 64 / b }'
