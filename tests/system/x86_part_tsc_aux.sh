#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# RDTSCP in a partition (arch/x86/svm.c): not intercepted, TSC_AUX owned by the guest and set
# to the vCPU index at every start. "aux" runs on cpu2 and cpu3 (guests/x86/tsc_aux.c): vCPU 0
# reads 0 and vCPU 1 reads 1 (not the physical CPU's value), a value it writes comes back,
# and after SYSTEM_RESET vCPU 0 reads 0 again. QEMU's qemu64 model lacks RDTSCP: +rdtscp.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

bh_x86_machine=("${bh_x86_machine[@]/qemu64,+svm,+npt/qemu64,+svm,+npt,+rdtscp}")
x86_part_test x86_part_tsc_aux x86_tsc_aux 180 \
    '^aux: tsc_aux: boot 0: vcpu 0 reads 0$' '^aux: tsc_aux: vcpu 1 reads 1$' \
    '^aux: tsc_aux: wrote 0x5a17, RDTSCP gives it; resetting$' \
    '^aux: tsc_aux: boot 1: vcpu 0 reads 0$' '^aux: guest: PASS'
