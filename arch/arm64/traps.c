// SPDX-License-Identifier: Apache-2.0
/*
 * Traps from partitions (guest.S -> arm64_guest_trap): HVC (Bulkhead hypercalls, then PSCI),
 * trapped SMC (the same, then the board's firmware-forward allow-list), WFI/WFE, and
 * everything else -> fault containment. guest.S takes two kinds straight to their own entry:
 * HVC #0 / SMC #0 with a Bulkhead or PSCI id (arm64_hypercall_fast) and every stage-2 data
 * abort (arm64_guest_dabt: emulated MMIO regions, core/vdev/vmmio.c, or a fault).
 * Syndromes: Arm ARM D23.2.41 (ESR_EL2) and D17.2 (ISS encodings); stage-2 fault address from
 * HPFAR_EL2 (D23.2.62): IPA = HPFAR.FIPA << 12 | FAR[11:0] (BRIEF §8).
 */
#include <arch/cpu.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/hypercall_abi.h>
#include <hv/partition.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/vmmio.h>

#include "arm64.h"
#include "gic.h"
#include "psci_guest.h"
#include "sysreg_trap.h"

#define EC_WFX 0x01u
#define EC_HVC64 0x16u
#define EC_SMC64 0x17u
#define EC_SYSREG 0x18u /* MSR, MRS or System instruction (sysreg_trap.c) */
/* Data abort ISS (D17.2.40): ISV says bits 23:14 describe the access (a single load or
 * store of a general-purpose register, no writeback); SAS = log2(size), SSE = sign-extend a
 * load, SRT = the register (31: XZR), SF = 64-bit register; WnR = write. mmio_emulate()
 * tests EA (bit 9, external abort), CM (8, cache maintenance) and S1PTW (7, fault on the
 * stage-1 walk) with the fault status code, in one mask. */
#define ISS_ISV (1u << 24)
#define ISS_SAS(iss) (((iss) >> 22) & 3u)
#define ISS_SSE (1u << 21)
#define ISS_SRT(iss) (((iss) >> 16) & 0x1fu)
#define ISS_SF (1u << 15)
#define ISS_WNR (1u << 6)
/* WFx ISS (D17.2.48): TI, bits 1:0: 0b00 WFI, 0b01 WFE (0b1x: the FEAT_WFxT forms). */
#define ISS_WFX_TI_MASK 3u
/* Fault status codes (ISS[5:0]): translation 0b0001LL, access flag 0b0010LL, permission
 * 0b0011LL. */
#define FSC_TYPE(iss) (((iss)&0x3cu) >> 2)
#define FSC_TRANSLATION 1u
#define FSC_ACCESS 2u
#define FSC_PERMISSION 3u

/* Lower-EL AArch64 synchronous exception and IRQ slots of the vector table. */
#define SLOT_LOWER_SYNC 8u
#define SLOT_LOWER_IRQ 9u

/* guest.S: a trap from the guest, its registers in *regs; the guest resumes on return. */
void arm64_guest_trap(unsigned int slot, struct arm64_regs *regs);

/* ESR_EL2.IL: a 32-bit instruction (0 only for a 16-bit T32 one, from AArch32 EL0). */
#define ESR_IL (UL(1) << 25)
/* SPSR_EL2 of a trap from AArch32 (Arm ARM, SPSR_EL2 "when exception taken from AArch32"): M[4] =
 * 1; IT[1:0] in bits 26:25, IT[7:2] in bits 15:10. */
#define SPSR_AARCH32 (UL(1) << 4)
#define SPSR_IT_LO_SHIFT 25
#define SPSR_IT_HI_SHIFT 10
#define SPSR_IT_MASK (UL(3) << SPSR_IT_LO_SHIFT | UL(0x3f) << SPSR_IT_HI_SHIFT)

