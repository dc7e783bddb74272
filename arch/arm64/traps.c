// SPDX-License-Identifier: Apache-2.0
/*
 * Traps from partitions (guest.S -> arm64_guest_trap): HVC (Bulkhead hypercalls, then PSCI),
 * trapped SMC (PSCI), WFI/WFE, and everything else -> fault containment. Syndromes: Arm ARM
 * D23.2.41 (ESR_EL2) and D17.2 (ISS encodings); stage-2 fault address from HPFAR_EL2
 * (D23.2.62): IPA = HPFAR.FIPA << 12 | FAR[11:0] (BRIEF §8).
 */
#include <arch/cpu.h>
#include <hv/hypercall_abi.h>
#include <hv/partition.h>

#include "arm64.h"
#include "psci_guest.h"

#define ESR_EC(esr) ((unsigned int)((esr) >> 26) & 0x3fu)
#define ESR_ISS(esr) ((uint32_t)(esr)&0x1ffffffu)
#define EC_WFX 0x01u
#define EC_HVC64 0x16u
#define EC_SMC64 0x17u
#define EC_IABT_LOW 0x20u
#define EC_DABT_LOW 0x24u
#define ISS_WNR (1u << 6)
/* Fault status codes (ISS[5:0]): translation 0b0001LL, access flag 0b0010LL, permission
 * 0b0011LL. */
#define FSC_TYPE(iss) (((iss)&0x3cu) >> 2)
#define FSC_TRANSLATION 1u
#define FSC_ACCESS 2u
#define FSC_PERMISSION 3u

/* Lower-EL AArch64 synchronous exception slot of the vector table. */
#define SLOT_LOWER_SYNC 8u

/* guest.S: a trap from the guest, its registers in *regs; the guest resumes on return. */
void arm64_guest_trap(unsigned int slot, struct arm64_regs *regs);

static void skip_instruction(void)
{
    /* Trapped SMC and WFx leave ELR at the instruction (D1.10.2); A64 instructions are 4
     * bytes. HVC leaves it past the instruction already. */
    uint64_t elr = read_sysreg(elr_el2);

    write_sysreg(elr_el2, elr + 4);
}

/* A conduit call (HVC or SMC): Bulkhead hypercalls first, then PSCI; results in x0..x4. */
static void conduit_call(struct vcpu *v, struct arm64_regs *regs)
{
    struct hypercall hc;

    hc.fn = regs->x[0];
    for (unsigned int i = 0; i < 5; i++) {
        hc.arg[i] = regs->x[1 + i];
    }
    if (hypercall_handle(v, &hc)) {
        for (unsigned int i = 0; i < 5; i++) {
            regs->x[i] = hc.ret[i];
        }
        return;
    }
    if (psci_guest_call(v, regs)) {
        return;
    }
    regs->x[0] = (uint64_t)(int64_t)BH_HC_E_NOT_SUPPORTED;
}

static gpa_t stage2_address(void)
{
    return gpa((read_sysreg(hpfar_el2) >> 4) << 12 | (read_sysreg(far_el2) & 0xfffu));
}

static __noreturn void abort_fault(struct vcpu *v, uint64_t esr, bool data)
{
    uint32_t iss = ESR_ISS(esr);
    const char *what;

    switch (FSC_TYPE(iss)) {
    case FSC_TRANSLATION:
        what = data ? "data abort outside the partition's memory"
                    : "instruction fetch outside the partition's memory";
        break;
    case FSC_PERMISSION:
        what = !data           ? "instruction fetch from non-executable memory"
               : iss & ISS_WNR ? "write to read-only memory"
                               : "read of unreadable memory";
        break;
    case FSC_ACCESS:
        what = "stage-2 access flag fault";
        break;
    default:
        what = data ? "data abort" : "instruction abort";
        break;
    }
    partition_fault(v, what, esr, stage2_address());
}

void arm64_guest_trap(unsigned int slot, struct arm64_regs *regs)
{
    struct vcpu *v = vcpu_of_cpu(arch_cpu_id());
    uint64_t esr = read_sysreg(esr_el2);

    if (v == NULL) {
        /* A lower-EL trap on a CPU that runs no vCPU cannot happen; stop this CPU. */
        arm64_unexpected_exception(slot, regs);
    }
    /* Stopped or resetting by another vCPU: park without judging this trap (it is most
     * likely the stage-2 fault the stop provoked). */
    vcpu_check_running(v);
    if (slot != SLOT_LOWER_SYNC) {
        partition_fault(v, "unexpected asynchronous exception", esr, gpa(read_sysreg(elr_el2)));
    }
    switch (ESR_EC(esr)) {
    case EC_HVC64:
        if ((ESR_ISS(esr) & 0xffffu) != 0) {
            regs->x[0] = (uint64_t)(int64_t)BH_HC_E_NOT_SUPPORTED; /* only HVC #0 is ours */
            return;
        }
        conduit_call(v, regs);
        return;
    case EC_SMC64:
        conduit_call(v, regs);
        skip_instruction();
        return;
    case EC_WFX:
        /* Nothing to wait for in a static partition: return at once (the stop check above
         * already ran). */
        skip_instruction();
        return;
    case EC_DABT_LOW:
        abort_fault(v, esr, true);
    case EC_IABT_LOW:
        abort_fault(v, esr, false);
    default:
        /* The address reported for other traps is the guest's PC (a guest address). */
        partition_fault(v, "unknown trap", esr, gpa(read_sysreg(elr_el2)));
    }
}
