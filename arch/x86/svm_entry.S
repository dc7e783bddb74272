/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One guest run under AMD SVM (APM vol. 2, 15.5 VMRUN, 15.6 #VMEXIT, 15.5.2 VMSAVE/VMLOAD):
 *
 *   void x86_svm_run(struct vcpu_gprs *gprs, uint64_t vmcb_pa, uint64_t host_area_pa);
 *
 * VMRUN switches RAX, RSP, RIP, RFLAGS, the segment registers CS/SS/DS/ES, GDTR/IDTR and the
 * control registers through the VMCB and the host save area (VM_HSAVE_PA). FS, GS, TR, LDTR
 * and the SYSCALL/SYSENTER and KernelGSbase MSRs are switched only by VMLOAD/VMSAVE: the
 * host's, which the hypervisor never changes once its CPU is up, were saved to host_area_pa
 * once (svm_cpu_enable(), svm.c) and are loaded from it after each #VMEXIT, so the
 * hypervisor's GS base (per-CPU data) and TSS survive whatever the guest loads (an area
 * VMSAVE wrote stays valid for VMLOAD, APM 15.5.2). The other general registers are
 * ours to switch, from and back to *gprs. GIF is cleared around the switch (CLGI/STGI) so
 * that nothing is taken between loading guest state and VMRUN. RFLAGS.IF is set while GIF is
 * clear: VMRUN saves it as the host's, so with V_INTR_MASKING a physical interrupt (the kick
 * IPI) makes the guest exit (INTR intercept, APM 15.21.1, 15.21.4); it is taken right after
 * STGI (the kick handler only signals EOI) and IF is cleared again.
 */
#include <asm/vcpu.h>

    .section .text, "ax"
    .code64
    .globl x86_svm_run
x86_svm_run:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rdi                   /* gprs, found again after the #VMEXIT */
    push %rdx                   /* host area */

    clgi
    sti
    mov %rsi, %rax              /* VMCB: VMLOAD, VMRUN, VMSAVE all take it in RAX */

    mov VCPU_GPR_RBX(%rdi), %rbx
    mov VCPU_GPR_RCX(%rdi), %rcx
    mov VCPU_GPR_RDX(%rdi), %rdx
    mov VCPU_GPR_RSI(%rdi), %rsi
    mov VCPU_GPR_RBP(%rdi), %rbp
    mov VCPU_GPR_R8(%rdi), %r8
    mov VCPU_GPR_R9(%rdi), %r9
    mov VCPU_GPR_R10(%rdi), %r10
    mov VCPU_GPR_R11(%rdi), %r11
    mov VCPU_GPR_R12(%rdi), %r12
    mov VCPU_GPR_R13(%rdi), %r13
    mov VCPU_GPR_R14(%rdi), %r14
    mov VCPU_GPR_R15(%rdi), %r15
    mov VCPU_GPR_RDI(%rdi), %rdi

    vmload %rax
    vmrun %rax
    /* #VMEXIT: RAX, RSP and RIP are the host's again (APM 15.6); the rest is the guest's. */
    vmsave %rax

    mov 8(%rsp), %rax           /* gprs: RAX is free once the guest's state is saved */
    mov %rbx, VCPU_GPR_RBX(%rax)
    mov %rcx, VCPU_GPR_RCX(%rax)
    mov %rdx, VCPU_GPR_RDX(%rax)
    mov %rsi, VCPU_GPR_RSI(%rax)
    mov %rdi, VCPU_GPR_RDI(%rax)
    mov %rbp, VCPU_GPR_RBP(%rax)
    mov %r8, VCPU_GPR_R8(%rax)
    mov %r9, VCPU_GPR_R9(%rax)
    mov %r10, VCPU_GPR_R10(%rax)
    mov %r11, VCPU_GPR_R11(%rax)
    mov %r12, VCPU_GPR_R12(%rax)
    mov %r13, VCPU_GPR_R13(%rax)
    mov %r14, VCPU_GPR_R14(%rax)
    mov %r15, VCPU_GPR_R15(%rax)

    pop %rax                    /* host area */
    vmload %rax
    stgi
    cli

    pop %rdi
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret


/*
 * __noreturn void x86_run_on_stack(void *arg, void (*fn)(void *), uint64_t stack_top):
 * call fn(arg) on a fresh stack. arch_vcpu_run() enters every vCPU (first start, restart
 * after a park or a reset) through it, so the stack never grows with the number of runs.
 */
    .section .text, "ax"
    .globl x86_run_on_stack
x86_run_on_stack:
    mov %rdx, %rsp
    xor %ebp, %ebp
    call *%rsi
    ud2

    .section .note.GNU-stack, "", %progbits
