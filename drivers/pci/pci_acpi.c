// SPDX-License-Identifier: Apache-2.0
/*
 * The ECAM window from the ACPI MCFG table (PCI Firmware 3.3, 4.1.2), on arches with ACPI
 * (Kconfig HAS_ACPI).
 */
#include <arch/acpi.h>
#include <hv/errno.h>
#include <hv/pci.h>

/* MCFG (PCI Firmware 3.3, 4.1.2): 36-byte ACPI header, 8 reserved, then 16-byte entries. */
#define MCFG_ENTRIES_OFF 44
#define MCFG_ENTRY_LEN 16

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

int pci_ecam_init_acpi(void)
{
    const uint8_t *t;
    const void *tbl;
    size_t len;
    int err = arch_acpi_table("MCFG", &tbl, &len);

    if (err != 0) {
        return err;
    }
    t = tbl;
    if (len < MCFG_ENTRIES_OFF) {
        return -EINVAL;
    }
    for (size_t off = MCFG_ENTRIES_OFF; off + MCFG_ENTRY_LEN <= len; off += MCFG_ENTRY_LEN) {
        const uint8_t *e = t + off;
        uint16_t segment = (uint16_t)(e[8] | e[9] << 8);

        /* The window's base is for bus 0 even when it starts later (4.1.2, Table 4-3). */
        if (segment == 0) {
            return pci_ecam_init(hpa(le64(e) + e[10] * PCI_ECAM_BUS_SIZE), e[10], e[11]);
        }
    }
    return -ENOENT;
}
