/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 halves of struct partition and struct vcpu (contract: include/arch/vcpu.h): AMD SVM
 * with nested paging. AMD64 Architecture Programmer's Manual (APM) vol. 2, ch. 15.
 */
#pragma once

#ifndef __ASSEMBLY__
#include <stdbool.h>
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

/*
 * The legacy platform a partition sees in I/O space, emulated per partition and never
 * reaching hardware (arch/x86/vio.c): PIT channel 2 with the port 0x61 gate, the CMOS/RTC
 * index (COM1 is the virtual device of arch/x86/vuart.c, with its own lock). Shared by the
 * partition's vCPUs (only one calibrates the TSC at once).
 */
struct x86_vio {
    uint8_t cmos_index;
    uint8_t port61;      /* gate (bit 0) and speaker enable (bit 1) of PIT channel 2 */
    uint8_t pit_access;  /* channel 2 control word bits 5:4 (1 LSB, 2 MSB, 3 LSB then MSB) */
    bool pit_msb_next;   /* the next data write is the MSB */
    bool pit_read_msb;   /* the next data read is the MSB */
    uint16_t pit_reload; /* the count written */
    uint16_t pit_latch;  /* latched by a counter-latch command (valid while latched) */
    bool pit_latched;
    uint64_t pit_start; /* TSC when the count was loaded (0: not counting) */
};

/*
 * A vCPU's virtual local APIC in x2APIC mode (arch/x86/vapic.c): the interrupt request and
 * in-service bitmaps, the registers Linux programs, and the timer as a TSC deadline.
 */
struct x86_vapic {
    uint32_t irr[8]; /* set by any vCPU of the partition (atomic), drained by this one */
    /* Set after every request, cleared by the vCPU's own CPU before it scans irr and set
     * again while irr still holds a vector: false means irr is empty (no scan needed). */
    bool irr_hint;
    uint32_t isr[8];
    uint32_t tpr, svr, tdcr, tmict;
    uint32_t lvt[7];    /* CMCI, timer, thermal, perf, LINT0, LINT1, error */
    uint64_t tmict_tsc; /* TSC when TMICT was written (one-shot/periodic count start) */
    uint64_t deadline;  /* TSC at which the timer fires; 0 = not armed */
    uint64_t period;    /* periodic mode: TSC ticks per period */
    /* The deadline the physical local APIC timer was last armed for (0: disarmed); after a
     * reset it may fire once more: one exit for nothing. */
    uint64_t timer_armed;
    bool nmi_pending;
};

/* Nested-paging state of a partition. */
struct partition_arch {
    uint32_t asid;    /* = partition id (1..63); ASID 0 is the host's (APM 15.16) */
    uint64_t ncr3;    /* nested page-table root (VMCB N_CR3) */
    uint64_t iopm_pa; /* its I/O permission map: 3 pages, a set bit intercepts the port */
    uint32_t tlb_gen; /* bumped by arch_stage2_flush(): a vCPU that saw an older value
                       * flushes its ASID at its next VMRUN (VMCB TLB_CONTROL) */
    struct x86_vio vio;
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
    /* arch/x86/decode.c: the last code page it read, linear address decode_la under the
     * paging state decode_key (0 = empty), reached at decode_va while the partition's
     * tlb_gen is still decode_gen. */
    uint64_t decode_key, decode_la;
    const uint8_t *decode_va;
    uint32_t decode_gen;
    uint64_t apic_base;  /* the guest's IA32_APIC_BASE: x2APIC mode (EXTD) or not */
    bool init_pending;   /* an INIT IPI from a sibling arrived; a STARTUP IPI may follow */
    uint8_t sipi_vector; /* != 0: the next reset starts in real mode at vector << 12 */
    /* arch/x86/vapic.c: its virtual local APIC, which also requests the interrupts of the
     * hypervisor's virtual devices (doorbells, arch/x86/irq.c). */
    struct x86_vapic vapic;
};

#endif /* !__ASSEMBLY__ */
