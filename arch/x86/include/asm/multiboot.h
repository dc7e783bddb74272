/* SPDX-License-Identifier: Apache-2.0 */
/* What Bulkhead reads from a loader's Multiboot2 boot information (Multiboot2 spec 3.6). */
#pragma once

#include <hv/types.h>

/*
 * The copy of the ACPI RSDP a Multiboot2 loader passes in its boot information at info (at
 * most avail bytes readable there): the "new" tag (type 15, ACPI 2.0+ RSDP) when present, else
 * the "old" one (type 14, ACPI 1.0 RSDP). GRUB provides them on BIOS and on UEFI machines; on
 * UEFI they are the only way to the ACPI tables. Every tag is checked to lie inside the
 * structure before it is read. 0 and *rsdp, *len (the copy inside info), -ENOENT when there is
 * no such tag, -EINVAL when the structure is malformed.
 */
int x86_mb2_acpi_rsdp(const uint8_t *info, size_t avail, const uint8_t **rsdp,
                      size_t *len) __must_check;

/* A boot module as the loader describes it (Multiboot2 spec 3.6.6): [start, end) physical. */
struct x86_mb2_module {
    uint32_t start, end;
    const char *string; /* NUL-terminated, inside the boot information */
};

/*
 * The module tags of the Multiboot2 boot information at info (at most avail bytes readable),
 * in order, into mods[0..max). The number of modules; -EINVAL when the structure or a module
 * tag is malformed (end before start, string not terminated inside its tag), -E2BIG when
 * there are more than max. Read-only; the strings point into info.
 */
int x86_mb2_modules(const uint8_t *info, size_t avail, struct x86_mb2_module *mods,
                    unsigned int max) __must_check;
