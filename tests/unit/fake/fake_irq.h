/* SPDX-License-Identifier: Apache-2.0 */
/* Records of the fake interrupt controller (tests/unit/fake/fake_irq.c). */
#pragma once

#include <stdbool.h>

#include <asm/vcpu.h>

struct partition;

struct fake_irq_state {
    struct partition *owner[FAKE_IRQ_MAX]; /* arch_irq_route() owner of each number */
    bool masked[FAKE_IRQ_MAX];
    bool virtual[FAKE_IRQ_MAX]; /* reserved by arch_irq_virtual_alloc() */
    unsigned int routes, releases, injections, kicks;
    uint32_t guest_phandle; /* arch_irq_guest_phandle() (default 0: no controller) */
};

extern struct fake_irq_state fake_irq;
