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
 *   device registers      Device-nGnRE, execute-never, only once a driver maps them with
 *                         arch_iomap() (the UART, the GIC, the SMMU, the PCIe ECAM)
 *   anything else         unmapped, page 0 included, so that a NULL dereference faults
 *
 * SCTLR_EL2.WXN makes every writable page execute-never in hardware as well.
 *
 * The tables are built by the shared walker (core/mm/pgtable.c) in the stage-1 EL2 format
 * (core/mm/pgtable_arm_s1.c), so they get its largest-block selection (2 MiB / 1 GiB wherever
 * alignment allows) and its all-or-nothing map. The page pool does not exist yet when the
 * MMU is turned on, so table pages come from a small static pool (early_pool below), not
 * cleared at boot: early_alloc() clears each page it hands out.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/mm.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/panic.h>
#include <hv/pgtable.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#include "arm64.h"

/*
 * Table pages for the whole EL2 map. The virt board needs about 8 (root, one level-1 and two
 * level-2 tables, level-3 tables around page 0, the image and the stack guards) plus two
 * per arch_iomap() of a range in a new GiB (the high PCIe ECAM). mmu_info prints the use.
 */
#define EARLY_POOL_PAGES 16u
#define EARLY_POOL_ENTRIES (PAGE_SIZE / sizeof(uint64_t))

/* TCR_EL2 fields (E2H = 0 layout, D23.2.175 / D8.2). */
#define TCR_T0SZ(bits) ((uint64_t)(64u - (bits)))
#define TCR_IRGN0_WBWA (UL(1) << 8)
#define TCR_ORGN0_WBWA (UL(1) << 10)
#define TCR_SH0_INNER (UL(3) << 12)
#define TCR_TG0_4K (UL(0) << 14)
#define TCR_PS(ps) ((uint64_t)(ps) << 16)
#define TCR_EL2_RES1 ((UL(1) << 31) | (UL(1) << 23))

/* The attributes of each kind of region (the format's MAIR slots, PT_ARM_S1_MAIR). */
static const struct pt_attrs attr_rx = {.r = true, .x = true, .type = PT_MEM_NORMAL_WB};
static const struct pt_attrs attr_ro = {.r = true, .type = PT_MEM_NORMAL_WB};
static const struct pt_attrs attr_rw = {.r = true, .w = true, .type = PT_MEM_NORMAL_WB};
static const struct pt_attrs attr_dev = {.r = true, .w = true, .type = PT_MEM_DEVICE};

static uint64_t early_pool[EARLY_POOL_PAGES][EARLY_POOL_ENTRIES] __aligned(PAGE_SIZE) __noinit;
static unsigned int early_pool_used; /* early_pool[0 .. used) are table pages */
static unsigned int early_pool_peak;
static struct pgtable el2_pt;
static unsigned int va_bits;
struct arm64_mmu_regs arm64_el2_mmu;
static bool mmu_on;
static spinlock_t pt_lock = SPINLOCK_INIT;

/* What went wrong while the console did not exist yet, for arm64_mmu_report(). */
static int boot_err;
static uint64_t boot_err_addr;

/* ---- memory and TLB maintenance for the walker (struct pt_mm_ops) ---- */

/*
 * The pool is a stack. The EL2 map only ever grows (pt_map, never pt_unmap), so the walker
 * frees table pages only when a map fails, and then in the reverse order of their allocation
 * (it frees its list of prepared pages from the head, the page taken last).
 */
static int early_alloc(struct pgtable *pt __unused, hpa_t *pa)
{
    if (early_pool_used == EARLY_POOL_PAGES) {
        return -ENOMEM;
    }
    uint64_t *page = early_pool[early_pool_used++];

    /* memset stores aligned 64-bit words here: with the MMU off every access is
     * Device-nGnRnE, where unaligned ones fault (D8.2.10). */
    memset(page, 0, PAGE_SIZE);
    early_pool_peak = MAX(early_pool_peak, early_pool_used);
    *pa = hpa((uint64_t)(uintptr_t)page);
    return 0;
}

