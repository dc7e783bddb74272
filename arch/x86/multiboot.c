// SPDX-License-Identifier: Apache-2.0
/*
 * Multiboot2 boot information (Multiboot2 specification 3.6 "Boot information format"): a
 * u32 total_size and a reserved u32, then tags {u32 type, u32 size, payload} each starting on
 * an 8-byte boundary, ending with a tag of type 0 and size 8.
 */
#include <asm/multiboot.h>
#include <hv/errno.h>
#include <hv/string.h>

#define MB2_HEADER_SIZE 8u
#define MB2_TAG_HEADER 8u
#define MB2_TAG_ALIGN 8u
#define MB2_TAG_END 0u
#define MB2_TAG_ACPI_OLD 14u /* spec 3.6.14: a copy of the ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW 15u /* spec 3.6.15: a copy of the ACPI 2.0+ RSDP */

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v)); /* little-endian x86, unaligned-safe */
    return v;
}

int x86_mb2_acpi_rsdp(const uint8_t *info, size_t avail, const uint8_t **rsdp, size_t *len)
{
    uint32_t total;
    const uint8_t *old = NULL;
    size_t old_len = 0;

    if (info == NULL || avail < MB2_HEADER_SIZE) {
        return -EINVAL;
    }
    total = get32(info);
    if (total < MB2_HEADER_SIZE + MB2_TAG_HEADER || total > avail) {
        return -EINVAL;
    }
    for (uint32_t off = MB2_HEADER_SIZE;;) {
        uint32_t type, size;

        if (total - off < MB2_TAG_HEADER) {
            return -EINVAL; /* no end tag inside total_size */
        }
        type = get32(info + off);
        size = get32(info + off + 4);
        if (size < MB2_TAG_HEADER || size > total - off) {
            return -EINVAL;
        }
        if (type == MB2_TAG_END) {
            break;
        }
        if (type == MB2_TAG_ACPI_NEW) {
            *rsdp = info + off + MB2_TAG_HEADER;
            *len = size - MB2_TAG_HEADER;
            return 0;
        }
        if (type == MB2_TAG_ACPI_OLD && old == NULL) {
            old = info + off + MB2_TAG_HEADER;
            old_len = size - MB2_TAG_HEADER;
        }
        /* The next tag starts at the next 8-byte boundary; past the end is malformed. */
        if (ALIGN_UP(size, MB2_TAG_ALIGN) > total - off) {
            return -EINVAL;
        }
        off += ALIGN_UP(size, MB2_TAG_ALIGN);
    }
    if (old == NULL) {
        return -ENOENT;
    }
    *rsdp = old;
    *len = old_len;
    return 0;
}