static inline __attribute__((always_inline)) void skip_instruction(uint64_t esr)
{
    /* Trapped SMC, WFx and data aborts leave ELR at the instruction (D1.10.2); HVC leaves it
     * past the instruction already. The partition's EL1 is AArch64, but its EL0 may be
     * AArch32, whose traps come through the same lower-EL AArch64 vector (the state of the EL
     * right below EL2 picks the vector, D1.3.1): a 16-bit T32 instruction is 2 bytes (ESR.IL = 0).
     */
    uint64_t elr = read_sysreg(elr_el2);
    uint64_t spsr = read_sysreg(spsr_el2);

    write_sysreg(elr_el2, elr + 2 + ((esr & ESR_IL) >> 24)); /* IL: 4 bytes, else 2 */
    if ((spsr & SPSR_AARCH32) != 0 && (spsr & SPSR_IT_MASK) != 0) {
        /* A trapped instruction in a T32 IT block: step the IT state past it as the
         * hardware would (ITAdvance(): IT[2:0] == 0 ends the block, otherwise IT[4:0] is
         * shifted left by one), or the next instruction runs under the wrong condition. */
        uint64_t it = (spsr >> SPSR_IT_LO_SHIFT & 3u) | (spsr >> SPSR_IT_HI_SHIFT & 0x3fu) << 2;

        it = (it & 7u) == 0 ? 0 : (it & 0xe0u) | ((it << 1) & 0x1fu);
        spsr &= ~SPSR_IT_MASK;
        spsr |= (it & 3u) << SPSR_IT_LO_SHIFT | (it >> 2) << SPSR_IT_HI_SHIFT;
        write_sysreg(spsr_el2, spsr);
    }
}

/* The same step for sysreg_trap.c, out of line (its traps are rare). */
void arm64_skip_instruction(uint64_t esr)
{
    skip_instruction(esr);
}

/* The fast path's layout (guest.S hvc_fast) and its one-load vCPU (head.S's TPIDR_EL2). */
_Static_assert(__builtin_offsetof(struct hypercall, ret) == 48 && sizeof(struct hypercall) == 88,
               "guest.S HC_RET, HC_SAVE");
_Static_assert(__builtin_offsetof(struct percpu, vcpu) == 0, "guest.S hvc_fast");

/* guest.S: HVC #0 or SMC #0 (already stepped over) with a Bulkhead id, fn = its
 * hypercall_table entry, or a PSCI id, fn = psci_guest_call; hc on the trap frame. */
void arm64_hypercall_fast(struct vcpu *v, struct hypercall *hc, hypercall_fn fn);
void arm64_hypercall_fast(struct vcpu *v, struct hypercall *hc, hypercall_fn fn)
{
    vcpu_check_running(v);
    hypercall_call(v, hc, fn);
}

/* Refused firmware calls reported per vCPU: enough to see what a guest tried, never a flood. */
#define SMC_REFUSED_REPORTS 4u

/*
 * A conduit call (HVC or SMC) guest.S's fast path did not take (an id outside both tables,
 * an SMC with a nonzero immediate): Bulkhead hypercalls, PSCI, then (SMC only) the board's
 * firmware; results in x0..x4. A trapped SMC that neither the hypercalls nor PSCI took is a
 * call for the board's firmware (SiP services such as ZynqMP EEMI or i.MX's, OEM, trusted
 * OS): forwarded only when its id is on the board's /hypervisor "firmware-forward"
 * allow-list; otherwise refused with SMCCC NOT_SUPPORTED (DEN 0028 7.1) and reported, so
 * that no partition reaches EL3 firmware the board did not open to it.
 */
static void conduit_call(struct vcpu *v, struct arm64_regs *regs, bool smc)
{
    struct hypercall hc;

    hc.fn = regs->x[0];
    for (unsigned int i = 0; i < 5; i++) {
        hc.arg[i] = regs->x[1 + i];
    }
    if (psci_guest_id(hc.fn)) {
        hypercall_call(v, &hc, psci_guest_call);
    } else if (!hypercall_handle(v, &hc)) {
        if (smc && hv_config_firmware_call_allowed(hv_boot_config(), hc.fn)) {
            /* As it was made (arm64_smc(), SMCCC v1.2: x0..x7 in, x0..x3 back); x4..x17 are
             * the guest's own registers here, restored from regs on the way back. The
             * arguments are not translated: only calls whose arguments are values, never
             * memory addresses, belong on the allow-list (a guest address means nothing to
             * the firmware). */
            arm64_smc(regs->x);
            return;
        }
        if (smc && v->arch.smc_refused < SMC_REFUSED_REPORTS) {
            v->arch.smc_refused++;
            hv_printf("partition %u \"%s\" vcpu %u: firmware call 0x%llx refused (not in "
                      "firmware-forward)\n",
                      v->part->config->id, v->part->config->label, v->index,
                      (unsigned long long)hc.fn);
        }
        regs->x[0] = (uint64_t)(int64_t)BH_HC_E_NOT_SUPPORTED;
        return;
    }
    for (unsigned int i = 0; i < 5; i++) {
        regs->x[i] = hc.ret[i];
    }
}

