/* SPDX-License-Identifier: Apache-2.0 */
/* Fake arch for host unit tests: the arch halves of partitions and vCPUs. */
#pragma once

#include <stdint.h>

#define ARCH_SYNDROME_NAME "ESR"
#define ARCH_HYPERCALL_METHOD "hvc"

/* What the fake records about a partition. */
struct partition_arch {
    uint16_t vmid;
    unsigned int flushes; /* arch_stage2_flush() calls */
};

/* Interrupt numbers of the fake controller (tests/unit/fake/fake_irq.c). */
#define FAKE_IRQ_MAX 256

/* What the fake records about a vCPU. */
struct vcpu_arch {
    uint64_t pc;
    uint64_t x0;
    unsigned int resets;
    uint64_t virq_pending[FAKE_IRQ_MAX / 64]; /* arch_irq_inject() bitmap */
};
