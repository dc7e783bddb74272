/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86-64 CPU primitives shared by arch/x86 (control registers, MSRs, CPUID, TSC) and the
 * constants of the hypervisor's own descriptor tables. AMD64 Architecture Programmer's Manual
 * (APM) vol. 2 and 3.
 */
#pragma once

/* Segment selectors of the hypervisor's GDT (arch/x86/head.S). */
#define X86_SEL_CODE64 0x08
#define X86_SEL_DATA 0x10
#define X86_SEL_CODE32 0x18
/* The TSS of logical CPU cpu (a 16-byte system descriptor, APM vol. 2, 4.8.3). */
#define X86_SEL_TSS(cpu) (0x20 + 16 * (cpu))

/* Device interrupts: I/O APIC input (GSI) n arrives on vector X86_VEC_IRQ_BASE + n, for
 * n < X86_NR_GSI (arch/x86/irq.c); below them the exceptions, above them the kick. */
#define X86_VEC_IRQ_BASE 0x30
#define X86_NR_GSI 64

/* Where the real-mode start-up code for the other CPUs is copied (SIPI vector << 12). */
#define X86_TRAMPOLINE_BASE 0x8000

#define X86_CR0_PE (1u << 0)
#define X86_CR0_PG (1u << 31)
#define X86_CR4_PAE (1u << 5)

#define X86_MSR_APIC_BASE 0x0000001b
#define X86_MSR_EFER 0xc0000080
#define X86_MSR_GS_BASE 0xc0000101
#define X86_EFER_LME (1u << 8)

#ifndef __ASSEMBLY__

#include <stdint.h>

static inline uint64_t x86_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void x86_wrmsr(uint32_t msr, uint64_t val)
{
    __asm__ __volatile__("wrmsr" ::"c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                         : "memory");
}

/* Time-stamp counter. Not serialising: callers measuring intervals accept small skew. */
static inline uint64_t x86_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* CPUID leaf/subleaf; regs receives EAX, EBX, ECX, EDX. */
static inline void x86_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
    __asm__ __volatile__("cpuid"
                         : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3])
                         : "a"(leaf), "c"(subleaf));
}

static inline uint64_t x86_read_cr2(void)
{
    uint64_t v;

    __asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t x86_read_cr3(void)
{
    uint64_t v;

    __asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
    return v;
}

#endif /* !__ASSEMBLY__ */
