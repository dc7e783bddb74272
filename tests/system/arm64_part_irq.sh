#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 interrupt virtualization inside a partition: "irq" (guests/arm64/irq.c, two vCPUs)
# counts the virtual timer on both vCPUs (and on vCPU 0 re-armed expired before its EOI),
# SGIs by target list and broadcast, and the interrupts of its passed-through UART (uart1,
# the second -serial) routed to vCPU 1; the physical timer is denied and reported. Every count must be exact; "peer" passes alongside.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

BH_QEMU_TAIL=(-serial null)
part_test arm64_part_irq irq kernel 120 \
    'irq: irq: vcpu 0: 20 virtual timer interrupts' 'irq: irq: vcpu 1: 20 virtual timer interrupts' \
    'irq: irq: vcpu 0: 10 timer interrupts re-armed expired before their EOI' \
    'irq: irq: SGIs: 10 by target list, 1 broadcast, 1 to self, all counted once' \
    'irq: irq: passed-through SPI 40: 10 interrupts at vcpu 1' \
    'partition 1 "irq" vcpu 0: vgic: EL1 physical timer denied \(reads 0, writes ignored\): use the virtual timer' \
    'irq: irq: all interrupts counted' 'irq: guest: PASS' 'peer: guest: PASS'
