// SPDX-License-Identifier: Apache-2.0
/*
 * Staged guest images from GRUB (include/arch/mm.h, arch_boot_stage_images): GRUB cannot
 * load a file at a fixed address, so the boot ISO (tools/image/x86_grub_iso.sh) passes every
 * staged image as a Multiboot2 module whose string is its SHA-256 in hex, and this copies
 * each one to the staging address the build recorded for that digest (docs/x86.md). The
 * copy is only a placement: partition_load() checks the SHA-256 of the staged copy as for
 * any boot loader, so a wrong module is caught there.
 *
 * It runs before the page pool exists because GRUB puts modules in free RAM right after the
 * loaded image, which is where the pool (and its bitmap) will be; it reads the embedded DTB
 * itself because the configuration is parsed later, and only trusts it as far as it checks:
 * a destination must lie inside a /reserved-memory "bulkhead,image-staging" range and clear
 * of the hypervisor image, and be exactly the module's size.
 */
#include <arch/mm.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/range.h>
#include <hv/string.h>

#include <asm/multiboot.h>

#include "x86.h"

#define STAGE_MAX_MODULES 16u
#define STAGE_MAX_COPIES 32u
#define SHA256_HEX 64u
#define SHA256_BYTES 32u
#define STAGED_BYTES 16u /* "bulkhead,<what>-staged" = <host size>, 2 + 2 cells */
#define MB2_INFO_MAX (UINT32_C(1) << 20)

struct stage_copy {
    unsigned int module; /* index into the modules */
    uint64_t src, dst, size;
    bool done;
};

struct stage_ctx {
    const struct fdt *fdt;
    struct x86_mb2_module mods[STAGE_MAX_MODULES];
    struct stage_copy copies[STAGE_MAX_COPIES];
    unsigned int ncopies;
};

