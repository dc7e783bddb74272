/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 halves of struct partition and struct vcpu (contract: include/arch/vcpu.h): AMD SVM
 * with nested paging. AMD64 Architecture Programmer's Manual (APM) vol. 2, ch. 15.
 */
#pragma once

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

/* Fault reports name the #VMEXIT code (VMCB EXITCODE, APM vol. 2, appendix C). */
#define ARCH_SYNDROME_NAME "EXITCODE"
/* The hypercall conduit: VMMCALL (include/hv/hypercall_abi.h). */
#define ARCH_HYPERCALL_METHOD "vmmcall"

/* Offsets in struct vcpu_arch used by arch/x86/svm_entry.S (the general registers the VMCB
 * does not hold: RAX and RSP live in its state save area). */
#define VCPU_GPR_RBX 0
#define VCPU_GPR_RCX 8
#define VCPU_GPR_RDX 16
#define VCPU_GPR_RSI 24
#define VCPU_GPR_RDI 32
#define VCPU_GPR_RBP 40
#define VCPU_GPR_R8 48
#define VCPU_GPR_R9 56
#define VCPU_GPR_R10 64
#define VCPU_GPR_R11 72
#define VCPU_GPR_R12 80
#define VCPU_GPR_R13 88
#define VCPU_GPR_R14 96
#define VCPU_GPR_R15 104

#ifndef __ASSEMBLY__

/* Nested-paging state of a partition. */
struct partition_arch {
    uint32_t asid;    /* = partition id (1..63); ASID 0 is the host's (APM 15.16) */
    uint64_t ncr3;    /* nested page-table root (VMCB N_CR3) */
    uint64_t iopm_pa; /* its I/O permission map: 3 pages, a set bit intercepts the port */
    uint32_t tlb_gen; /* bumped by arch_stage2_flush(): a vCPU that saw an older value
                       * flushes its ASID at its next VMRUN (VMCB TLB_CONTROL) */
    /* arch/x86/irq.c: guest vectors reserved for virtual devices (doorbells), counted down
     * from X86_VIRQ_LAST; one bit per vector. */
    unsigned int virq_count;
    uint64_t virq_owned[4];
};

/* General registers of a vCPU that VMRUN does not switch (order: VCPU_GPR_* above). */
struct vcpu_gprs {
    uint64_t rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};

/* A vCPU: its VMCB (one page from the pool) and the registers the VMCB does not hold. */
struct vcpu_arch {
    struct vcpu_gprs gprs;
    uint64_t vmcb_pa; /* host physical address of its VMCB */
    void *vmcb;       /* the hypervisor's pointer to it */
    uint32_t tlb_gen; /* the partition's tlb_gen at this vCPU's last VMRUN */
    uint64_t exits;   /* #VMEXITs taken (bench, reports) */
    /* arch/x86/decode.c: the last code page it read, linear address decode_la under the
     * paging state decode_key (0 = empty), reached at decode_va while the partition's
     * tlb_gen is still decode_gen. */
    uint64_t decode_key, decode_la;
    const uint8_t *decode_va;
    uint32_t decode_gen;
    uint64_t apic_base;  /* the guest's IA32_APIC_BASE: x2APIC mode (EXTD) or not */
    bool init_pending;   /* an INIT IPI from a sibling arrived; a STARTUP IPI may follow */
    uint8_t sipi_vector; /* != 0: the next reset starts in real mode at vector << 12 */
    /* arch/x86/irq.c: virtual interrupts pending for the guest, one bit per vector, set by
     * any CPU (atomically), moved into the VMCB's V_IRQ by the vCPU's own CPU before VMRUN. */
    uint64_t virq_pending[4];
};

#endif /* !__ASSEMBLY__ */
