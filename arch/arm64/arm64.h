/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of arch/arm64 shared between its assembly and C files. Not part of the arch
 * contract: generic code never includes this header.
 */
#pragma once

/*
 * Per-CPU stacks. Each CPU's slot in arm64_stacks is a guard page, never mapped, below a
 * 16 KiB stack (deep call chains are printf and the FDT reader): an overflow faults instead
 * of overwriting the neighbour. Unexpected exceptions run on a separate per-CPU stack in
 * SP_EL0 (vectors.S), so that even a stack overflow is reported.
 */
#define ARM64_STACK_GUARD 0x1000
#define ARM64_STACK_SIZE 0x4000
#define ARM64_STACK_SLOT (ARM64_STACK_GUARD + ARM64_STACK_SIZE)
#define ARM64_EXC_STACK_SIZE 0x2000

/* struct arm64_mmu_regs, as laid out for arm64_mmu_enable(). */
#define MMU_REGS_MAIR 0
#define MMU_REGS_TCR 8
#define MMU_REGS_TTBR0 16
#define MMU_REGS_SCTLR 24

/* struct arm64_cpu_boot, as read by arm64_secondary_entry with the MMU still off. */
#define CPU_BOOT_STACK 0
#define CPU_BOOT_EXC_STACK 8
#define CPU_BOOT_CPU 16
#define CPU_BOOT_PERCPU 24
#define CPU_BOOT_MMU 32

/* ESR_EL2 (Arm ARM D23.2.41): exception class, ISS; the classes of instruction and data
 * aborts from a lower EL. */
#define ESR_EC(esr) ((unsigned int)((esr) >> 26) & 0x3fu)
#define ESR_ISS(esr) ((uint32_t)(esr)&0x1ffffffu)
#define EC_IABT_LOW 0x20u
#define EC_DABT_LOW 0x24u

/* EL1h with D, A, I, F masked: a guest's entry (Linux boot protocol) and what taking an
 * exception to EL1 sets (D1.10.5). */
#define PSTATE_EL1H_DAIF UL(0x3c5)

/* Saved registers on an unexpected exception: x0..x30, then the interrupted SP. */
#define ARM64_REGS_SIZE (32 * 8)

/* Entries of hypercall_table (include/hv/partition.h), for guest.S's fast path. */
#define HYPERCALL_TABLE_SIZE 0x13

/* QEMU exit status of a TEST_EXIT build that took an unexpected exception (panic is 3). */
#define ARM64_EXCEPTION_EXIT_CODE 4
/* ... that was entered at the wrong exception level or load address. */
#define ARM64_BAD_ENTRY_EXIT_CODE 2

#ifndef __ASSEMBLY__

#include <hv/types.h>

/* EL2 translation registers; one set, computed by the boot CPU, used by every CPU. */
struct arm64_mmu_regs {
    uint64_t mair;
    uint64_t tcr;
    uint64_t ttbr0;
    uint64_t sctlr;
};

/* What a secondary CPU needs before its MMU is on; cleaned to the PoC before CPU_ON. */
struct arm64_cpu_boot {
    uint64_t stack_top;
    uint64_t exc_stack_top;
    uint64_t cpu;
    uint64_t percpu; /* &hv_percpu[cpu], for TPIDR_EL2 */
    struct arm64_mmu_regs mmu;
} __aligned(64);

_Static_assert(__builtin_offsetof(struct arm64_mmu_regs, mair) == MMU_REGS_MAIR, "layout");
_Static_assert(__builtin_offsetof(struct arm64_mmu_regs, tcr) == MMU_REGS_TCR, "layout");
_Static_assert(__builtin_offsetof(struct arm64_mmu_regs, ttbr0) == MMU_REGS_TTBR0, "layout");
_Static_assert(__builtin_offsetof(struct arm64_mmu_regs, sctlr) == MMU_REGS_SCTLR, "layout");
_Static_assert(__builtin_offsetof(struct arm64_cpu_boot, stack_top) == CPU_BOOT_STACK, "layout");
_Static_assert(__builtin_offsetof(struct arm64_cpu_boot, exc_stack_top) == CPU_BOOT_EXC_STACK,
               "layout");
_Static_assert(__builtin_offsetof(struct arm64_cpu_boot, cpu) == CPU_BOOT_CPU, "layout");
_Static_assert(__builtin_offsetof(struct arm64_cpu_boot, percpu) == CPU_BOOT_PERCPU, "layout");
_Static_assert(__builtin_offsetof(struct arm64_cpu_boot, mmu) == CPU_BOOT_MMU, "layout");

