/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arch contract: where a partition sees its virtual PCI host (include/hv/vpci.h). Guest
 * addresses only; the same in every partition, and claimed for every partition in the
 * configuration (arch_config_vdev_range(), include/arch/config.h), so that no layout maps
 * anything there. Implemented in arch/<arch>/ and in tests/unit/fake/.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/types.h>

/* The ECAM of bus 0: 32 devices x 8 functions x 4 KiB (PCIe 6.0, 7.2.2). */
#define VPCI_ECAM_SIZE 0x100000u
/* The highest device number on it (function 0 of slots 0..31). */
#define VPCI_MAX_SLOT 31u

struct arch_vpci_layout {
    uint64_t ecam;     /* the bridge's ECAM, bus 0 only: VPCI_ECAM_SIZE bytes */
    uint64_t mem;      /* the 32-bit memory window for emulated BARs */
    uint64_t mem_size; /* its size */
    /* Where passed-through functions' BARs get their guest addresses (mapped in stage 2,
     * include/hv/pci_pt.h); 0 size: none. */
    uint64_t mapped, mapped_size;
};

/*
 * Fill *l. 0; -ENODEV when the arch offers partitions no virtual PCI host (x86 today: its
 * partitions have no interrupt controller to deliver INTx through). Pure; any context.
 */
int arch_vpci_layout(struct arch_vpci_layout *l) __must_check;
