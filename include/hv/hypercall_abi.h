/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypercall ABI, shared by the hypervisor and the guests (so it includes nothing but
 * <stdint.h>). On Arm the conduit is HVC #0 following the SMC Calling Convention (Arm DEN 0028,
 * SMCCC v1.1+): function id in x0, arguments in x1..x5, results in x0..x3 (x4 too for
 * PARTITION_INFO only); every register that is no result keeps its value. The ids are SMC64
 * fast calls in the Vendor Specific Hypervisor Service range (owning entity 6, SMCCC 6.2), so
 * a guest can probe them like any SMCCC service. x86 uses the same numbers with VMMCALL
 * (id in rax, arguments rbx, rcx, rdx, rsi, rdi; results rax, rbx, rcx, rdx, rsi): below,
 * x0..x5 name those registers in that order.
 *
 * No result ever carries a host physical address: addresses are guest physical.
 */
#pragma once

#include <stdint.h>

/* Vendor Specific Hypervisor Service, fast call, SMC64: 0b1 1 000110 ... */
#define BH_HC_BASE 0xC6000000u

/*
 * Write a guest buffer to the hypervisor console, prefixed with the partition's label.
 * x1 = guest physical address, x2 = length (at most BH_HC_CONSOLE_MAX).
 * x0 = bytes written, or BH_HC_E_INVALID (length) / BH_HC_E_FAULT (buffer not in the
 * partition's readable memory).
 */
#define BH_HC_CONSOLE_WRITE (BH_HC_BASE + 0x01u)
#define BH_HC_CONSOLE_MAX 256u

/*
 * The calling partition: x0 = 0, x1 = partition id, x2 = number of vCPUs, x3 = calling vCPU's
 * index, x4 = number of shared-memory regions the partition uses.
 */
#define BH_HC_PARTITION_INFO (BH_HC_BASE + 0x02u)

/*
 * One shared-memory region of the calling partition, by id.
 * x1 = guest physical address of the id string, x2 = its length (1..31, no NUL needed).
 * x0 = 0, x1 = guest physical base, x2 = size, x3 = flags (BH_SHM_*); or BH_HC_E_NOENT (the
 * partition has no such region), BH_HC_E_INVALID (length), BH_HC_E_FAULT (bad pointer).
 */
#define BH_HC_SHM_INFO (BH_HC_BASE + 0x03u)
#define BH_SHM_WRITABLE (1u << 0) /* mapped read-write for this partition */
#define BH_SHM_OWNER (1u << 1)    /* this partition owns the region */
#define BH_SHM_CACHE_SHIFT 4      /* cache policy: 0 wb, 1 wt, 2 nc */
#define BH_SHM_CACHE_MASK (3u << BH_SHM_CACHE_SHIFT)

/*
 * Ring the doorbell of one shared-memory region of the calling partition, by id: every other
 * partition using the region (owner or borrower) that runs gets its doorbell interrupt for
 * the region (the "interrupts" of the region's /reserved-memory node in its guest DT). A ring
 * while the peer's previous ring is still pending is merged into it.
 * x1 = guest physical address of the id string, x2 = its length (1..31, no NUL needed).
 * x0 = number of partitions rung (0 when no other user runs), or BH_HC_E_NOENT (the caller
 * does not use that region), BH_HC_E_INVALID (length), BH_HC_E_FAULT (bad pointer).
 */
#define BH_HC_DOORBELL_RING (BH_HC_BASE + 0x04u)

/*
 * The doorbell register page (dts/bindings: "doorbell" of a shared-mem node): 4 KiB at the
 * guest address the partition's shared-mem node names, trapped by the hypervisor, so that
 * code without a hypercall conduit (Linux user space through /dev/mem) can ring. Only
 * aligned 32-bit accesses; anything else stops the partition (fault containment).
 *   BH_DB_RING   write: ring, like BH_HC_DOORBELL_RING for this region (value ignored);
 *                read: 0
 *   BH_DB_IRQ    read: this partition's doorbell interrupt for the region (controller
 *                number, arm64: GIC INTID), as in its guest DT
 *   BH_DB_PEERS  read: how many other partitions use the region
 *   BH_DB_MAGIC  read: BH_DB_MAGIC_VALUE ("BHDB"), to check the mapping
 * Other offsets read 0 and ignore writes.
 */
