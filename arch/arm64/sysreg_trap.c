// SPDX-License-Identifier: Apache-2.0
/*
 * EL2 trap hardening (Arm ARM DDI 0487, D1 and the HCR_EL2 / MDCR_EL2 / ACTLR_EL2
 * descriptions in D23): which EL1 system-register and cache-maintenance accesses trap to the
 * hypervisor while a partition runs, and what happens to them (ESR_EL2.EC 0x18, the MSR/MRS/
 * System-instruction syndrome, D17.2.37).
 *
 * Policy, one line per class:
 *   - IMPLEMENTATION DEFINED registers (HCR_EL2.TIDCP: op0 = 3, CRn = 11 or 15): refused.
 *     They reach power, cache and errata controls of the whole core or cluster.
 *   - ACTLR_EL1 (HCR_EL2.TACR): reads as 0, writes refused. Linux never writes it; what it
 *     controls is IMPLEMENTATION DEFINED and may reach beyond the partition's CPU.
 *   - RAS error records ERR<n>* / ERX* (HCR_EL2.TERR, FEAT_RAS only): refused. The records
 *     are shared by every CPU of a node, so one partition could read or clear another's
 *     errors.
 *   - Set/way cache maintenance (HCR_EL2.TSW: DC ISW, CSW, CISW): set/way operations act on
 *     the physical cache, lines of every partition alike (D7.5.9 "the only way to clean
 *     all"). Each is turned into clean+invalidate by VA of the partition's own memory,
 *     through the hypervisor's identity map, once per swept cache level (on the operation
 *     with set 0 and way 0, the last of every sweep order in use), not once per operation:
 *     a sweep is thousands of set/way operations, a pass over the partition is one.
 *   - Performance monitors: the CPU belongs to its partition and so does its PMU, but no
 *     counter may count at EL2 (it would time the hypervisor and the other partitions'
 *     traps). With FEAT_PMUv3p5, MDCR_EL2.HPMD prohibits EL2 counting in the event counters
 *     and HCCD in the cycle counter; no trap. Before v3p5 the cycle counter keeps counting at
 *     EL2 despite HPMD (only PMCR_EL0.DP, guest-owned, stops it), so on those cores (and on
 *     Armv8.0 ones, A53/A57/A72, with no HPMD at all) every PMU access traps (MDCR_EL2.TPM,
 *     TPMCR) and is replayed on the hardware with the event filters' EL2 bit (NSH, bit 27 of
 *     PMEVTYPER<n>_EL0 / PMCCFILTR_EL0 / PMXEVTYPER_EL0) cleared: such a write is reported
 *     once per partition.
 *   - Self-hosted debug: the guest owns its breakpoints, watchpoints and single step
 *     (MDCR_EL2.TDA/TDOSA/TDRA clear). MDCR_EL2.TDE stays 0, so the debug target exception
 *     level is EL1, and debug exceptions are never generated at an exception level above the
 *     debug target (D2.3, "Routing debug exceptions"; D2.4): a breakpoint or watchpoint with
 *     HMC set cannot stop or observe EL2. MDSCR_EL1 is cleared at every vCPU entry.
 *   - ACTLR_EL2 is written 0 at every vCPU entry: on the Cortex-A53/A57/A72 family its low
 *     bits are what lets EL1 write the IMPLEMENTATION DEFINED CPU/L2 control registers.
 *
 * Emulated besides (traps.c sends every EC 0x18 trap here): the GICv3 SGI registers
 * ICC_SGI0R/SGI1R/ASGI1R_EL1 (write-only, IHI 0069 12.2.22-24; resolved in the partition's
 * affinity space, vgic_v3.c; a GICv2 guest's SGIs are distributor writes, vgic_v2.c), and
 * the EL1 physical timer, which is denied (CNTHCTL_EL2.EL1PCEN = 0, vcpu.c: a partition has
 * the virtual timer; the physical one would have to be shared with nobody, and emulating it
 * buys nothing): it reads as zero, ignores writes, and the first access is reported.
 *
 * A refused access is reported (partition, vCPU, register by name or encoding, direction) and
 * the guest receives an UNDEFINED exception, as the hardware gives for a register that does
 * not exist (D1.10.4): the partition keeps running, the hypervisor does not stop it.
 */
