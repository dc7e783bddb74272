// SPDX-License-Identifier: Apache-2.0
/*
 * Lengths of intercepted instructions, for CPUs without NRIP-save (QEMU TCG): read the bytes
 * at the guest's CS:RIP through its own paging (AMD64 APM vol. 2, ch. 5: none, 32-bit, PAE,
 * 4-level) and its nested page table (partition_read_guest: only its own readable memory),
 * skip the prefixes (APM vol. 3, 1.2: legacy prefixes, REX in 64-bit mode) and check that the
 * opcode is the one the intercept implies. Anything else (the code changed under the
 * intercept, an unreadable RIP) is reported, and the caller stops the partition.
 */
#include <arch/mm.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/string.h>

#include <asm/cpu.h>

#include "svm.h"

#define X86_MAX_INSN 15u
#define X86_CR4_PSE (1u << 4)
#define PTE_P UINT64_C(1)
#define PTE_PS (UINT64_C(1) << 7)
#define ADDR_MASK UINT64_C(0x000ffffffffff000)
/* CS attribute L (bit 9 of the packed attributes): 64-bit code (APM 4.8.1). */
#define SEG_ATTR_L (1u << 9)

/* Read the 64-bit (or 32-bit when narrow: into the low half, x86 being little-endian)
 * paging entry at gpa. */
static int read_entry(struct partition *p, uint64_t addr, bool narrow, uint64_t *e)
{
    *e = 0;
    return partition_read_guest(p, gpa(addr), e, narrow ? 4 : 8);
}

/* Guest physical address of linear address la under the vCPU's paging mode. */
static int translate(struct vcpu *v, uint64_t la, uint64_t *out)
{
    const struct vmcb *vmcb = v->arch.vmcb;
    struct partition *p = v->part;
    uint64_t e, table = vmcb->cr3 & ADDR_MASK;
    unsigned int levels, shift;
    bool narrow = false;

    if ((vmcb->cr0 & X86_CR0_PG) == 0) {
        *out = la;
        return 0;
    }
    if ((vmcb->efer & X86_EFER_LMA) != 0) {
        levels = 4;
    } else if ((vmcb->cr4 & X86_CR4_PAE) != 0) {
        /* PAE: the four PDPTEs at CR3[31:5] (APM 5.3.2) are a third level, which the bits
         * 31:30 of a 32-bit linear address index. */
        table = vmcb->cr3 & 0xffffffe0u;
        levels = 3;
    } else {
        table = vmcb->cr3 & 0xfffff000u;
        narrow = true;
        levels = 2;
    }
    for (unsigned int l = levels; l-- > 0;) {
        unsigned int bits = narrow ? 10 : 9;

        shift = 12 + bits * l;
        if (read_entry(p, table + ((la >> shift) & ((1u << bits) - 1)) * (narrow ? 4 : 8), narrow,
                       &e) != 0 ||
            (e & PTE_P) == 0) {
            return -EFAULT;
        }
        if (l == 0 || ((e & PTE_PS) != 0 && (!narrow || (vmcb->cr4 & X86_CR4_PSE) != 0))) {
            uint64_t size = UINT64_C(1) << shift;
            uint64_t base = narrow && l != 0 ? (e & 0xffc00000u) : (e & ADDR_MASK & ~(size - 1));

            *out = base | (la & (size - 1));
            return 0;
        }
        table = e & (narrow ? 0xfffff000u : ADDR_MASK);
    }
    return -EFAULT;
}

/* The opcode bytes each intercept that advances RIP implies (APM vol. 3, ch. 3 and 4). */
static unsigned int expected_opcode(const struct vcpu *v, unsigned int exitcode, uint8_t op[3])
{
    const struct vmcb *vmcb = v->arch.vmcb;

    switch (exitcode) {
    case SVM_EXIT_VMMCALL:
        op[0] = 0x0f, op[1] = 0x01, op[2] = 0xd9;
        return 3;
    case SVM_EXIT_CPUID:
        op[0] = 0x0f, op[1] = 0xa2;
        return 2;
    case SVM_EXIT_HLT:
        op[0] = 0xf4;
        return 1;
    case SVM_EXIT_INVD:
        op[0] = 0x0f, op[1] = 0x08;
        return 2;
    case SVM_EXIT_MSR:
        op[0] = 0x0f, op[1] = vmcb->exitinfo1 == 1 ? 0x30 : 0x32; /* WRMSR : RDMSR */
        return 2;
    default:
        return 0;
    }
}

