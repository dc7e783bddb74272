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
 * an interrupt number no physical interrupt of p uses, shown by p's virtual controller (the
 * guest programs it like a device interrupt of its own: enable, priority, trigger, target
 * vCPU) and raised with arch_irq_raise() (no physical line behind it). Numbers are handed
 * out in a fixed order (arm64: from the top SPI down), so the same layout and device order
 * always give the same numbers. *virq gets the number, cells (arch_irq_dt_cells() of them)
 * the specifier for p's guest DT, edge-rising when edge, else level-high. 0; -ENOSPC when
 * none is left; -ENODEV when the arch has no interrupt controller for partitions. Boot CPU,
 * at setup (a virtual device's init()), after arch_irq_route() of p's devices; the
 * reservation lasts until p is set up again (it survives resets and arch_irq_release()).
 */
int arch_irq_virtual_alloc(struct partition *p, bool edge, uint32_t *virq,
                           uint32_t *cells) __must_check;

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
 * Make p's virtual interrupt virq (arch_irq_virtual_alloc()) pending on the vCPU its guest
 * routes it to (vCPU 0 until the guest routes it elsewhere), with arch_irq_inject()'s
 * semantics: raised again while still pending, nothing changes (no second interrupt, no
 * second wake-up of that vCPU's CPU). The vUART's receive/transmit interrupt, a doorbell.
 * 0; -EPERM when virq is not one of p's virtual interrupts; -ENODEV without an interrupt
 * controller. Any CPU; takes the target vCPU's virtual-interrupt lock, so the caller holds
 * no lock of rank LOCK_RANK_VIRQ or above.
 */
int arch_irq_raise(struct partition *p, uint32_t virq) __must_check;

/*
 * Drive the line of p's level-high virtual interrupt virq (arch_irq_virtual_alloc() with
 * edge = false; an emulated device's level output, e.g. a virtual PCI function's INTx):
 * high makes it pending on the vCPU its guest routes it to, and it becomes pending again
 * after each guest end-of-interrupt while the line stays high; low takes back a pending
 * state the guest has not acknowledged yet where the arch can (the guest may still see one
 * spurious interrupt, as on hardware when a line drops while being signalled). 0; -EPERM
 * when virq is not one of p's virtual interrupts; -ENODEV without an interrupt controller.
 * Any CPU; takes virtual-interrupt locks, so the caller holds none of rank LOCK_RANK_VIRQ
 * or above.
 */
int arch_irq_level(struct partition *p, uint32_t virq, bool high) __must_check;

/*
 * Make virtual interrupt virq pending on vCPU v (edge semantics: a virq already pending
 * stays pending once, and v's CPU is then not interrupted again: a second injection before
 * the guest has seen the first costs neither an interrupt nor an exit; nothing is lost when
 * more are pending than the hardware can hold at a time). If v runs on another CPU, that
 * CPU is interrupted so the guest sees it promptly.
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

/*
 * Interrupts the hypervisor keeps for itself (console input, IOMMU events): their handler
 * runs in the hypervisor on the CPU the interrupt is routed to, whether a guest runs there
 * (the interrupt exits it, the handler runs, the guest resumes) or the CPU waits in the
 * hypervisor (arch_irq_service()). Interrupts stay masked while it runs; it must not wait
 * for another CPU. irq: the controller's number (arch_irq_from_dt()).
 */
typedef void (*arch_irq_handler_fn)(uint32_t irq, void *arg);

/*
 * Claim physical interrupt irq for the hypervisor: fn(irq, arg) runs on logical CPU cpu each
 * time it fires (edge: edge-triggered, else level: fn must quiet the device before it
 * returns). Enabled at once. 0; -EBUSY when a partition owns irq or it is already claimed;
 * -EINVAL when irq is not routable or cpu is not a CPU; -ENOSPC when the arch's table of
 * claims is full; -ENODEV without an interrupt controller. Boot CPU, after the partitions'
 * arch_irq_route().
 */
int arch_irq_claim(uint32_t irq, bool edge, unsigned int cpu, arch_irq_handler_fn fn,
                   void *arg) __must_check;

/*
 * Route claimed interrupt irq to logical CPU cpu from now on (an interrupt already taken
 * still completes where it was taken). 0; -EPERM when irq is not claimed; -EINVAL for a bad
 * cpu. Any CPU (also from a handler).
 */
int arch_irq_claim_cpu(uint32_t irq, unsigned int cpu) __must_check;

/*
 * A CPU waiting in the hypervisor (no vCPU to run, or its vCPU parked) runs the handlers of
 * the claimed interrupts pending on it; an interrupt of anything else pending here is
 * completed and left to whoever runs next. Called after each arch_cpu_wait() of the
 * hypervisor's wait loops; returns at once when nothing is pending.
 */
void arch_irq_service(void);
