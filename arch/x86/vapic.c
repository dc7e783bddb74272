// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual local APIC of an x86 vCPU, x2APIC mode only (Intel SDM vol. 3A, 11.12; AMD APM
 * vol. 2, 16.11): every x2APIC MSR (0x800-0x8ff) and IA32_TSC_DEADLINE is intercepted through
 * the MSR bitmap and emulated here (struct x86_vapic), so a guest never programs its CPU's
 * physical local APIC: it cannot change its APIC id or mode, and an IPI it sends can only
 * reach a vCPU of its own partition (the destination is a vCPU index, translated by the
 * hypervisor, never a physical APIC id).
 *
 *   - IPIs: fixed and NMI, physical destination = vCPU index, or the self / all-including-self
 *     / all-excluding-self shorthands, all within the partition; INIT and STARTUP start a
 *     sibling (the guest's own SMP bring-up). Logical destinations, lowest priority, SMI and
 *     a destination outside the partition stop the partition (the FADT asks for physical
 *     destination mode, arch/x86/guest_acpi.c).
 *   - Timer: one-shot, periodic (counting at the TSC rate divided by the divide
 *     configuration) and TSC-deadline (CPUID 1 ECX[24] is shown). Its deadline arms the
 *     physical local APIC timer of the vCPU's own CPU (which the partition owns
 *     exclusively) with the hypervisor's kick vector: the expiry makes the guest exit, and
 *     the run loop then sets the timer vector in the virtual IRR.
 *   - Delivery: before each VMRUN the highest requested vector above the processor priority
 *     is injected (VMCB EVENTINJ) when the guest can take it (RFLAGS.IF, no interrupt
 *     shadow); otherwise a virtual interrupt request (V_IRQ with the VINTR intercept) makes
 *     the guest exit as soon as it can (APM 15.21). EOI clears the highest in-service vector.
 *     Every interrupt of the guest takes this path: its IPIs, its timer and the hypervisor's
 *     virtual devices (doorbells, arch/x86/irq.c). Until the guest enables its local APIC
 *     (SVR bit 8) a delivered vector does not enter service (no EOI expected), so
 *     bare-metal guests take doorbells through their own IDT gate alone.
 */
#include <arch/irq.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/string.h>

#include "svm.h"
#include "x86.h"

#define X2APIC_MSR_FIRST 0x800u
#define X2APIC_MSR_LAST 0x8ffu
#define MSR_TSC_DEADLINE 0x6e0u
#define X2APIC_ID 0x802u
#define X2APIC_VERSION 0x803u
#define X2APIC_TPR 0x808u
#define X2APIC_PPR 0x80au
#define X2APIC_EOI 0x80bu
#define X2APIC_LDR 0x80du
#define X2APIC_SVR 0x80fu
#define X2APIC_ISR0 0x810u
#define X2APIC_TMR0 0x818u
#define X2APIC_IRR0 0x820u
#define X2APIC_ESR 0x828u
#define X2APIC_LVT_CMCI 0x82fu
#define X2APIC_ICR 0x830u
#define X2APIC_LVT_TIMER 0x832u
#define X2APIC_LVT_ERROR 0x837u
#define X2APIC_TMICT 0x838u
#define X2APIC_TMCCT 0x839u
#define X2APIC_TDCR 0x83eu
#define X2APIC_SELF_IPI 0x83fu
/* Version: integrated APIC (0x14), MaxLVT 6 (seven entries with CMCI), no EOI suppression. */
#define VAPIC_VERSION 0x60014u
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_MODE(l) (((l) >> 17) & 3u)
#define LVT_TIMER_PERIODIC 1u
#define LVT_TIMER_TSC_DEADLINE 2u
#define LVT_RESET LVT_MASKED
#define SVR_RESET 0xffu
#define SVR_ENABLE (1u << 8)
/* ICR (x2APIC: one 64-bit MSR): vector 7:0, delivery mode 10:8, destination mode 11
 * (logical), level 14, shorthand 19:18, destination 63:32. */
