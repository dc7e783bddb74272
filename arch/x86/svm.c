// SPDX-License-Identifier: Apache-2.0
/*
 * x86 virtualization hooks (contract: include/arch/vcpu.h) on AMD SVM with nested paging:
 * per-CPU SVM enable, one VMCB per vCPU, the run loop and the dispatch of every #VMEXIT to
 * the generic partition core (hypercalls, fault containment). AMD64 Architecture
 * Programmer's Manual (APM) vol. 2, ch. 15; VMCB layout and exit codes in svm.h.
 *
 * What a partition may do without a #VMEXIT: run its own code in its nested page table,
 * access the I/O ports of the devices it was given (its IOPM), the MSRs that VMLOAD/VMSAVE
 * switch (FS/GS bases, SYSCALL and SYSENTER MSRs: they never reach the hypervisor's values)
 * and its CPU's TSC_AUX. Everything else is intercepted: VMMCALL (hypercalls), CPUID
 * (emulated: no SVM, a hypervisor leaf), HLT (waits for an interrupt of the virtual local
 * APIC), every other MSR (EFER, PAT, TSC, APIC base and the x2APIC emulated, SVM's own a
 * fault, the rest #GP), every other I/O port (the legacy platform of vio.c emulated, the rest
 * a fault), INVD, INIT, SHUTDOWN (triple fault), the SVM instructions, nested page faults. An
 * intercept the hypervisor cannot handle stops the partition (partition_fault), its peers run.
 *
 * Instruction lengths. The intercepts that continue after the instruction (VMMCALL, CPUID,
 * HLT, RDMSR/WRMSR, INVD) advance RIP by the NRIP the CPU saved when CPUID Fn8000_000A EDX[3]
 * (NRIPS) reports it; otherwise by the instruction's length, decoded from the guest's code
 * (decode.c: prefixes, then the opcode the intercept implies). QEMU's TCG has no NRIP-save.
 * An IOIO intercept always gives the next RIP in EXITINFO2 (APM 15.10.2).
 */
#include <arch/cpu.h>
#include <arch/mm.h>
#include <arch/vcpu.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/hypercall_abi.h>
#include <hv/page_alloc.h>
#include <hv/panic.h>
#include <hv/partition.h>
#include <hv/printf.h>
#include <hv/string.h>

#include <asm/cpu.h>

#include "svm.h"
#include "x86.h"

/* CPUID Fn8000_0001 ECX[2] SVM; Fn8000_000A EDX[0] NP, EDX[3] NRIPS (APM vol. 3, E.4). */
#define CPUID_SVM (1u << 2)
#define CPUID_SVM_NP (1u << 0)
#define CPUID_SVM_NRIPS (1u << 3)

/* Per-CPU host state: the VM_HSAVE_PA area VMRUN saves the host into, and the VMSAVE area
 * of the host's FS/GS/TR/LDTR and MSRs (svm_cpu_enable(), svm_entry.S). */