#define BH_DB_RING 0x000u
#define BH_DB_IRQ 0x004u
#define BH_DB_PEERS 0x008u
#define BH_DB_MAGIC 0x00cu
#define BH_DB_MAGIC_VALUE 0x42484442u
#define BH_DB_PAGE_SIZE 0x1000u

/*
 * The ivshmem-style PCI function of a shared-memory region ("pci-slot" of a shared-mem
 * node, docs/pci.md): vendor BH_IVSHMEM_VENDOR, device BH_IVSHMEM_DEVICE, class 0x0500
 * (memory controller, RAM), INTA level-triggered. BAR 2 (64-bit, prefetchable) is the
 * region's window at its guest address; BAR 0 (4 KiB) holds these registers, aligned 32-bit
 * accesses only (anything else stops the partition):
 *   BH_IVSHMEM_ID        read: this partition's id
 *   BH_IVSHMEM_PEERS     read: how many other partitions use the region
 *   BH_IVSHMEM_ISTATUS   read: bit 0 = a doorbell arrived; write: ones clear (RW1C)
 *   BH_IVSHMEM_IMASK     read/write: bit 0 = doorbells raise INTA (0 after reset)
 *   BH_IVSHMEM_DOORBELL  write: ring the user of the region whose partition id is the value
 *                        (0: every other user), like BH_HC_DOORBELL_RING; read: 0
 *   BH_IVSHMEM_MAGIC     read: BH_IVSHMEM_MAGIC_VALUE ("BHIV")
 * The interrupt condition is ISTATUS & IMASK (PCI STATUS.Interrupt-Status shows it; INTA is
 * asserted while it holds and COMMAND.Interrupt-Disable is clear). Other offsets read 0 and
 * ignore writes. The vendor id is not one PCI-SIG lists (pci.ids has no 0xb4ed): a product
 * would use an assigned vendor id; it is deliberately not Red Hat's ivshmem 1af4:1110, whose
 * register layout and MSI-X expectations Linux drivers and tools would then assume.
 */
#define BH_IVSHMEM_VENDOR 0xb4edu
#define BH_IVSHMEM_DEVICE 0x0001u
#define BH_IVSHMEM_ID 0x00u
#define BH_IVSHMEM_PEERS 0x04u
#define BH_IVSHMEM_ISTATUS 0x08u
#define BH_IVSHMEM_IMASK 0x0cu
#define BH_IVSHMEM_DOORBELL 0x10u
#define BH_IVSHMEM_MAGIC 0x14u
#define BH_IVSHMEM_MAGIC_VALUE 0x42484956u
#define BH_IVSHMEM_REGS_SIZE 0x1000u

/*
 * Partition power control, for arches without PSCI (x86; arm64 guests may use them too).
 * SYSTEM_OFF stops the calling partition, SYSTEM_RESET reboots it (reload, new DTB); neither
 * returns. VCPU_START: x1 = vCPU index, x2 = guest entry address (executable memory of the
 * partition), x3 = the context register at entry (x0 on arm64, EBX on x86); x0 = 0, or
 * BH_HC_E_INVALID (no such vCPU, already on or starting), BH_HC_E_FAULT (bad entry).
 */
#define BH_HC_SYSTEM_OFF (BH_HC_BASE + 0x08u)
#define BH_HC_SYSTEM_RESET (BH_HC_BASE + 0x09u)
#define BH_HC_VCPU_START (BH_HC_BASE + 0x0au)

/*
 * Test builds only (CONFIG_TEST_MONITOR): report the calling partition's verdict, x1 = 0 for
 * pass, anything else for fail. The test monitor ends QEMU once every partition has stopped.
 */
#define BH_HC_TEST_VERDICT (BH_HC_BASE + 0x10u)

/*
 * Test builds only (CONFIG_TEST_MONITOR): x0 = 0, x1 = how many times the calling vCPU has
 * entered the hypervisor since it started (every trap and interrupt, this call included),
 * for benchmarks that count exits.
 */
#define BH_HC_TEST_TRAPS (BH_HC_BASE + 0x12u)

/* Results: SMCCC's standard codes (SMCCC 7.1), then Bulkhead's own, all negative. */
#define BH_HC_OK 0
#define BH_HC_E_NOT_SUPPORTED (-1)
#define BH_HC_E_INVALID (-3)
#define BH_HC_E_FAULT (-4)
#define BH_HC_E_NOENT (-5)