#include <arch/cpu.h>
#include <arch/mm.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/partition.h>

#include "arm64.h"
#include "gic.h"
#include "sysreg_trap.h"

/* ---- ESR_EL2 ISS for EC 0x18 (D17.2.37) ---- */
#define ISS_DIR_READ 1u /* Direction: 1 = MRS (read), 0 = MSR / System instruction */
#define ISS_RT(iss) (((iss) >> 5) & 0x1fu)
#define ISS_OP0(iss) (((iss) >> 20) & 3u)
#define ISS_OP2(iss) (((iss) >> 17) & 7u)
#define ISS_OP1(iss) (((iss) >> 14) & 7u)
#define ISS_CRN(iss) (((iss) >> 10) & 0xfu)
#define ISS_CRM(iss) (((iss) >> 1) & 0xfu)
/* The register's identity: everything but Rt and the direction. */
#define SYS_ENC(op0, op1, crn, crm, op2)                                                           \
    ((uint32_t)(op0) << 20 | (uint32_t)(op2) << 17 | (uint32_t)(op1) << 14 |                       \
     (uint32_t)(crn) << 10 | (uint32_t)(crm) << 1)
#define SYS_ENC_MASK SYS_ENC(3, 7, 0xf, 0xf, 7)

#define ENC_ACTLR_EL1 SYS_ENC(3, 0, 1, 0, 1)
#define ENC_ICC_SGI1R SYS_ENC(3, 0, 12, 11, 5)
#define ENC_ICC_ASGI1R SYS_ENC(3, 0, 12, 11, 6)
#define ENC_ICC_SGI0R SYS_ENC(3, 0, 12, 11, 7)
#define ENC_CNTP_TVAL SYS_ENC(3, 3, 14, 2, 0)
#define ENC_CNTP_CTL SYS_ENC(3, 3, 14, 2, 1)
#define ENC_CNTP_CVAL SYS_ENC(3, 3, 14, 2, 2)
/* PMU registers (D23.5 / D24.5), by encoding in pmu_access(); op1 = 3 are the EL0-accessible
 * ones. */
#define ENC_PMXEVTYPER SYS_ENC(3, 3, 9, 13, 1)
#define ENC_PMXEVCNTR SYS_ENC(3, 3, 9, 13, 2)
/* PMEVCNTR<n>_EL0: CRn 14, CRm 8..11; PMEVTYPER<n>_EL0: CRm 12..15 (n = 31: PMCCFILTR). */
#define PMEV_CRN 14u
#define PMEV_CNT_CRM 8u
#define PMEV_TYPE_CRM 12u
#define PMCCFILTR_SEL 31u
/* Event filter: NSH (bit 27) = count at EL2 (D24.5.11 PMEVTYPER<n>_EL0). */
#define PMEVTYPER_NSH (UL(1) << 27)

/* ID_AA64DFR0_EL1.PMUVer (D23.2.59), ID_AA64PFR0_EL1.RAS (D23.2.67), MDCR_EL2 (D23.2.113). */
#define DFR0_PMUVER(dfr0) (((dfr0) >> 8) & 0xfu)
#define PMUVER_NONE 0x0u
#define PMUVER_V3P1 0x4u
#define PMUVER_V3P5 0x6u
#define PMUVER_IMPDEF 0xfu
#define PFR0_RAS(pfr0) (((pfr0) >> 28) & 0xfu)
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1fu)
#define MDCR_TPMCR (UL(1) << 5)
#define MDCR_TPM (UL(1) << 6)
#define MDCR_HPMD (UL(1) << 17)
#define MDCR_HCCD (UL(1) << 23)

/* The HCR_EL2 trap bits this file handles (D23.2.53). */
#define HCR_TSW (UL(1) << 22)
#define HCR_TACR (UL(1) << 21)
#define HCR_TERR (UL(1) << 36)
#define HCR_TIDCP (UL(1) << 20)