static uint8_t svm_hsave[CONFIG_NR_CPUS][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t svm_host_area[CONFIG_NR_CPUS][PAGE_SIZE] __aligned(PAGE_SIZE);
static bool svm_cpu_ready[CONFIG_NR_CPUS];

/* One MSR permission map for every partition (they all get the same MSRs): built once. */
static uint8_t svm_msrpm[SVM_MSRPM_SIZE] __aligned(PAGE_SIZE);
static bool svm_msrpm_ready;

/* CPUID Fn8000_000A EDX[3]: the CPU saves the next RIP in the VMCB on intercepts. */
static bool svm_nrips;

/* CPUID Fn8000_0001 EDX[26]: 1 GiB pages (APM vol. 3, E.4.2). */
#define CPUID_PDPE1GB (1u << 26)

const struct pt_format *arch_stage2_format(void)
{
    uint32_t r[4];

    /* 1 GiB nested pages where the CPU has them (the nested walk uses the host's paging
     * features, APM 15.25.5), else 2 MiB and 4 KiB. */
    x86_cpuid(0x80000001u, 0, r);
    return (r[3] & CPUID_PDPE1GB) != 0 ? &pt_fmt_x86_npt_1g : &pt_fmt_x86_npt;
}

unsigned int arch_stage2_depth(void)
{
    return 4; /* long-mode 4-level paging: the only depth nested paging walks (APM 15.25.5) */
}

/* Whether the CPU has SVM with nested paging; records NRIP-save. Any CPU. */
static bool svm_supported(void)
{
    uint32_t r[4];

    x86_cpuid(0x80000000u, 0, r);
    if (r[0] < 0x8000000au) {
        return false;
    }
    x86_cpuid(0x80000001u, 0, r);
    if ((r[2] & CPUID_SVM) == 0) {
        return false;
    }
    x86_cpuid(0x8000000au, 0, r);
    svm_nrips = (r[3] & CPUID_SVM_NRIPS) != 0;
    return (r[3] & CPUID_SVM_NP) != 0;
}

/*
 * Set bit pair (read, write) of msr in the MSRPM (APM 15.11: MSRs 0-0x1fff from byte 0,
 * 0xc0000000-0xc0001fff from 0x800, 0xc0010000-0xc0011fff from 0x1000; two bits per MSR).
 */
static void msrpm_allow(uint32_t msr)
{
    uint32_t base = msr < 0x2000u ? 0 : msr < 0xc0002000u ? 0x800u : 0x1000u;
    uint32_t index = msr & 0x1fffu;

    svm_msrpm[base + index / 4] &= (uint8_t) ~(3u << (2 * (index % 4)));
}

static void msrpm_init(void)
{
    /* Only the MSRs VMLOAD/VMSAVE switch reach the hardware: the guest's values live in its
     * VMCB and the host's in svm_host_area (APM 15.5.2). And TSC_AUX, which nothing
     * switches: the hypervisor never uses it and each CPU runs one vCPU for good, so the
     * guest owns its CPU's copy (svm_tsc_aux_reset() gives every start the vCPU index). */
    static const uint32_t pass[] = {
        X86_MSR_FS_BASE,      X86_MSR_GS_BASE,      X86_MSR_KERNEL_GS_BASE, X86_MSR_STAR,
        X86_MSR_LSTAR,        X86_MSR_CSTAR,        X86_MSR_SFMASK,         X86_MSR_SYSENTER_CS,
        X86_MSR_SYSENTER_ESP, X86_MSR_SYSENTER_EIP, X86_MSR_TSC_AUX,
    };

    memset(svm_msrpm, 0xff, sizeof(svm_msrpm));
    for (unsigned int i = 0; i < ARRAY_SIZE(pass); i++) {
        msrpm_allow(pass[i]);
    }
    svm_msrpm_ready = true;
}

/* Let p access I/O ports [base, base + size) without an intercept. */
static void iopm_allow(uint8_t *iopm, uint64_t base, uint64_t size)
{
    for (uint64_t port = base; port < base + size && port < 0x10000u; port++) {
        iopm[port / 8] &= (uint8_t) ~(1u << (port % 8));
    }
}

int arch_partition_init(struct partition *p)
{
    const struct hv_config_partition *c = p->config;
    hpa_t pa;
    uint8_t *iopm;
    int err;

    if (!svm_supported()) {
        partition_printf(p, "the CPU has no SVM with nested paging\n");
        return -ENODEV;
    }
    if (!svm_msrpm_ready) {
        msrpm_init();
    }
    p->arch.asid = c->id; /* 1..63: never the host's ASID 0 */
    p->arch.ncr3 = hpa_val(p->stage2.root);
    /* IOPM: 12 KiB, every port intercepted but those of the partition's devices. */
    err = page_alloc(&hv_page_pool, SVM_IOPM_PAGES, 1, &pa);
    if (err != 0) {
        return err;
    }
    iopm = page_to_virt(&hv_page_pool, pa);
    memset(iopm, 0xff, SVM_IOPM_PAGES * PAGE_SIZE);
    for (unsigned int i = 0; i < c->dev_count; i++) {
        const struct hv_config_device *d = &p->layout->devices[c->dev_first + i];

        for (unsigned int r = 0; r < d->nr_regs; r++) {
            const struct hv_config_dev_reg *reg = &d->regs[r];

            if (reg->pio && IS_ENABLED(CONFIG_TEST_EXIT) && x86_test_ports_taken(p, d, reg)) {
                page_free(&hv_page_pool, pa, SVM_IOPM_PAGES);
                return -EPERM;
            }
            if (reg->pio) {
                iopm_allow(iopm, reg->base, reg->size);
            }
        }
    }
    p->arch.iopm_pa = hpa_val(pa);
    /* One VMCB page per vCPU. */
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        err = page_alloc_one(&hv_page_pool, &pa);
        if (err != 0) {
            return err;
        }
        p->vcpus[i].arch.vmcb_pa = hpa_val(pa);
        p->vcpus[i].arch.vmcb = page_to_virt(&hv_page_pool, pa);
    }
    return 0;
}

