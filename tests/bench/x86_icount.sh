#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 intercept cost (make bench): QEMU -icount shift=0 makes every executed instruction
# advance virtual time by 1 ns, and QEMU's TSC counts virtual nanoseconds, so the TSC a guest
# reads converts to an instruction count. guests/x86/bench.c (layout
# tests/system/layouts/x86_bench.dtsi, a single partition) times 4096 calls of each kind,
# subtracts the same empty loop and prints the per-call figure:
#   x86_vmmcall_round_trip   VMMCALL BH_HC_PARTITION_INFO: #VMEXIT, instruction decode (no
#                            NRIP-save under TCG), dispatch, VMRUN
#   x86_cpuid_round_trip     CPUID: an intercepted instruction emulated by the hypervisor
#   x86_io_round_trip        IN of the virtual COM1's LSR: an I/O access the IOPM intercepts
#                            and arch/x86/vuart.c emulates (IOIO exits give the next RIP)
# The count is QEMU's global icount: the other CPUs polling meanwhile are included.
# From the hypervisor's boot log of the same run ("stage 2: partition 1 ..."):
#   x86_npt_block_share      share of the bench partition's NPT mappings in 2 MiB / 1 GiB pages
#   x86_npt_table_pages      its NPT table pages
# Per interrupt of the guest's x2APIC timer: x86_timer_irq, x86_timer_irq_exits (below).
# Their targets are in tests/bench/targets.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export BH_TOP=$top BH_OUT=${BH_OUT:-$top/out/bench}
. "$top/tests/system/lib.sh"

name=x86_icount
dir=$(bh_build "$name" qemu_x86_64_q35_defconfig tests/system/layouts/x86_bench.config) || {
    echo "$name: build failed"
    exit 1
}
log=$BH_OUT/logs/$name.console
mapfile -t args < <("$BH_TOP/tools/qemu_x86.sh" --print-args kernel "$dir")
bh_qemu 300 "$log" "${bh_x86_machine[@]}" -no-reboot -icount shift=0 "${args[@]}"
status=$?
rc=0
for fig in vmmcall_round_trip cpuid_round_trip io_round_trip; do
    v=$(tr -d '\r' <"$log" | sed -n "s/.*bench: $fig: \([0-9][0-9]*\) instructions.*/\1/p" | tail -n 1)
    if [ -n "$v" ]; then
        echo "x86_$fig: $v instructions"
    else
        echo "$name: no $fig figure in $log"
        rc=1
    fi
done
npt=$(tr -d '\r' <"$log" |
    sed -n 's/^stage 2: partition 1 "bench": \([0-9]*\) table pages, \([0-9]*\) % .*/\1 \2/p')
if [ -n "$npt" ]; then
    echo "x86_npt_block_share: ${npt#* } %"
    echo "x86_npt_table_pages: ${npt% *} pages"
else
    echo "$name: no stage-2 line for the bench partition in $log"
    rc=1
fi
if [ "$status" -ne "$BH_X86_PASS" ]; then
    echo "$name: QEMU exit status $status (expected $BH_X86_PASS)"
    tail -n 15 "$log" | sed 's/^/    | /'
    rc=1
fi
# Per interrupt of the guest's periodic x2APIC timer (arch/x86/vapic.c; its own IDT gate,
# EOI by the x2APIC EOI MSR), from the same run:
#   x86_timer_irq_exits      exits (BH_HC_TEST_TRAPS), in hundredths
#   x86_timer_irq            the hypervisor's instructions (the guest's gate, handler and
#                            IRETQ taken out)
line=$(tr -d '\r' <"$log" | grep -E "bench: timer_irq: [0-9.]+ exits, [0-9]+ instructions" |
    tail -n 1)
if [ -n "$line" ]; then
    v=$(echo "$line" | sed -E 's/.*exits, ([0-9]+) instructions.*/\1/')
    echo "x86_timer_irq: $v instructions"
    v=$(echo "$line" | sed -E 's/.*timer_irq: ([0-9.]+) exits, .*/\1/')
    echo "x86_timer_irq_exits: $v exits"
else
    echo "$name: no timer_irq figure in $log"
    rc=1
fi
exit $rc