static gpa_t stage2_address(void)
{
    return gpa((read_sysreg(hpfar_el2) >> 4) << 12 | (read_sysreg(far_el2) & 0xfffu));
}

/*
 * Emulate the data abort of v described by esr when it is an access to an emulated MMIO
 * region the syndrome fully describes: a stage-2 translation fault (emulated regions are
 * never mapped) with ISV=1, not on a stage-1 walk, no cache maintenance, no external abort.
 * On success the load's register is written and the instruction skipped (a data abort leaves
 * ELR at it, D1.10.2); false leaves everything untouched for the fault path.
 */
static inline __attribute__((always_inline)) bool mmio_emulate(struct vcpu *v, uint64_t esr,
                                                               struct arm64_regs *regs)
{
    /* The ISS fields, bits 24:0 of esr, straight from esr. */
    uint64_t iss = esr, srt = ISS_SRT(iss), addr = gpa_val(stage2_address()), val;
    unsigned int size = 1u << ISS_SAS(iss);

    /* ISV = 1, and EA, CM, S1PTW and DFSC[5:2] (bits 9:7 and 5:2, WnR at bit 6 left out)
     * those of a translation fault of any level: 0b000'0001. */
    if ((iss & ISS_ISV) == 0 || ((iss >> 2) & 0xefu) != FSC_TRANSLATION) {
        return false;
    }
    if (iss & ISS_WNR) {
        val = srt == 31 ? 0 : regs->x[srt]; /* register 31 is XZR for loads and stores */
        return vmmio_dispatch(v, &v->vmmio_hit, addr, size, true, &val) == 0;
    }
    if (vmmio_dispatch(v, &v->vmmio_hit, addr, size, false, &val) != 0) {
        return false;
    }
    /* val is zero-extended from the access size: what a load to an X register or, below
     * 8 bytes, to a W register gives. A sign-extending load (D17.2.40 SSE) extends it to
     * the register's width (SF). */
    if ((iss & ISS_SSE) != 0) {
        unsigned int shift = 64 - size * 8; /* 0 for 8 bytes: nothing to extend */

        val = (uint64_t)((int64_t)(val << shift) >> shift);
        if ((iss & ISS_SF) == 0) {
            val &= 0xffffffffu; /* a W register: writing it clears bits 63:32 */
        }
    }
    if (srt != 31) {
        regs->x[srt] = val;
    }
    return true;
}

/*
 * Report a stage-2 abort the hypervisor does not emulate and stop the partition. The report
 * names the fault's kind from the status code (D17.2.40 DFSC / IFSC: translation, access
 * flag, permission, and the level of the walk) and what the guest was doing, so a test can
 * tell a permission fault from a translation fault at the same address.
 */
static __noreturn void abort_fault(struct vcpu *v, uint64_t esr, bool data)
{
    uint32_t iss = ESR_ISS(esr);
    unsigned int level = iss & 3u;
    const char *access = !data ? "instruction fetch" : iss & ISS_WNR ? "write" : "read";
    const char *what;
    char msg[128];
    bool mmio;

    switch (FSC_TYPE(iss)) {
    case FSC_TRANSLATION:
        /* An emulated region: no usable syndrome (ISV=0: load/store pair, writeback, SIMD)
         * or an access the device refused (size, alignment). */
        mmio = data && vmmio_find(v->part, stage2_address()) != NULL;
        (void)hv_snprintf(msg, sizeof(msg), "stage-2 translation fault (level %u): %s%s %s", level,
                          mmio ? "MMIO " : "", access,
                          mmio ? "the hypervisor cannot emulate"
                               : "outside the partition's memory");
        break;
    case FSC_PERMISSION:
        what = !data           ? "of non-executable memory"
               : iss & ISS_WNR ? "to read-only memory"
                               : "of unreadable memory";
        (void)hv_snprintf(msg, sizeof(msg), "stage-2 permission fault (level %u): %s %s", level,
                          access, what);
        break;
    case FSC_ACCESS:
        (void)hv_snprintf(msg, sizeof(msg), "stage-2 access flag fault (level %u): %s", level,
                          access);
        break;
    default:
        (void)hv_snprintf(msg, sizeof(msg), "%s abort, status 0x%x", data ? "data" : "instruction",
                          iss & 0x3fu);
        break;
    }
    partition_fault(v, msg, esr, stage2_address());
}

