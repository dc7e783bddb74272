/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 halves of struct partition and struct vcpu (contract: include/arch/vcpu.h).
 * Register names and fields: Arm ARM DDI 0487, D23 (VTTBR_EL2, VTCR_EL2, HCR_EL2).
 */
#pragma once

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>
#endif

/* The syndrome register fault reports name (ESR_EL2, D23.2.41). */
#define ARCH_SYNDROME_NAME "ESR"
/* The hypercall conduit: HVC #0, SMCCC (Arm DEN 0028). */
#define ARCH_HYPERCALL_METHOD "hvc"

/* Offsets in struct vcpu_arch used by arch/arm64/guest.S. */
#define VCPU_ARCH_X 0
#define VCPU_ARCH_PC (31 * 8)
#define VCPU_ARCH_PSTATE (32 * 8)

#ifndef __ASSEMBLY__

/* Stage-2 state of a partition. */
struct partition_arch {
    uint16_t vmid;         /* = partition id (1..63); VMID 0 is the hypervisor's own (no stage 2) */
    uint64_t vttbr;        /* stage-2 root | VMID << 48 */
    uint64_t vtcr;         /* VTCR_EL2 for the table's depth */
    bool pmu_el2_reported; /* an event filter's EL2 bit was cleared and reported once */
    bool set_way_reported; /* a set/way operation was converted and reported once */
};

/*
 * A vCPU's state while it is being (re)entered: general-purpose registers, PC (ELR_EL2) and
 * PSTATE (SPSR_EL2). While the guest runs, its registers live in the CPU; a trap saves them
 * on the hypervisor stack (struct arm64_regs), not here.
 */
struct vcpu_arch {
    uint64_t x[31];
    uint64_t pc;
    uint64_t pstate;
};

#endif /* !__ASSEMBLY__ */
