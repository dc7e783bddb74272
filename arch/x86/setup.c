// SPDX-License-Identifier: Apache-2.0
/*
 * x86-64 CPU set-up after head.S: per-CPU data through the GS base, the IDT, the TSC clock,
 * then the generic boot sequence. Also the small arch hooks of include/arch/cpu.h and io.h
 * (test.h: test.c).
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/mm.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>

#include <asm/acpi.h>
#include <asm/multiboot.h>

#include "x86.h"

static struct x86_percpu percpu[CONFIG_NR_CPUS];

/* What the loader handed over, kept for later consumers (memory map, ACPI RSDP tags). */
static uint32_t boot_magic;
static uint32_t boot_info;

bool x86_rsdp_tag_bad;

const char *x86_loader_name(void)
{
    return boot_magic == X86_MB1_BOOT_MAGIC   ? "multiboot"
           : boot_magic == X86_MB2_BOOT_MAGIC ? "multiboot2"
                                              : "unknown loader";
}

const uint8_t *x86_mb2_info(void)
{
    return boot_magic == X86_MB2_BOOT_MAGIC ? (const uint8_t *)(uintptr_t)boot_info : NULL;
}

void x86_cpu_init(unsigned int cpu, uint32_t apic_id)
{
    percpu[cpu].cpu = cpu;
    percpu[cpu].apic_id = apic_id;
    x86_wrmsr(X86_MSR_GS_BASE, (uint64_t)(uintptr_t)&percpu[cpu]);
    x86_traps_cpu_init(cpu);
}

struct x86_percpu *x86_this_cpu(void)
{
    return (struct x86_percpu *)(uintptr_t)x86_rdmsr(X86_MSR_GS_BASE);
}

static uint32_t boot_apic_id(void)
{
    uint32_t r[4];

    /* CPUID Fn0000_0001 EBX[31:24]: initial local APIC id (APM vol. 3, appendix E.3.2). */
    x86_cpuid(1, 0, r);
    return r[1] >> 24;
}

/* A bound on the Multiboot2 information GRUB passes (a few KiB in practice). */
#define MB2_INFO_MAX (UINT32_C(1) << 20)

void x86_boot(uint32_t magic, uint32_t info)
{
    const uint8_t *rsdp;
    size_t len;

    boot_magic = magic;
    boot_info = info;
    /* Take the RSDP from the loader when it passes one (the only way on UEFI); otherwise, or
     * when the tag is unusable, acpi.c scans the BIOS areas on first use. */
    if (magic == X86_MB2_BOOT_MAGIC &&
        x86_mb2_acpi_rsdp((const uint8_t *)(uintptr_t)info, MB2_INFO_MAX, &rsdp, &len) == 0 &&
        acpi_set_rsdp_copy(rsdp, len) != 0) {
        x86_rsdp_tag_bad = true; /* reported once the console is up (smp.c) */
    }
    x86_idt_init();
    x86_cpu_init(0, boot_apic_id());
    x86_time_init();
    hv_main();
}

void x86_ap_boot(void)
{
    unsigned int cpu = x86_ap_cpu;

    x86_cpu_init(cpu, boot_apic_id());
    /* Tell the starter that this CPU has left the shared start-up stack slot behind. */
    __atomic_store_n(&x86_ap_cpu, 0, __ATOMIC_RELEASE);
    hv_secondary_main(cpu);
}

unsigned int arch_cpu_id(void)
{
    unsigned int cpu;

    __asm__ __volatile__("movl %%gs:0, %0" : "=r"(cpu));
    return cpu;
}

void arch_cpu_relax(void)
{
    __asm__ __volatile__("pause" ::: "memory");
}

void arch_halt(void)
{
    for (;;) {
        __asm__ __volatile__("cli; hlt" ::: "memory");
    }
}

void *arch_phys_to_virt(hpa_t pa, size_t size)
{
    uint64_t a = hpa_val(pa);

    /* head.S identity-maps the low 4 GiB: RAM, and the device windows uncached. */
    if (a + size < a || a + size > (UINT64_C(1) << 32)) {
        return NULL;
    }
    return (void *)(uintptr_t)a;
}

void *arch_iomap(hpa_t base, size_t size)
{
    void *va = arch_phys_to_virt(base, size);

    if (va == NULL) {
        hv_printf("iomap: %#llx+%#zx is outside the identity map\n",
                  (unsigned long long)hpa_val(base), size);
    }
    return va;
}

hpa_t arch_virt_to_phys(const void *va)
{
    return hpa((uint64_t)(uintptr_t)va);
}

/* Processor caches are coherent with DMA on x86 (AMD APM vol. 2, 7.1): nothing to do. */
void arch_dcache_clean(const void *va __unused, size_t size __unused)
{
}

void arch_dcache_inval(const void *va __unused, size_t size __unused)
{
}
