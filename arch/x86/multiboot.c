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

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v)); /* little-endian x86, unaligned-safe */
    return v;
}

/*
 * Call visit(ctx, type, payload, payload size) for each tag of info before the end tag, after
 * checking that it lies inside total_size (itself at most avail). 0, or -EINVAL when the
 * structure is malformed (visit may already have seen the tags before the fault).
 */
static int mb2_walk(const uint8_t *info, size_t avail,
                    void (*visit)(void *ctx, uint32_t type, const uint8_t *p, uint32_t n),
                    void *ctx)
{
    uint32_t total;

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
            return 0;
        }
        visit(ctx, type, info + off + MB2_TAG_HEADER, size - MB2_TAG_HEADER);
        /* The next tag starts at the next 8-byte boundary; past the end is malformed. */
        if (ALIGN_UP(size, MB2_TAG_ALIGN) > total - off) {
            return -EINVAL;
        }
        off += ALIGN_UP(size, MB2_TAG_ALIGN);
    }
}

struct rsdp_find {
    const uint8_t *old, *new_;
    size_t old_len, new_len;
};

static void rsdp_visit(void *ctx, uint32_t type, const uint8_t *p, uint32_t n)
{
    struct rsdp_find *f = ctx;

    if (type == MB2_TAG_ACPI_NEW && f->new_ == NULL) {
        f->new_ = p;
        f->new_len = n;
    } else if (type == MB2_TAG_ACPI_OLD && f->old == NULL) {
        f->old = p;
        f->old_len = n;
    }
}

int x86_mb2_acpi_rsdp(const uint8_t *info, size_t avail, const uint8_t **rsdp, size_t *len)
{
    struct rsdp_find f = {0};
    int err = mb2_walk(info, avail, rsdp_visit, &f);

    /* The first "new" tag wins even when a later tag is malformed, as before the walker. */
    if (f.new_ != NULL) {
        *rsdp = f.new_;
        *len = f.new_len;
        return 0;
    }
    if (err != 0) {
        return err;
    }
    if (f.old == NULL) {
        return -ENOENT;
    }
    *rsdp = f.old;
    *len = f.old_len;
    return 0;
}

struct module_find {
    struct x86_mb2_module *mods;
    unsigned int max, count;
    bool bad;
};

static void module_visit(void *ctx, uint32_t type, const uint8_t *p, uint32_t n)
{
    struct module_find *f = ctx;
    struct x86_mb2_module m;

    if (type != MB2_TAG_MODULE) {
        return;
    }
    /* The string must end inside the tag: GRUB always writes its NUL. */
    if (n <= MB2_MODULE_FIXED || strnlen((const char *)(p + MB2_MODULE_FIXED),
                                         n - MB2_MODULE_FIXED) == n - MB2_MODULE_FIXED) {
        f->bad = true;
        return;
    }
    m.start = get32(p);
    m.end = get32(p + 4);
    m.string = (const char *)(p + MB2_MODULE_FIXED);
    if (m.end < m.start) {
        f->bad = true;
        return;
    }
    if (f->count < f->max) {
        f->mods[f->count] = m;
    }
    f->count++;
}

int x86_mb2_modules(const uint8_t *info, size_t avail, struct x86_mb2_module *mods,
                    unsigned int max)
{
    struct module_find f = {mods, max, 0, false};
    int err = mb2_walk(info, avail, module_visit, &f);

    if (err != 0 || f.bad) {
        return -EINVAL;
    }
    if (f.count > max) {
        return -E2BIG;
    }
    return (int)f.count;
}
