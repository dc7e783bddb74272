// SPDX-License-Identifier: Apache-2.0
/*
 * x86 half of the interrupt contract (include/arch/irq.h). The guest-facing local APIC is
 * not emulated here (docs/x86.md): device interrupts cannot be routed to a partition yet,
 * routing fails with the contract's errors, and configurations naming device interrupts are
 * refused at setup. What works:
 *  - the kick: the CPU of a running vCPU leaves the guest (INTR intercept, arch/x86/svm.c)
 *    so it notices a stop or reset of its partition;
 *  - virtual interrupts of the hypervisor's virtual devices (doorbells): each is a guest IDT
 *    vector reserved per partition and named in its guest DTB as <vector sense>;
 *    arch_irq_inject() requests it in the vCPU's virtual local APIC (arch/x86/vapic.c), the
 *    one path every interrupt of a guest takes: its IRR, set atomically by any CPU, is
 *    delivered by the vCPU's own CPU before VMRUN (x86_vapic_prepare()). A request of a
 *    vector already requested merges with it, as on a local APIC. A vCPU whose guest never
 *    enabled its local APIC (bare-metal guests) takes them without an end of interrupt.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <hv/errno.h>
#include <hv/partition.h>

#include "svm.h"
#include "x86.h"

/* ISA-style specifiers <irq sense> (the board's ISA devices, when they name interrupts); a
 * virtual interrupt's is <vector sense>, sense as in the DT interrupt bindings (1: edge
 * rising, 4: level high). */
#define X86_IRQ_DT_CELLS 2
#define X86_IRQ_SENSE_EDGE 1u
#define X86_IRQ_SENSE_LEVEL 4u

/* Guest vectors for virtual devices: 0x20..0xef (0-31 are exceptions, APM vol. 2, 8.2; the
 * top 16 are left to a guest's own IPIs and timer), handed out from the top down. */
#define X86_VIRQ_FIRST 0x20u
#define X86_VIRQ_LAST 0xefu

static bool virq_bit(const uint64_t *map, uint32_t vec)
{
    return (__atomic_load_n(&map[vec / 64], __ATOMIC_ACQUIRE) >> (vec % 64)) & 1;
}

int arch_irq_from_dt(const uint32_t *cells, unsigned int cells_count, uint32_t *irq)
{
    (void)cells;
    (void)cells_count;
    (void)irq;
    return -EINVAL; /* nothing is routable to a partition yet */
}

unsigned int arch_irq_dt_cells(void)
{
    return X86_IRQ_DT_CELLS;
}

uint32_t arch_irq_guest_phandle(const struct partition *p)
{
    (void)p;
    return 0;
}

int arch_irq_virtual_alloc(struct partition *p, bool edge, uint32_t *virq, uint32_t *cells)
{
    uint32_t vec;

    if (p->arch.virq_count > X86_VIRQ_LAST - X86_VIRQ_FIRST) {
        return -ENOSPC;
    }
    vec = X86_VIRQ_LAST - p->arch.virq_count++;
    p->arch.virq_owned[vec / 64] |= UINT64_C(1) << (vec % 64);
    *virq = vec;
    cells[0] = vec;
    cells[1] = edge ? X86_IRQ_SENSE_EDGE : X86_IRQ_SENSE_LEVEL;
    return 0;
}

int arch_irq_raise(struct partition *p, uint32_t virq)
{
    if (virq > 0xff || !virq_bit(p->arch.virq_owned, virq)) {
        return -EPERM;
    }
    /* No virtual controller to route it elsewhere: vCPU 0. */
    return arch_irq_inject(&p->vcpus[0], virq);
}

int arch_irq_route(struct partition *p, uint32_t irq)
{
    (void)p;
    (void)irq;
    return -ENODEV;
}

void arch_irq_release(struct partition *p)
{
    (void)p; /* nothing was routed */
}

int arch_irq_mask(struct partition *p, uint32_t irq, bool masked)
{
    (void)p;
    (void)irq;
    (void)masked;
    return -EPERM;
}

int arch_irq_inject(struct vcpu *v, uint32_t virq)
{
    if (virq < X86_VIRQ_FIRST || virq > 0xff) {
        return -EINVAL;
    }
    /* Already requested and not yet delivered: merged, no second kick. Otherwise its CPU
     * delivers it before its next VMRUN; one in the guest must exit for that. */
    if (x86_vapic_request(v, (uint8_t)virq)) {
        arch_irq_kick(v);
    }
    return 0;
}

bool arch_irq_pending(const struct vcpu *v)
{
    return x86_vapic_requested(v);
}

void arch_irq_kick(const struct vcpu *v)
{
    /* The kick IPI makes a CPU in the guest exit (INTR intercept); on a CPU in the
     * hypervisor it stays pending until its next VMRUN, which then exits at once. The caller
     * already changed what the vCPU will see. */
    if (v->cpu != UINT32_MAX && v->cpu != arch_cpu_id()) {
        x86_kick_cpu(v->cpu);
    }
}

void arch_irq_vcpu_reset(struct vcpu *v)
{
    /* Requests and in-service vectors, the timer: all of the virtual local APIC. */
    x86_vapic_reset(v);
}

/* The hypervisor claims no interrupt on x86 yet (no I/O APIC driver): console input stays
 * polled by a CPU the configuration leaves free (include/hv/console_input.h). */
int arch_irq_claim(uint32_t irq, bool edge, unsigned int cpu, arch_irq_handler_fn fn, void *arg)
{
    (void)irq;
    (void)edge;
    (void)cpu;
    (void)fn;
    (void)arg;
    return -ENODEV;
}

int arch_irq_claim_cpu(uint32_t irq, unsigned int cpu)
{
    (void)irq;
    (void)cpu;
    return -EPERM; /* nothing is claimed */
}

void arch_irq_service(void)
{
    /* Nothing claimed: nothing to run. */
}
