// SPDX-License-Identifier: Apache-2.0
/*
 * x86 half of the interrupt contract (include/arch/irq.h). Interrupt virtualization (a
 * virtual local APIC per vCPU, IOAPIC pins or MSIs of passed-through devices) is not built
 * yet (docs/x86.md, "Not yet"): a partition has no interrupt controller, so no device
 * interrupt can be routed to it and no virtual interrupt injected; routing and injection
 * fail with the contract's errors, and configurations naming device interrupts are refused
 * at setup. What works is the kick: the CPU of a running vCPU leaves the guest (INTR
 * intercept, arch/x86/svm.c) so it notices a stop or reset of its partition.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <hv/errno.h>
#include <hv/partition.h>

#include "x86.h"

/* ISA-style specifiers <irq sense> (the board's ISA devices, when they name interrupts). */
#define X86_IRQ_DT_CELLS 2

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
    (void)p;
    (void)edge;
    (void)virq;
    (void)cells;
    return -ENODEV;
}

int arch_irq_raise(struct partition *p, uint32_t virq)
{
    (void)p;
    (void)virq;
    return -ENODEV; /* no virtual interrupt was handed out */
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
    (void)v;
    (void)virq;
    return -EINVAL;
}

bool arch_irq_pending(const struct vcpu *v)
{
    (void)v;
    return false;
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
    (void)v; /* no virtual interrupt state yet */
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
