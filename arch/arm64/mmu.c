// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor's own EL2 stage-1 translation: an identity map (VA = PA), built once by the
 * boot CPU with the MMU off and shared by every CPU (TTBR0_EL2; the EL2 regime without VHE
 * has one range and one privilege level, Arm ARM D8.1).
 *
 *   image text            Normal WB, read-only, executable
 *   image rodata          Normal WB, read-only, execute-never
 *   image data/BSS        Normal WB, read-write, execute-never (stacks, page tables),
 *                         except one guard page below each CPU's stack
 *   other RAM (/memory)   Normal WB, read-write, execute-never
 *   below the lowest RAM  Device-nGnRE, execute-never (the MMIO of virt-like boards),
 *                         except page 0, so that a NULL dereference faults
 *   anything else         unmapped until arch_iomap() asks for it (e.g. the PCIe ECAM)
 *
 * SCTLR_EL2.WXN makes every writable page execute-never in hardware as well. Descriptor
 * formats: Arm ARM D8.3 (VMSAv8-64, 4 KiB granule); memory types: D8.6 (MAIR_EL2).
 *
 * The tables come from a fixed pool in BSS. This is the arch's private boot-time map; the
 * partitions' stage-2 tables use the shared walker of include/hv/pgtable.h.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#include "arm64.h"

/* 4 KiB granule: 512 entries per table, 9 VA bits per level, levels 0..3 (D8.2.7). */
#define PT_ENTRIES 512u
#define PT_LEVEL_BITS 9u
#define PT_LAST_LEVEL 3u
/* Enough for the image pages, RAM blocks, low MMIO and a few iomap() ranges (~10 used). */
#define PT_POOL_PAGES 32u

/* Stage-1 descriptor bits (D8.3.1, D8.3.2). */
#define PTE_VALID (UL(1) << 0)
#define PTE_TABLE (UL(1) << 1) /* levels 0-2: next-level table; level 3: page (must be 1) */
#define PTE_ATTRINDX(i) ((uint64_t)(i) << 2)
#define PTE_ATTRINDX_MASK (UL(7) << 2)
#define PTE_AP1 (UL(1) << 6) /* AP[1]: RES1 in a one-privilege-level regime (D8.4.1.2) */
#define PTE_AP_RO (UL(1) << 7)
#define PTE_SH_INNER (UL(3) << 8)
#define PTE_AF (UL(1) << 10) /* access flag: set, there is no hardware AF management */
#define PTE_XN (UL(1) << 54)
#define PTE_ADDR_MASK UL(0x0000fffffffff000) /* output address bits 47:12 */

/* MAIR_EL2 attribute slots (D23.2.95 encodings). */
#define MT_DEVICE_NGNRE 0u /* 0x04: Device-nGnRE */
#define MT_NORMAL 1u       /* 0xff: Normal, inner/outer write-back, read/write-allocate */
#define MT_NORMAL_NC 2u    /* 0x44: Normal, inner/outer non-cacheable */
#define MAIR_EL2_VALUE                                                                             \
    (UL(0x04) << (8 * MT_DEVICE_NGNRE) | UL(0xff) << (8 * MT_NORMAL) |                             \
     UL(0x44) << (8 * MT_NORMAL_NC))

#define ATTR_NORMAL (PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP1)
#define ATTR_RX (ATTR_NORMAL | PTE_AP_RO)
#define ATTR_RO (ATTR_NORMAL | PTE_AP_RO | PTE_XN)
#define ATTR_RW (ATTR_NORMAL | PTE_XN)
#define ATTR_DEVICE (PTE_ATTRINDX(MT_DEVICE_NGNRE) | PTE_AF | PTE_AP1 | PTE_XN)

/* TCR_EL2 fields (E2H = 0 layout, D23.2.175). */
#define TCR_T0SZ(bits) ((uint64_t)(64u - (bits)))
#define TCR_IRGN0_WBWA (UL(1) << 8)
#define TCR_ORGN0_WBWA (UL(1) << 10)
#define TCR_SH0_INNER (UL(3) << 12)
#define TCR_TG0_4K (UL(0) << 14)
#define TCR_PS(ps) ((uint64_t)(ps) << 16)
#define TCR_EL2_RES1 ((UL(1) << 31) | (UL(1) << 23))

static uint64_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pt_pool_used;
static uint64_t *pt_root;
static unsigned int pt_start_level;
static unsigned int va_bits;
static struct arm64_mmu_regs mmu_regs;
static bool mmu_on;
static spinlock_t pt_lock = SPINLOCK_INIT;

