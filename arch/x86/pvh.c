// SPDX-License-Identifier: Apache-2.0
/*
 * The PVH boot information of an x86 partition (Xen docs/misc/pvh.pandoc and
 * xen/include/public/arch-x86/hvm/start_info.h, version 1): an hvm_start_info, its module
 * list, its memory map, the command line and the RSDP of the partition's ACPI tables
 * (arch/x86/guest_acpi.c), written right after the DTB in the area partition_load() reserves
 * at the top of the first memory range. Modules: the initrd first when there is one (PVH
 * Linux takes module 0 as its initrd), then the generated DTB (module 0 for bare-metal
 * guests). The vCPU enters with EBX = the start info's guest address. Guest addresses only:
 * every pointer written is area_gpa plus an offset, every range one of the partition's own
 * guest ranges.
 */
#include <arch/vcpu.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/string.h>

#include "x86.h"

#define HVM_START_MAGIC 0x336ec578u
#define HVM_START_VERSION 1u
/* E820 types in the memory map (ACPI 6.5, table 15.1): RAM, reserved. */
#define E820_RAM 1u
#define E820_RESERVED 2u

struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr; /* version 1 */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "start_info.h layout");
_Static_assert(sizeof(struct hvm_memmap_entry) == 24, "start_info.h layout");

/* Writer of the area: a bump allocator that remembers overflow. */
struct pvh_area {
    uint8_t *base;
    uint64_t gpa;
    size_t size, used;
    bool full;
};

static void *area_take(struct pvh_area *a, size_t len, uint64_t *gpa_out)
{
    size_t at = (a->used + 7) & ~(size_t)7;

    if (at > a->size || len > a->size - at) {
        a->full = true;
        return NULL;
    }
    a->used = at + len;
    *gpa_out = a->gpa + at;
    return a->base + at;
}

static void memmap_add(struct hvm_memmap_entry *map, uint32_t *n, unsigned int max, uint64_t addr,
                       uint64_t size, uint32_t type)
{
    if (size != 0 && *n < max) {
        map[(*n)++] = (struct hvm_memmap_entry){.addr = addr, .size = size, .type = type};
    }
}

int arch_guest_boot_info(const struct partition *p, void *area, gpa_t area_gpa, size_t size,
                         size_t dtb_len, uint64_t *context)
{
    const struct hv_config_partition *c = p->config;
    struct pvh_area a = {.base = area, .gpa = gpa_val(area_gpa), .size = size, .used = dtb_len};
    unsigned int max = c->mem_count + 1 + c->shm_count;
    struct hvm_start_info *si;
    struct hvm_modlist_entry *mod;
    struct hvm_memmap_entry *map;
    uint64_t si_gpa = 0, mod_gpa = 0, map_gpa = 0, cmd_gpa = 0, acpi_gpa = 0;
    uint32_t n = 0, nr_mods = p->initrd_size != 0 ? 2 : 1;
    uint8_t *acpi;

    si = area_take(&a, sizeof(*si), &si_gpa);
    mod = area_take(&a, sizeof(*mod) * nr_mods, &mod_gpa);
    map = area_take(&a, sizeof(*map) * max, &map_gpa);
    acpi = area_take(&a, x86_guest_acpi_size(p), &acpi_gpa);
    if (a.full) {
        return -E2BIG;
    }
    if (c->bootargs != NULL) {
        /* The command line, plus the TSC frequency the hypervisor measured: a guest cannot
         * calibrate its TSC against the emulated PIT when every port access is a #VMEXIT
         * (Linux's pit_calibrate_tsc wants 1000 reads in 10 ms), and Linux takes it as
         * tsc_early_khz= (Documentation/admin-guide/kernel-parameters.txt). */
        size_t len = strlen(c->bootargs) + sizeof(" tsc_early_khz=18446744073709551615");
        char *cmd = area_take(&a, len, &cmd_gpa);

        if (cmd == NULL) {
            return -E2BIG;
        }
        (void)hv_snprintf(cmd, len, "%s tsc_early_khz=%llu", c->bootargs,
                          (unsigned long long)(x86_tsc_hz(NULL) / 1000u));
    }
    /* RAM: every memory range, the first one without this area (reserved: the guest must
     * not reuse its boot information before it has read it). Shared memory: reserved. */
    for (unsigned int i = 0; i < c->mem_count; i++) {
        const struct hv_config_mem *m = &p->layout->mem[c->mem_first + i];
        uint64_t base = gpa_val(m->guest), end = base + m->size;

        if (i == 0) {
            memmap_add(map, &n, max, base, a.gpa - base, E820_RAM);
            memmap_add(map, &n, max, a.gpa, end - a.gpa, E820_RESERVED);
        } else {
            memmap_add(map, &n, max, base, m->size, E820_RAM);
        }
    }
    for (unsigned int i = 0; i < c->shm_count; i++) {
        const struct hv_config_shm *s = &p->layout->shm[c->shm_first + i];

        memmap_add(map, &n, max, gpa_val(s->guest), s->size, E820_RESERVED);
    }
    if (p->initrd_size != 0) {
        *mod++ = (struct hvm_modlist_entry){.paddr = gpa_val(p->initrd), .size = p->initrd_size};
    }
    *mod = (struct hvm_modlist_entry){.paddr = a.gpa, .size = dtb_len};
    *si = (struct hvm_start_info){.magic = HVM_START_MAGIC,
                                  .version = HVM_START_VERSION,
                                  .nr_modules = nr_mods,
                                  .modlist_paddr = mod_gpa,
                                  .cmdline_paddr = cmd_gpa,
                                  .rsdp_paddr = x86_guest_acpi_build(p, acpi, acpi_gpa),
                                  .memmap_paddr = map_gpa,
                                  .memmap_entries = n};
    *context = si_gpa;
    return 0;
}