void arch_stage2_flush(struct partition *p)
{
    /* No broadcast invalidation of guest translations exists on x86: each vCPU flushes its
     * ASID at its next VMRUN (TLB_CONTROL) when the generation changed. Unmaps happen only
     * when the partition stops or resets, and then the core kicks every vCPU out of the
     * guest right after (arch_irq_kick), before any of them can use a stale translation for
     * long; the generation is visible before the kick is sent. Under p->lock, any CPU. */
    __atomic_add_fetch(&p->arch.tlb_gen, 1, __ATOMIC_ACQ_REL);
}

void arch_guest_mem_sync(void *va __unused, size_t size __unused)
{
    /* Caches are coherent with instruction fetch and with every other CPU (APM vol. 2, 7.6). */
}

void arch_guest_mem_zero(void *va, size_t size)
{
    memset(va, 0, size);
}

void arch_guest_mem_copy(void *dst, const void *src, size_t size)
{
    memcpy(dst, src, size);
}

/* A flat 4 GiB segment with descriptor attributes attr (APM 4.7, packed as in struct vmcb_seg). */
static struct vmcb_seg flat_seg(uint16_t attr)
{
    return (struct vmcb_seg){.attrib = attr, .limit = 0xffffffffu};
}

/* Attributes: P | S | type, with D/B = 1 and G = 1 (bits 11:8 = 0xc). */
#define SEG_CODE32 0xc9bu /* execute/read, accessed */
#define SEG_DATA32 0xc93u /* read/write, accessed */
#define SEG_TSS32_BUSY 0x08bu
#define SEG_LDT 0x082u
#define X86_CR0_ET (1u << 4)
#define X86_RFLAGS_RES1 (1u << 1)
#define X86_DR6_RESET 0xffff0ff0u
#define X86_DR7_RESET 0x400u

/* Real-mode segments of a vCPU started by a STARTUP IPI (APM vol. 2, 16.5): 64 KiB limit,
 * present, accessed; code execute/read, data read/write. */
#define SEG_CODE16 0x09bu
#define SEG_DATA16 0x093u

void arch_vcpu_reset(struct vcpu *v, gpa_t entry, uint64_t context)
{
    struct partition *p = v->part;
    struct vmcb *vmcb = v->arch.vmcb;
    uint8_t sipi = v->arch.sipi_vector;

    memset(vmcb, 0, PAGE_SIZE);
    memset(&v->arch.gprs, 0, sizeof(v->arch.gprs));
    /* Control area: what is intercepted (file comment), nested paging with the partition's
     * table and ASID, the guest's interrupt flag never masking the host's (V_INTR_MASKING). */
    vmcb->intercept1 = SVM_I1_INTR | SVM_I1_INIT | SVM_I1_CPUID | SVM_I1_INVD | SVM_I1_HLT |
                       SVM_I1_INVLPGA | SVM_I1_IOIO | SVM_I1_MSR | SVM_I1_SHUTDOWN;
    vmcb->intercept2 = SVM_I2_VMRUN | SVM_I2_VMMCALL | SVM_I2_VMLOAD | SVM_I2_VMSAVE | SVM_I2_STGI |
                       SVM_I2_CLGI | SVM_I2_SKINIT | SVM_I2_MONITOR | SVM_I2_MWAIT;
    vmcb->iopm_pa = p->arch.iopm_pa;
    vmcb->msrpm_pa = hpa_val(arch_virt_to_phys(svm_msrpm));
    vmcb->asid = p->arch.asid;
    vmcb->vintr = SVM_VINTR_MASKING;
    vmcb->np_control = SVM_NP_ENABLE;
    vmcb->ncr3 = p->arch.ncr3;
    /* State: the PVH entry (Xen docs/misc/pvh.pandoc): 32-bit protected mode, paging off,
     * flat CS/DS/ES/SS, a busy 32-bit TSS, interrupts off, EBX = start info. EFER.SVME must
     * stay set in the guest's EFER (VMRUN consistency checks, APM 15.5.1); RDMSR hides it. */
    vmcb->cs = flat_seg(SEG_CODE32);
    vmcb->ds = vmcb->es = vmcb->ss = vmcb->fs = vmcb->gs = flat_seg(SEG_DATA32);
    vmcb->tr.attrib = SEG_TSS32_BUSY;
    vmcb->tr.limit = 0x67;
    vmcb->ldtr.attrib = SEG_LDT;
    vmcb->gdtr.limit = 0xffff;
    vmcb->idtr.limit = 0xffff;
    vmcb->cr0 = X86_CR0_PE | X86_CR0_ET;
    vmcb->efer = X86_EFER_SVME;
    vmcb->rflags = X86_RFLAGS_RES1;
    vmcb->dr6 = X86_DR6_RESET;
    vmcb->dr7 = X86_DR7_RESET;
    vmcb->g_pat = X86_PAT_RESET;
    vmcb->rip = gpa_val(entry);
    v->arch.gprs.rbx = context;
    v->arch.decode_key = 0;
    /* The local APIC starts enabled in x2APIC mode, as firmware leaves it (Linux then keeps
     * x2APIC mode, which is the only one virtualized: arch/x86/vapic.c). */
    v->arch.apic_base =
        APIC_BASE_DEFAULT | APIC_BASE_ENABLE | APIC_BASE_EXTD | (v->index == 0 ? APIC_BASE_BSP : 0);
    /* Its virtual local APIC was reset by arch_irq_vcpu_reset() just before. */
    if (v->index == 0 && sipi == 0) {
        memset(&p->arch.vio, 0, sizeof(p->arch.vio)); /* the partition (re)boots */
    }
    v->arch.init_pending = false;
    v->arch.sipi_vector = 0;
    if (sipi != 0) {
        /* A STARTUP IPI: real mode at CS:IP = (vector << 8):0 (APM vol. 2, 16.5), the state
         * after INIT otherwise. */
        vmcb->cs = (struct vmcb_seg){.sel = (uint16_t)(sipi << 8),
                                     .attrib = SEG_CODE16,
                                     .limit = 0xffff,
                                     .base = (uint64_t)sipi << 12};
        vmcb->ds = vmcb->es = vmcb->ss = vmcb->fs = vmcb->gs =
            (struct vmcb_seg){.attrib = SEG_DATA16, .limit = 0xffff};
        vmcb->tr.attrib = SEG_TSS32_BUSY & 0xffu;
        vmcb->cr0 = X86_CR0_ET;
        vmcb->rip = 0;
        v->arch.gprs.rbx = 0;
    }
    /* Differs from the partition's generation: the first VMRUN flushes the ASID. */
    v->arch.tlb_gen = __atomic_load_n(&p->arch.tlb_gen, __ATOMIC_ACQUIRE) - 1;
}