/* Any other free (an unmap, a change to the walker's free order) breaks the stack: stop. */
static void early_free(struct pgtable *pt __unused, hpa_t pa)
{
    if (early_pool_used == 0 ||
        hpa_val(pa) != (uint64_t)(uintptr_t)early_pool[early_pool_used - 1]) {
        panic("EL2 map: freed table page %#llx is not the top of the early pool",
              (unsigned long long)hpa_val(pa));
    }
    early_pool_used--;
}

/* Identity map: a table's physical address is its address. */
static void *early_virt(struct pgtable *pt __unused, hpa_t pa)
{
    return (void *)(uintptr_t)hpa_val(pa);
}

/*
 * After table writes: DSB ISHST, so that the stores are observed by every CPU's table walker
 * before anything that depends on them (Arm ARM D8.13.1 / D8.14: a walk is not ordered after
 * earlier stores without a DSB). Called by the walker after each batch, in particular after
 * filling a new table and before the store that links it. With the MMU off it is harmless.
 * The walker's tables are in the Inner Shareable, write-back map (TCR_EL2.IRGN0/SH0), so no
 * cache maintenance is needed once the MMU is on.
 */
static void el2_sync(struct pgtable *pt __unused, void *va __unused, size_t len __unused)
{
    dsb(ishst);
}

/*
 * The walker flushes only after entries go from valid to invalid (unmap, the break-before-make
 * of a block split), and the EL2 map only ever adds entries (the boot map, arch_iomap); invalid
 * entries are never cached (D8.14.1). So a flush means that invariant broke: with the MMU on,
 * stop rather than leave stale TLB entries (an unmap would need TLBI VAE2IS per page, D8.14.2,
 * DSB ISH and ISB here); with it off no translation is cached and there is nothing to do.
 */
static int el2_flush(struct pgtable *pt __unused, uint64_t in_addr, uint64_t size)
{
    if (mmu_on) {
        panic("EL2 map: flush of %#llx (+%#llx): the map only grows", (unsigned long long)in_addr,
              (unsigned long long)size);
    }
    return 0;
}

static const struct pt_mm_ops el2_mm_ops = {
    .alloc_table = early_alloc,
    .free_table = early_free,
    .phys_to_virt = early_virt,
    .sync = el2_sync,
    .flush = el2_flush,
};

/* ---- the boot map ---- */

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

static void map_boot(uint64_t start, uint64_t end, const struct pt_attrs *attrs)
{
    if (end > start) {
        note_err(pt_map(&el2_pt, start, hpa(start), end - start, attrs), start);
    }
}

/* Data and BSS read-write, except each CPU's stack guard page (arm64.h). */
static void map_data(uint64_t start, uint64_t end)
{
    for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
        uint64_t guard = (uint64_t)(uintptr_t)arm64_stacks[cpu];

        map_boot(start, guard, &attr_rw);
        start = guard + ARM64_STACK_GUARD;
    }
    map_boot(start, end, &attr_rw);
}

/*
 * Map RAM from the DT /memory nodes (Devicetree Specification 3.4) around the image. Returns
 * false when the DT names no usable RAM (then only the image is mapped and hv_main() reports
 * the broken DTB). Device memory is left to arch_iomap(): the few registers the hypervisor
 * drives, not every page below RAM.
 */
static bool map_ram(uint64_t img_start, uint64_t img_end)
{
    const struct fdt *fdt;
    bool found = false;
    int depth = 0;

    /* The configuration's reader and index, built here once for the whole boot (hv_main()
     * takes it as it is): with the MMU off its writes go to memory, and the BSS they land in is
     * invalidated below. -ENOSPC still reads the tree, by walking it. */
    int err = hv_boot_fdt(&fdt);

    if (err != 0 && err != -ENOSPC) {
        return false;
    }
    for (int node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        const char *type;
        uint64_t base, size;

        if (depth != 1 || fdt_prop_string(fdt, node, "device_type", &type) != 0 ||
            strcmp(type, "memory") != 0) {
            continue;
        }
        for (unsigned int i = 0; fdt_reg(fdt, node, i, &base, &size) == 0; i++) {
            /* Whole pages only; a range that wraps or leaves the VA space is skipped. */
            uint64_t start = ALIGN_UP(base, PAGE_SIZE);
            uint64_t end = ALIGN_DOWN(base + size, PAGE_SIZE);

            if (size == 0 || base + size < base || end <= start || end > arm64_va_limit()) {
                note_err(-ERANGE, base);
                continue;
            }
            found = true;
            map_boot(start, MIN(end, img_start), &attr_rw);
            map_boot(MAX(start, img_end), end, &attr_rw);
        }
    }
    return found;
}

