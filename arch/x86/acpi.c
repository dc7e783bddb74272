// SPDX-License-Identifier: Apache-2.0
/*
 * ACPI table lookup (also behind the arch hook of include/arch/acpi.h) and the MADT parser
 * (ACPI 6.5 ch. 5.2). Every structure is checked against the bounds of the table that holds
 * it before a field is read, and every table's checksum is verified: firmware tables are
 * input, not trusted.
 */
#include <arch/acpi.h>
#include <arch/io.h>
#include <asm/acpi.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/string.h>

/* RSDP layout (ACPI 6.5, 5.2.5.3). */
#define RSDP_SIG "RSD PTR "
#define RSDP_V1_LEN 20 /* the ACPI 1.0 part covered by the first checksum */
#define RSDP_V2_LEN 36
#define RSDP_OFF_REVISION 15
#define RSDP_OFF_RSDT 16
#define RSDP_OFF_LENGTH 20
#define RSDP_OFF_XSDT 24

/* Where a BIOS leaves the RSDP (ACPI 6.5, 5.2.5.1): the first KiB of the EBDA, whose real-mode
 * segment is the word at 0x40e, or the BIOS area 0xe0000-0xfffff, on 16-byte boundaries. */
#define BDA_EBDA_SEGMENT 0x40e
#define EBDA_SCAN_LEN 1024
#define BIOS_AREA_START 0xe0000
#define BIOS_AREA_LEN 0x20000
#define RSDP_ALIGN 16

/* MADT (ACPI 6.5, 5.2.12): header, local APIC address, flags, then structures. */
#define MADT_OFF_LAPIC_ADDR 36
#define MADT_OFF_ENTRIES 44
#define MADT_LAPIC 0               /* Processor Local APIC, 8 bytes */
#define MADT_IOAPIC 1              /* I/O APIC, 12 bytes (5.2.12.3) */
#define MADT_ISO 2                 /* Interrupt Source Override, 10 bytes (5.2.12.5) */
#define MADT_LAPIC_ADDR_OVERRIDE 5 /* 12 bytes */
#define MADT_X2APIC 9              /* Processor Local x2APIC, 16 bytes */
#define MADT_ISO_BUS_ISA 0
#define MADT_FLAG_ENABLED 1u

static uint64_t rsdp_addr;             /* 0: not found yet */
static const char *rsdp_source = "";   /* where it came from, for the console */
static uint8_t rsdp_copy[RSDP_V2_LEN]; /* a loader's copy, kept in the image */
static bool rsdp_reported;             /* its location printed once */

uint8_t acpi_checksum(const void *p, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++) {
        sum = (uint8_t)(sum + ((const uint8_t *)p)[i]);
    }
    return sum;
}

/* A valid RSDP at p: signature, v1 checksum and, from revision 2, the extended checksum. */
static bool rsdp_valid(const uint8_t *p)
{
    uint32_t len;

    if (memcmp(p, RSDP_SIG, 8) != 0 || acpi_checksum(p, RSDP_V1_LEN) != 0) {
        return false;
    }
    if (p[RSDP_OFF_REVISION] < 2) {
        return true;
    }
    len = load_le(p + RSDP_OFF_LENGTH, 4);
    return len >= RSDP_V2_LEN && len <= 4096 && acpi_checksum(p, len) == 0;
}

int acpi_set_rsdp_copy(const void *rsdp, size_t len)
{
    const uint8_t *p = rsdp;
    size_t need;

    /* rsdp_valid() reads 20 bytes, or from revision 2 the length the RSDP states: all of it
     * must lie inside the copy, and the image keeps at most an ACPI 6.5 RSDP (36 bytes). */
    if (len < RSDP_V1_LEN) {
        return -EINVAL;
    }
    need = p[RSDP_OFF_REVISION] >= 2 ? RSDP_V2_LEN : RSDP_V1_LEN;
    if (len < need || (need == RSDP_V2_LEN && load_le(p + RSDP_OFF_LENGTH, 4) != RSDP_V2_LEN) ||
        !rsdp_valid(p)) {
        return -EINVAL;
    }
    memset(rsdp_copy, 0, sizeof(rsdp_copy));
    memcpy(rsdp_copy, p, need);
    /* The image is identity-mapped (x86 head.S), so the copy's address is its own. */
    rsdp_addr = (uint64_t)(uintptr_t)rsdp_copy;
    rsdp_source = "multiboot2 tag";
    rsdp_reported = false;
    return 0;
}

