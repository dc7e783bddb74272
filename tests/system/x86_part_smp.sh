#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 SMP: a partition starts its second vCPU by hypercall; SYSTEM_RESET and SYSTEM_OFF must
# both complete while that vCPU spins in the guest without any exit (the hypervisor kicks it
# out with an IPI), and the peer partition is not disturbed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

x86_part_test x86_part_smp x86_smp 120 \
    '^smp: reset_smp: boot 0: vcpu 1 runs' '^partition 1 "smp" vcpu 0: system reset' \
    '^smp: reset_smp: boot 1: vcpu 1 runs' '^smp: guest: PASS' '^peer: guest: PASS' \
    '^partitions: 1 +smp +off +[01]/2 +1 '