#define ICR_VECTOR(icr) ((uint8_t)(icr))
#define ICR_MODE(icr) (((icr) >> 8) & 7u)
#define ICR_LOGICAL (UINT64_C(1) << 11)
#define ICR_LEVEL_ASSERT (UINT64_C(1) << 14)
#define ICR_SHORTHAND(icr) (((icr) >> 18) & 3u)
#define ICR_DEST(icr) ((icr) >> 32)
#define ICR_MODE_FIXED 0u
#define ICR_MODE_NMI 4u
#define ICR_MODE_INIT 5u
#define ICR_MODE_STARTUP 6u
#define ICR_SH_NONE 0u
#define ICR_SH_SELF 1u
#define ICR_SH_ALL 2u
#define ICR_SH_OTHERS 3u
/* VMCB EVENTINJ (APM 15.20): vector 7:0, type 10:8, valid 31. */
#define EVENTINJ_VALID (UINT64_C(1) << 31)
#define EVENTINJ_TYPE_INTR (UINT64_C(0) << 8)
#define EVENTINJ_TYPE_NMI (UINT64_C(2) << 8)
#define RFLAGS_IF (UINT64_C(1) << 9)
/* VMCB V_INTR (svm.h): V_IRQ with the highest priority, ignoring the guest's TPR. */
#define VINTR_REQUEST (SVM_VINTR_V_IRQ | SVM_VINTR_PRIO_MASK | SVM_VINTR_IGN_TPR)

void arch_irq_vcpu_reset(struct vcpu *v)
{
    /* Requests and in-service vectors, the timer: all of the virtual local APIC (before
     * arch_vcpu_reset()). */
    struct x86_vapic *a = &v->arch.vapic;

    memset(a, 0, sizeof(*a));
    a->svr = SVR_RESET;
    for (unsigned int i = 0; i < ARRAY_SIZE(a->lvt); i++) {
        a->lvt[i] = LVT_RESET;
    }
}

bool x86_vapic_request(struct vcpu *t, uint8_t vec)
{
    uint32_t bit = 1u << (vec % 32);
    /* Any CPU (atomic: t's own CPU may deliver it meanwhile). The hint follows the bit, so
     * a CPU that clears the hint and then scans irr sees the bit (x86_vapic_prepare()). */
    bool fresh =
        (__atomic_fetch_or(&t->arch.vapic.irr[vec / 32], bit, __ATOMIC_ACQ_REL) & bit) == 0;
    __atomic_store_n(&t->arch.vapic.irr_hint, true, __ATOMIC_SEQ_CST);
    return fresh;
}

/* Highest set vector of a 256-bit map, or -1. */
static int highest(const uint32_t *map)
{
    for (int w = 7; w >= 0; w--) {
        uint32_t bits = __atomic_load_n(&map[w], __ATOMIC_ACQUIRE);

        if (bits != 0) {
            return w * 32 + 31 - __builtin_clz(bits);
        }
    }
    return -1;
}

/* Processor priority (SDM 11.8.3.1): the higher class of TPR and the highest in service. */
static uint32_t vapic_ppr(const struct x86_vapic *a)
{
    int isr = highest(a->isr);
    uint32_t isrv = isr < 0 ? 0 : (uint32_t)isr;

    return (a->tpr & 0xf0u) >= (isrv & 0xf0u) ? a->tpr : (isrv & 0xf0u);
}

/* The vector to deliver next, or -1. */
static int vapic_deliverable(const struct x86_vapic *a)
{
    int irr = highest(a->irr);

    if (irr < 0 || ((uint32_t)irr & 0xf0u) <= (vapic_ppr(a) & 0xf0u)) {
        return -1;
    }
    return irr;
}

static uint64_t tdcr_divisor(uint32_t tdcr)
{
    uint32_t v = (tdcr & 3u) | ((tdcr >> 1) & 4u);

    return v == 7 ? 1 : UINT64_C(2) << v;
}

/* Expire the timer if its deadline passed: request its vector, re-arm a periodic one. */
static void vapic_timer_check(struct vcpu *v)
{
    struct x86_vapic *a = &v->arch.vapic;
    uint32_t lvt = a->lvt[1];
    uint64_t now;

    if (a->deadline == 0) {
        return; /* no timer: no TSC read on every exit */
    }
    now = x86_rdtsc();
    if (now < a->deadline) {
        return;
    }
    if ((lvt & LVT_MASKED) == 0) {
        (void)x86_vapic_request(v, (uint8_t)lvt);
    }
    if (LVT_TIMER_MODE(lvt) == LVT_TIMER_PERIODIC && a->period != 0) {
        a->deadline += a->period;
        if (a->deadline <= now) {
            a->deadline = now + a->period;
        }
    } else {
        a->deadline = 0;
    }
}

/* A vector or an NMI requested (any CPU). */
bool arch_irq_pending(const struct vcpu *v)
{
    const struct x86_vapic *a = &v->arch.vapic;

    return highest(a->irr) >= 0 || __atomic_load_n(&a->nmi_pending, __ATOMIC_ACQUIRE);
}

