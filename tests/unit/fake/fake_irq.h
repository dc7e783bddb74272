/* SPDX-License-Identifier: Apache-2.0 */
/* Records of the fake interrupt controller (tests/unit/fake/fake_irq.c). */
#pragma once

#include <stdbool.h>

#include <arch/irq.h>
#include <asm/vcpu.h>
#include <hv/config.h>

struct partition;

struct fake_irq_state {
    struct partition *owner[FAKE_IRQ_MAX];      /* arch_irq_route() owner of each number */
    bool virt[HV_MAX_PARTITIONS][FAKE_IRQ_MAX]; /* arch_irq_virtual_alloc(), by p->index */
    bool line[HV_MAX_PARTITIONS][FAKE_IRQ_MAX]; /* arch_irq_level(): the line is high */
    unsigned int level_changes;                 /* arch_irq_level() calls */
    unsigned int routes, releases, injections, kicks;
    /* Injections that found the virq not yet pending: each would interrupt the vCPU's CPU
     * (an exit); the others merge into the pending one. */
    unsigned int wakeups;
    unsigned int virtual_max; /* nonzero: arch_irq_virtual_alloc() gives at most this many */
    uint32_t guest_phandle;   /* arch_irq_guest_phandle() (default 0: no controller) */
    /* arch_irq_claim(): the handler, its argument, edge and target CPU of each claimed
     * number; fake_irq_fire() runs it as the interrupt would on its CPU. */
    arch_irq_handler_fn claim_fn[FAKE_IRQ_MAX];
    void *claim_arg[FAKE_IRQ_MAX];
    bool claim_edge[FAKE_IRQ_MAX];
    unsigned int claim_cpu[FAKE_IRQ_MAX];
    unsigned int claims, services;
};

/* Fire claimed interrupt irq: runs its handler (true) or nothing when unclaimed (false). */
bool fake_irq_fire(uint32_t irq);

extern struct fake_irq_state fake_irq;
