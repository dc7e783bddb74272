// SPDX-License-Identifier: Apache-2.0
/*
 * PCI configuration space through ECAM (PCIe 6.0, 7.2.2). Generic: the window comes from the
 * ACPI MCFG table (drivers/pci/pci_acpi.c) or from the DT (drivers/pci/pci_dt.c).
 */
#include <arch/io.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/pci.h>
#include <hv/string.h>

/* Map at most this many buses: the hypervisor only looks at the first few. */
#define ECAM_MAX_BUSES 16u

static volatile uint8_t *ecam;
static unsigned int ecam_bus_start, ecam_bus_end;

int pci_ecam_init(hpa_t base, unsigned int bus_start, unsigned int bus_end)
{
    unsigned int buses;

    if (bus_start > bus_end || bus_end > 0xff) {
        return -EINVAL;
    }
    buses = MIN(bus_end - bus_start + 1, ECAM_MAX_BUSES);
    ecam = arch_iomap(base, (size_t)(buses * PCI_ECAM_BUS_SIZE));
    if (ecam == NULL) {
        return -ENODEV;
    }
    ecam_bus_start = bus_start;
    ecam_bus_end = bus_start + buses - 1;
    hv_printf("pci: ECAM %#llx, buses %02x-%02x\n", (unsigned long long)hpa_val(base), bus_start,
              ecam_bus_end);
    return 0;
}

/* The configuration register at off of bdf, or NULL when outside the window. */
static volatile uint8_t *cfg(uint16_t bdf, unsigned int off)
{
    unsigned int bus = bdf >> 8;

    if (ecam == NULL || bus < ecam_bus_start || bus > ecam_bus_end || off >= PCI_CFG_SIZE) {
        return NULL;
    }
    /* One bus is 32 devices x 8 functions x PCI_CFG_SIZE (PCIe 6.0, 7.2.2). */
    return ecam + (bus - ecam_bus_start) * PCI_ECAM_BUS_SIZE + (bdf & 0xffu) * PCI_CFG_SIZE + off;
}

uint32_t pci_read32(uint16_t bdf, unsigned int off)
{
    volatile uint8_t *p = cfg(bdf, off & ~3u);

    return p != NULL ? mmio_read32(p) : UINT32_MAX;
}

uint16_t pci_read16(uint16_t bdf, unsigned int off)
{
    volatile uint8_t *p = cfg(bdf, off & ~1u);

    return p != NULL ? mmio_read16(p) : UINT16_MAX;
}

uint8_t pci_read8(uint16_t bdf, unsigned int off)
{
    volatile uint8_t *p = cfg(bdf, off);

    return p != NULL ? mmio_read8(p) : UINT8_MAX;
}

void pci_write8(uint16_t bdf, unsigned int off, uint8_t val)
{
    volatile uint8_t *p = cfg(bdf, off);

    if (p != NULL) {
        mmio_write8(p, val);
    }
}

void pci_write32(uint16_t bdf, unsigned int off, uint32_t val)
{
    volatile uint8_t *p = cfg(bdf, off & ~3u);

    if (p != NULL) {
        mmio_write32(p, val);
    }
}

void pci_write16(uint16_t bdf, unsigned int off, uint16_t val)
{
    volatile uint8_t *p = cfg(bdf, off & ~1u);

    if (p != NULL) {
        mmio_write16(p, val);
    }
}