/* Injected UNDEFINED (D1.10): ESR_EL1.EC 0 "unknown reason", IL = 32-bit instruction. */
#define ESR_EL1_UNDEF (UL(1) << 25)
/* VBAR_EL1 offsets by where the exception came from (D1.10.2). */
#define VEC_CURRENT_SP0 0x000u
#define VEC_CURRENT_SPX 0x200u
#define VEC_LOWER_A64 0x400u
#define VEC_LOWER_A32 0x600u
#define SPSR_M_MASK UL(0x1f)
#define SPSR_M_EL1T UL(0x4)
#define SPSR_M_EL1H UL(0x5)
#define SPSR_M_A32 UL(0x10)

void arm64_el2_traps_write(uint64_t hcr)
{
    unsigned int pmuver = DFR0_PMUVER(read_sysreg(id_aa64dfr0_el1));
    uint64_t mdcr = 0;

    hcr |= HCR_TIDCP | HCR_TACR | HCR_TSW;
    /* TERR is RES0 without FEAT_RAS (and the ERR* registers then do not exist: UNDEFINED). */
    if (PFR0_RAS(read_sysreg(id_aa64pfr0_el1)) != 0) {
        hcr |= HCR_TERR;
    }
    /* Without an architected PMU (NONE, IMPDEF) PMCR_EL0 may not even exist: MDCR_EL2 0.
     * Otherwise every event counter is the guest's (HPMN = PMCR_EL0.N); TDE, TDA, TDOSA,
     * TDRA 0; before v3p5 the PMU is trapped and its event filters screened (see above). */
    if (pmuver != PMUVER_NONE && pmuver != PMUVER_IMPDEF) {
        mdcr = PMCR_N(read_sysreg(pmcr_el0));
        mdcr |= pmuver >= PMUVER_V3P1 ? MDCR_HPMD : 0;
        mdcr |= pmuver >= PMUVER_V3P5 ? MDCR_HCCD : MDCR_TPM | MDCR_TPMCR;
    }
    write_sysreg(hcr_el2, hcr);
    write_sysreg(mdcr_el2, mdcr);
    /* IMPLEMENTATION DEFINED EL1 access enables off (Cortex-A53/A57/A72 TRMs: CPUACTLR,
     * CPUECTLR, L2CTLR, L2ECTLR, L2ACTLR write access); the guest's debug control cleared,
     * so no breakpoint, watchpoint or step of a previous boot survives. */
    write_sysreg(actlr_el2, 0);
    write_sysreg(mdscr_el1, 0);
}

/* n of PMEVCNTR<n>_EL0 or PMEVTYPER<n>_EL0 (CRm[1:0]:op2), or -1 for any other register. */
static int pmev_sel(uint32_t iss)
{
    if (ISS_OP0(iss) != 3 || ISS_OP1(iss) != 3 || ISS_CRN(iss) != PMEV_CRN ||
        ISS_CRM(iss) < PMEV_CNT_CRM) {
        return -1;
    }
    return (int)((ISS_CRM(iss) & 3u) << 3 | ISS_OP2(iss));
}

/* ---- reports and the UNDEFINED exception ---- */

/* Names the reports use for the registers a partition is most likely to reach for. */
static const struct {
    uint32_t enc;
    const char *name;
} sysreg_names[] = {
    {ENC_ACTLR_EL1, "ACTLR_EL1"},
    {SYS_ENC(3, 0, 5, 3, 0), "ERRIDR_EL1"},
    {SYS_ENC(3, 0, 5, 3, 1), "ERRSELR_EL1"},
    {SYS_ENC(3, 0, 5, 4, 2), "ERXSTATUS_EL1"},
    {ENC_PMXEVTYPER, "PMXEVTYPER_EL0"},
    {ENC_PMXEVCNTR, "PMXEVCNTR_EL0"},
    {SYS_ENC(3, 3, PMEV_CRN, 15, 7), "PMCCFILTR_EL0"},
    {SYS_ENC(1, 0, 7, 6, 2), "DC ISW"},
    {SYS_ENC(1, 0, 7, 10, 2), "DC CSW"},
    {SYS_ENC(1, 0, 7, 14, 2), "DC CISW"},
};

