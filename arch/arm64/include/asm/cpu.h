/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arm64 CPU primitives shared by arch/arm64 and, through <arch/cpu.h>, generic code:
 * system-register access, barriers and the EL2 register values Bulkhead programs. Bit
 * positions cite the Arm Architecture Reference Manual for A-profile (DDI 0487), chapter D23
 * (AArch64 system register descriptions) unless stated otherwise.
 */
#pragma once

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

/* An unsigned long constant usable from C and assembly alike (gas takes no suffixes). */
#ifdef __ASSEMBLY__
#define UL(x) x
#else
#define UL(x) x##ul
#endif

/* HCR_EL2: RW (bit 31) = EL1 is AArch64. Everything else, notably E2H, TGE and VM, is 0:
 * no VHE, no stage 2 until a partition runs. Firmware may leave other bits set (Debian
 * U-Boot leaves 0x20, AMO), so the boot path writes the whole register. */
#define HCR_EL2_RW (UL(1) << 31)
#define HCR_EL2_E2H_BIT 34
#define HCR_EL2_BOOT HCR_EL2_RW

/* CPTR_EL2 (E2H = 0 layout): RES1 bits 13:12, 9, 7:0. TZ (8) traps SVE, which Bulkhead
 * never uses; TFP (10) = 0 leaves FP/SIMD untrapped for partitions, TTA (20) and TCPAC
 * (31) = 0. Debian U-Boot leaves 0x33ff, i.e. the same value; it is written regardless. */
#define CPTR_EL2_RES1 UL(0x000032ff)
#define CPTR_EL2_TZ (UL(1) << 8)
#define CPTR_EL2_BOOT (CPTR_EL2_RES1 | CPTR_EL2_TZ)

/* SCTLR_EL2 (E2H = 0 layout): RES1 bits 29:28, 23:22, 18, 16, 11, 5:4. */
#define SCTLR_EL2_RES1 UL(0x30c50830)
#define SCTLR_EL2_M (UL(1) << 0)    /* stage-1 MMU enable */
#define SCTLR_EL2_A (UL(1) << 1)    /* alignment checking */
#define SCTLR_EL2_C (UL(1) << 2)    /* data cacheability */
#define SCTLR_EL2_SA (UL(1) << 3)   /* SP alignment check */
#define SCTLR_EL2_I (UL(1) << 12)   /* instruction cacheability */
#define SCTLR_EL2_WXN (UL(1) << 19) /* writable implies execute-never */
#define SCTLR_EL2_EE (UL(1) << 25)  /* big-endian data: 0 */
/* MMU off, little-endian, stack alignment checked: the state until the page tables exist. */
#define SCTLR_EL2_BOOT (SCTLR_EL2_RES1 | SCTLR_EL2_SA | SCTLR_EL2_I)
/* MMU, caches and W^X on (D8.2, D8.4.3). */
#define SCTLR_EL2_MMU_ON (SCTLR_EL2_BOOT | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_WXN)

/* CNTHCTL_EL2 (E2H = 0, Arm ARM D23.2.22): EL1PCTEN (0) and EL1PCEN (1) let EL1 read the
 * physical counter and use the physical timer without trapping; partitions own their CPU's
 * timer. EVNTEN (2) with EVNTI = 15 (7:4) is the event stream (D12.2.3): a WFE wake-up event
 * each time counter bit 15 rises (about every millisecond at 24..100 MHz), so that a CPU
 * waiting in arch_cpu_wait() without a vCPU, like the boot CPU polling the console's input,
 * looks again. Replaced by CNTHCTL_GUEST while a guest runs. */
#define CNTHCTL_EL2_BOOT (UL(0x3) | UL(1) << 2 | UL(15) << 4)

/* MPIDR_EL1 affinity fields Aff3 (39:32) and Aff2..Aff0 (23:0): the CPU's hardware id. */
#define MPIDR_AFF_MASK UL(0xff00ffffff)

#ifndef __ASSEMBLY__

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

/* Read / write a system register by name (msr/mrs with the assembler's register names). */
#define read_sysreg(reg)                                                                           \
    ({                                                                                             \
        uint64_t __v;                                                                              \
        __asm__ __volatile__("mrs %0, " __stringify(reg) : "=r"(__v));                             \
        __v;                                                                                       \
    })

#define write_sysreg(reg, val)                                                                     \
    do {                                                                                           \
        uint64_t __v = (uint64_t)(val);                                                            \
        __asm__ __volatile__("msr " __stringify(reg) ", %0" ::"r"(__v) : "memory");                \
    } while (0)

/* Barriers (Arm ARM B2.3.12): isb orders context changes, dsb/dmb memory accesses. */
#define isb() __asm__ __volatile__("isb" ::: "memory")
#define dsb(opt) __asm__ __volatile__("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ __volatile__("dmb " #opt ::: "memory")

#endif /* !__ASSEMBLY__ */
