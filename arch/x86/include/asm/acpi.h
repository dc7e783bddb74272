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

/* The 8-bit sum of len bytes at p: 0 for an intact table or RSDP (ACPI 6.5, 5.2.5.3, 5.2.6). */
uint8_t acpi_checksum(const void *p, size_t len);

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

/* One I/O APIC of the MADT (ACPI 6.5, 5.2.12.3). */
struct acpi_ioapic {
    uint8_t id;        /* its I/O APIC id */
    uint32_t base;     /* physical address of its registers */
    uint32_t gsi_base; /* the global system interrupt of its input 0 */
};

/* How an ISA IRQ reaches the I/O APICs: an Interrupt Source Override (ACPI 6.5, 5.2.12.5)
 * or, without one, the identity with ISA's edge-triggered, active-high signalling. */
struct acpi_isa_irq {
    uint32_t gsi;
    uint16_t flags;  /* MPS INTI flags: polarity 1:0, trigger mode 3:2 (table 5.50) */
    bool overridden; /* an override names it */
};

#define ACPI_MAX_IOAPICS 4
#define ACPI_ISA_IRQS 16
/* MPS INTI flags (ACPI 6.5, table 5.50): 0 = conforms to the bus, 1 = active high / edge,
 * 3 = active low / level. */
#define ACPI_INTI_POLARITY(f) ((f)&3u)
#define ACPI_INTI_TRIGGER(f) (((f) >> 2) & 3u)
#define ACPI_INTI_ACTIVE_LOW 3u
#define ACPI_INTI_LEVEL 3u

/* What the MADT (ACPI 6.5, 5.2.12) says about the interrupt controllers. */
struct acpi_madt {
    uint64_t lapic_base;     /* the local APICs' physical base, the 64-bit override applied */
    unsigned int nr_lapics;  /* enabled local APICs listed (may exceed the room for their ids) */
    unsigned int nr_ioapics; /* listed in the MADT (may exceed ACPI_MAX_IOAPICS) */
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    struct acpi_isa_irq isa[ACPI_ISA_IRQS];
};

/*
 * Parse the MADT in one walk: the local APIC base, the ids of the enabled local APICs
 * (Processor Local APIC and x2APIC structures with the Enabled flag) in table order into
 * ids[0..max), the I/O APICs (table order) and the ISA IRQ overrides, every ISA IRQ without
 * one mapped to the same GSI (also on failure). 0; -ENOENT without a MADT, -EINVAL when it is
 * shorter than its header or a structure runs past the table or is shorter than its type's
 * layout.
 */
int acpi_madt(struct acpi_madt *out, uint32_t *ids, unsigned int max) __must_check;