/* Enable SVM on the calling CPU once (APM 15.4): VM_CR.SVMDIS clear, EFER.SVME, HSAVE. */
static void svm_cpu_enable(unsigned int cpu)
{
    if (svm_cpu_ready[cpu]) {
        return;
    }
    if ((x86_rdmsr(X86_MSR_VM_CR) & X86_VM_CR_SVMDIS) != 0) {
        panic("cpu%u: SVM disabled by firmware (VM_CR.SVMDIS)", cpu);
    }
    /* The nested walk uses the host's paging controls (APM 15.25.5): EFER.NXE makes the
     * NX bit of non-executable mappings (shared memory, devices) valid instead of reserved. */
    x86_wrmsr(X86_MSR_EFER, x86_rdmsr(X86_MSR_EFER) | X86_EFER_SVME | X86_EFER_NXE);
    /* The memory types of nested entries index the host's PAT (APM 15.25.8); the NPT format
     * assumes the power-on value (core/mm/pgtable_x86.c), whatever firmware left. */
    x86_wrmsr(X86_MSR_PAT, X86_PAT_RESET);
    x86_wrmsr(X86_MSR_VM_HSAVE_PA, hpa_val(arch_virt_to_phys(svm_hsave[cpu])));
    /* The host's FS/GS/TR/LDTR and MSRs that VMLOAD switches (APM 15.5.2): set once at CPU
     * bring-up (setup.c, traps.c) and never changed, so saved once; svm_entry.S loads them
     * after every #VMEXIT. */
    __asm__ __volatile__("vmsave %%rax" ::"a"(hpa_val(arch_virt_to_phys(svm_host_area[cpu])))
                         : "memory");
    x86_lapic_enable();
    svm_cpu_ready[cpu] = true;
}

/* Advance v's RIP past the intercepted instruction (file comment) or stop the partition. */
static void skip_instruction(struct vcpu *v, unsigned int exitcode)
{
    struct vmcb *vmcb = v->arch.vmcb;
    int len;

    if (svm_nrips && vmcb->nrip != 0) {
        vmcb->rip = vmcb->nrip;
        return;
    }
    len = x86_insn_length(v, exitcode);
    if (len < 0) {
        partition_fault(v, "intercepted instruction the hypervisor cannot decode", exitcode,
                        gpa(vmcb->rip));
    }
    vmcb->rip += (unsigned int)len;
}

