/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCI configuration space through ECAM (PCI Express Base Specification 6.0, 7.2.2: 4 KiB of
 * configuration space per function at base + (bus << 20 | dev << 15 | fn << 12)). Segment 0
 * only. Devices are named by their requester id, bdf = bus << 8 | dev << 3 | fn, which is
 * also the AMD-Vi DeviceID and the SMMUv3 StreamID of a root-complex device.
 */
#pragma once

#include <hv/compiler.h>
#include <hv/types.h>

/* Standard header registers (PCI Local Bus 3.0, 6.1; PCIe 6.0, 7.5.1). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10

#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)
#define PCI_STATUS_SIG_TARGET_ABORT (1u << 11)
#define PCI_STATUS_RCV_TARGET_ABORT (1u << 12)
#define PCI_STATUS_RCV_MASTER_ABORT (1u << 13)

/* bus:dev.fn as a requester id. */
static inline uint16_t pci_bdf(unsigned int bus, unsigned int dev, unsigned int fn)
{
    return (uint16_t)((bus & 0xff) << 8 | (dev & 0x1f) << 3 | (fn & 7));
}

/*
 * Use the ECAM window at base for buses [bus_start, bus_end]. 0, -EINVAL (bad range), or
 * -ENODEV when the window cannot be mapped. Boot CPU.
 */
int pci_ecam_init(hpa_t base, unsigned int bus_start, unsigned int bus_end) __must_check;

/*
 * Find the ECAM window of segment 0 in the ACPI MCFG table (PCI Firmware Specification 3.3,
 * 4.1.2) and pci_ecam_init() it. 0; -ENOENT / -ENODEV without MCFG or ACPI; -EINVAL when the
 * table is malformed. Boot CPU.
 */
int pci_ecam_init_acpi(void) __must_check;

struct fdt;

/*
 * Find the first "pci-host-ecam-generic" node of fdt (Linux binding pci/host-generic-pci):
 * pci_ecam_init() its reg (bus 0 at the base unless bus-range says otherwise) and remember
 * the first 32-bit memory window of its ranges for pci_mem32_window(). For arches without
 * ACPI. 0; -ENOENT without such a node; -EINVAL when reg or bus-range is malformed. Boot CPU.
 */
int pci_ecam_init_dt(const struct fdt *fdt) __must_check;

/*
 * The 32-bit non-prefetchable memory window (CPU address = PCI address) found by
 * pci_ecam_init_dt(), for assigning BARs where no firmware did: 0, or -ENOENT.
 */
int pci_mem32_window(uint64_t *base, uint64_t *size) __must_check;

/*
 * Configuration reads and writes of naturally aligned registers (off < 4096). Reads of a
 * function outside the window, or before set-up, return all ones; such writes are dropped.
 */
uint32_t pci_read32(uint16_t bdf, unsigned int off);
uint16_t pci_read16(uint16_t bdf, unsigned int off);
void pci_write32(uint16_t bdf, unsigned int off, uint32_t val);
void pci_write16(uint16_t bdf, unsigned int off, uint16_t val);

/*
 * Find the first function (in bus, device, function order) with vendor:device: 0 and *bdf,
 * or -ENOENT.
 */
int pci_find_device(uint16_t vendor, uint16_t device, uint16_t *bdf) __must_check;

/*
 * The address of memory BAR idx (0..5) as firmware assigned it, 64-bit BARs included. 0 and
 * *base; -EINVAL for an I/O BAR or a bad index; -ENODEV when it is unassigned (0).
 */
int pci_bar_address(uint16_t bdf, unsigned int idx, uint64_t *base) __must_check;
