/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arch contract: firmware ACPI tables. Generic drivers that need a table (the AMD-Vi IVRS,
 * the PCI MCFG) get its bytes through this hook and parse them themselves; they never walk
 * RSDP/RSDT/XSDT, which is firmware plumbing the arch owns.
 */
#pragma once

#include <hv/types.h>

/*
 * Find the ACPI table whose signature is sig (4 characters, e.g. "IVRS"): 0 with *tbl
 * pointing at its first header byte and *len its header Length (the caller may read that
 * many bytes); -ENOENT when the firmware has no such table. Only arches that select
 * HAS_ACPI implement it, and only code built on them (Kconfig "depends on HAS_ACPI", or
 * IS_ENABLED(CONFIG_HAS_ACPI) around the call) may call it. Boot CPU, after arch setup, no
 * lock held.
 */
int arch_acpi_table(const char sig[4], const void **tbl, size_t *len) __must_check;