static uint64_t rsdp_scan(uint64_t base, size_t len)
{
    const uint8_t *p = arch_iomap(hpa(base), len);

    for (size_t off = 0; p != NULL && off + RSDP_V2_LEN <= len; off += RSDP_ALIGN) {
        if (rsdp_valid(p + off)) {
            return base + off;
        }
    }
    return 0;
}

static uint64_t rsdp_find(void)
{
    const uint8_t *bda;
    uint64_t ebda, found = 0;

    if (rsdp_addr != 0) {
        return rsdp_addr;
    }
    bda = arch_iomap(hpa(BDA_EBDA_SEGMENT), 2);
    if (bda != NULL) {
        ebda = (uint64_t)(bda[0] | bda[1] << 8) << 4;
        /* An EBDA below 0x80000 or at 640 KiB and above is no EBDA. */
        if (ebda >= 0x80000 && ebda < 0xa0000) {
            found = rsdp_scan(ebda, EBDA_SCAN_LEN);
        }
    }
    if (found == 0) {
        found = rsdp_scan(BIOS_AREA_START, BIOS_AREA_LEN);
    }
    rsdp_addr = found;
    rsdp_source = "BIOS area";
    return found;
}

/* Map the table at pa and check it: NULL (reported) when it is corrupt. */
static const struct acpi_header *table_map(uint64_t pa)
{
    const struct acpi_header *h = arch_iomap(hpa(pa), sizeof(*h));
    uint32_t len;

    if (h == NULL) {
        return NULL;
    }
    len = h->length;
    if (len < sizeof(*h) || len > ACPI_MAX_TABLE_LEN) {
        hv_printf("acpi: table %.4s at %#llx: bad length %u\n", h->signature,
                  (unsigned long long)pa, len);
        return NULL;
    }
    h = arch_iomap(hpa(pa), len);
    if (h != NULL && acpi_checksum(h, len) != 0) {
        hv_printf("acpi: table %.4s at %#llx: bad checksum\n", h->signature,
                  (unsigned long long)pa);
        return NULL;
    }
    return h;
}

const struct acpi_header *acpi_find_table(const char sig[4])
{
    uint64_t rsdp = rsdp_find();
    const uint8_t *r;
    const struct acpi_header *root;
    bool xsdt;
    size_t entry_len;

    if (rsdp == 0) {
        return NULL;
    }
    if (!rsdp_reported) {
        hv_printf("acpi: RSDP at %#llx (%s)\n", (unsigned long long)rsdp, rsdp_source);
        rsdp_reported = true;
    }
    r = arch_iomap(hpa(rsdp), RSDP_V2_LEN);
    if (r == NULL) {
        return NULL;
    }
    /* ACPI 6.5, 5.2.5.3: an OS uses the XSDT when the RSDP (revision 2+) gives one. */
    xsdt = r[RSDP_OFF_REVISION] >= 2 && load_le(r + RSDP_OFF_XSDT, 8) != 0;
    entry_len = xsdt ? 8 : 4;
    root = table_map(xsdt ? load_le(r + RSDP_OFF_XSDT, 8) : load_le(r + RSDP_OFF_RSDT, 4));
    if (root == NULL || memcmp(root->signature, xsdt ? "XSDT" : "RSDT", 4) != 0) {
        return NULL;
    }
    for (size_t off = sizeof(*root); off + entry_len <= root->length; off += entry_len) {
        const uint8_t *e = (const uint8_t *)root + off;
        uint64_t pa = load_le(e, entry_len);
        const struct acpi_header *h = arch_iomap(hpa(pa), sizeof(*h));

        if (h == NULL || memcmp(h->signature, sig, 4) != 0) {
            continue;
        }
        h = table_map(pa);
        if (h != NULL) {
            return h;
        }
    }
    return NULL;
}

