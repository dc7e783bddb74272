/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AMD SVM virtual-machine control block (VMCB) and the constants arch/x86/svm.c uses.
 * AMD64 Architecture Programmer's Manual (APM) vol. 2, appendix B (VMCB layout), appendix C
 * (#VMEXIT codes), 15.7 (EXITINFO of intercepts), 15.10 (IOPM), 15.11 (MSRPM).
 */
#pragma once

#include <hv/compiler.h>
#include <hv/types.h>

/* A segment register in the state save area (APM B.2): attrib packs descriptor bits 47:40
 * (type, S, DPL, P) in 7:0 and bits 55:52 (AVL, L, D/B, G) in 11:8. */
struct vmcb_seg {
    uint16_t sel;
    uint16_t attrib;
    uint32_t limit;
    uint64_t base;
} __packed;

struct vmcb {
    /* Control area (APM table B-1). */
    uint32_t intercept_cr;  /* 0x000: CR reads 15:0, CR writes 31:16 */
    uint32_t intercept_dr;  /* 0x004 */
    uint32_t intercept_exc; /* 0x008: one bit per exception vector */
    uint32_t intercept1;    /* 0x00c: SVM_I1_* */
    uint32_t intercept2;    /* 0x010: SVM_I2_* */
    uint32_t intercept3;    /* 0x014 */
    uint8_t rsvd0[0x03c - 0x018];
    uint16_t pause_threshold; /* 0x03c */
    uint16_t pause_count;     /* 0x03e */
    uint64_t iopm_pa;         /* 0x040 */
    uint64_t msrpm_pa;        /* 0x048 */
    uint64_t tsc_offset;      /* 0x050 */
    uint32_t asid;            /* 0x058 */
    uint8_t tlb_control;      /* 0x05c: 1 = flush everything of this ASID (BRIEF §8) */
    uint8_t rsvd1[3];
    uint64_t vintr;       /* 0x060: V_INTR_MASKING in bit 24 */
    uint64_t int_shadow;  /* 0x068 */
    uint64_t exitcode;    /* 0x070 */
    uint64_t exitinfo1;   /* 0x078 */
    uint64_t exitinfo2;   /* 0x080 */
    uint64_t exitintinfo; /* 0x088 */
    uint64_t np_control;  /* 0x090: NP_ENABLE in bit 0 */
    uint64_t avic_bar;    /* 0x098 */
    uint64_t ghcb_pa;     /* 0x0a0 */
    uint64_t eventinj;    /* 0x0a8 */
    uint64_t ncr3;        /* 0x0b0: nested page-table root */
    uint64_t lbr_virt;    /* 0x0b8 */
    uint32_t clean;       /* 0x0c0: VMCB clean bits (0: reload everything) */
    uint32_t rsvd2;
    uint64_t nrip;    /* 0x0c8: next RIP, with NRIP-save */
    uint8_t insn_len; /* 0x0d0: with decode assists */
    uint8_t insn_bytes[15];
    uint8_t rsvd3[0x400 - 0x0e0];
    /* State save area (APM table B-2). */
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 */
    uint8_t rsvd4[0x4cb - 0x4a0];
    uint8_t cpl; /* 0x4cb */
    uint32_t rsvd5;
    uint64_t efer; /* 0x4d0 */
    uint8_t rsvd6[0x548 - 0x4d8];
    uint64_t cr4;    /* 0x548 */
    uint64_t cr3;    /* 0x550 */
    uint64_t cr0;    /* 0x558 */
    uint64_t dr7;    /* 0x560 */
    uint64_t dr6;    /* 0x568 */
    uint64_t rflags; /* 0x570 */
    uint64_t rip;    /* 0x578 */
    uint8_t rsvd7[0x5d8 - 0x580];
    uint64_t rsp; /* 0x5d8 */
    uint8_t rsvd8[0x5f8 - 0x5e0];
    uint64_t rax;            /* 0x5f8 */
    uint64_t star;           /* 0x600 */
    uint64_t lstar;          /* 0x608 */
    uint64_t cstar;          /* 0x610 */
    uint64_t sfmask;         /* 0x618 */
    uint64_t kernel_gs_base; /* 0x620 */
    uint64_t sysenter_cs;    /* 0x628 */
    uint64_t sysenter_esp;   /* 0x630 */
    uint64_t sysenter_eip;   /* 0x638 */
    uint64_t cr2;            /* 0x640 */
    uint8_t rsvd9[0x668 - 0x648];
    uint64_t g_pat; /* 0x668: the guest's PAT under nested paging (APM 15.25.8) */
} __packed;

_Static_assert(__builtin_offsetof(struct vmcb, iopm_pa) == 0x040, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, exitcode) == 0x070, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, ncr3) == 0x0b0, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, nrip) == 0x0c8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, tr) == 0x490, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, cpl) == 0x4cb, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, cr4) == 0x548, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rip) == 0x578, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, cr2) == 0x640, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "VMCB layout");

/* Intercept vector 3 (VMCB 0x00c, APM B-1). */
#define SVM_I1_INTR (1u << 0)
#define SVM_I1_NMI (1u << 1)
#define SVM_I1_VINTR (1u << 4)
#define SVM_I1_INIT (1u << 3)
#define SVM_I1_CPUID (1u << 18)
#define SVM_I1_INVD (1u << 22)
#define SVM_I1_HLT (1u << 24)
#define SVM_I1_INVLPGA (1u << 26)
#define SVM_I1_IOIO (1u << 27)
#define SVM_I1_MSR (1u << 28)
#define SVM_I1_SHUTDOWN (1u << 31)
/* Intercept vector 4 (VMCB 0x010). */
#define SVM_I2_VMRUN (1u << 0)
#define SVM_I2_VMMCALL (1u << 1)
#define SVM_I2_VMLOAD (1u << 2)
#define SVM_I2_VMSAVE (1u << 3)
#define SVM_I2_STGI (1u << 4)
#define SVM_I2_CLGI (1u << 5)
#define SVM_I2_SKINIT (1u << 6)
#define SVM_I2_MONITOR (1u << 10)
#define SVM_I2_MWAIT (1u << 11)