/* What went wrong while the console did not exist yet, for arm64_mmu_report(). */
static int boot_err;
static uint64_t boot_err_addr;

static unsigned int level_shift(unsigned int level)
{
    return PAGE_SHIFT + PT_LEVEL_BITS * (PT_LAST_LEVEL - level);
}

static uint64_t level_size(unsigned int level)
{
    return UINT64_C(1) << level_shift(level);
}

static unsigned int pt_index(uint64_t va, unsigned int level)
{
    return (unsigned int)(va >> level_shift(level)) & (PT_ENTRIES - 1);
}

/* The pool is zeroed (BSS), and a table page is never freed. */
static uint64_t *pt_alloc(void)
{
    if (pt_pool_used == PT_POOL_PAGES) {
        return NULL;
    }
    return pt_pool[pt_pool_used++];
}

/* Blocks exist at levels 1 (1 GiB) and 2 (2 MiB) with the 4 KiB granule, pages at 3. */
static bool leaf_allowed(unsigned int level)
{
    return level >= 1;
}

/*
 * Map [va, va + size) to pa with attrs, using the largest block each step allows. Only
 * fills invalid entries: meeting an existing leaf is -EEXIST (the caller decides whether
 * that range was already right). Entries written before a failure stay: this map is built
 * once at boot and a failure there is reported, not undone. New valid entries over invalid
 * ones need no TLB maintenance (D8.16.1: invalid entries are never cached).
 */
static int pt_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
    if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || size == 0 || va + size < va ||
        va + size > arm64_va_limit()) {
        return -EINVAL;
    }
    while (size != 0) {
        uint64_t *table = pt_root;

        for (unsigned int level = pt_start_level;; level++) {
            uint64_t *pte = &table[pt_index(va, level)];
            uint64_t bsize = level_size(level);

            if (leaf_allowed(level) && IS_ALIGNED(va | pa, bsize) && size >= bsize &&
                !(*pte & PTE_VALID)) {
                *pte = pa | attrs | PTE_VALID | (level == PT_LAST_LEVEL ? PTE_TABLE : 0);
                va += bsize;
                pa += bsize;
                size -= bsize;
                break;
            }
            if (level == PT_LAST_LEVEL || ((*pte & PTE_VALID) && !(*pte & PTE_TABLE))) {
                return -EEXIST;
            }
            if (!(*pte & PTE_VALID)) {
                uint64_t *next = pt_alloc();

                if (next == NULL) {
                    return -ENOMEM;
                }
                /* Identity map: the table's address is its physical address. */
                *pte = (uint64_t)(uintptr_t)next | PTE_TABLE | PTE_VALID;
            }
            table = (uint64_t *)(uintptr_t)(*pte & PTE_ADDR_MASK);
        }
    }
    return 0;
}

/* The descriptor translating va (0 if none) and the level where the walk stopped. */
static uint64_t pt_lookup(uint64_t va, unsigned int *level_out)
{
    uint64_t *table = pt_root;

    for (unsigned int level = pt_start_level;; level++) {
        uint64_t pte = table[pt_index(va, level)];

        *level_out = level;
        if (!(pte & PTE_VALID)) {
            return 0;
        }
        if (level == PT_LAST_LEVEL || !(pte & PTE_TABLE)) {
            return pte;
        }
        table = (uint64_t *)(uintptr_t)(pte & PTE_ADDR_MASK);
    }
}

uint64_t arm64_va_limit(void)
{
    return UINT64_C(1) << va_bits;
}

/* Keep the first error and where it happened. */
static void note_err(int err, uint64_t addr)
{
    if (err != 0 && boot_err == 0) {
        boot_err = err;
        boot_err_addr = addr;
    }
}

static void map_boot(uint64_t start, uint64_t end, uint64_t attrs)
{
    if (end > start) {
        note_err(pt_map(start, start, end - start, attrs), start);
    }
}

/* Data and BSS read-write, except each CPU's stack guard page (arm64.h). */
static void map_data(uint64_t start, uint64_t end)
{
    for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
        uint64_t guard = (uint64_t)(uintptr_t)arm64_stacks[cpu];

        map_boot(start, guard, ATTR_RW);
        start = guard + ARM64_STACK_GUARD;
    }
    map_boot(start, end, ATTR_RW);
}

