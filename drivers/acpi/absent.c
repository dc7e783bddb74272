// SPDX-License-Identifier: Apache-2.0
/*
 * Default of the optional ACPI hook (include/arch/acpi.h) for arches without ACPI: one weak
 * definition instead of #ifdefs in the drivers that ask for tables. An arch with ACPI
 * overrides it with a strong definition.
 */
#include <arch/acpi.h>
#include <hv/errno.h>

__weak int arch_acpi_table(const char sig[4], const void **tbl, size_t *len)
{
    (void)sig;
    *tbl = NULL;
    *len = 0;
    return -ENODEV;
}
