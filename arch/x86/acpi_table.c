// SPDX-License-Identifier: Apache-2.0
/*
 * The x86 side of the ACPI table hook (include/arch/acpi.h), on top of acpi_find_table(),
 * which has already checked the table's length and checksum.
 */
#include <arch/acpi.h>
#include <asm/acpi.h>
#include <hv/errno.h>

int arch_acpi_table(const char sig[4], const void **tbl, size_t *len)
{
    const struct acpi_header *h = acpi_find_table(sig);

    if (h == NULL) {
        *tbl = NULL;
        *len = 0;
        return -ENOENT;
    }
    *tbl = h;
    *len = h->length;
    return 0;
}
