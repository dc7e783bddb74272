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
#define MB2_TAG_MODULE 3u    /* spec 3.6.6: u32 mod_start, u32 mod_end, NUL-terminated string */
#define MB2_MODULE_FIXED 8u  /* mod_start and mod_end */
#define MB2_TAG_ACPI_OLD 14u /* spec 3.6.14: a copy of the ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW 15u /* spec 3.6.15: a copy of the ACPI 2.0+ RSDP */

/*
 * The tag after offset *off of info (*off = 0: the first tag), checked to lie inside
 * total_size (itself at most avail): 1 with its type, payload and payload size, *off moved
 * to the next tag; 0 at the end tag; -EINVAL when the structure is malformed (earlier tags
 * may already have been returned).
 */
static int mb2_next(const uint8_t *info, size_t avail, uint32_t *off, uint32_t *type,
                    const uint8_t **payload, uint32_t *n)
{
    uint32_t total, size;

    if (info == NULL || avail < MB2_HEADER_SIZE) {
        return -EINVAL;
    }
    total = (uint32_t)load_le(info, 4);
    if (total < MB2_HEADER_SIZE + MB2_TAG_HEADER || total > avail) {
        return -EINVAL;
    }
    *off = *off == 0 ? MB2_HEADER_SIZE : *off;
    /* No end tag inside total_size, or the previous tag's 8-byte padding ran past it. */
    if (*off > total || total - *off < MB2_TAG_HEADER) {
        return -EINVAL;
    }
    *type = (uint32_t)load_le(info + *off, 4);
    size = (uint32_t)load_le(info + *off + 4, 4);
    if (size < MB2_TAG_HEADER || size > total - *off) {
        return -EINVAL;
    }
    if (*type == MB2_TAG_END) {
        return 0;
    }
    *payload = info + *off + MB2_TAG_HEADER;
    *n = size - MB2_TAG_HEADER;
    *off += ALIGN_UP(size, MB2_TAG_ALIGN); /* the next tag starts on an 8-byte boundary */
    return 1;
}

int x86_mb2_acpi_rsdp(const uint8_t *info, size_t avail, const uint8_t **rsdp, size_t *len)
{
    uint32_t off = 0, type, n;
    const uint8_t *p;
    int err;

    *rsdp = NULL;
    while ((err = mb2_next(info, avail, &off, &type, &p, &n)) > 0) {
        /* The first "new" tag wins, even when a later tag is malformed. */
        if (type == MB2_TAG_ACPI_NEW || (type == MB2_TAG_ACPI_OLD && *rsdp == NULL)) {
            *rsdp = p;
            *len = n;
        }
        if (type == MB2_TAG_ACPI_NEW) {
            return 0;
        }
    }
    return err < 0 ? err : *rsdp == NULL ? -ENOENT : 0;
}

int x86_mb2_modules(const uint8_t *info, size_t avail, struct x86_mb2_module *mods,
                    unsigned int max)
{
    uint32_t off = 0, type, n;
    const uint8_t *p;
    unsigned int count = 0;
    int err;

    while ((err = mb2_next(info, avail, &off, &type, &p, &n)) > 0) {
        if (type != MB2_TAG_MODULE) {
            continue;
        }
        /* The string must end inside the tag (GRUB always writes its NUL); end >= start. */
        if (n <= MB2_MODULE_FIXED ||
            strnlen((const char *)(p + MB2_MODULE_FIXED), n - MB2_MODULE_FIXED) ==
                n - MB2_MODULE_FIXED ||
            load_le(p + 4, 4) < load_le(p, 4)) {
            return -EINVAL;
        }
        if (count < max) {
            mods[count] =
                (struct x86_mb2_module){(uint32_t)load_le(p, 4), (uint32_t)load_le(p + 4, 4),
                                        (const char *)(p + MB2_MODULE_FIXED)};
        }
        count++;
    }
    return err < 0 ? err : count > max ? -E2BIG : (int)count;
}