/* Whether the guest enabled its local APIC (x2APIC mode, SVR bit 8, SDM 11.4.7.2): it then
 * completes each interrupt with an EOI. A guest that never did (the bare-metal test guests,
 * which take doorbells through their own IDT gate) gets every interrupt without one, and its
 * in-service state stays empty. */
static bool vapic_enabled(const struct vcpu *v)
{
    return (v->arch.apic_base & APIC_BASE_EXTD) != 0 && (v->arch.vapic.svr & SVR_ENABLE) != 0;
}

bool x86_vapic_pending(struct vcpu *v)
{
    vapic_timer_check(v);
    return vapic_deliverable(&v->arch.vapic) >= 0 || v->arch.vapic.nmi_pending;
}

/* x86_vapic_prepare() with something to do; out of line, so that the common exit saves no
 * registers. */
static __attribute__((noinline)) void vapic_deliver(struct vcpu *v)
{
    struct x86_vapic *a = &v->arch.vapic;
    struct vmcb *vmcb = v->arch.vmcb;
    int vec;

    /* The physical timer follows the virtual one. It is armed again when the deadline moved
     * or when the kick vector was taken since it was armed (it may have expired, early or
     * not: any expiry is taken through that vector); otherwise it still counts towards the
     * same deadline. */
    if (a->deadline != 0 || a->timer_armed != 0) {
        vapic_timer_check(v);
        if (a->deadline != a->timer_armed || x86_kicked[v->cpu]) {
            x86_kicked[v->cpu] = false;
            x86_lapic_timer_arm(a->deadline);
            a->timer_armed = a->deadline;
        }
    }
    /* A virtual interrupt request of the last VMRUN (V_IRQ with its intercept, below) is
     * withdrawn and decided again (APM 15.21.4). */
    vmcb->vintr &= ~VINTR_REQUEST;
    vmcb->intercept1 &= ~SVM_I1_VINTR;
    /* An event whose delivery the #VMEXIT interrupted is delivered again first (APM 15.7.2). */
    if ((vmcb->exitintinfo & EVENTINJ_VALID) != 0) {
        vmcb->eventinj = vmcb->exitintinfo;
        vmcb->exitintinfo = 0;
        return;
    }
    if ((vmcb->eventinj & EVENTINJ_VALID) != 0) {
        return;
    }
    if (a->nmi_pending) {
        a->nmi_pending = false;
        vmcb->eventinj = EVENTINJ_VALID | EVENTINJ_TYPE_NMI | 2u;
        return;
    }
    /* No request since irr was last seen empty: nothing to scan (the common exit). The
     * exchange is a full barrier, so a request after it is seen by the scan below or sets
     * the hint again. */
    if (!__atomic_exchange_n(&a->irr_hint, false, __ATOMIC_SEQ_CST)) {
        return;
    }
    vec = vapic_deliverable(a);
    if (vec >= 0 && ((vmcb->rflags & RFLAGS_IF) == 0 || (vmcb->int_shadow & 1u) != 0)) {
        /* Exit as soon as the guest can take an interrupt. */
        vmcb->vintr |= VINTR_REQUEST;
        vmcb->intercept1 |= SVM_I1_VINTR;
    } else if (vec >= 0) {
        __atomic_fetch_and(&a->irr[vec / 32], ~(1u << (vec % 32)), __ATOMIC_ACQ_REL);
        if (vapic_enabled(v)) {
            a->isr[vec / 32] |= 1u << (vec % 32);
        }
        vmcb->eventinj = EVENTINJ_VALID | EVENTINJ_TYPE_INTR | (uint64_t)vec;
    }
    /* Vectors left behind (masked by priority, or more than one): look again next time. */
    if (highest(a->irr) >= 0) {
        __atomic_store_n(&a->irr_hint, true, __ATOMIC_RELEASE);
    }
}

void x86_vapic_prepare(struct vcpu *v)
{
    const struct x86_vapic *a = &v->arch.vapic;
    const struct vmcb *vmcb = v->arch.vmcb;

    /* Most exits have nothing to do here: no timer, no virtual interrupt request made, no
     * event to deliver again, no request. The hint is read without the exchange: a request
     * after this read kicks the CPU (or is its own), and the kick, pending at VMRUN, makes the
     * guest exit at once (INTR intercept, APM 15.21.4). */
    if (a->deadline == 0 && a->timer_armed == 0 && (vmcb->intercept1 & SVM_I1_VINTR) == 0 &&
        (vmcb->exitintinfo & EVENTINJ_VALID) == 0 && !a->nmi_pending &&
        !__atomic_load_n(&a->irr_hint, __ATOMIC_RELAXED)) {
        return;
    }
    vapic_deliver(v);
}

