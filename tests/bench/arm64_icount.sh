#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 hypercall cost (make bench): QEMU -icount shift=0 makes every executed instruction
# advance virtual time by exactly 1 ns, so the generic counter a guest reads converts to an
# instruction count. guests/arm64/bench.c (layout tests/system/layouts/bench.dtsi, a single
# partition) times 4096 calls of each kind, subtracts the same empty loop and prints the
# per-call figure; this script prints them as "name: value instructions":
#   arm64_hvc_round_trip   HVC #0 BH_HC_PARTITION_INFO: trap to EL2, dispatch, ERET
#   arm64_smc_round_trip   trapped SMC PSCI_VERSION: the PSCI emulation path
#   arm64_mmio_round_trip  a 32-bit load of the virtual PL011's UARTFR (arch/arm64/vpl011.c):
#                          stage-2 data abort, syndrome decode, trapped-MMIO dispatch, ERET
# The count is QEMU's global icount: instructions other CPUs execute meanwhile (a hypervisor
# CPU polling instead of WFI) are included.
. "$(dirname "$0")/icount.inc"

name=arm64_icount
icount_run "$name" bench
rc=0
for fig in hvc_round_trip smc_round_trip mmio_round_trip; do
    v=$(sed -n "s/.*bench: $fig: \([0-9][0-9]*\) instructions.*/\1/p" "$log" | tail -n 1)
    if [ -n "$v" ]; then
        echo "arm64_$fig: $v instructions"
    else
        echo "$name: no $fig figure in $log"
        rc=1
    fi
done
icount_exit "$name" "$rc"
