/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arch contract: interrupts. The physical interrupt controller belongs to the hypervisor;
 * each partition sees a virtual one that the arch emulates (arm64: a GICv3 distributor per
 * partition and a redistributor per vCPU, the CPU interface through the GIC's virtual
 * interface, docs/interrupts.md). Generic code (core/) speaks only this contract and never
 * names a controller: it injects virtual interrupts into vCPUs (doorbells), hands the
 * physical interrupts of passed-through devices to their partition, asks whether a vCPU
 * has something to wake for, and makes a vCPU's CPU enter the hypervisor (stop, reset).
 * Implemented in arch/<arch>/ and in tests/unit/fake/fake_irq.c.
 *
 * Interrupt numbers are the controller's own (arm64: GIC INTIDs; a passed-through SPI keeps
 * its number in the partition, so its guest DT can copy the device's "interrupts"). A vCPU
 * only ever holds interrupts of its own partition: an injection names a vCPU, which names
 * its partition, and routing refuses an interrupt that already belongs to another
 * partition.
 *
 * Locking: each vCPU's virtual-interrupt state has its own lock (rank LOCK_RANK_VIRQ, taken
 * inside partition.lock, never around it); the hooks below take it themselves. No hook
 * sleeps or waits for another CPU.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/types.h>

struct partition;
struct vcpu;

/*
 * Decode one interrupt specifier of a device's DT "interrupts" (cells in host order, as the
 * configuration keeps them, cells = the number of cells one specifier takes, from
 * arch_irq_dt_cells()) into the controller's interrupt number *irq. 0; -EINVAL for a
 * specifier that does not name a shared peripheral interrupt a partition may own (arm64: a
 * PPI, an SGI, an out-of-range SPI). Pure; any context.
 */
int arch_irq_from_dt(const uint32_t *cells, unsigned int cells_count, uint32_t *irq) __must_check;

/* Cells of one interrupt specifier in the board's DT (arm64 GICv3: 3). Pure. */
unsigned int arch_irq_dt_cells(void);

/*
 * Phandle of the virtual interrupt controller node in p's guest DT (written by the arch's
 * virtual device: GUEST_DT_PHANDLE_INTC of include/hv/guest_dt.h), which the generic guest
 * DT names as the root's "interrupt-parent"; 0 when p has none. Pure.
 */
uint32_t arch_irq_guest_phandle(const struct partition *p);

/* Cells of a DT interrupt specifier, at most (arch_irq_dt_cells() <= this). */
#define ARCH_IRQ_DT_CELLS_MAX 4

/*
 * Reserve a virtual interrupt for an emulated device of p (the virtual UART, a doorbell):
 * an interrupt number no physical interrupt of p uses, shown by p's virtual controller and
 * raised with arch_irq_inject(). *virq gets the number, cells (arch_irq_dt_cells() of them)
 * the specifier for p's guest DT. 0; -ENOSPC when none is left; -ENODEV when the arch has
 * no interrupt controller for partitions. Boot CPU, at setup, after arch_irq_route() of p's
 * devices; the reservation lasts until p is set up again (it survives resets).
 */
int arch_irq_virtual_alloc(struct partition *p, uint32_t *virq, uint32_t *cells) __must_check;

/*
 * Give physical interrupt irq of a passed-through device to partition p: from now on it is
 * delivered to p's vCPU 0 (until the guest routes it to another of its vCPUs through its
 * virtual controller), as the same interrupt number, and the guest's own end-of-interrupt
 * completes it in hardware (arm64: list register with HW = 1). It stays disabled until the
 * guest enables it. 0; -EBUSY when irq already belongs to another partition (the message
 * names both partitions) or is one of p's virtual interrupts; -EINVAL when irq is not a routable
 * interrupt; -ENODEV when the arch has no interrupt controller. Boot CPU, before p runs, or p->lock
 * held (reset).
 */
int arch_irq_route(struct partition *p, uint32_t irq) __must_check;

/*
 * Take back every physical interrupt routed to p: disabled, deactivated, no longer p's
 * (partition stop, failed setup). Idempotent. p->lock held or p not running.
 */
void arch_irq_release(struct partition *p);

/*
 * Mask (masked = true) or unmask physical interrupt irq of partition p at the controller,
 * without changing its owner. 0; -EPERM when irq is not p's. Any CPU, p->lock not needed.
 */
int arch_irq_mask(struct partition *p, uint32_t irq, bool masked) __must_check;

/*
 * Make virtual interrupt virq pending on vCPU v (edge semantics: a virq already pending
 * stays pending once; nothing is lost when more are pending than the hardware can hold at
 * a time). If v runs on another CPU, that CPU is interrupted so the guest sees it promptly.
 * 0; -EINVAL when virq is not an interrupt number the arch injects (arm64: SGIs 0..15 and
 * SPIs 32..1019; PPIs come from hardware). Any CPU; takes v's virtual-interrupt lock.
 */
int arch_irq_inject(struct vcpu *v, uint32_t virq) __must_check;

/*
 * Whether v has a virtual interrupt pending that its guest could take (enabled in its
 * virtual controller): what a waiting vCPU (WFI) wakes for. Any CPU; a snapshot.
 */
bool arch_irq_pending(const struct vcpu *v);

/*
 * Make v's physical CPU enter the hypervisor soon, even if the guest sleeps in WFI with
 * interrupts masked (arm64: a hypervisor SGI). Used when v's partition stops or resets, so
 * that v notices. Any CPU; no lock needed.
 */
void arch_irq_kick(const struct vcpu *v);

/*
 * Forget every virtual interrupt of v (pending and in flight), as at a fresh boot; any
 * physical interrupt v had taken but not completed is completed. v's own CPU, before it
 * (re)enters the guest.
 */
void arch_irq_vcpu_reset(struct vcpu *v);