/* ID_AA64MMFR0_EL1.PARange (D23.2.64) to bits; 52-bit needs LPA descriptors: use 48. */
unsigned int arm64_pa_range_bits(unsigned int *ps)
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
    const struct fdt *fdt;
    uint64_t img_start = (uint64_t)(uintptr_t)__image_start;
    uint64_t img_end = (uint64_t)(uintptr_t)__image_end;
    unsigned int ps;
    int depth;

    /*
     * VA size = PA size: the identity map must reach every physical address. The walk
     * starts at level 4 - depth, which is what T0SZ = 64 - va_bits selects (D8.2.5: 4 KiB
     * granule, start level 4 - ceil((va_bits - 12) / 9)); the walker's table may reach
     * further (depth 4 is 48 bits), arm64_va_limit() keeps every mapping below 2^va_bits.
     */
    va_bits = arm64_pa_range_bits(&ps);
    depth = pt_depth_for(&pt_fmt_arm_s1_4k, arm64_va_limit() - 1);
    if (depth < 0 || pt_init(&el2_pt, &pt_fmt_arm_s1_4k, &el2_mm_ops, NULL, (unsigned int)depth)) {
        arch_halt(); /* cannot happen with a 32..48-bit VA and an empty pool */
    }

    map_boot((uint64_t)(uintptr_t)__text_start, (uint64_t)(uintptr_t)__text_end, &attr_rx);
    map_boot((uint64_t)(uintptr_t)__rodata_start, (uint64_t)(uintptr_t)__rodata_end, &attr_ro);
    map_data((uint64_t)(uintptr_t)__data_start, img_end);
    if (boot_err != 0) {
        /* The image itself cannot be mapped: turning the MMU on would fault at once. */
        arch_halt();
    }
    if (!map_ram(img_start, img_end)) {
        note_err(-ENOENT, 0);
    }
    (void)hv_boot_fdt(&fdt); /* built by map_ram(): its index is invalidated below */

    arm64_el2_mmu.mair = PT_ARM_S1_MAIR;
    arm64_el2_mmu.tcr = TCR_EL2_RES1 | TCR_PS(ps) | TCR_TG0_4K | TCR_SH0_INNER | TCR_ORGN0_WBWA |
                        TCR_IRGN0_WBWA | TCR_T0SZ(va_bits);
    arm64_el2_mmu.ttbr0 = hpa_val(el2_pt.root);
    arm64_el2_mmu.sctlr = SCTLR_EL2_MMU_ON;

    /*
     * With the MMU off, data accesses are Device-nGnRnE (D8.2.10): what was written so far
     * went straight to memory, past any line the boot loader left in the caches for those
     * addresses, which cached loads and the table walk (TCR_EL2.IRGN0) would hit once the
     * MMU is on. Invalidate by VA to the PoC (D7.5.9) what was written, and only that:
     * .data and BSS (head.S clears it), the table pages taken, the configuration DTB's index
     * (hv_boot_fdt(): __noinit) and the live part of the boot stack (from SP up). The rest of the
     * image is as loaded, cleaned to the PoC by the boot loader (Linux arm64 booting.rst), and
     * everything else is first written with the MMU on. No instruction was written: the instruction
     * side needs only the IC IALLU of arm64_mmu_enable() (entries the boot loader may have left).
     */
    uintptr_t sp;

    __asm__ __volatile__("mov %0, sp" : "=r"(sp));
    arch_dcache_inval(__data_start, (size_t)(__bss_end - __data_start));
    arch_dcache_inval(early_pool, early_pool_peak * PAGE_SIZE);
    arch_dcache_inval(fdt->index, fdt->index_len * sizeof(*fdt->index));
    arch_dcache_inval((void *)sp, (size_t)(arm64_stack_top(0) - sp));
    arm64_mmu_enable(&arm64_el2_mmu);
    mmu_on = true;
}

