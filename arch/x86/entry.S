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

/* The kick IPI or local APIC timer (x86.h): note it for this CPU (x86_kicked), acknowledge
 * it and return; the #VMEXIT it caused did the rest. */
    .balign 16
    .globl x86_kick_stub
x86_kick_stub:
    push %rax
    mov %gs:0, %eax             /* struct x86_percpu.cpu */
    movb $1, x86_kicked(%rax)
    mov x86_lapic_eoi(%rip), %rax
    movl $0, (%rax)
    pop %rax
    iretq

/*
 * Device interrupts (x86.h, X86_VEC_IRQ_BASE + GSI): the caller-saved registers around
 * x86_irq_handle(vector), which runs the service and signals EOI. Taken only where the
 * hypervisor opens an interrupt window (after VMRUN, arch_irq_service()), on the current
 * stack. On entry RSP is 8 mod 16 (the CPU aligned it, then pushed five quadwords): nine
 * pushes align the call.
 */
.macro irq_stub gsi
    .balign 16
x86_irq_stub_\gsi:
    push %rax
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %r8
    push %r9
    push %r10
    push %r11
    mov $(X86_VEC_IRQ_BASE + \gsi), %edi
    cld
    call x86_irq_handle
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rax
    iretq
.endm

.altmacro
.set gsi, 0
.rept X86_NR_GSI
    irq_stub %gsi
    .set gsi, gsi + 1
.endr

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

.macro irq_stub_addr gsi
    .quad x86_irq_stub_\gsi
.endm
    .globl x86_irq_stubs
x86_irq_stubs:
.set gsi, 0
.rept X86_NR_GSI
    irq_stub_addr %gsi
    .set gsi, gsi + 1
.endr

/* No executable stack (GNU-stack note). */
    .section .note.GNU-stack, "", @progbits