static void sysreg_print_name(char *buf, size_t size, uint32_t iss)
{
    uint32_t enc = iss & SYS_ENC_MASK;

    for (unsigned int i = 0; i < ARRAY_SIZE(sysreg_names); i++) {
        if (sysreg_names[i].enc == enc) {
            (void)hv_snprintf(buf, size, "%s", sysreg_names[i].name);
            return;
        }
    }
    if (pmev_sel(iss) >= 0 && ISS_CRM(iss) >= PMEV_TYPE_CRM) {
        (void)hv_snprintf(buf, size, "PMEVTYPER%d_EL0", pmev_sel(iss));
        return;
    }
    /* The assembler's generic spelling, S<op0>_<op1>_C<n>_C<m>_<op2>. */
    (void)hv_snprintf(buf, size, "S%u_%u_C%u_C%u_%u", ISS_OP0(iss), ISS_OP1(iss), ISS_CRN(iss),
                      ISS_CRM(iss), ISS_OP2(iss));
}

/* "partition 2 "x" vcpu 0: refused write to <what> <REG>: <outcome>" */
static void report(const struct vcpu *v, const char *verb, const char *what, uint32_t iss,
                   const char *outcome)
{
    char reg[24];

    sysreg_print_name(reg, sizeof(reg), iss);
    hv_printf("partition %u \"%s\" vcpu %u: %s %s %s %s: %s\n", v->part->config->id,
              v->part->config->label, v->index, verb,
              (iss & ISS_DIR_READ) != 0 ? "read of" : "write to", what, reg, outcome);
}

/* Deliver an UNDEFINED exception to the guest at the trapped instruction (ELR_EL2). */
static void inject_undef(void)
{
    uint64_t spsr = read_sysreg(spsr_el2);
    uint64_t elr = read_sysreg(elr_el2);
    uint64_t vbar = read_sysreg(vbar_el1);
    uint64_t offset = (spsr & SPSR_M_A32) != 0              ? VEC_LOWER_A32
                      : (spsr & SPSR_M_MASK) == SPSR_M_EL1H ? VEC_CURRENT_SPX
                      : (spsr & SPSR_M_MASK) == SPSR_M_EL1T ? VEC_CURRENT_SP0
                                                            : VEC_LOWER_A64;

    write_sysreg(esr_el1, ESR_EL1_UNDEF);
    write_sysreg(elr_el1, elr);
    write_sysreg(spsr_el1, spsr);
    write_sysreg(elr_el2, vbar + offset);
    write_sysreg(spsr_el2, PSTATE_EL1H_DAIF);
}

/* ---- set/way maintenance ---- */

/* Clean+invalidate a partition's memory or shared region by VA (the hypervisor's identity
 * map). */
static void flush_range(hpa_t host, uint64_t size)
{
    void *va = arch_phys_to_virt(host, (size_t)size);

    if (va != NULL) {
        arm64_dcache_range(va, (size_t)size, ARM64_DC_CIVAC);
    }
}

/*
 * DC ISW / CSW / CISW operand (C5.3, field SetWay): Level in bits [3:1], then the set and
 * way fields whose positions depend on the cache geometry (CCSIDR_EL1). Set 0 / way 0 is the
 * operand with every bit above Level zero, whatever the geometry: then all of the partition's
 * memory and shared regions are cleaned and invalidated by VA, so that nothing it wrote is
 * lost and nothing stale stays in any cache level.
 */