/* VMMCALL: Bulkhead hypercall, registers per include/hv/hypercall_abi.h. */
static void exit_vmmcall(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    struct vcpu_gprs *g = &v->arch.gprs;
    struct hypercall hc;

    /* The ABI's arguments RBX, RCX, RDX, RSI, RDI and results RBX..RSI (after RAX) are
     * consecutive in struct vcpu_gprs: copied as blocks (inline, no library call). */
    _Static_assert(offsetof(struct vcpu_gprs, rdi) == offsetof(struct vcpu_gprs, rbx) + 32,
                   "vcpu_gprs order");
    /* Advance first: SYSTEM_RESET and SYSTEM_OFF never come back here. */
    skip_instruction(v, SVM_EXIT_VMMCALL);
    hc.fn = vmcb->rax;
    __builtin_memcpy(hc.arg, &g->rbx, sizeof(hc.arg));
    if (!hypercall_handle(v, &hc)) {
        vmcb->rax = (uint64_t)(int64_t)BH_HC_E_NOT_SUPPORTED;
        return;
    }
    vmcb->rax = hc.ret[0];
    __builtin_memcpy(&g->rbx, &hc.ret[1], sizeof(hc.ret) - sizeof(hc.ret[0]));
}

/* CPUID leaf of the hypervisor (the range 0x40000000-0x400000ff software may probe, as
 * Linux's hypervisor detection does): max leaf, then "BulkheadHV\0\0" in EBX, ECX, EDX. */
#define CPUID_HV_LEAF 0x40000000u
#define CPUID1_ECX_MONITOR (1u << 3)
#define CPUID1_ECX_VMX (1u << 5)
#define CPUID1_ECX_X2APIC (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID1_EDX_MCE (1u << 7)
#define CPUID1_EDX_MTRR (1u << 12)
#define CPUID1_EDX_MCA (1u << 14)
/* Not the partition's: the machine-check architecture's MSRs belong to the physical CPU;
 * the MTRRs too (memory types come from the NPT, docs/x86.md; Linux then skips its MTRR
 * set-up instead of reading MTRRcap, which raises #GP). AMD mirrors these bits in leaf
 * 0x80000001 EDX (APM vol. 3, E.4.2). */
#define CPUID_EDX_HIDDEN (CPUID1_EDX_MCE | CPUID1_EDX_MTRR | CPUID1_EDX_MCA)
#define CPUID1_ECX_HYPERVISOR (1u << 31)

static void exit_cpuid(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    struct vcpu_gprs *g = &v->arch.gprs;
    uint32_t leaf = (uint32_t)vmcb->rax;
    uint32_t r[4];

    if ((leaf & 0xffffff00u) == CPUID_HV_LEAF) {
        r[0] = leaf == CPUID_HV_LEAF ? CPUID_HV_LEAF : 0;
        r[1] = leaf == CPUID_HV_LEAF ? 0x6b6c7542u : 0; /* "Bulk" */
        r[2] = leaf == CPUID_HV_LEAF ? 0x64616568u : 0; /* "head" */
        r[3] = leaf == CPUID_HV_LEAF ? 0x00005648u : 0; /* "HV" */
    } else {
        x86_cpuid(leaf, (uint32_t)g->rcx, r);
    }
    switch (leaf) {
    case 1:
        /* No MONITOR/MWAIT or VMX; x2APIC (its ICR is how a guest starts its vCPUs); a
         * hypervisor is present; the initial APIC id is the vCPU index (APM vol. 3, E.3.2). */
        r[2] = (r[2] & ~(CPUID1_ECX_MONITOR | CPUID1_ECX_VMX)) | CPUID1_ECX_X2APIC |
               CPUID1_ECX_TSC_DEADLINE | CPUID1_ECX_HYPERVISOR;
        r[3] &= ~CPUID_EDX_HIDDEN;
        r[1] = (r[1] & 0x00ffffffu) | v->index << 24;
        break;
    case 0x80000001u:
        r[2] &= ~CPUID_SVM; /* no nested virtualization */
        r[3] &= ~CPUID_EDX_HIDDEN;
        break;
    case 0xbu:
    case 0x1fu:
        /* Extended topology: it names the physical CPU's x2APIC id (EDX), which is not the
         * partition's business; no topology is described yet. */
    case 0x8000000au:
        r[0] = r[1] = r[2] = r[3] = 0;
        break;
    default:
        break;
    }
    vmcb->rax = r[0];
    g->rbx = r[1];
    g->rcx = r[2];
    g->rdx = r[3];
    skip_instruction(v, SVM_EXIT_CPUID);
}

