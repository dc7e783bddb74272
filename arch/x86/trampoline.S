/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Real-mode start-up code of the secondary CPUs, copied to X86_TRAMPOLINE_BASE (below 1 MiB,
 * page aligned) by smp.c. A STARTUP IPI with vector v starts a CPU in real mode at CS:IP =
 * (v << 8):0000 (Intel SDM vol. 3A, 10.4.4.1 / 11.4.4; APM vol. 2, 16.5). It only enters
 * protected mode with the hypervisor's GDT and jumps to x86_ap_entry32 in head.S, which
 * shares the long-mode switch with the boot CPU. Everything here is addressed through
 * DS = 0 at the copy's absolute address.
 */
#include <asm/cpu.h>

#define TRAMP(sym) (X86_TRAMPOLINE_BASE + (sym - x86_trampoline_start))

    .section .rodata.trampoline, "a"
    .code16
    .globl x86_trampoline_start
x86_trampoline_start:
    cli
    cld
    xor %ax, %ax
    mov %ax, %ds
    lgdtl TRAMP(tramp_gdt_ptr)
    mov %cr0, %eax
    or $X86_CR0_PE, %eax
    mov %eax, %cr0
    /* A far jump with a 32-bit offset reloads CS and leaves real mode for good. */
    ljmpl $X86_SEL_CODE32, $x86_ap_entry32

    .balign 8
tramp_gdt_ptr:
    .word 31                    /* the four segment descriptors of head.S; the TSS ones
                                   come into reach when x86_cpu_init() reloads the GDTR */
    .long x86_gdt
    .globl x86_trampoline_end
x86_trampoline_end:

/* No executable stack (GNU-stack note). */
    .section .note.GNU-stack, "", @progbits
