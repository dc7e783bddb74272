// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile: reach for what EL2 keeps out of a partition's hands (arch/arm64/sysreg_trap.c).
 * Each attempt must be refused with an UNDEFINED exception (and a hypervisor report the test
 * checks), emulated harmlessly, or shown to have no effect on EL2:
 *   - ACTLR_EL1: reads 0; a write is UNDEFINED;
 *   - an IMPLEMENTATION DEFINED register (the Cortex-A57 CPUACTLR_EL1 encoding): UNDEFINED;
 *   - a RAS error record (ERRIDR_EL1): UNDEFINED (by EL2 with FEAT_RAS, by the CPU without);
 *   - DC CSW / CISW: no exception (the hypervisor cleans by VA instead);
 *   - the cycle counter filtered to count only EL2 (PMCCFILTR_EL0 P, U, NSH): stays at 0
 *     across 64 hypercalls;
 *   - PMXEVTYPER_EL0 / PMXEVCNTR_EL0 selecting no counter: UNDEFINED where the PMU traps;
 *   - a watchpoint over the hypervisor's memory aimed at EL2 (HMC), debug exceptions
 *     unmasked: no exception, the hypervisor keeps answering; BRK is still the guest's own.
 * Ends with a pass verdict when every check holds.
 */
#include "rt.h"

#define ESR_EC(esr) (((esr) >> 26) & 0x3fu)
#define EC_UNKNOWN 0x00u
#define EC_BRK64 0x3cu

/* PMCCFILTR_EL0 (D24.5.?): P (31) do not count EL1, U (30) do not count EL0, NSH (27) count
 * EL2. PMCR_EL0: E (0) enable, C (2) reset the cycle counter. PMCNTENSET_EL0 bit 31: PMCCNTR. */
#define PMCCFILTR_P (1ull << 31)
#define PMCCFILTR_U (1ull << 30)
#define PMCCFILTR_NSH (1ull << 27)
#define PMCR_E 1ull
#define PMCR_C 4ull
#define PMCNTEN_C (1ull << 31)

/* DBGWCR<n>_EL1 (D23.3.?): MASK (28:24), BAS (12:5), LSC (4:3) load+store, HMC (13), SSC
 * (15:14) = 01 non-secure, PAC (2:1) = 00 (no EL1/EL0), E (0). MDSCR_EL1: MDE (15), KDE (13). */
#define DBGWCR_EL2_ONLY(mask)                                                                      \
    ((uint64_t)(mask) << 24 | 1u << 14 | 1u << 13 | 0xffu << 5 | 3u << 3 | 1u)
#define MDSCR_MDE (1ull << 15)
#define MDSCR_KDE (1ull << 13)
#define HV_WATCH_BASE 0x40000000ull /* the hypervisor's memory on this board */
#define HV_WATCH_MASK 25            /* 32 MiB */

static void expect_undef(const char *what, uint64_t esr)
{
    GUEST_CHECK(esr != 0, "%s: no exception", what);
    GUEST_CHECK(ESR_EC(esr) == EC_UNKNOWN, "%s: ESR_EL1 0x%llx, expected UNDEFINED", what,
                (unsigned long long)esr);
    gprintf("trap_hostile: %s: UNDEFINED\n", what);
}

static void registers(void)
{
    uint64_t v = 0x1234;
    uint64_t pfr0 = 0;

    GUEST_CHECK(GUEST_PROBE("mrs x10, actlr_el1", &v) == 0, "ACTLR_EL1 read trapped to EL1");
    GUEST_CHECK(v == 0, "ACTLR_EL1 reads 0x%llx, expected 0", (unsigned long long)v);
    gprintf("trap_hostile: ACTLR_EL1 reads 0\n");
    v = 0x3;
    expect_undef("write ACTLR_EL1", GUEST_PROBE("msr actlr_el1, x10", &v));
    expect_undef("read S3_1_C15_C2_0", GUEST_PROBE("mrs x10, S3_1_C15_C2_0", &v));
    v = 0;
    expect_undef("write S3_1_C15_C2_0", GUEST_PROBE("msr S3_1_C15_C2_0, x10", &v));
    (void)GUEST_PROBE("mrs x10, id_aa64pfr0_el1", &pfr0);
    gprintf("trap_hostile: FEAT_RAS %s\n", ((pfr0 >> 28) & 0xf) != 0 ? "present" : "absent");
    expect_undef("read ERRIDR_EL1", GUEST_PROBE("mrs x10, S3_0_C5_C3_0", &v));
    v = 0;
    expect_undef("write ERRSELR_EL1", GUEST_PROBE("msr S3_0_C5_C3_1, x10", &v));
}

static void set_way(void)
{
    uint64_t v = 0; /* level 1, set 0, way 0: the last operation of a sweep */

    GUEST_CHECK(GUEST_PROBE("dc csw, x10", &v) == 0, "DC CSW raised an exception");
    GUEST_CHECK(GUEST_PROBE("dc cisw, x10", &v) == 0, "DC CISW raised an exception");
    gprintf("trap_hostile: DC CSW / CISW completed\n");
}