/* Deliver a fixed or NMI IPI to vCPU t of the partition and make it notice. */
static void vapic_send(struct vcpu *v, struct vcpu *t, unsigned int mode, uint8_t vec)
{
    if (mode == ICR_MODE_NMI) {
        __atomic_store_n(&t->arch.vapic.nmi_pending, true, __ATOMIC_RELEASE);
    } else {
        (void)x86_vapic_request(t, vec);
    }
    if (t != v) {
        arch_irq_kick(t);
    }
}

/* INIT / STARTUP to vCPU t (index dest): the guest's SMP bring-up, as on hardware. */
static void vapic_init_sipi(struct vcpu *v, struct vcpu *t, unsigned int dest, uint64_t icr)
{
    if (ICR_MODE(icr) == ICR_MODE_INIT) {
        /* INIT de-assert (level 0) is a no-op for xAPICs and later (Intel SDM 11.6.1). */
        if ((icr & ICR_LEVEL_ASSERT) != 0) {
            t->arch.init_pending = true;
        }
        return;
    }
    /* STARTUP: only after an INIT, only to a vCPU that is off, at a page the partition can
     * execute (vcpu_start checks the entry); a second SIPI while it starts is ignored, as a
     * CPU that has left wait-for-SIPI ignores it. */
    if (!t->arch.init_pending || ICR_VECTOR(icr) == 0 || vcpu_state(t) != VCPU_OFF) {
        return;
    }
    t->arch.init_pending = false;
    t->arch.sipi_vector = ICR_VECTOR(icr);
    if (vcpu_start(v, dest, gpa((uint64_t)ICR_VECTOR(icr) << 12), 0) != 0) {
        t->arch.sipi_vector = 0;
    }
}

/* A write of the ICR: false when the IPI is outside what the partition may send. */
static bool vapic_icr(struct vcpu *v, uint64_t icr)
{
    struct partition *p = v->part;
    unsigned int mode = ICR_MODE(icr), sh = ICR_SHORTHAND(icr);
    uint64_t dest = ICR_DEST(icr);

    if (mode == ICR_MODE_INIT || mode == ICR_MODE_STARTUP) {
        if (sh != ICR_SH_NONE || (icr & ICR_LOGICAL) != 0 || dest >= p->nr_vcpus ||
            dest == v->index) {
            return false;
        }
        vapic_init_sipi(v, &p->vcpus[dest], (unsigned int)dest, icr);
        return true;
    }
    if ((mode != ICR_MODE_FIXED && mode != ICR_MODE_NMI) ||
        (mode == ICR_MODE_FIXED && ICR_VECTOR(icr) < 16) ||
        (sh == ICR_SH_NONE && ((icr & ICR_LOGICAL) != 0 || dest >= p->nr_vcpus))) {
        return false;
    }
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        bool self = i == v->index;

        if ((sh == ICR_SH_NONE && i == dest) || (sh == ICR_SH_SELF && self) || sh == ICR_SH_ALL ||
            (sh == ICR_SH_OTHERS && !self)) {
            vapic_send(v, &p->vcpus[i], mode, ICR_VECTOR(icr));
        }
    }
    return true;
}

/* Start the one-shot or periodic count of TMICT at the TSC rate / divisor. */
static void vapic_timer_start(struct x86_vapic *a)
{
    uint64_t ticks = (uint64_t)a->tmict * tdcr_divisor(a->tdcr);

    a->tmict_tsc = x86_rdtsc();
    a->period = LVT_TIMER_MODE(a->lvt[1]) == LVT_TIMER_PERIODIC ? ticks : 0;
    a->deadline = a->tmict == 0 ? 0 : a->tmict_tsc + ticks;
}

static uint32_t vapic_tmcct(const struct x86_vapic *a)
{
    uint64_t now = x86_rdtsc();

    if (a->deadline == 0 || LVT_TIMER_MODE(a->lvt[1]) == LVT_TIMER_TSC_DEADLINE ||
        now >= a->deadline) {
        return 0;
    }
    return (uint32_t)((a->deadline - now) / tdcr_divisor(a->tdcr));
}