/* Registers saved by the exception vectors (vectors.S). */
struct arm64_regs {
    uint64_t x[31];
    uint64_t sp;
};

_Static_assert(sizeof(struct arm64_regs) == ARM64_REGS_SIZE, "layout");

/* Linker-script symbols (hv.lds.S); all page aligned except the BSS bounds. */
extern char __image_start[], __image_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];

/* Per-CPU stack slots (guard page + stack) and exception stacks; CPU 0's are set up by
 * head.S, the others' by arch_cpu_start(). */
extern uint8_t arm64_stacks[CONFIG_NR_CPUS][ARM64_STACK_SLOT];
extern uint8_t arm64_exc_stacks[CONFIG_NR_CPUS][ARM64_EXC_STACK_SIZE];

/* The initial SP of cpu's stack (it grows down towards the guard page). */
static inline uint64_t arm64_stack_top(unsigned int cpu)
{
    return (uint64_t)(uintptr_t)(arm64_stacks[cpu] + ARM64_STACK_SLOT);
}

/* head.S: the secondary CPUs' entry point given to PSCI CPU_ON (x0 = struct arm64_cpu_boot). */
void arm64_secondary_entry(void);
/* head.S: the entry written to a spin-table CPU's release address (x0 = 0); it finds its
 * struct arm64_cpu_boot in arm64_spin_boot by MPIDR. */
void arm64_spin_entry(void);

/* One spin-table CPU's start, as arm64_spin_entry reads it with the MMU off. */
struct arm64_spin_boot {
    uint64_t mpidr;              /* MPIDR_EL1 affinity fields */
    struct arm64_cpu_boot *boot; /* NULL: slot unused */
};

/* smp.c: the spin-table starts, one slot per logical CPU. */
extern struct arm64_spin_boot arm64_spin_boot[];

/* head.S: load MAIR/TCR/TTBR0, invalidate the TLBs and I-cache, then write SCTLR_EL2.
 * Runs on the identity map, so execution continues at the next instruction. */
void arm64_mmu_enable(const struct arm64_mmu_regs *regs);

/* C entry of the boot CPU (MMU off, stack and BSS ready; the arguments are the EL2 controls
 * the boot loader left) and of a secondary (MMU on). */
__noreturn void arm64_boot_main(uint64_t fw_hcr, uint64_t fw_cptr, uint64_t fw_sctlr);
__noreturn void arm64_secondary_main(unsigned int cpu);

/* smp.c: an SMC to the firmware (EL3) with x0..x7 = x[0..7]; x0..x3 come back in x[0..3]. */
void arm64_smc(uint64_t x[8]);

/* vectors.S -> exception.c. vector is the 0..15 slot in the VBAR_EL2 table. */
__noreturn void arm64_unexpected_exception(unsigned int vector, struct arm64_regs *regs);

/*
 * mmu.c. arm64_mmu_init() builds the identity map from the embedded DTB with the MMU off
 * and turns it on (boot CPU only); errors it could not print yet are reported by
 * arm64_mmu_report() once the console works. arm64_el2_mmu, set by arm64_mmu_init(), is what
 * secondaries load.
 */
void arm64_mmu_init(void);
/*
 * Stage-2 tables of every partition: 3 levels of the 4 KiB format from level 1, a 39-bit
 * IPA (arch_stage2_depth(); arch_config_addr_bits() reports the same, with or without
 * CONFIG_PARTITIONS).
 */
#define ARM64_STAGE2_DEPTH 3u
/*
 * The physical address size of this CPU from ID_AA64MMFR0_EL1.PARange (Arm ARM D23.2.64), in
 * bits (52 reads as 48: no LPA descriptors), and its PARange code in *ps. Any context.
 */
unsigned int arm64_pa_range_bits(unsigned int *ps);
void arm64_mmu_report(void);
extern struct arm64_mmu_regs arm64_el2_mmu;

/* mmu.c: clean, invalidate, or clean and invalidate to the PoC (DC CVAC, IVAC, CIVAC) every
 * D-cache line of [va, va + size), by VA, then DSB SY. */
enum arm64_dcache_op { ARM64_DC_CLEAN, ARM64_DC_INVAL, ARM64_DC_CIVAC };
void arm64_dcache_range(const void *va, size_t size, enum arm64_dcache_op op);

/* Size of the EL2 virtual address space: VAs at or above this always fault. */
uint64_t arm64_va_limit(void);

/* cpu.c: set once arch_test_exit() has started, so a trap of the semihosting call itself
 * (semihosting disabled) halts instead of recursing. */
extern bool arm64_test_exiting;

#endif /* !__ASSEMBLY__ */