/* AMD's Interrupt Pending Message register (BKDG for family 0fh, MSRC001_0055): read as 0
 * (no C1E); it is the physical CPU's, never accessed. */
#define MSR_K8_INT_PENDING_MSG 0xc0010055u

/* The EFER bits a guest may set (SCE, LME, NXE); LMA is the CPU's, SVME is forced. */
#define EFER_GUEST_BITS (X86_EFER_SCE | X86_EFER_LME | X86_EFER_NXE)

/* Whether every byte of a PAT value is a valid memory type (0, 1, 4, 5, 6, 7; APM 7.8.1). */
static bool pat_valid(uint64_t pat)
{
    for (unsigned int i = 0; i < 8; i++) {
        unsigned int t = (unsigned int)(pat >> (8 * i)) & 0xffu;

        if (t == 2 || t == 3 || t > 7) {
            return false;
        }
    }
    return true;
}

/* The MSRs of SVM itself (VM_CR 0xc0010114 to VM_HSAVE_PA 0xc0010117, APM 15.30): a guest
 * touching them is hostile, not probing. */
#define MSR_SVM_FIRST 0xc0010114u
#define MSR_SVM_LAST 0xc0010117u
/* EVENTINJ of a #GP(0) (APM 15.20): vector 13, type 3 (exception), error code valid. */
#define EVENTINJ_GP0 (UINT64_C(1) << 31 | UINT64_C(1) << 11 | UINT64_C(3) << 8 | 13u)

/* RDMSR / WRMSR of an intercepted MSR: emulate the few a bare guest needs, or fault. */
static void exit_msr(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    struct vcpu_gprs *g = &v->arch.gprs;
    uint32_t msr = (uint32_t)g->rcx;
    bool write = vmcb->exitinfo1 == 1;
    uint64_t val = (vmcb->rax & 0xffffffffu) | g->rdx << 32;
    bool x2apic = x86_vapic_msr(msr) && (v->arch.apic_base & APIC_BASE_EXTD) != 0;
    bool ok = true;
    char what[80];
    int err;

    if (!write) {
        switch (msr) {
        case X86_MSR_EFER:
            val = vmcb->efer & ~X86_EFER_SVME;
            break;
        case X86_MSR_PAT:
            val = vmcb->g_pat;
            break;
        case X86_MSR_TSC:
            val = x86_rdtsc() + vmcb->tsc_offset;
            break;
        case X86_MSR_APIC_BASE:
            val = v->arch.apic_base;
            break;
        case MSR_K8_INT_PENDING_MSG:
            /* C1E not enabled: nothing for the guest to work around (Linux reads it on CPUs
             * with AMD erratum 400, which QEMU's family 0xf model reports). */
            val = 0;
            break;
        default:
            ok = x2apic && x86_vapic_rdmsr(v, msr, &val);
            break;
        }
        if (ok) {
            vmcb->rax = val & 0xffffffffu;
            g->rdx = val >> 32;
        }
    } else {
        switch (msr) {
        case X86_MSR_EFER:
            ok = (val & ~(EFER_GUEST_BITS | X86_EFER_LMA | X86_EFER_SVME)) == 0;
            vmcb->efer = (val & EFER_GUEST_BITS) | (vmcb->efer & X86_EFER_LMA) | X86_EFER_SVME;
            break;
        case X86_MSR_PAT:
            ok = pat_valid(val);
            if (ok) {
                vmcb->g_pat = val;
            }
            break;
        case X86_MSR_APIC_BASE:
            /* Only the switch to x2APIC mode (EXTD with EN) at the default base; BSP is
             * read-only. */
            ok =
                (val & ~APIC_BASE_BSP) == (APIC_BASE_DEFAULT | APIC_BASE_ENABLE | APIC_BASE_EXTD) ||
                (val & ~APIC_BASE_BSP) == (APIC_BASE_DEFAULT | APIC_BASE_ENABLE);
            if (ok) {
                v->arch.apic_base = (val & ~APIC_BASE_BSP) | (v->arch.apic_base & APIC_BASE_BSP);
            }
            break;
        default:
            err = x2apic ? x86_vapic_wrmsr(v, msr, val) : -EINVAL;
            if (err == -EPERM) {
                (void)hv_snprintf(what, sizeof(what),
                                  "IPI (ICR %#llx) outside what the partition may send",
                                  (unsigned long long)val);
                partition_fault(v, what, SVM_EXIT_MSR, gpa(vmcb->rip));
            }
            ok = err == 0;
            break;
        }
    }
    if (!ok && msr >= MSR_SVM_FIRST && msr <= MSR_SVM_LAST) {
        (void)hv_snprintf(what, sizeof(what), "%s of MSR %#x denied", write ? "WRMSR" : "RDMSR",
                          msr);
        partition_fault(v, what, SVM_EXIT_MSR, gpa(vmcb->rip));
    }
    if (!ok) {
        /* Any other MSR the hypervisor does not emulate: #GP(0), as hardware raises for an
         * MSR it does not implement (operating systems probe them, e.g. Linux's rdmsr_safe);
         * the instruction does not complete. */
        vmcb->eventinj = EVENTINJ_GP0;
        return;
    }
    skip_instruction(v, SVM_EXIT_MSR);
}

