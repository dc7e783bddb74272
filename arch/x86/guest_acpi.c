// SPDX-License-Identifier: Apache-2.0
/*
 * The ACPI tables of an x86 partition, generated into its boot-information area and named by
 * hvm_start_info.rsdp_paddr (arch/x86/pvh.c): how a PVH Linux finds its vCPUs and learns
 * which legacy hardware is absent. ACPI 6.5: RSDP (5.2.5), XSDT (5.2.8), FADT (5.2.9),
 * MADT (5.2.12), DSDT (5.2.11.1) and AML (20).
 *
 *   - FADT revision 6 with HW_REDUCED_ACPI: no SCI, no PM timer, no fixed-hardware registers,
 *     no 8259 (Linux then leaves the PIC and the PIT clockevent alone, x86
 *     acpi_generic_reduced_hw_init); FORCE_APIC_PHYSICAL_DESTINATION_MODE (x2APIC physical
 *     destinations: the ICR names vCPU indexes, arch/x86/vapic.c); IAPC_BOOT_ARCH says no
 *     8042, no VGA, no CMOS RTC device.
 *   - MADT: one Processor Local APIC entry per vCPU, APIC id = vCPU index (what CPUID and the
 *     x2APIC ID register report), no I/O APIC (no device interrupt reaches a partition yet),
 *     flags 0 (no PC-AT 8259s).
 *     The sleep control and status registers (5.2.9, SLEEP_CONTROL_REG / SLEEP_STATUS_REG;
 *     4.8.3.7) are two emulated I/O ports (X86_VIO_SLEEP_CONTROL / _STATUS, arch/x86/vio.c):
 *     how a hardware-reduced platform is powered off.
 *   - DSDT: \_S5 (SLP_TYP 5: Linux then registers its ACPI power-off) and one device, the
 *     partition's virtual COM1 (PNP0501 at I/O 0x3f8, arch/x86/vuart.c) with no interrupt, so
 *     Linux's 8250 driver polls it.
 *
 * Every address written is a guest address (base_gpa plus an offset).
 */
#include <asm/acpi.h>
#include <hv/partition.h>
#include <hv/string.h>

#include "x86.h"

#define ACPI_HDR_LEN 36u
#define RSDP_LEN 36u
#define FADT_LEN 276u
#define MADT_LAPIC_LEN 8u
#define FADT_FLAG_FORCE_APIC_PHYS (1u << 19)
#define FADT_FLAG_HW_REDUCED (1u << 20)
#define FADT_BOOT_NO_VGA (1u << 2)
#define FADT_BOOT_NO_CMOS_RTC (1u << 5)
#define MADT_LAPIC_ENABLED 1u
#define LAPIC_DEFAULT_BASE 0xfee00000u
/* Generic Address Structure (5.2.3.2): System I/O space, 8 bits, byte access. */
#define GAS_SPACE_IO 1u
#define GAS_ACCESS_BYTE 1u
#define FADT_SLEEP_CONTROL 244u
#define FADT_SLEEP_STATUS 256u

/*
 * DefinitionBlock body: Name (\_S5, Package (4) { 5, 5, Zero, Zero }) (PackageOp 0x12, one-byte
 * PkgLength, NumElements, BytePrefix 0x0a constants; 7.4.2: SLP_TYPa, SLP_TYPb, reserved),
 * Scope (\_SB) { Device (COM1) { Name (_HID, EisaId ("PNP0501"))
 * Name (_UID, One) Name (_CRS, ResourceTemplate () { IO (Decode16, 0x3f8, 0x3f8, 1, 8) }) } }
 * (AML encoding, ACPI 6.5 ch. 20: ScopeOp 0x10, DeviceOp 0x5b 0x82, NameOp 0x08, one-byte
 * PkgLength; the IO descriptor 6.4.2.5, End Tag 6.4.2.9).
 */
/* clang-format off */
static const uint8_t dsdt_aml[] = {
    0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04,           /* Name (\_S5, Package (4) */
    0x0a, X86_ACPI_SLP_TYP_S5, 0x0a, X86_ACPI_SLP_TYP_S5, 0x00, 0x00, /* { 5, 5, 0, 0 }) */
    0x10, 0x30, '\\', '_',  'S',  'B',  '_',                    /* Scope (\_SB) */
    0x5b, 0x82, 0x28, 'C',  'O',  'M',  '1',                    /* Device (COM1) */
    0x08, '_',  'H',  'I',  'D',  0x0c, 0x41, 0xd0, 0x05, 0x01, /* PNP0501 */
    0x08, '_',  'U',  'I',  'D',  0x01,                         /* One */
    0x08, '_',  'C',  'R',  'S',  0x11, 0x0d, 0x0a, 0x0a,       /* Buffer (10) */
    0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08, 0x79, 0x00, /* IO, End Tag */
};
/* clang-format on */

/* Store the n low bytes of v at b, little-endian (every ACPI field is, 5.2). */
static void put(uint8_t *b, uint64_t v, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        b[i] = (uint8_t)(v >> (8 * i));
    }
}