void arm64_mmu_report(void)
{
    if (boot_err == -ENOENT) {
        hv_printf("mmu: no RAM in the DT /memory nodes: only the image is mapped\n");
    } else if (boot_err == -ENOMEM) {
        hv_printf("mmu: mapping %#llx failed: the early table pool (%u pages) is exhausted; "
                  "that range stays unmapped (raise EARLY_POOL_PAGES in arch/arm64/mmu.c)\n",
                  (unsigned long long)boot_err_addr, EARLY_POOL_PAGES);
    } else if (boot_err != 0) {
        hv_printf("mmu: mapping %#llx failed: %s; that range stays unmapped\n",
                  (unsigned long long)boot_err_addr, errno_name(boot_err));
    }
}

/* After the CPU reports, as a boot unit: the map's shape, for the boot log. */
static int mmu_info(const struct fdt *fdt __unused)
{
    hv_printf("mmu: EL2 identity map, %u-bit VA from level %u, %llu of %u table pages used; "
              "%llu x 1 GiB, %llu x 2 MiB, %llu x 4 KiB\n",
              va_bits, 4 - el2_pt.depth, (unsigned long long)pt_table_pages(&el2_pt),
              EARLY_POOL_PAGES, (unsigned long long)(pt_mapped_bytes(&el2_pt, 2) >> 30),
              (unsigned long long)(pt_mapped_bytes(&el2_pt, 1) >> 21),
              (unsigned long long)(pt_mapped_bytes(&el2_pt, 0) >> PAGE_SHIFT));
    return 0;
}

HV_UNIT(mmu_info_unit, "arm64-mmu", HV_UNIT_ORDER_ARCH_REPORT, mmu_info);

/* ---- arch_iomap ---- */

/*
 * Walk [start, end) for arch_iomap: every mapped part must be Device memory (anything else
 * would give one physical page two memory types, Arm ARM B2.8): -EEXIST with *at = the first
 * Normal address. Without fill, returns 1 when some page is not mapped yet, else 0. With fill,
 * the unmapped runs are mapped as Device-nGnRE: the walker maps a run with the largest blocks
 * it can and never leaves a partly built table visible (a new table is filled and synced,
 * el2_sync: DSB ISHST, before the entry linking it is written). Entries only go from invalid
 * to valid here, so no TLB maintenance is needed (invalid entries are never cached, D8.14.1).
 * Returns 0 or the first pt_map error with *at; each run is all or nothing (the walker's two
 * phases), but runs mapped before a failing one stay mapped as Device memory: harmless, they
 * are registers the caller asked for. end <= arm64_va_limit() (arch_iomap), so nothing wraps.
 */
static int iomap_walk(uint64_t start, uint64_t end, bool fill, uint64_t *at)
{
    bool unmapped = false;

    for (uint64_t va = start; va < end;) {
        uint64_t run = va, step;
        struct pt_attrs attrs;
        unsigned int level = 0;

        /* A hole is skipped whole: pt_lookup gives the level of the invalid entry. */
        while (run < end && pt_lookup(&el2_pt, run, NULL, &attrs, &level) != 0) {
            step = pt_level_size(el2_pt.fmt, level);
            run = MIN(ALIGN_DOWN(run, step) + step, end);
        }
        unmapped |= run > va;
        if (fill && run > va) {
            int err = pt_map(&el2_pt, va, hpa(va), run - va, &attr_dev);

            if (err != 0) {
                *at = va;
                return err;
            }
        }
        if (run < end && attrs.type != PT_MEM_DEVICE) {
            *at = run;
            return -EEXIST;
        }
        step = pt_level_size(el2_pt.fmt, level);
        va = ALIGN_DOWN(run, step) + step; /* past run's leaf (Device) or the end */
    }
    return unmapped && !fill ? 1 : 0;
}

/*
 * Device registers are mapped 1:1 as Device-nGnRE: a range already mapped as device needs
 * nothing; unmapped parts are added with the largest blocks that fit. The range is widened to
 * whole 2 MiB blocks (a few entries instead of hundreds of pages) unless that would take in
 * page 0 or Normal memory: Device memory the hypervisor never touches is never accessed, not
 * even speculatively (Arm ARM B2.8.1). Refused: a range overlapping Normal memory (mismatched
 * attributes, Arm ARM B2.8) or beyond the VA space.
 */