#define SVM_VINTR_MASKING (UINT64_C(1) << 24)
/* Virtual interrupt fields of VMCB offset 0x060 (APM table B-1, 15.21.4): V_IRQ pending,
 * its priority (V_INTR_PRIO 19:16), V_IGN_TPR, V_INTR_VECTOR 39:32. */
#define SVM_VINTR_V_IRQ (UINT64_C(1) << 8)
#define SVM_VINTR_PRIO_SHIFT 16
#define SVM_VINTR_PRIO_MASK (UINT64_C(0xf) << SVM_VINTR_PRIO_SHIFT)
#define SVM_VINTR_IGN_TPR (UINT64_C(1) << 20)
#define SVM_VINTR_VECTOR_SHIFT 32
#define SVM_VINTR_VECTOR_MASK (UINT64_C(0xff) << SVM_VINTR_VECTOR_SHIFT)
#define SVM_NP_ENABLE UINT64_C(1)

/* #VMEXIT codes (APM appendix C). */
#define SVM_EXIT_INTR 0x060u
#define SVM_EXIT_VINTR 0x064u
#define SVM_EXIT_NMI 0x061u
#define SVM_EXIT_INIT 0x063u
#define SVM_EXIT_CPUID 0x072u
#define SVM_EXIT_INVD 0x076u
#define SVM_EXIT_HLT 0x078u
#define SVM_EXIT_IOIO 0x07bu
#define SVM_EXIT_MSR 0x07cu
#define SVM_EXIT_SHUTDOWN 0x07fu
#define SVM_EXIT_VMRUN 0x080u
#define SVM_EXIT_VMMCALL 0x081u
#define SVM_EXIT_SKINIT 0x086u
#define SVM_EXIT_NPF 0x400u
/* VMRUN refused the guest state: EXITCODE -1, of which QEMU reports the low 32 bits. */
#define SVM_EXIT_INVALID 0xffffffffu

/* IOIO EXITINFO1 (APM 15.10.2): TYPE 1 = IN, STR, REP, size one-hot in 6:4, port in 31:16. */
#define SVM_IOIO_IN (1u << 0)
#define SVM_IOIO_STR (1u << 2)
#define SVM_IOIO_REP (1u << 3)
#define SVM_IOIO_SIZE(info) (((info) >> 4) & 7u)
#define SVM_IOIO_PORT(info) ((uint16_t)((info) >> 16))

/* NPF EXITINFO1 (APM 15.25.6): page-fault error code bits. */
#define SVM_NPF_PRESENT (UINT64_C(1) << 0)
#define SVM_NPF_WRITE (UINT64_C(1) << 1)
#define SVM_NPF_FETCH (UINT64_C(1) << 4)
#define SVM_NPF_GUEST_WALK (UINT64_C(1) << 33)

/* The permission maps (APM 15.10.1, 15.11): a set bit intercepts. */
#define SVM_IOPM_PAGES 3u
#define SVM_MSRPM_SIZE 8192u

/* MSRs (APM vol. 2, appendix A). */
#define X86_MSR_TSC 0x00000010u
#define X86_MSR_SYSENTER_CS 0x00000174u
#define X86_MSR_SYSENTER_ESP 0x00000175u
#define X86_MSR_SYSENTER_EIP 0x00000176u
#define X86_MSR_PAT 0x00000277u
#define X86_MSR_STAR 0xc0000081u
#define X86_MSR_LSTAR 0xc0000082u
#define X86_MSR_CSTAR 0xc0000083u
#define X86_MSR_TSC_AUX 0xc0000103u /* RDTSCP's ECX and RDPID (APM vol. 2, 13.2.4) */
#define X86_MSR_SFMASK 0xc0000084u
#define X86_MSR_FS_BASE 0xc0000100u
#define X86_MSR_KERNEL_GS_BASE 0xc0000102u
#define X86_MSR_VM_CR 0xc0010114u
#define X86_MSR_VM_HSAVE_PA 0xc0010117u
#define X86_VM_CR_SVMDIS (UINT64_C(1) << 4)

/* EFER bits (APM vol. 2, 3.1.7). */
#define X86_EFER_SCE (UINT64_C(1) << 0)
#define X86_EFER_LMA (UINT64_C(1) << 10)
#define X86_EFER_NXE (UINT64_C(1) << 11)
#define X86_EFER_SVME (UINT64_C(1) << 12)

/* The power-on PAT (APM vol. 2, 7.8.2): WB, WT, UC-, UC, repeated. */
#define X86_PAT_RESET UINT64_C(0x0007040600070406)

/*
 * decode.c: length of the instruction at v's RIP that caused intercept exitcode (one that
 * advances RIP), prefixes included, decoded from guest memory; -EFAULT when the bytes are
 * unreadable, -EINVAL when they are not the intercepted instruction. v's own CPU.
 */
struct vcpu;
int x86_insn_length(struct vcpu *v, unsigned int exitcode) __must_check;

/* svm_entry.S */
struct vcpu_gprs;
void x86_svm_run(struct vcpu_gprs *gprs, uint64_t vmcb_pa, uint64_t host_area_pa);
__noreturn void x86_run_on_stack(void *arg, void (*fn)(void *), uint64_t stack_top);
