// SPDX-License-Identifier: Apache-2.0
/*
 * The fake arch's half of include/arch/irq.h: a controller with FAKE_IRQ_MAX interrupt
 * numbers, an owner per routable number and a pending bitmap per vCPU, so that generic code
 * (passthrough routing at partition setup, doorbells) can be tested on the host. Specifiers
 * are the GIC's three cells, like the boards the tests' DTS fixtures describe.
 */
#include <arch/irq.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>

#include "fake_irq.h"

struct fake_irq_state fake_irq;

int arch_irq_from_dt(const uint32_t *cells, unsigned int cells_count, uint32_t *irq)
{
    /* GIC binding: <type number flags>, type 0 = SPI (INTID number + 32). */
    if (cells_count != 3 || cells[0] != 0 || cells[1] + 32 >= FAKE_IRQ_MAX) {
        return -EINVAL;
    }
    *irq = cells[1] + 32;
    return 0;
}

unsigned int arch_irq_dt_cells(void)
{
    return 3;
}

uint32_t arch_irq_guest_phandle(const struct partition *p)
{
    (void)p;
    return fake_irq.guest_phandle;
}

int arch_irq_virtual_alloc(struct partition *p, bool edge, uint32_t *virq, uint32_t *cells)
{
    unsigned int n = 0;

    /* No controller without a guest DT node for it, like an arch without one. */
    if (fake_irq.guest_phandle == 0) {
        return -ENODEV;
    }
    for (uint32_t i = 32; i < FAKE_IRQ_MAX; i++) {
        n += fake_irq.virt[p->index][i];
    }
    if (fake_irq.virtual_max != 0 && n >= fake_irq.virtual_max) {
        return -ENOSPC;
    }
    /* From the top down, like the GIC implementation, around p's routed interrupts. */
    for (uint32_t i = FAKE_IRQ_MAX; i-- > 32;) {
        if (fake_irq.owner[i] != p && !fake_irq.virt[p->index][i]) {
            fake_irq.virt[p->index][i] = true;
            *virq = i;
            cells[0] = 0;
            cells[1] = i - 32;
            cells[2] = edge ? 1 : 4;
            return 0;
        }
    }
    return -ENOSPC;
}

int arch_irq_route(struct partition *p, uint32_t irq)
{
    if (irq < 32 || irq >= FAKE_IRQ_MAX) {
        return -EINVAL;
    }
    if (fake_irq.claim_fn[irq] != NULL) {
        return -EBUSY;
    }
    if (fake_irq.owner[irq] != NULL && fake_irq.owner[irq] != p) {
        hv_printf("fake irq: %u belongs to partition %u\n", irq, fake_irq.owner[irq]->config->id);
        return -EBUSY;
    }
    fake_irq.owner[irq] = p;
    fake_irq.routes++;
    return 0;
}

void arch_irq_release(struct partition *p)
{
    for (unsigned int i = 0; i < FAKE_IRQ_MAX; i++) {
        if (fake_irq.owner[i] == p) {
            fake_irq.owner[i] = NULL;
        }
    }
    fake_irq.releases++;
}

int arch_irq_inject(struct vcpu *v, uint32_t virq)
{
    uint64_t bit = UINT64_C(1) << (virq % 64);

    if (virq >= FAKE_IRQ_MAX || (virq >= 16 && virq < 32)) {
        return -EINVAL;
    }
    if ((v->arch.virq_pending[virq / 64] & bit) == 0) {
        fake_irq.wakeups++;
    }
    v->arch.virq_pending[virq / 64] |= bit;
    fake_irq.injections++;
    return 0;
}

int arch_irq_raise(struct partition *p, uint32_t virq)
{
    if (virq >= FAKE_IRQ_MAX || !fake_irq.virt[p->index][virq]) {
        return -EPERM;
    }
    return arch_irq_inject(&p->vcpus[0], virq);
}

int arch_irq_level(struct partition *p, uint32_t virq, bool high)
{
    if (virq >= FAKE_IRQ_MAX || !fake_irq.virt[p->index][virq]) {
        return -EPERM;
    }
    fake_irq.line[p->index][virq] = high;
    fake_irq.level_changes++;
    return 0;
}

bool arch_irq_pending(const struct vcpu *v)
{
    for (unsigned int i = 0; i < FAKE_IRQ_MAX / 64; i++) {
        if (v->arch.virq_pending[i] != 0) {
            return true;
        }
    }
    return false;
}

void arch_irq_kick(const struct vcpu *v)
{
    (void)v;
    fake_irq.kicks++;
}

void arch_irq_vcpu_reset(struct vcpu *v)
{
    for (unsigned int i = 0; i < FAKE_IRQ_MAX / 64; i++) {
        v->arch.virq_pending[i] = 0;
    }
}

int arch_irq_claim(uint32_t irq, bool edge, unsigned int cpu, arch_irq_handler_fn fn, void *arg)
{
    if (fake_irq.guest_phandle == 0) {
        return -ENODEV;
    }
    if (irq < 32 || irq >= FAKE_IRQ_MAX || fn == NULL || cpu >= CONFIG_NR_CPUS) {
        return -EINVAL;
    }
    if (fake_irq.owner[irq] != NULL || fake_irq.claim_fn[irq] != NULL) {
        return -EBUSY;
    }
    fake_irq.claim_fn[irq] = fn;
    fake_irq.claim_arg[irq] = arg;
    fake_irq.claim_edge[irq] = edge;
    fake_irq.claim_cpu[irq] = cpu;
    fake_irq.claims++;
    return 0;
}

int arch_irq_claim_cpu(uint32_t irq, unsigned int cpu)
{
    if (cpu >= CONFIG_NR_CPUS) {
        return -EINVAL;
    }
    if (irq >= FAKE_IRQ_MAX || fake_irq.claim_fn[irq] == NULL) {
        return -EPERM;
    }
    fake_irq.claim_cpu[irq] = cpu;
    return 0;
}

void arch_irq_service(void)
{
    fake_irq.services++;
}

bool fake_irq_fire(uint32_t irq)
{
    if (irq >= FAKE_IRQ_MAX || fake_irq.claim_fn[irq] == NULL) {
        return false;
    }
    fake_irq.claim_fn[irq](irq, fake_irq.claim_arg[irq]);
    return true;
}
