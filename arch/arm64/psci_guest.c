// SPDX-License-Identifier: Apache-2.0
/*
 * PSCI 1.0 for partitions (Arm DEN0022D, chapter 5), on the partition's own vCPUs only:
 * VERSION, FEATURES, CPU_ON, CPU_OFF, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF (the
 * partition stops) and SYSTEM_RESET (the partition restarts). A vCPU's MPIDR is its index in
 * Aff0 (VMPIDR_EL2, vcpu.c), so CPU_ON targets are vCPU indices; any other affinity bits
 * make the target invalid. Both SMC32 and SMC64 ids are accepted where PSCI defines both.
 */
#include <hv/errno.h>

#include "psci_guest.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
/* SMC64 variants: bit 30 set (SMCCC 2.5). */
#define SMC64 0x40000000u

/* Return codes (DEN0022D 5.2.2). */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INVALID_ADDRESS (-9)

/* PSCI 1.0: major 1 in bits 31:16, minor 0. */
#define PSCI_VERSION_1_0 0x10000u
/* MIGRATE_INFO_TYPE 2: no Trusted OS, nothing to migrate. */
#define PSCI_TOS_NOT_PRESENT 2

/* The functions implemented, for PSCI_FEATURES (SMC64 twins where PSCI defines them). */
static const uint32_t psci_fns[] = {
    PSCI_VERSION,           PSCI_CPU_OFF,       PSCI_CPU_ON,
    PSCI_CPU_ON | SMC64,    PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO | SMC64,
    PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF,    PSCI_SYSTEM_RESET,
    PSCI_FEATURES,
};

/* target: an MPIDR; the vCPU index is Aff0, and any other affinity bit makes it invalid. */
static int64_t cpu_on(struct vcpu *v, uint64_t target, uint64_t entry, uint64_t context)
{
    int err;

    if ((target & ~UINT64_C(0xff)) != 0) {
        return PSCI_INVALID_PARAMETERS;
    }
    /* A64 instructions are 4-byte aligned: a vCPU started elsewhere would take a PC
     * alignment fault (Arm ARM, "PC alignment checking") before running anything. */
    if ((entry & 3u) != 0) {
        return PSCI_INVALID_ADDRESS;
    }
    err = vcpu_start(v, (unsigned int)target, gpa(entry), context);
    return err == 0         ? PSCI_SUCCESS
           : err == -EEXIST ? PSCI_ALREADY_ON
           : err == -EBUSY  ? PSCI_ON_PENDING
           : err == -EFAULT ? PSCI_INVALID_ADDRESS
                            : PSCI_INVALID_PARAMETERS;
}

static int64_t affinity_info(struct vcpu *v, uint64_t target, uint64_t level)
{
    int state = (target & ~UINT64_C(0xff)) != 0 || level != 0
                    ? -EINVAL
                    : vcpu_affinity(v, (unsigned int)target);

    /* AFFINITY_INFO: 0 ON, 1 OFF, 2 ON_PENDING (DEN0022D 5.1.8). */
    return state < 0 ? PSCI_INVALID_PARAMETERS : state == VCPU_ON ? 0 : state == VCPU_OFF ? 1 : 2;
}

void psci_guest_call(struct vcpu *v, struct hypercall *hc)
{
    int64_t r = PSCI_NOT_SUPPORTED;

    /* Only x0 is a result (DEN0022D 5.2.1): x1..x3 go back as the caller left them. */
    hc->ret[1] = hc->arg[0];
    hc->ret[2] = hc->arg[1];
    hc->ret[3] = hc->arg[2];
    /* PSCI ids: upper 32 bits of x0 are ignored for SMC32 ids per SMCCC, but must be 0 here
     * (psci_guest_id()): anything else is not a PSCI function. */
    switch (hc->fn) {
    case PSCI_VERSION:
        r = PSCI_VERSION_1_0;
        break;
    case PSCI_FEATURES:
        for (unsigned int i = 0; i < ARRAY_SIZE(psci_fns); i++) {
            if ((uint32_t)hc->arg[0] == psci_fns[i]) { /* SMC32: x1[31:0] (SMCCC 2.5) */
                r = PSCI_SUCCESS;
            }
        }
        break;
    case PSCI_CPU_ON:
        /* SMC32 forms: 32-bit arguments (SMCCC 2.5, the upper halves are ignored). */
        r = cpu_on(v, (uint32_t)hc->arg[0], (uint32_t)hc->arg[1], (uint32_t)hc->arg[2]);
        break;
    case PSCI_CPU_ON | SMC64:
        r = cpu_on(v, hc->arg[0], hc->arg[1], hc->arg[2]);
        break;
    case PSCI_AFFINITY_INFO:
        r = affinity_info(v, (uint32_t)hc->arg[0], (uint32_t)hc->arg[1]);
        break;
    case PSCI_AFFINITY_INFO | SMC64:
        r = affinity_info(v, hc->arg[0], hc->arg[1]);
        break;
    case PSCI_MIGRATE_INFO_TYPE:
        r = PSCI_TOS_NOT_PRESENT;
        break;
    case PSCI_CPU_OFF:
        vcpu_off(v);
    case PSCI_SYSTEM_OFF:
        partition_system_off(v);
    case PSCI_SYSTEM_RESET:
        partition_reset(v);
    default:
        break;
    }
    hc->ret[0] = (uint64_t)r;
}
