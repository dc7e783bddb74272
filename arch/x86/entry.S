/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exception entry stubs for vectors 0-31 (APM vol. 2, 8.2). The CPU pushes SS, RSP, RFLAGS,
 * CS, RIP and, for some vectors, an error code (APM vol. 2, 8.2 and table 8-1: #DF, #TS, #NP,
 * #SS, #GP, #PF, #AC, #CP, #VC, #SX). Each stub makes the frame uniform (a zero error code
 * where the CPU pushes none), pushes the vector and the general registers and calls
 * x86_exception(struct x86_exc_frame *) (traps.c), which does not return.
 */
#include <asm/cpu.h>

    .section .text, "ax"
    .code64

.macro exc_stub vec, has_error
    .balign 16
x86_exc_stub_\vec:
    .if \has_error == 0
    pushq $0
    .endif
    pushq $\vec
    jmp x86_exception_common
.endm

.irp vec, 0, 1, 2, 3, 4, 5, 6, 7, 9, 15, 16, 18, 19, 20, 22, 23, 24, 25, 26, 27, 28, 31
    exc_stub \vec, 0
.endr
.irp vec, 8, 10, 11, 12, 13, 14, 17, 21, 29, 30
    exc_stub \vec, 1
.endr

x86_exception_common:
    /* Order matches struct x86_exc_frame: r15 ends up at the lowest address. */
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    and $-16, %rsp              /* SysV ABI: 16-byte aligned at the call */
    call x86_exception
1:  cli
    hlt
    jmp 1b

/* The kick IPI (x86.h): acknowledge it and return; the #VMEXIT it caused did the rest. */
    .balign 16
    .globl x86_kick_stub
x86_kick_stub:
    push %rax
    mov x86_lapic_eoi(%rip), %rax
    movl $0, (%rax)
    pop %rax
    iretq

/* A spurious interrupt of the local APIC: no EOI (Intel SDM vol. 3, 11.9; AMD APM vol. 2,
 * 16.4.7). */
    .balign 16
    .globl x86_spurious_stub
x86_spurious_stub:
    iretq

/* The stubs' addresses by vector, for the IDT (traps.c). */
    .section .rodata, "a"
    .balign 8
    .globl x86_exception_stubs
x86_exception_stubs:
.irp vec, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    .quad x86_exc_stub_\vec
.endr

/* No executable stack (GNU-stack note). */
    .section .note.GNU-stack, "", @progbits