int arch_acpi_table(const char sig[4], const void **tbl, size_t *len)
{
    const struct acpi_header *h = acpi_find_table(sig);

    *tbl = h;
    *len = h != NULL ? h->length : 0;
    return h != NULL ? 0 : -ENOENT;
}

/* The smallest length of each structure type read here (ACPI 6.5, 5.2.12.2 - 5.2.12.19). */
static const uint8_t madt_min_len[] = {
    [MADT_LAPIC] = 8,   [MADT_IOAPIC] = 12, [MADT_ISO] = 10, [MADT_LAPIC_ADDR_OVERRIDE] = 12,
    [MADT_X2APIC] = 16,
};

/*
 * The interrupt controller structure of madt at *off (ACPI 6.5, 5.2.12.1: type, length,
 * body), *off moved past it: 1 and the structure in *e, 0 at the end of the table, -EINVAL
 * when it overruns the table or is shorter than its type's layout.
 */
static int madt_next(const struct acpi_header *madt, uint32_t *off, const uint8_t **e)
{
    const uint8_t *t = (const uint8_t *)madt + *off;

    if (*off >= madt->length) {
        return 0;
    }
    if (madt->length - *off < 2 || t[1] < 2 || t[1] > madt->length - *off ||
        (t[0] < ARRAY_SIZE(madt_min_len) && t[1] < madt_min_len[t[0]])) {
        return -EINVAL;
    }
    *e = t;
    *off += t[1];
    return 1;
}

int acpi_madt(struct acpi_madt *out, uint32_t *ids, unsigned int max)
{
    const struct acpi_header *madt = acpi_find_table("APIC");
    uint32_t off = MADT_OFF_ENTRIES;
    const uint8_t *e;
    int err;

    memset(out, 0, sizeof(*out));
    for (unsigned int i = 0; i < ACPI_ISA_IRQS; i++) {
        out->isa[i].gsi = i; /* identity unless overridden (ACPI 6.5, 5.2.12.5) */
    }
    if (madt == NULL || madt->length < MADT_OFF_ENTRIES) {
        return madt == NULL ? -ENOENT : -EINVAL;
    }
    out->lapic_base = load_le((const uint8_t *)madt + MADT_OFF_LAPIC_ADDR, 4);
    while ((err = madt_next(madt, &off, &e)) > 0) {
        if (e[0] == MADT_LAPIC || e[0] == MADT_X2APIC) {
            /* Local APIC: id in byte 3, flags at 4; x2APIC: id at 4, flags at 8. */
            bool x2 = e[0] == MADT_X2APIC;

            if ((load_le(e + (x2 ? 8 : 4), 4) & MADT_FLAG_ENABLED) == 0) {
                continue;
            }
            if (out->nr_lapics < max) {
                ids[out->nr_lapics] = x2 ? (uint32_t)load_le(e + 4, 4) : e[3];
            }
            out->nr_lapics++;
        } else if (e[0] == MADT_LAPIC_ADDR_OVERRIDE) {
            out->lapic_base = load_le(e + 4, 8);
        } else if (e[0] == MADT_IOAPIC) {
            if (out->nr_ioapics < ACPI_MAX_IOAPICS) {
                out->ioapics[out->nr_ioapics] = (struct acpi_ioapic){
                    .id = e[2], .base = load_le(e + 4, 4), .gsi_base = load_le(e + 8, 4)};
            }
            out->nr_ioapics++;
        } else if (e[0] == MADT_ISO && e[2] == MADT_ISO_BUS_ISA && e[3] < ACPI_ISA_IRQS) {
            /* An override of an ISA IRQ: bus 0, source e[3] (5.2.12.5). */
            out->isa[e[3]].gsi = load_le(e + 4, 4);
            out->isa[e[3]].flags = (uint16_t)(e[8] | e[9] << 8);
            out->isa[e[3]].overridden = true;
        }
    }
    return err;
}
