/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Doorbells (core/partition/doorbell.c): a partition rings the other users of one of its
 * shared-memory regions, who get a virtual interrupt. Two ways to ring, both by region:
 *   - the hypercall BH_HC_DOORBELL_RING (region id; include/hv/hypercall_abi.h);
 *   - a write to the region's doorbell register page, when its shared-mem node names one
 *     ("doorbell" = <guest-addr>, dts/bindings/; layout BH_DB_* in hypercall_abi.h), trapped
 *     MMIO (include/hv/vmmio.h), so Linux user space can ring through /dev/mem.
 *
 * Interrupts: every shared-mem entry of a partition without "pci-slot" gets one virtual interrupt
 * (arch_irq_virtual_alloc(), include/arch/irq.h, edge-rising), allocated in a fixed order:
 * after the devices before this one in the table (the vUART), one per region in DT order,
 * so the same layout always gives the same numbers. Its guest DT names it in the region's
 * /reserved-memory node ("interrupts", edge-rising, and "interrupt-parent"). A ring raises it with
 * arch_irq_raise(), whose pending semantics merge a ring into a previous one the peer has not taken
 * yet: no second interrupt and no second exit on the peer.
 *
 * Only partitions that run are rung; a ring never reaches a partition that does not use the
 * region (the set of users is the configuration's, fixed at boot).
 *
 * Locking: none of its own; the state is written at setup (boot CPU) and read afterwards.
 * Ringing takes the peers' virtual-interrupt locks (arch_irq_raise) only.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/types.h>

struct fdt_writer;
struct partition;

/*
 * Ring region shm (an index into hv_config.shm, one of from's own entries) on behalf of
 * partition from: raise the doorbell interrupt of the other running user whose partition id
 * is target, or of every other running user for target 0 (the ivshmem function's doorbell
 * register names its peer; a hypercall or a doorbell page rings all). A user whose entry is
 * an ivshmem-style PCI function ("pci-slot") gets the function's interrupt (ivshmem_ring(),
 * include/hv/ivshmem.h) instead of the edge doorbell interrupt. The number of partitions
 * rung. Any CPU.
 */
unsigned int doorbell_ring_to(struct partition *from, unsigned int shm, unsigned int target);

/* Other partitions using entry shm's region. */
unsigned int doorbell_peers(const struct partition *p, unsigned int shm);

/*
 * The index (into hv_config.shm) of p's entry for region id (len bytes, not NUL-terminated),
 * or -ENOENT when p does not use that region.
 */
int doorbell_find(const struct partition *p, const char *id, size_t len) __must_check;

/* p's doorbell interrupt for its entry shm, or 0 when it has none (no interrupt controller). */
uint32_t doorbell_irq(const struct partition *p, unsigned int shm);

/* Properties of entry shm's /reserved-memory node in p's guest DT: interrupts and
 * interrupt-parent, and "bulkhead,doorbell" = <guest-addr> when it has a register page. */
void doorbell_guest_dt(struct fdt_writer *w, const struct partition *p, unsigned int shm);
