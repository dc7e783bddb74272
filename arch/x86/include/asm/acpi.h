/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACPI table lookup for x86 (ACPI 6.5 ch. 5.2): the RSDP, the RSDT/XSDT and the tables they
 * list, every one checked for length and checksum before a caller sees it. Tables are read in
 * place through arch_iomap() (the identity map); nothing is copied or cached but the RSDP's
 * location. Boot CPU only, before the secondaries start.
 */
#pragma once

#include <hv/types.h>

/* Every System Description Table starts with this header (ACPI 6.5, 5.2.6). */
struct acpi_header {
    char signature[4];
    uint32_t length; /* of the whole table, header included */
    uint8_t revision;
    uint8_t checksum; /* all length bytes sum to 0 mod 256 */
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} __packed;

/* The longest table accepted: a bound on corrupt length fields, far above real tables. */
#define ACPI_MAX_TABLE_LEN (UINT32_C(1) << 24)

/*
 * Use the RSDP at physical address rsdp (e.g. from a loader tag) instead of scanning the
 * BIOS areas for it. Returns 0, or -EINVAL when signature or checksum are wrong.
 */
int acpi_set_rsdp(hpa_t rsdp) __must_check;

/*
 * Use a copy of the RSDP (len bytes at rsdp, e.g. the payload of a Multiboot2 ACPI tag): it is
 * checked and copied, since the loader's memory may be reused later. 0, or -EINVAL when it
 * is too short for what its revision says or a checksum is wrong.
 */
int acpi_set_rsdp_copy(const void *rsdp, size_t len) __must_check;

/*
 * The first table with signature sig (e.g. "APIC" for the MADT, "IVRS") that the XSDT (ACPI
 * 2.0+, else the RSDT) lists and whose length and checksum are valid; corrupt entries are
 * reported on the console and skipped. On first use, finds the RSDP in the EBDA's first KiB
 * or 0xe0000-0xfffff (ACPI 6.5, 5.2.5.1). NULL when there is no such table. The returned
 * table is header->length bytes long.
 */
const struct acpi_header *acpi_find_table(const char sig[4]);

/*
 * The MADT (ACPI 6.5, 5.2.12): store the ids of the enabled local APICs (Processor Local
 * APIC and x2APIC structures with the Enabled flag) in table order in ids[0..max), and the
 * local APIC's physical base (with the 64-bit override applied) in *lapic_base when it is not
 * NULL. Returns how many enabled local APICs the table lists (more than max when some did not
 * fit), -ENOENT without a MADT or -EINVAL when a structure runs past the table.
 */
int acpi_madt_lapics(uint32_t *ids, unsigned int max, uint64_t *lapic_base) __must_check;