/* An I/O port outside the partition's IOPM (every allowed port runs without an exit): the
 * legacy platform emulated per partition (arch/x86/vio.c: the virtual console UART of
 * arch/x86/vuart.c among it), or denied. IOIO exits carry the next RIP in EXITINFO2
 * (APM 15.10.2). */
static void exit_ioio(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    uint64_t info = vmcb->exitinfo1;
    unsigned int size = SVM_IOIO_SIZE(info);
    bool in = (info & SVM_IOIO_IN) != 0;
    uint32_t val = (uint32_t)vmcb->rax;
    char what[64];

    /* Plain IN/OUT only: string and REP forms stay denied. */
    if ((info & (SVM_IOIO_STR | SVM_IOIO_REP)) == 0 && (size == 1 || size == 2 || size == 4) &&
        x86_vio_access(v, SVM_IOIO_PORT(info), in, size, &val)) {
        if (in) {
            uint64_t mask = size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;

            vmcb->rax = (vmcb->rax & ~mask) | (val & mask);
        }
        vmcb->rip = vmcb->exitinfo2;
        return;
    }
    (void)hv_snprintf(what, sizeof(what), "%s of I/O port %#x denied", in ? "IN" : "OUT",
                      SVM_IOIO_PORT(info));
    partition_fault(v, what, SVM_EXIT_IOIO, gpa(vmcb->rip));
}

/* A nested page fault: the guest address is outside its map or the access not allowed. */
static __noreturn void exit_npf(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    uint64_t err = vmcb->exitinfo1;
    const char *what;

    if ((err & SVM_NPF_PRESENT) == 0) {
        what = (err & SVM_NPF_FETCH) != 0 ? "instruction fetch outside the partition's memory"
               : (err & SVM_NPF_GUEST_WALK) != 0
                   ? "guest page-table walk outside the partition's memory"
                   : "access outside the partition's memory";
    } else if ((err & SVM_NPF_WRITE) != 0) {
        what = "write to read-only memory";
    } else if ((err & SVM_NPF_FETCH) != 0) {
        what = "instruction fetch from non-executable memory";
    } else {
        what = "nested page fault";
    }
    partition_fault(v, what, SVM_EXIT_NPF, gpa(vmcb->exitinfo2));
}