/* PMXEV*_EL0 with PMSELR_EL0.SEL at PMCR_EL0.N, or 31 for PMXEVCNTR_EL0, names no counter:
 * CONSTRAINED UNPREDICTABLE (D24.5), so EL2 refuses it where it replays the PMU (pre-PMUv3p5). */
static void pmu_sel(uint64_t dfr0)
{
    uint64_t v = 0;

    if (((dfr0 >> 8) & 0xf) >= 6) {
        gprintf("trap_hostile: PMUv3p5, the PMU is not trapped\n");
        return;
    }
    (void)GUEST_PROBE("mrs x10, pmcr_el0", &v);
    v = (v >> 11) & 0x1f;
    (void)GUEST_PROBE("msr pmselr_el0, x10", &v);
    expect_undef("read PMXEVTYPER_EL0, SEL N", GUEST_PROBE("mrs x10, pmxevtyper_el0", &v));
    v = 31;
    (void)GUEST_PROBE("msr pmselr_el0, x10", &v);
    expect_undef("write PMXEVCNTR_EL0, SEL 31", GUEST_PROBE("msr pmxevcntr_el0, x10", &v));
}

static void pmu_el2(void)
{
    uint64_t dfr0 = 0, v, cycles = 0;

    (void)GUEST_PROBE("mrs x10, id_aa64dfr0_el1", &dfr0);
    if (((dfr0 >> 8) & 0xf) == 0 || ((dfr0 >> 8) & 0xf) == 0xf) {
        gprintf("trap_hostile: no PMUv3, EL2 counting not tried\n");
        return;
    }
    v = PMCCFILTR_P | PMCCFILTR_U | PMCCFILTR_NSH;
    GUEST_CHECK(GUEST_PROBE("msr pmccfiltr_el0, x10", &v) == 0, "PMCCFILTR_EL0 write raised");
    GUEST_CHECK(GUEST_PROBE("mrs x10, pmccfiltr_el0", &v) == 0, "PMCCFILTR_EL0 read raised");
    gprintf("trap_hostile: PMCCFILTR_EL0 reads 0x%llx after writing P|U|NSH\n",
            (unsigned long long)v);
    v = PMCNTEN_C;
    (void)GUEST_PROBE("msr pmcntenset_el0, x10", &v);
    v = PMCR_E | PMCR_C;
    (void)GUEST_PROBE("msr pmcr_el0, x10", &v);
    __asm__ __volatile__("isb" ::: "memory");
    for (unsigned int i = 0; i < 64; i++) {
        (void)hvc_call(PSCI_VERSION, 0, 0, 0, 0, 0);
    }
    __asm__ __volatile__("isb" ::: "memory");
    v = 0;
    (void)GUEST_PROBE("msr pmcr_el0, x10", &v);
    (void)GUEST_PROBE("mrs x10, pmccntr_el0", &cycles);
    GUEST_CHECK(cycles == 0, "the cycle counter counted %llu cycles at EL2",
                (unsigned long long)cycles);
    gprintf("trap_hostile: EL2-only cycle counter stayed at 0 over 64 hypercalls\n");
    pmu_sel(dfr0);
}

static void debug_el2(void)
{
    uint64_t v = HV_WATCH_BASE, esr;
    struct smccc_res r;

    (void)GUEST_PROBE("msr dbgwvr0_el1, x10", &v);
    v = DBGWCR_EL2_ONLY(HV_WATCH_MASK);
    (void)GUEST_PROBE("msr dbgwcr0_el1, x10", &v);
    v = MDSCR_MDE | MDSCR_KDE;
    (void)GUEST_PROBE("msr mdscr_el1, x10", &v);
    __asm__ __volatile__("isb\n\tmsr daifclr, #8\n\tisb" ::: "memory"); /* unmask D */
    r = hvc_call(PSCI_VERSION, 0, 0, 0, 0, 0);
    __asm__ __volatile__("msr daifset, #8\n\tisb" ::: "memory");
    v = 0;
    (void)GUEST_PROBE("msr dbgwcr0_el1, x10", &v);
    (void)GUEST_PROBE("msr mdscr_el1, x10", &v);
    GUEST_CHECK(r.a0 == 0x10000 || r.a0 == 0x10001, "PSCI_VERSION under the watchpoint: 0x%llx",
                (unsigned long long)r.a0);
    gprintf("trap_hostile: watchpoint on EL2 did not fire, hypervisor answered\n");
    /* The guest still owns its own debug exceptions: BRK comes to EL1, not EL2. */
    esr = GUEST_PROBE("brk #0x42", &v);
    GUEST_CHECK(ESR_EC(esr) == EC_BRK64 && (esr & 0xffff) == 0x42, "BRK: ESR_EL1 0x%llx",
                (unsigned long long)esr);
    gprintf("trap_hostile: BRK taken at EL1\n");
}

void guest_main(struct guest_info *gi)
{
    (void)gi;
    registers();
    set_way();
    pmu_el2();
    debug_el2();
}
