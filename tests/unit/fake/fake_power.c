// SPDX-License-Identifier: Apache-2.0
/*
 * The power calls core/partition/hypercall.c makes (PSCI-style system off, reset, vCPU
 * start), for unit tests that link hypercall.c for its console and vUART paths and never
 * reach them: reaching one is a test bug, so it aborts.
 */
#include <stdlib.h>

#include <hv/partition.h>

void partition_system_off(struct vcpu *v)
{
    (void)v;
    abort();
}

void partition_reset(struct vcpu *v)
{
    (void)v;
    abort();
}

int vcpu_start(struct vcpu *v, uint64_t target, gpa_t entry, uint64_t context)
{
    (void)v, (void)target, (void)entry, (void)context;
    abort();
}