static void set_way(struct vcpu *v, uint32_t iss, uint64_t operand)
{
    struct partition *p = v->part;
    const struct hv_config *cfg = p->layout;

    if ((operand >> 4) != 0) {
        return;
    }
    for (unsigned int i = 0; i < p->config->mem_count; i++) {
        flush_range(cfg->mem[p->config->mem_first + i].host,
                    cfg->mem[p->config->mem_first + i].size);
    }
    for (unsigned int i = 0; i < p->config->shm_count; i++) {
        flush_range(cfg->shm[p->config->shm_first + i].host,
                    cfg->shm[p->config->shm_first + i].size);
    }
    if (!__atomic_exchange_n(&p->arch.set_way_reported, true, __ATOMIC_RELAXED)) {
        report(v, "converted", "set/way maintenance", iss,
               "clean+invalidate by VA of the partition's memory, once per level swept");
    }
}

/* ---- PMU replay (cores before FEAT_PMUv3p5) ---- */

/*
 * Replay a trapped PMU access to the register enc (iss: the trap, for reports); false when it
 * is not a PMU register this CPU has. PMEVCNTR<n>_EL0 / PMEVTYPER<n>_EL0 are replayed as
 * PMXEVCNTR_EL0 / PMXEVTYPER_EL0 with PMSELR_EL0 = n, which is put back.
 */
static bool pmu_access(struct vcpu *v, uint32_t iss, uint32_t enc, uint64_t *val)
{
    bool read = (iss & ISS_DIR_READ) != 0;
    bool direct = enc == ENC_PMXEVTYPER || enc == ENC_PMXEVCNTR;
    /* The counter: n of PMEV*<n>_EL0, or the guest's PMSELR_EL0.SEL (4:0) for PMXEV*_EL0. */
    int sel = direct ? (int)(read_sysreg(pmselr_el0) & 0x1fu) : pmev_sel(enc);
    bool type = direct ? enc == ENC_PMXEVTYPER : ISS_CRM(enc) >= PMEV_TYPE_CRM;
    uint64_t old;
    bool ok;

#define RW(e, reg)                                                                                 \
    case e:                                                                                        \
        if (read) {                                                                                \
            *val = read_sysreg(reg);                                                               \
        } else {                                                                                   \
            write_sysreg(reg, *val);                                                               \
        }                                                                                          \
        return true
#define RO(e, reg)                                                                                 \
    case e:                                                                                        \
        if (!read) {                                                                               \
            return false;                                                                          \
        }                                                                                          \
        *val = read_sysreg(reg);                                                                   \
        return true

    /* Counters beyond PMCR_EL0.N (at most 31) do not exist; sel 31 is only the cycle counter's
     * filter, PMCCFILTR_EL0. Any other PMXEV*_EL0 access is CONSTRAINED UNPREDICTABLE (D24.5,
     * PMXEVTYPER_EL0, PMXEVCNTR_EL0), perhaps UNDEFINED at EL2: refused. */
    if (sel >= 0 && (unsigned int)sel >= PMCR_N(read_sysreg(pmcr_el0)) &&
        !(type && sel == PMCCFILTR_SEL)) {
        return false;
    }
    if (enc == ENC_PMXEVTYPER && !read) {
        /* No counting at EL2 for a guest's event (reported once per partition). */
        if ((*val & PMEVTYPER_NSH) != 0 &&
            !__atomic_exchange_n(&v->part->arch.pmu_el2_reported, true, __ATOMIC_RELAXED)) {
            report(v, "filtered", "event filter", iss, "EL2 counting (NSH) cleared");
        }
        *val &= ~PMEVTYPER_NSH;
    }
    switch (enc) {
        RW(SYS_ENC(3, 3, 9, 12, 0), pmcr_el0);
        RW(SYS_ENC(3, 3, 9, 12, 1), pmcntenset_el0);
        RW(SYS_ENC(3, 3, 9, 12, 2), pmcntenclr_el0);
        RW(SYS_ENC(3, 3, 9, 12, 3), pmovsclr_el0);
        RW(SYS_ENC(3, 3, 9, 12, 5), pmselr_el0);
        RO(SYS_ENC(3, 3, 9, 12, 6), pmceid0_el0);
        RO(SYS_ENC(3, 3, 9, 12, 7), pmceid1_el0);
        RW(SYS_ENC(3, 3, 9, 13, 0), pmccntr_el0);
        RW(ENC_PMXEVTYPER, pmxevtyper_el0);
        RW(ENC_PMXEVCNTR, pmxevcntr_el0);
        RW(SYS_ENC(3, 3, 9, 14, 0), pmuserenr_el0);
        RW(SYS_ENC(3, 0, 9, 14, 1), pmintenset_el1);
        RW(SYS_ENC(3, 0, 9, 14, 2), pmintenclr_el1);
        RW(SYS_ENC(3, 3, 9, 14, 3), pmovsset_el0);
    case SYS_ENC(3, 3, 9, 12, 4): /* PMSWINC_EL0: write-only */
        if (read) {
            return false;
        }
        write_sysreg(pmswinc_el0, *val);
        return true;
    default:
        break;
    }
#undef RW
#undef RO
    if (sel < 0) {
        return false;
    }
    old = read_sysreg(pmselr_el0);
    write_sysreg(pmselr_el0, (uint64_t)sel);
    isb();
    ok = pmu_access(v, iss, type ? ENC_PMXEVTYPER : ENC_PMXEVCNTR, val);
    write_sysreg(pmselr_el0, old);
    isb();
    return ok;
}

