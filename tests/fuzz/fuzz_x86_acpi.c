// SPDX-License-Identifier: Apache-2.0
/*
 * MADT parser fuzz target (arch/x86/acpi.c). The input is the MADT's structure list; the
 * harness wraps it in a MADT with a valid header and checksum, listed by an XSDT that a valid
 * RSDP points at (the fake arch's arch_iomap() is the identity, so host pointers serve as
 * physical addresses). A first input byte with bit 0 set also shortens the MADT's Length by
 * the second byte, so structures straddle the end of the table. The parser must return a
 * count or an error without reading outside the table (AddressSanitizer watches the heap
 * block), and never more CPUs than 8-byte structures fit in the table.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <asm/acpi.h>
#include <asm/multiboot.h>
#include <hv/console.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RSDP_LEN 36
#define HDR_LEN 36
#define MADT_HDR_LEN 44
#define XSDT_LEN (HDR_LEN + 8)
#define MAX_IDS 8

void hv_printf(const char *fmt, ...)
{
    (void)fmt;
}

static void fix_checksum(uint8_t *p, size_t len, size_t sum_off)
{
    uint8_t sum = 0;

    p[sum_off] = 0;
    for (size_t i = 0; i < len; i++) {
        sum = (uint8_t)(sum + p[i]);
    }
    p[sum_off] = (uint8_t)-sum;
}

static void header(uint8_t *t, const char *sig, uint32_t len)
{
    memcpy(t, sig, 4);
    memcpy(t + 4, &len, 4);
    fix_checksum(t, len, 9);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf, *rsdp, *xsdt, *madt;
    uint32_t ids[MAX_IDS];
    struct acpi_madt m;
    uint64_t madt_pa, xsdt_pa;
    size_t body, cut = 0;
    uint32_t madt_len;

    if (size < 2 || size > 65536) {
        return 0;
    }
    /* The same bytes as a loader's Multiboot2 information, in an exact-size copy so ASan sees
     * any read past it; a tag the walk returns must lie inside. */
    {
        uint8_t *mb = malloc(size);
        const uint8_t *r;
        size_t rlen;

        if (mb != NULL) {
            memcpy(mb, data, size);
            if (x86_mb2_acpi_rsdp(mb, size, &r, &rlen) == 0 &&
                (r < mb || rlen > size || (size_t)(r - mb) > size - rlen)) {
                __builtin_trap();
            }
            free(mb);
        }
    }
    if (data[0] & 1) {
        cut = data[1];
    }
    data += 2;
    body = size - 2;
    buf = calloc(1, RSDP_LEN + XSDT_LEN + MADT_HDR_LEN + body);
    if (buf == NULL) {
        return 0;
    }
    rsdp = buf;
    xsdt = rsdp + RSDP_LEN;
    madt = xsdt + XSDT_LEN;
    madt_len = (uint32_t)(MADT_HDR_LEN + body - (cut < body ? cut : body));
    memcpy(madt + MADT_HDR_LEN, data, body);
    header(madt, "APIC", madt_len);
    madt_pa = (uint64_t)(uintptr_t)madt;
    memcpy(xsdt + HDR_LEN, &madt_pa, 8);
    header(xsdt, "XSDT", XSDT_LEN);
    xsdt_pa = (uint64_t)(uintptr_t)xsdt;
    memcpy(rsdp, "RSD PTR ", 8);
    rsdp[15] = 2;
    fix_checksum(rsdp, 20, 8);
    rsdp[20] = RSDP_LEN;
    memcpy(rsdp + 24, &xsdt_pa, 8);
    fix_checksum(rsdp, RSDP_LEN, 32);
    if (acpi_set_rsdp_copy(rsdp, RSDP_LEN) != 0) {
        abort(); /* the harness built a valid RSDP */
    }
    /* Every local APIC and I/O APIC structure takes at least 8 bytes. */
    if (acpi_madt(&m, ids, MAX_IDS) == 0 && m.nr_lapics + m.nr_ioapics > madt_len / 8) {
        abort(); /* more controllers than 8-byte structures fit in the table */
    }
    free(buf);
    return 0;
}
