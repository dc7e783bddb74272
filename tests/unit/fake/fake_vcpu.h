/* SPDX-License-Identifier: Apache-2.0 */
/* Knobs and records of the fake virtualization arch (tests/unit/fake/fake_vcpu.c). */
#pragma once

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fake_console.h"

struct vcpu;
struct partition_expect;

/* longjmp codes to fake_vcpu_jmp: arch_vcpu_run() entered a vCPU; a CPU went to wait. */
#define FAKE_JMP_RUN 1
#define FAKE_JMP_WAIT 2

struct fake_vcpu_state {
    unsigned int cpus_online;    /* hv_cpus_online() */
    unsigned int boot_verdicts;  /* hv_boot_verdict() calls */
    unsigned int stopped_checks; /* partitions_stopped_check() calls */
    uint64_t image_offset;       /* arch_image_load_offset() */
    unsigned int flushes, syncs, kicks;
    struct vcpu *last_run; /* the vCPU arch_vcpu_run() entered last */
};

extern struct fake_vcpu_state fake_vcpu;
/* What arch_partition_implied_map() returns (none unless a test sets some). */
extern const struct partition_expect *fake_implied;
extern unsigned int fake_implied_count;
/* Set with setjmp() before a call that may run or park a vCPU. */
extern jmp_buf fake_vcpu_jmp;

/* Make host range [base, base + size) reachable through arch_phys_to_virt() at buf. */
void fake_mem_add(uint64_t base, uint64_t size, void *buf);
void fake_mem_clear(void);