/*
 * Map RAM from the DT /memory nodes (Devicetree Specification 3.4) around the image, and
 * everything below the lowest RAM as device memory. Returns false when the DT names no
 * usable RAM (then only the image is mapped and hv_main() reports the broken DTB).
 */
static bool map_ram_and_mmio(uint64_t img_start, uint64_t img_end)
{
    struct fdt fdt;
    uint64_t lowest = UINT64_MAX;
    int depth = 0;

    if (fdt_init(&fdt, __dtb_start, (size_t)(__dtb_end - __dtb_start)) != 0) {
        return false;
    }
    for (int node = fdt_root(&fdt); node >= 0; node = fdt_next_node(&fdt, node, &depth)) {
        const char *type;
        uint64_t base, size;

        if (depth != 1 || fdt_prop_string(&fdt, node, "device_type", &type) != 0 ||
            strcmp(type, "memory") != 0) {
            continue;
        }
        for (unsigned int i = 0; fdt_reg(&fdt, node, i, &base, &size) == 0; i++) {
            /* Whole pages only; a range that wraps or leaves the VA space is skipped. */
            uint64_t start = ALIGN_UP(base, PAGE_SIZE);
            uint64_t end = ALIGN_DOWN(base + size, PAGE_SIZE);

            if (size == 0 || base + size < base || end <= start || end > arm64_va_limit()) {
                note_err(-ERANGE, base);
                continue;
            }
            lowest = MIN(lowest, start);
            map_boot(start, MIN(end, img_start), ATTR_RW);
            map_boot(MAX(start, img_end), end, ATTR_RW);
        }
    }
    if (lowest == UINT64_MAX) {
        return false;
    }
    map_boot(PAGE_SIZE, MIN(lowest, img_start), ATTR_DEVICE);
    return true;
}

/* ID_AA64MMFR0_EL1.PARange (D23.2.64) to bits; 52-bit needs LPA descriptors: use 48. */
static unsigned int pa_range_bits(unsigned int *ps)
{
    static const unsigned char bits[] = {32, 36, 40, 42, 44, 48};
    unsigned int pa = (unsigned int)read_sysreg(id_aa64mmfr0_el1) & 0xfu;

    if (pa >= ARRAY_SIZE(bits)) {
        pa = ARRAY_SIZE(bits) - 1;
    }
    *ps = pa;
    return bits[pa];
}

void arm64_mmu_init(void)
{
    uint64_t img_start = (uint64_t)(uintptr_t)__image_start;
    uint64_t img_end = (uint64_t)(uintptr_t)__image_end;
    unsigned int ps;

    /* VA size = PA size: the identity map must reach every physical address. The start
     * level follows from T0SZ (D8.2.7): 4 - ceil((va_bits - 12) / 9). */
    va_bits = pa_range_bits(&ps);
    pt_start_level = 4u - (va_bits - PAGE_SHIFT + PT_LEVEL_BITS - 1) / PT_LEVEL_BITS;
    pt_root = pt_alloc();

    map_boot((uint64_t)(uintptr_t)__text_start, (uint64_t)(uintptr_t)__text_end, ATTR_RX);
    map_boot((uint64_t)(uintptr_t)__rodata_start, (uint64_t)(uintptr_t)__rodata_end, ATTR_RO);
    map_data((uint64_t)(uintptr_t)__data_start, img_end);
    if (boot_err != 0) {
        /* The image itself cannot be mapped: turning the MMU on would fault at once. */
        arch_halt();
    }
    if (!map_ram_and_mmio(img_start, img_end)) {
        note_err(-ENOENT, 0);
    }

    mmu_regs.mair = MAIR_EL2_VALUE;
    mmu_regs.tcr = TCR_EL2_RES1 | TCR_PS(ps) | TCR_TG0_4K | TCR_SH0_INNER | TCR_ORGN0_WBWA |
                   TCR_IRGN0_WBWA | TCR_T0SZ(va_bits);
    mmu_regs.ttbr0 = (uint64_t)(uintptr_t)pt_root;
    mmu_regs.sctlr = SCTLR_EL2_MMU_ON;

    /*
     * Everything so far was written with the MMU off, straight to memory. The boot loader
     * only cleaned the image it loaded (Linux arm64 booting.rst), so lines for BSS, stack
     * and tables may still be in the caches: drop them before memory becomes cacheable
     * (D7.5.9), or the table walk and the first cached loads could see stale data.
     */
    arm64_dcache_inval(__image_start, (size_t)(img_end - img_start));
    dsb(sy);
    arm64_mmu_enable(&mmu_regs);
    mmu_on = true;
}