/* A Generic Address Structure for the 8-bit I/O port port (5.2.3.2). */
static void gas_io8(uint8_t *g, uint16_t port)
{
    g[0] = GAS_SPACE_IO;
    g[1] = 8; /* register bit width */
    g[2] = 0; /* bit offset */
    g[3] = GAS_ACCESS_BYTE;
    put(g + 4, port, 8);
}

/* A System Description Table Header (5.2.6) for a table of len bytes; checksum later. */
static void sdt_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
    memcpy(t, sig, 4);
    put(t + 4, len, 4);
    t[8] = rev;
    memcpy(t + 10, "BLKHD ", 6);   /* OEMID */
    memcpy(t + 16, "BULKHEAD", 8); /* OEM Table ID */
    put(t + 24, 1, 4);             /* OEM Revision */
    memcpy(t + 28, "BLKH", 4);     /* Creator ID */
    put(t + 32, 1, 4);             /* Creator Revision */
}

/* The checksum byte that makes the len bytes of table t sum to zero (5.2.6). */
static void sdt_finish(uint8_t *t, uint32_t len)
{
    t[9] = 0;
    t[9] = (uint8_t)-acpi_checksum(t, len);
}

size_t x86_guest_acpi_size(const struct partition *p)
{
    return RSDP_LEN + 4 + (ACPI_HDR_LEN + 2 * 8) + FADT_LEN + (ACPI_HDR_LEN + 8) +
           p->nr_vcpus * MADT_LAPIC_LEN + ACPI_HDR_LEN + sizeof(dsdt_aml) + 4 * 8;
}

uint64_t x86_guest_acpi_build(const struct partition *p, uint8_t *buf, uint64_t base_gpa)
{
    /* Layout in buf, each table 8-byte aligned: RSDP, XSDT, FADT, MADT, DSDT. */
    const uint32_t rsdp = 0, xsdt = 40, xsdt_len = ACPI_HDR_LEN + 2 * 8;
    const uint32_t fadt = ALIGN_UP(xsdt + xsdt_len, 8);
    const uint32_t madt = ALIGN_UP(fadt + FADT_LEN, 8);
    const uint32_t madt_len = ACPI_HDR_LEN + 8 + p->nr_vcpus * MADT_LAPIC_LEN;
    const uint32_t dsdt = ALIGN_UP(madt + madt_len, 8);
    const uint32_t dsdt_len = ACPI_HDR_LEN + sizeof(dsdt_aml);
    uint8_t *t;

    memset(buf, 0, dsdt + dsdt_len);
    /* RSDP revision 2: the XSDT only (RsdtAddress 0 is allowed for revision 2, 5.2.5.3). */
    t = buf + rsdp;
    memcpy(t, "RSD PTR ", 8);
    memcpy(t + 9, "BLKHD ", 6);
    t[15] = 2;
    put(t + 20, RSDP_LEN, 4);
    put(t + 24, base_gpa + xsdt, 8);
    t[8] = (uint8_t)-acpi_checksum(t, 20);
    t[32] = (uint8_t)-acpi_checksum(t, RSDP_LEN);
    /* XSDT: FADT, MADT. */
    t = buf + xsdt;
    sdt_header(t, "XSDT", xsdt_len, 1);
    put(t + ACPI_HDR_LEN, base_gpa + fadt, 8);
    put(t + ACPI_HDR_LEN + 8, base_gpa + madt, 8);
    sdt_finish(t, xsdt_len);
    /* FADT (5.2.9, table 5.9): DSDT and X_DSDT, IAPC_BOOT_ARCH, flags; all else 0. */
    t = buf + fadt;
    sdt_header(t, "FACP", FADT_LEN, 6);
    put(t + 40, (uint32_t)(base_gpa + dsdt), 4);
    put(t + 109, FADT_BOOT_NO_VGA | FADT_BOOT_NO_CMOS_RTC, 2);
    put(t + 112, FADT_FLAG_HW_REDUCED | FADT_FLAG_FORCE_APIC_PHYS, 4);
    put(t + 140, base_gpa + dsdt, 8);
    gas_io8(t + FADT_SLEEP_CONTROL, X86_VIO_SLEEP_CONTROL);
    gas_io8(t + FADT_SLEEP_STATUS, X86_VIO_SLEEP_STATUS);
    sdt_finish(t, FADT_LEN);
    /* MADT (5.2.12): local APIC address, flags 0, one Processor Local APIC per vCPU. */
    t = buf + madt;
    sdt_header(t, "APIC", madt_len, 5);
    put(t + ACPI_HDR_LEN, LAPIC_DEFAULT_BASE, 4);
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        uint8_t *e = t + ACPI_HDR_LEN + 8 + i * MADT_LAPIC_LEN;

        e[0] = 0; /* Processor Local APIC */
        e[1] = MADT_LAPIC_LEN;
        e[2] = (uint8_t)i; /* ACPI Processor UID */
        e[3] = (uint8_t)i; /* APIC ID = vCPU index */
        put(e + 4, MADT_LAPIC_ENABLED, 4);
    }
    sdt_finish(t, madt_len);
    /* DSDT. */
    t = buf + dsdt;
    sdt_header(t, "DSDT", dsdt_len, 2);
    memcpy(t + ACPI_HDR_LEN, dsdt_aml, sizeof(dsdt_aml));
    sdt_finish(t, dsdt_len);
    return base_gpa + rsdp;
}