static int hex_digit(char c)
{
    char lower = (char)(c | 0x20); /* 'A'-'F' to 'a'-'f'; no other character lands there */

    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

/* A module string that is exactly a SHA-256 in hex names a staged image. */
static bool parse_digest(const char *s, uint8_t out[SHA256_BYTES])
{
    if (strnlen(s, SHA256_HEX + 1) != SHA256_HEX) {
        return false;
    }
    for (unsigned int i = 0; i < SHA256_BYTES; i++) {
        int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return false;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* Whether [base, base + size) (valid) lies inside a "bulkhead,image-staging" range of
 * /reserved-memory. */
static bool in_staging(const struct fdt *fdt, uint64_t base, uint64_t size)
{
    int rsv = fdt_path(fdt, "/reserved-memory");

    for (int n = rsv < 0 ? -1 : fdt_first_child(fdt, rsv); n >= 0; n = fdt_next_sibling(fdt, n)) {
        uint64_t rbase, rsize, last;

        for (unsigned int i = 0; fdt_is_compatible(fdt, n, "bulkhead,image-staging") &&
                                 fdt_reg(fdt, n, i, &rbase, &rsize) == 0;
             i++) {
            if (range_last(rbase, rsize, &last) && range_inside(base, size, rbase, rsize)) {
                return true;
            }
        }
    }
    return false;
}

/* Queue the copy of module m to [dst, dst + size) unless it is queued already or unsafe. */
static void add_copy(struct stage_ctx *c, const char *node, unsigned int m, uint64_t dst,
                     uint64_t size)
{
    const struct x86_mb2_module *mod = &c->mods[m];
    uint64_t src = mod->start, msize = (uint64_t)mod->end - mod->start, last;
    uint64_t img = hpa_val(arch_virt_to_phys(__image_start));
    uint64_t img_size = hpa_val(arch_virt_to_phys(__image_end)) - img;

    for (unsigned int i = 0; i < c->ncopies; i++) {
        if (c->copies[i].module == m && c->copies[i].dst == dst) {
            return; /* the same file named by two partitions */
        }
    }
    if (msize != size) {
        hv_printf("multiboot2: module %u: %s: %llu bytes, the build staged %llu\n", m, node,
                  (unsigned long long)msize, (unsigned long long)size);
        return;
    }
    if (!range_last(dst, size, &last) || !in_staging(c->fdt, dst, size) ||
        ranges_overlap(dst, size, img, img_size)) {
        hv_printf("multiboot2: module %u: %s: [%#llx, %#llx) is not inside a /reserved-memory "
                  "\"bulkhead,image-staging\" range: not copied\n",
                  m, node, (unsigned long long)dst, (unsigned long long)(dst + size));
        return;
    }
    if (arch_phys_to_virt(hpa(src), (size_t)size) == NULL ||
        arch_phys_to_virt(hpa(dst), (size_t)size) == NULL) {
        hv_printf("multiboot2: module %u: %s: not mapped: not copied\n", m, node);
        return;
    }
    if (c->ncopies == STAGE_MAX_COPIES) {
        hv_printf("multiboot2: module %u: %s: more than %u copies: not copied\n", m, node,
                  STAGE_MAX_COPIES);
        return;
    }
    c->copies[c->ncopies++] = (struct stage_copy){m, src, dst, size, false};
}

/* Every partition image and initrd whose recorded digest is module m's string. */
static bool match_module(struct stage_ctx *c, unsigned int m)
{
    /* The digest and the staging address the build recorded, per image kind. */
    static const char *const props[][2] = {{"bulkhead,image-sha256", "bulkhead,image-staged"},
                                           {"bulkhead,initrd-sha256", "bulkhead,initrd-staged"}};
    uint8_t digest[SHA256_BYTES];
    bool found = false;
    int hv;

    if (!parse_digest(c->mods[m].string, digest)) {
        return false;
    }
    hv = fdt_path(c->fdt, "/hypervisor");
    for (int n = hv < 0 ? -1 : fdt_first_child(c->fdt, hv); n >= 0;
         n = fdt_next_sibling(c->fdt, n)) {
        for (unsigned int w = 0; w < ARRAY_SIZE(props); w++) {
            struct fdt_prop sum, loc;

            if (fdt_prop(c->fdt, n, props[w][0], &sum) != 0 || sum.len != SHA256_BYTES ||
                memcmp(sum.data, digest, SHA256_BYTES) != 0) {
                continue;
            }
            found = true;
            if (fdt_prop(c->fdt, n, props[w][1], &loc) != 0 || loc.len != STAGED_BYTES) {
                hv_printf("multiboot2: module %u: /hypervisor/%s: %s: malformed\n", m,
                          fdt_node_name(c->fdt, n), props[w][1]);
                continue;
            }
            add_copy(c, fdt_node_name(c->fdt, n), m, fdt_read_cells(loc.data, 2),
                     fdt_read_cells((const uint8_t *)loc.data + 8, 2));
        }
    }
    return found;
}

/*
 * Copy in an order that never overwrites a module still to be copied: a copy waits while its
 * destination overlaps another pending copy's source (GRUB may have put a module inside the
 * staging area), including a second copy of the same module. A module overlapping its own
 * destination is moved with memmove. Copies left in a cycle are reported and skipped.
 */
static void run_copies(struct stage_ctx *c)
{
    for (bool progress = true; progress;) {
        progress = false;
        for (unsigned int i = 0; i < c->ncopies; i++) {
            struct stage_copy *a = &c->copies[i];
            bool blocked = false;

            for (unsigned int j = 0; j < c->ncopies && !a->done && !blocked; j++) {
                const struct stage_copy *b = &c->copies[j];

                blocked = j != i && !b->done && ranges_overlap(a->dst, a->size, b->src, b->size);
            }
            if (a->done || blocked) {
                continue;
            }
            memmove(arch_phys_to_virt(hpa(a->dst), (size_t)a->size),
                    arch_phys_to_virt(hpa(a->src), (size_t)a->size), (size_t)a->size);
            a->done = true;
            progress = true;
            hv_printf("multiboot2: module %u: %llu bytes copied from %#llx to %#llx\n", a->module,
                      (unsigned long long)a->size, (unsigned long long)a->src,
                      (unsigned long long)a->dst);
        }
    }
    for (unsigned int i = 0; i < c->ncopies; i++) {
        if (!c->copies[i].done) {
            hv_printf("multiboot2: module %u: its copy to %#llx would overwrite another module: "
                      "not copied\n",
                      c->copies[i].module, (unsigned long long)c->copies[i].dst);
        }
    }
}

void arch_boot_stage_images(const struct fdt *config)
{
    static struct stage_ctx ctx;
    const uint8_t *info = x86_mb2_info();
    int n;

    if (info == NULL) {
        return; /* multiboot v1 (QEMU -kernel): QEMU's loader placed the images */
    }
    ctx = (struct stage_ctx){.fdt = config};
    n = x86_mb2_modules(info, MB2_INFO_MAX, ctx.mods, STAGE_MAX_MODULES);
    if (n < 0) {
        hv_printf("multiboot2: module tags: %s: no image copied\n", errno_name(n));
        return;
    }
    /* Every module is described before the first copy: a copy may overwrite the boot
     * information the strings live in. */
    for (unsigned int m = 0; m < (unsigned int)n; m++) {
        if (!match_module(&ctx, m)) {
            hv_printf("multiboot2: module %u \"%.64s\": not a staged image: ignored\n", m,
                      ctx.mods[m].string);
        }
    }
    run_copies(&ctx);
}
