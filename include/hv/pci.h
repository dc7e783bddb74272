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
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_CACHE_LINE_SIZE 0x0c
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_BAR5 0x24
#define PCI_CARDBUS_CIS 0x28
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_ROM_ADDRESS 0x30
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
/* Interrupt Pin values (PCI Local Bus 3.0, 6.2.4): 0 none, 1 INTA .. 4 INTD. */
#define PCI_INTERRUPT_PIN_A 1u
/* First byte after the type-0 header; extended configuration space starts at 0x100. */
#define PCI_CAP_START 0x40
#define PCI_EXT_CAP_START 0x100
#define PCI_CFG_SIZE 0x1000

#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_STATUS_INTERRUPT (1u << 3)
#define PCI_STATUS_CAP_LIST (1u << 4)
/* STATUS bits that are write-1-to-clear (PCI Local Bus 3.0, 6.2.3): parity, aborts, SERR. */
#define PCI_STATUS_RW1C 0xf900u
#define PCI_HEADER_TYPE_MASK 0x7f
#define PCI_HEADER_MULTI_FUNCTION 0x80

/* BAR low bits (PCI Local Bus 3.0, 6.2.5.1). */
#define PCI_BAR_IO (1u << 0)
#define PCI_BAR_TYPE_64 (2u << 1)
#define PCI_BAR_TYPE_MASK (3u << 1)
#define PCI_BAR_PREFETCH (1u << 3)
#define PCI_BAR_MEM_FLAGS 0xfu

/* Capability ids (PCI Code and ID Assignment Specification 1.11, 2). */
#define PCI_CAP_ID_PM 0x01
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_VNDR 0x09
#define PCI_CAP_ID_EXP 0x10
#define PCI_CAP_ID_MSIX 0x11
/* PCI Express capability: Device Capabilities and Control (PCIe 6.0, 7.5.3.3-4). */
#define PCI_EXP_DEVCAP 0x04
#define PCI_EXP_DEVCAP_FLR (1u << 28)
#define PCI_EXP_DEVCTL 0x08
#define PCI_EXP_DEVCTL_BCR_FLR (1u << 15)
#define PCI_EXP_DEVSTA 0x0a
#define PCI_EXP_DEVSTA_TRPND (1u << 5)

#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)
#define PCI_STATUS_SIG_TARGET_ABORT (1u << 11)
#define PCI_STATUS_RCV_TARGET_ABORT (1u << 12)
#define PCI_STATUS_RCV_MASTER_ABORT (1u << 13)

/*
 * Device-tree PCI addresses (IEEE 1275 PCI Bus Binding 2.2.1.1): three cells, phys.hi =
 * npt000ss bbbbbbbb dddddfff rrrrrrrr; ss = 10 32-bit memory, 11 64-bit memory; p =
 * prefetchable. Used by "ranges" of a host bridge node.
 */
#define PCI_DT_ADDR_CELLS 3
#define PCI_DT_SPACE_SHIFT 24
#define PCI_DT_SPACE_MASK 3u
#define PCI_DT_SPACE_MEM32 2u
#define PCI_DT_SPACE_MEM64 3u
#define PCI_DT_MEM32 (PCI_DT_SPACE_MEM32 << PCI_DT_SPACE_SHIFT)
#define PCI_DT_MEM64 (PCI_DT_SPACE_MEM64 << PCI_DT_SPACE_SHIFT)
#define PCI_DT_PREFETCH (1u << 30)

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

/* ECAM space of one bus: 32 devices x 8 functions x 4 KiB (PCIe 6.0, 7.2.2). */
#define PCI_ECAM_BUS_SIZE (UINT64_C(1) << 20)

/*
 * Find the ECAM window of segment 0 in the ACPI MCFG table (PCI Firmware Specification 3.3,
 * 4.1.2) and pci_ecam_init() it. 0; -ENOENT without MCFG; -EINVAL when the table is
 * malformed. Boot CPU. Built on arches with ACPI only (Kconfig HAS_ACPI): callers in generic
 * code test IS_ENABLED(CONFIG_HAS_ACPI) first.
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
uint8_t pci_read8(uint16_t bdf, unsigned int off);
void pci_write32(uint16_t bdf, unsigned int off, uint32_t val);
void pci_write16(uint16_t bdf, unsigned int off, uint16_t val);
void pci_write8(uint16_t bdf, unsigned int off, uint8_t val);