static bool is_legacy_prefix(uint8_t b)
{
    switch (b) {
    case 0x26:
    case 0x2e:
    case 0x36:
    case 0x3e:
    case 0x64:
    case 0x65: /* segment overrides */
    case 0x66:
    case 0x67: /* operand, address size */
    case 0xf0:
    case 0xf2:
    case 0xf3: /* LOCK, REPNE, REP */
        return true;
    default:
        return false;
    }
}

/*
 * The paging state a cached code-page translation depends on: CR3 with the paging controls
 * in its low bits, bit 4 always set so that 0 means "empty".
 */
static uint64_t paging_key(const struct vmcb *vmcb)
{
    return (vmcb->cr3 & ADDR_MASK) | ((vmcb->cr0 & X86_CR0_PG) != 0 ? 1u : 0) |
           ((vmcb->cr4 & X86_CR4_PAE) != 0 ? 2u : 0) | ((vmcb->efer & X86_EFER_LMA) != 0 ? 4u : 0) |
           ((vmcb->cr4 & X86_CR4_PSE) != 0 ? 8u : 0) | 16u;
}

/*
 * The hypervisor's pointer to the code page at linear address la (page aligned) of v:
 * translated through the guest's paging, then its NPT (readable RAM only, never device
 * memory). A one-entry cache per vCPU keeps the last page: intercepts come from the same few
 * code pages over and over, and a walk costs several guest reads. It stays valid while the
 * paging state (key) and the partition's NPT generation are unchanged: an unmap bumps the
 * generation, and partition RAM is never given to anyone else, so the page read is always
 * the partition's own. Like a TLB entry it may outlive a change of the guest's page tables
 * that the guest does not follow by a CR3 write; the opcode is still checked, so the worst a
 * stale entry does is stop that partition ("cannot decode").
 */
static const uint8_t *code_page(struct vcpu *v, uint64_t la)
{
    struct partition *p = v->part;
    uint64_t key = paging_key(v->arch.vmcb), pa;
    uint32_t gen = __atomic_load_n(&p->arch.tlb_gen, __ATOMIC_ACQUIRE);
    struct pt_attrs attrs;
    const uint8_t *va = NULL;
    hpa_t host;

    if (v->arch.decode_key == key && v->arch.decode_la == la && v->arch.decode_gen == gen) {
        return v->arch.decode_va;
    }
    if (translate(v, la, &pa) != 0) {
        return NULL;
    }
    spin_lock(&p->lock);
    if (pt_lookup(&p->stage2, pa, &host, &attrs, NULL) == 0 && attrs.r &&
        attrs.type != PT_MEM_DEVICE) {
        va = arch_phys_to_virt(host, PAGE_SIZE);
    }
    spin_unlock(&p->lock);
    if (va != NULL) {
        v->arch.decode_key = key;
        v->arch.decode_la = la;
        v->arch.decode_va = va;
        v->arch.decode_gen = gen;
    }
    return va;
}

int x86_insn_length(struct vcpu *v, unsigned int exitcode)
{
    const struct vmcb *vmcb = v->arch.vmcb;
    bool long64 = (vmcb->efer & X86_EFER_LMA) != 0 && (vmcb->cs.attrib & SEG_ATTR_L) != 0;
    uint64_t rip = vmcb->rip;
    uint8_t op[3], buf[X86_MAX_INSN];
    unsigned int oplen = expected_opcode(v, exitcode, op);
    unsigned int n = 0, have = 0, matched = 0;

    if (oplen == 0) {
        return -EINVAL;
    }
    while (n < X86_MAX_INSN) {
        uint8_t b;

        if (n == have) {
            /* Fetch up to the end of this code page (the next one only if still needed). */
            uint64_t la = long64 ? rip + n : (vmcb->cs.base + rip + n) & 0xffffffffu;
            unsigned int off = (unsigned int)(la & (PAGE_SIZE - 1));
            unsigned int len = (unsigned int)PAGE_SIZE - off;
            const uint8_t *page = code_page(v, la - off);

            if (page == NULL) {
                return -EFAULT;
            }
            len = len < X86_MAX_INSN - n ? len : X86_MAX_INSN - n;
            memcpy(buf + n, page + off, len);
            have += len;
        }
        b = buf[n++];
        if (matched == 0 && (is_legacy_prefix(b) || (long64 && (b & 0xf0u) == 0x40u))) {
            continue;
        }
        if (b != op[matched]) {
            return -EINVAL;
        }
        if (++matched == oplen) {
            return (int)n;
        }
    }
    return -EINVAL;
}