bool x86_vapic_msr(uint32_t msr)
{
    return (msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST) || msr == MSR_TSC_DEADLINE;
}

bool x86_vapic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    struct x86_vapic *a = &v->arch.vapic;

    switch (msr) {
    case MSR_TSC_DEADLINE:
        *val = LVT_TIMER_MODE(a->lvt[1]) == LVT_TIMER_TSC_DEADLINE ? a->deadline : 0;
        return true;
    case X2APIC_ID:
        *val = v->index;
        return true;
    case X2APIC_VERSION:
        *val = VAPIC_VERSION;
        return true;
    case X2APIC_TPR:
        *val = a->tpr;
        return true;
    case X2APIC_PPR:
        *val = vapic_ppr(a);
        return true;
    case X2APIC_LDR:
        /* x2APIC logical id (SDM 11.12.10.2), derived from the vCPU index. */
        *val = (v->index >> 4) << 16 | 1u << (v->index & 15u);
        return true;
    case X2APIC_SVR:
        *val = a->svr;
        return true;
    case X2APIC_LVT_CMCI:
        *val = a->lvt[0];
        return true;
    case X2APIC_TMICT:
        *val = a->tmict;
        return true;
    case X2APIC_TMCCT:
        *val = vapic_tmcct(a);
        return true;
    case X2APIC_TDCR:
        *val = a->tdcr;
        return true;
    default:
        break;
    }
    if (msr >= X2APIC_ISR0 && msr < X2APIC_ISR0 + 8) {
        *val = a->isr[msr - X2APIC_ISR0];
    } else if ((msr >= X2APIC_TMR0 && msr < X2APIC_TMR0 + 8) || msr == X2APIC_ESR) {
        *val = 0; /* every interrupt is edge-triggered; no error is ever recorded */
    } else if (msr >= X2APIC_IRR0 && msr < X2APIC_IRR0 + 8) {
        *val = __atomic_load_n(&a->irr[msr - X2APIC_IRR0], __ATOMIC_ACQUIRE);
    } else if (msr >= X2APIC_LVT_TIMER && msr <= X2APIC_LVT_ERROR) {
        *val = a->lvt[1 + msr - X2APIC_LVT_TIMER];
    } else {
        return false;
    }
    return true;
}

int x86_vapic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    struct x86_vapic *a = &v->arch.vapic;
    int isr;

    switch (msr) {
    case MSR_TSC_DEADLINE:
        /* Ignored outside TSC-deadline mode (SDM 11.5.4.1); 0 disarms. */
        if (LVT_TIMER_MODE(a->lvt[1]) == LVT_TIMER_TSC_DEADLINE) {
            a->deadline = val;
        }
        return 0;
    case X2APIC_TPR:
        a->tpr = (uint32_t)val & 0xffu;
        return 0;
    case X2APIC_EOI:
        isr = highest(a->isr);
        if (isr >= 0) {
            a->isr[isr / 32] &= ~(1u << (isr % 32));
        }
        return 0;
    case X2APIC_SVR:
        a->svr = (uint32_t)val & 0x1fffu;
        return 0;
    case X2APIC_ESR:
        return 0; /* clears the errors: there are none */
    case X2APIC_LVT_CMCI:
        a->lvt[0] = (uint32_t)val;
        return 0;
    case X2APIC_ICR:
        return vapic_icr(v, val) ? 0 : -EPERM;
    case X2APIC_TMICT:
        a->tmict = (uint32_t)val;
        if (LVT_TIMER_MODE(a->lvt[1]) != LVT_TIMER_TSC_DEADLINE) {
            vapic_timer_start(a);
        }
        return 0;
    case X2APIC_TDCR:
        a->tdcr = (uint32_t)val & 0xbu;
        return 0;
    case X2APIC_SELF_IPI:
        if ((uint8_t)val < 16) {
            return -EPERM;
        }
        (void)x86_vapic_request(v, (uint8_t)val);
        return 0;
    default:
        break;
    }
    if (msr >= X2APIC_LVT_TIMER && msr <= X2APIC_LVT_ERROR) {
        /* A change of the timer's mode disarms it (SDM 11.5.4.1). */
        if (msr == X2APIC_LVT_TIMER && LVT_TIMER_MODE((uint32_t)val) != LVT_TIMER_MODE(a->lvt[1])) {
            a->deadline = 0;
            a->period = 0;
        }
        a->lvt[1 + msr - X2APIC_LVT_TIMER] = (uint32_t)val;
        return 0;
    }
    return -EINVAL; /* read-only or reserved */
}