static void handle_exit(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    unsigned int code = (unsigned int)vmcb->exitcode;

    switch (code) {
    case SVM_EXIT_VMMCALL:
        exit_vmmcall(v);
        return;
    case SVM_EXIT_CPUID:
        exit_cpuid(v);
        return;
    case SVM_EXIT_HLT:
        /* Wait for an interrupt of the virtual local APIC: its timer's deadline arms the
         * physical one; an IPI from a sibling, a doorbell (irq.c) or a stop arrives as the
         * kick; STI's shadow makes "sti; hlt" race-free. Then the stop check runs before
         * the next VMRUN. */
        skip_instruction(v, code);
        if (!x86_vapic_pending(v)) {
            x86_lapic_timer_arm(v->arch.vapic.deadline);
            __asm__ __volatile__("sti; hlt; cli" ::: "memory");
        }
        return;
    case SVM_EXIT_INVD:
        /* INVD would drop dirty lines of other partitions and the hypervisor: the guest gets
         * a write-back instead (WBINVD, APM vol. 3). */
        __asm__ __volatile__("wbinvd" ::: "memory");
        skip_instruction(v, code);
        return;
    case SVM_EXIT_MSR:
        exit_msr(v);
        return;
    case SVM_EXIT_IOIO:
        exit_ioio(v);
        return;
    case SVM_EXIT_VINTR:
        return; /* the guest can take an interrupt now: x86_vapic_prepare() injects it */
    case SVM_EXIT_NPF:
        exit_npf(v);
    case SVM_EXIT_INTR:
        /* A physical interrupt for this CPU (the kick, the LAPIC timer, a device interrupt
         * of the I/O APIC) made the guest exit with it still pending (APM 15.21.2); it is
         * taken through the IDT once svm_entry.S sets GIF again, before this runs: a device's
         * service (x86_irq_handle(): the hypervisor's claim, or an injection into the
         * owning partition) and its EOI are done. The stop check runs next. */
        return;
    default:
        partition_fault(v,
                        code == SVM_EXIT_SHUTDOWN  ? "shutdown (triple fault)"
                        : code == SVM_EXIT_INIT    ? "INIT signal"
                        : code == SVM_EXIT_INVALID ? "VMRUN refused the guest state"
                        : code >= SVM_EXIT_VMRUN && code <= SVM_EXIT_SKINIT
                            ? "SVM instruction"
                            : "unexpected intercept",
                        code, gpa(vmcb->rip));
    }
}

/* The run loop of v on its own CPU, on a fresh stack (arch_vcpu_run). */
static __noreturn void svm_loop(void *arg)
{
    struct vcpu *v = arg;
    struct partition *p = v->part;
    struct vmcb *vmcb = v->arch.vmcb;
    uint64_t host_area = hpa_val(arch_virt_to_phys(svm_host_area[v->cpu]));

    for (;;) {
        uint32_t gen;

        /* Stopped or resetting by another vCPU: park (never returns then). */
        vcpu_check_running(v);
        gen = __atomic_load_n(&p->arch.tlb_gen, __ATOMIC_ACQUIRE);
        vmcb->tlb_control = gen != v->arch.tlb_gen ? 1 : 0;
        v->arch.tlb_gen = gen;
        x86_vapic_prepare(v);
        x86_svm_run(&v->arch.gprs, v->arch.vmcb_pa, host_area);
        handle_exit(v);
    }
}

/* CPUID Fn8000_0001 EDX[27]: RDTSCP and TSC_AUX (APM vol. 3, E.4.2). */
#define CPUID_RDTSCP (1u << 27)

/*
 * RDTSCP is not intercepted (nor RDPID): it returns the guest's TSC (the VMCB's TSC offset)
 * and this CPU's TSC_AUX, which the guest owns (MSRPM) since the CPU is its partition's
 * alone. At every (re)start of v it is set to v's index, as an OS would set it to its CPU
 * number: the guest never sees the physical CPU's value firmware left, nor what it wrote
 * itself before a reset.
 */
static void svm_tsc_aux_reset(const struct vcpu *v)
{
    uint32_t r[4];

    x86_cpuid(0x80000001u, 0, r);
    if ((r[3] & CPUID_RDTSCP) != 0) {
        x86_wrmsr(X86_MSR_TSC_AUX, v->index);
    }
}

void arch_vcpu_run(struct vcpu *v)
{
    unsigned int cpu = arch_cpu_id();

    svm_cpu_enable(cpu);
    svm_tsc_aux_reset(v);
    x86_run_on_stack(v, svm_loop, x86_stack_top(cpu));
}

void arch_cpu_wait(void)
{
    /* No MONITOR/MWAIT relied on: poll politely (QEMU TCG does not sleep anyway, BRIEF §9). */
    __asm__ __volatile__("pause" ::: "memory");
}

void arch_cpu_kick(void)
{
    /* Waiters poll: the store they wait for is visible in program order (APM vol. 2, 7.2). */
    __asm__ __volatile__("" ::: "memory");
}

void arch_guest_dtb_cpu(struct fdt_writer *w, const struct partition *p __unused,
                        unsigned int index __unused)
{
    fdt_write_prop_string(w, "compatible", "x86");
}

void arch_guest_dtb_root(struct fdt_writer *w __unused, const struct partition *p __unused)
{
}

/* Raw x86 images load at 1 MiB (the PVH kernel convention): the low MiB keeps the real-mode
 * structures a later guest may look for. */
#define X86_GUEST_LOAD_OFFSET 0x100000u

uint64_t arch_image_load_offset(const uint8_t *image __unused, size_t size __unused)
{
    return X86_GUEST_LOAD_OFFSET;
}