/*
 * Every data abort from v (EC 0x24), from guest.S dabt_fast: regs holds x0..x19 and x30, and
 * x20..x29 too when ISS.SRT names one of x20..x28, enough for mmio_emulate(). An emulated
 * access completes here; anything else is a stage-2 fault that stops the partition.
 */
void arm64_guest_dabt(struct vcpu *v, uint64_t esr, struct arm64_regs *regs);
void arm64_guest_dabt(struct vcpu *v, uint64_t esr, struct arm64_regs *regs)
{
    vcpu_check_running(v);
    if (!mmio_emulate(v, esr, regs)) {
        abort_fault(v, esr, true);
    }
    skip_instruction(esr);
    /* A write may have enabled or raised an interrupt of v's own (a distributor register):
     * in the list registers before the guest's next instruction. A read never raises one
     * (struct vmmio_ops); one another CPU raised meanwhile comes with its kick (GIC_SGI_KICK),
     * taken as soon as the guest runs. */
    if ((esr & ISS_WNR) != 0) {
        vgic_flush(v);
    }
}

void arm64_guest_trap(unsigned int slot, struct arm64_regs *regs)
{
    /* this_cpu()->vcpu in one load: TPIDR_EL2 points at this CPU's struct percpu (head.S). */
    struct vcpu *v = ((struct percpu *)read_sysreg(tpidr_el2))->vcpu;
    uint64_t esr = read_sysreg(esr_el2);

    if (v == NULL) {
        /* A lower-EL trap on a CPU that runs no vCPU cannot happen; stop this CPU. */
        arm64_unexpected_exception(slot, regs);
    }
    /* Stopped or resetting by another vCPU: park without judging this trap (it is most
     * likely the stage-2 fault the stop provoked). */
    vcpu_check_running(v);
    if (slot == SLOT_LOWER_IRQ) {
        /* A physical interrupt (HCR_EL2.IMO): ESR_EL2 does not describe it. */
        vgic_handle_irq(v);
        vgic_flush(v);
        return;
    }
    if (slot != SLOT_LOWER_SYNC) {
        partition_fault(v, "unexpected asynchronous exception", esr, gpa(read_sysreg(elr_el2)));
    }
    /* A synchronous trap: handled (the guest resumes) or a fault. */
    switch (ESR_EC(esr)) {
    case EC_HVC64:
        if ((ESR_ISS(esr) & 0xffffu) != 0) {
            regs->x[0] = (uint64_t)(int64_t)BH_HC_E_NOT_SUPPORTED; /* only HVC #0 is ours */
        } else {
            conduit_call(v, regs, false);
        }
        break;
    case EC_SMC64:
        conduit_call(v, regs, true);
        skip_instruction(esr);
        break;
    case EC_WFX:
        /* WFI (ISS.TI = 0) with a GIC: wait here until an interrupt for this vCPU can be
         * (vgic.c). WFE, or anything without a GIC: nothing to wait for that the guest
         * could not have itself, return at once (the stop check already ran). */
        if ((ESR_ISS(esr) & ISS_WFX_TI_MASK) == 0 && gic_present()) {
            vgic_wait(v);
        }
        skip_instruction(esr);
        break;
    case EC_SYSREG:
        /* The GIC's SGI registers, the EL1 physical timer and the trap hardening
         * (sysreg_trap.c: emulate, or report and UNDEFINED). */
        arm64_sysreg_trap(v, esr, regs);
        break;
    case EC_IABT_LOW:
        abort_fault(v, esr, false);
    default:
        /* The address reported for other traps is the guest's PC (a guest address). */
        partition_fault(v, "unknown trap", esr, gpa(read_sysreg(elr_el2)));
    }
    /* An SGI to itself, an interrupt a register write enabled: in the list registers
     * before the guest runs its next instruction. */
    vgic_flush(v);
}