/* ---- the trap ---- */

void arm64_sysreg_trap(struct vcpu *v, uint64_t esr, struct arm64_regs *regs)
{
    uint32_t iss = (uint32_t)esr & 0x1ffffffu;
    unsigned int rt = ISS_RT(iss);
    bool read = (iss & ISS_DIR_READ) != 0;
    uint64_t val = rt == 31 ? 0 : regs->x[rt]; /* register 31 is XZR here */
    uint32_t enc = iss & SYS_ENC_MASK;
    const char *refused = NULL;

    if (ISS_OP0(iss) == 1 && ISS_OP1(iss) == 0 && ISS_CRN(iss) == 7 && !read &&
        (ISS_CRM(iss) == 6 || ISS_CRM(iss) == 10 || ISS_CRM(iss) == 14)) {
        /* DC ISW (CRm 6), CSW (10), CISW (14) and the FEAT_MTE tag variants beside them. */
        set_way(v, iss, val);
    } else if ((enc == ENC_ICC_SGI1R || enc == ENC_ICC_SGI0R || enc == ENC_ICC_ASGI1R) && !read &&
               !gic_is_v2()) {
        vgic_sgi_write(v, val, enc == ENC_ICC_SGI1R);
    } else if (enc == ENC_CNTP_TVAL || enc == ENC_CNTP_CTL || enc == ENC_CNTP_CVAL) {
        if (!v->arch.ptimer_reported) {
            v->arch.ptimer_reported = true;
            vgic_report(v, "EL1 physical timer denied (reads 0, writes ignored): use the "
                           "virtual timer");
        }
        val = 0;
    } else if (enc == ENC_ACTLR_EL1) {
        val = 0; /* reads as 0, writes refused */
        refused = read ? NULL : "auxiliary control register";
    } else if (ISS_OP0(iss) == 3 && (ISS_CRN(iss) == 11 || ISS_CRN(iss) == 15)) {
        refused = "IMPLEMENTATION DEFINED register";
    } else if (ISS_OP0(iss) == 3 && ISS_OP1(iss) == 0 && ISS_CRN(iss) == 5 && ISS_CRM(iss) >= 3 &&
               ISS_CRM(iss) <= 5) {
        refused = "RAS error record register";
    } else if (!pmu_access(v, iss, enc, &val)) {
        refused = ISS_CRN(iss) == 9 || ISS_CRN(iss) == PMEV_CRN ? "PMU register" : "register";
    }
    if (refused != NULL) {
        report(v, "refused", refused, iss, "UNDEFINED injected");
        inject_undef(); /* the guest resumes at its UNDEFINED vector */
        return;
    }
    if (read && rt != 31) {
        regs->x[rt] = val;
    }
    arm64_skip_instruction(esr);
}