void arm64_mmu_report(void)
{
    if (boot_err == -ENOENT) {
        hv_printf("mmu: no RAM in the DT /memory nodes: only the image is mapped\n");
    } else if (boot_err != 0) {
        hv_printf("mmu: mapping %#llx failed: %s; that range stays unmapped\n",
                  (unsigned long long)boot_err_addr, errno_name(boot_err));
    }
}

/* After the CPU reports, as a boot unit: the map's shape, for the boot log. */
static int mmu_info(const struct fdt *fdt)
{
    (void)fdt;
    hv_printf("mmu: EL2 identity map, %u-bit VA from level %u, %u of %u table pages used\n",
              va_bits, pt_start_level, pt_pool_used, PT_POOL_PAGES);
    return 0;
}

HV_UNIT(mmu_info_unit, "arm64-mmu", 0, mmu_info);

const struct arm64_mmu_regs *arm64_mmu_regs(void)
{
    return &mmu_regs;
}

/*
 * Device registers are mapped 1:1 as Device-nGnRE: a range already mapped as device (the low
 * MMIO block) needs nothing; unmapped parts are added with the largest blocks that fit.
 * Refused: a range overlapping Normal memory (mismatched attributes, Arm ARM B2.8) or
 * beyond the VA space.
 */
void *arch_iomap(hpa_t base, size_t size)
{
    uint64_t start = ALIGN_DOWN(hpa_val(base), PAGE_SIZE);
    uint64_t end = hpa_val(base) + size;
    uint64_t va;
    int err = 0;

    if (start == 0) {
        /* Page 0 stays unmapped so that NULL dereferences fault, and NULL means failure. */
        hv_printf("iomap: %#llx+%#zx: page 0 is never mapped\n", (unsigned long long)hpa_val(base),
                  size);
        return NULL;
    }
    if (size == 0 || end < hpa_val(base) || end > arm64_va_limit()) {
        hv_printf("iomap: %#llx+%#zx is outside the %u-bit address space\n",
                  (unsigned long long)hpa_val(base), size, va_bits);
        return NULL;
    }
    end = ALIGN_UP(end, PAGE_SIZE);
    if (!mmu_on) {
        return (void *)(uintptr_t)hpa_val(base); /* MMU off: every access is Device */
    }
    spin_lock(&pt_lock);
    for (va = start; va < end && err == 0;) {
        unsigned int level;
        uint64_t pte = pt_lookup(va, &level);
        uint64_t next = ALIGN_DOWN(va, level_size(level)) + level_size(level);

        if (next == 0 || next > end) {
            next = end; /* also the top of the address space */
        }
        if (pte == 0) {
            err = pt_map(va, va, next - va, ATTR_DEVICE);
        } else if ((pte & PTE_ATTRINDX_MASK) != PTE_ATTRINDX(MT_DEVICE_NGNRE)) {
            err = -EEXIST;
        }
        if (err == 0) {
            va = next;
        }
    }
    dsb(ishst); /* table writes visible to the walkers of every CPU before use (D8.16) */
    isb();
    spin_unlock(&pt_lock);
    if (err != 0) {
        hv_printf("iomap: %#llx+%#zx: %s at %#llx\n", (unsigned long long)hpa_val(base), size,
                  err == -EEXIST ? "overlaps normal memory" : errno_name(err),
                  (unsigned long long)va);
        return NULL;
    }
    return (void *)(uintptr_t)hpa_val(base);
}

/* CTR_EL0.DminLine (bits 19:16): log2 of the smallest D-cache line in 4-byte words. */
static size_t dcache_line(void)
{
    return (size_t)4 << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

/* One maintenance operation over every line of [start, start + size), then a dsb so that
 * it has completed (D7.5.9: completion is only guaranteed by a DSB). */
static void dcache_range(const void *start, size_t size, bool clean)
{
    size_t line = dcache_line();
    uintptr_t end = (uintptr_t)start + size;

    for (uintptr_t p = ALIGN_DOWN((uintptr_t)start, line); p < end; p += line) {
        if (clean) {
            __asm__ __volatile__("dc cvac, %0" ::"r"(p) : "memory");
        } else {
            __asm__ __volatile__("dc ivac, %0" ::"r"(p) : "memory");
        }
    }
    dsb(sy);
}

void arm64_dcache_clean(const void *start, size_t size)
{
    dcache_range(start, size, true);
}

void arm64_dcache_inval(const void *start, size_t size)
{
    dcache_range(start, size, false);
}
