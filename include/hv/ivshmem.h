/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ivshmem-style PCI functions (core/partition/ivshmem.c; guest ABI BH_IVSHMEM_* in
 * include/hv/hypercall_abi.h; docs/pci.md): a shared-memory entry with "pci-slot" appears
 * on its partition's virtual PCI host (include/hv/vpci.h) as a function whose BAR 2 is the
 * region's window and BAR 0 its doorbell registers. Rings of the region reach the entry's
 * partition as the function's level INTA (interrupt status bit, mask bit, PCI
 * Interrupt-Disable), so Linux user space takes them with the stock uio_pci_generic.
 */
#pragma once

/*
 * A doorbell for entry shm (an index into hv_config.shm, an entry with "pci-slot"): set its
 * function's doorbell status bit, raising INTA when unmasked. Called by doorbell_ring_to()
 * for a running partition. Any CPU; takes the function's lock.
 */
void ivshmem_ring(unsigned int shm);