void *arch_iomap(hpa_t base, size_t size)
{
    uint64_t start = ALIGN_DOWN(hpa_val(base), PAGE_SIZE);
    uint64_t end = hpa_val(base) + size;
    uint64_t at = start;
    int err;

    /* Page 0 stays unmapped so that NULL dereferences fault, and NULL means failure. */
    if (start == 0 || size == 0 || end < hpa_val(base) || end > arm64_va_limit()) {
        hv_printf("iomap: %#llx+%#zx: page 0 or outside the %u-bit address space\n",
                  (unsigned long long)hpa_val(base), size, va_bits);
        return NULL;
    }
    end = ALIGN_UP(end, PAGE_SIZE);
    if (!mmu_on) {
        return (void *)(uintptr_t)hpa_val(base); /* MMU off: every access is Device */
    }
    spin_lock(&pt_lock);
    uint64_t block = pt_level_size(el2_pt.fmt, 1);
    uint64_t wide_start = ALIGN_DOWN(start, block), wide_end = ALIGN_UP(end, block);

    if (wide_start != 0 && wide_end <= arm64_va_limit() &&
        iomap_walk(wide_start, wide_end, false, &at) >= 0) {
        start = wide_start;
        end = wide_end;
    }
    err = iomap_walk(start, end, false, &at);
    if (err > 0) {
        err = iomap_walk(start, end, true, &at);
        /* The new entries are in place (DSB in el2_sync); this CPU's next accesses may use
         * them at once: ISB (D8.14.1, the context synchronisation after a table change). */
        isb();
    }
    spin_unlock(&pt_lock);
    if (err != 0) {
        hv_printf("iomap: %#llx+%#zx: %s at %#llx\n", (unsigned long long)hpa_val(base), size,
                  err == -EEXIST   ? "overlaps normal memory"
                  : err == -ENOMEM ? "early table pool exhausted"
                                   : errno_name(err),
                  (unsigned long long)at);
        return NULL;
    }
    return (void *)(uintptr_t)hpa_val(base);
}

/* ---- cache maintenance ---- */

/* One maintenance operation over every line of [start, start + size) (the line size:
 * CTR_EL0.DminLine, bits 19:16, log2 of the smallest D-cache line in 4-byte words), then a
 * DSB so that it has completed (D7.5.9: completion is only guaranteed by a DSB). */
void arm64_dcache_range(const void *start, size_t size, enum arm64_dcache_op op)
{
    size_t line = (size_t)4 << ((read_sysreg(ctr_el0) >> 16) & 0xf);
    uintptr_t end = (uintptr_t)start + size;

    for (uintptr_t p = ALIGN_DOWN((uintptr_t)start, line); p < end; p += line) {
        if (op == ARM64_DC_CLEAN) {
            __asm__ __volatile__("dc cvac, %0" ::"r"(p) : "memory");
        } else if (op == ARM64_DC_INVAL) {
            __asm__ __volatile__("dc ivac, %0" ::"r"(p) : "memory");
        } else {
            __asm__ __volatile__("dc civac, %0" ::"r"(p) : "memory");
        }
    }
    dsb(sy);
}

/* ----- include/arch/mm.h: built whether or not partitions are (CONFIG_PARTITIONS) ----- */

void *arch_phys_to_virt(hpa_t pa, size_t size)
{
    /* RAM is identity-mapped at EL2 (mmu.c); anything past the EL2 VA space is not. */
    if (hpa_val(pa) + size < hpa_val(pa) || hpa_val(pa) + size > arm64_va_limit()) {
        return NULL;
    }
    return (void *)(uintptr_t)hpa_val(pa);
}

hpa_t arch_virt_to_phys(const void *va)
{
    return hpa((uint64_t)(uintptr_t)va);
}

/* U-Boot (FIT loadables) and QEMU -device loader put the images at their staging addresses. */
void arch_boot_stage_images(const struct fdt *config __unused)
{
}

void arch_dcache_clean(const void *va, size_t size)
{
    arm64_dcache_range(va, size, ARM64_DC_CLEAN);
}

void arch_dcache_inval(const void *va, size_t size)
{
    arm64_dcache_range(va, size, ARM64_DC_INVAL);
}
