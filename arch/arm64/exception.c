// SPDX-License-Identifier: Apache-2.0
/*
 * Unexpected exceptions at EL2: report the syndrome and the interrupted context on the
 * console, then stop cleanly (TEST_EXIT builds end QEMU with ARM64_EXCEPTION_EXIT_CODE).
 * Syndrome decoding: Arm ARM D23.2.41 (ESR_EL2) and D17.2 (ISS encodings).
 */
#include <arch/cpu.h>
#include <arch/test.h>
#include <hv/console.h>

#include "arm64.h"

#define ESR_IL(esr) ((unsigned int)((esr) >> 25) & 1u)
#define EC_IABT_CUR 0x21u
#define EC_DABT_CUR 0x25u
#define ISS_ABT_WNR (1u << 6)  /* data aborts: write, not read */
#define ISS_ABT_FNV (1u << 10) /* FAR not valid */

/* The vector table's 16 entries (D1.10.2): four kinds from each of four origins. */
static const char *const vector_kinds[4] = {"synchronous exception", "IRQ", "FIQ", "SError"};
static const char *const vector_origins[4] = {", EL2 with SP_EL0", ", EL2 with SP_EL2",
                                              " from AArch64 EL1/0", " from AArch32 EL1/0"};

/* Exception classes worth naming (ESR_ELx.EC, D23.2.41 table). */
static const char *const ec_names[64] = {
    [0x00] = "unknown reason (undefined instruction)",
    [0x01] = "WFI/WFE",
    [0x07] = "FP/SIMD access",
    [0x0e] = "illegal execution state",
    [0x15] = "SVC",
    [0x16] = "HVC",
    [0x17] = "SMC",
    [0x18] = "MSR/MRS/system instruction",
    [0x19] = "SVE access",
    [EC_IABT_LOW] = "instruction abort",
    [EC_IABT_CUR] = "instruction abort",
    [0x22] = "PC alignment fault",
    [EC_DABT_LOW] = "data abort",
    [EC_DABT_CUR] = "data abort",
    [0x26] = "SP alignment fault",
    [0x2f] = "SError",
    [0x3c] = "BRK",
};

/* The fault status code of an abort (ISS bits 5:0, D17.2.37 / D17.2.40). */
static void print_abort(unsigned int ec, unsigned int iss)
{
    static const char *const levelled[4] = {"address size fault", "translation fault",
                                            "access flag fault", "permission fault"};
    unsigned int fsc = iss & 0x3fu;

    if (fsc < 0x10) {
        hv_printf("  %s, level %u", levelled[fsc >> 2], fsc & 3u);
    } else if (fsc == 0x10 || fsc == 0x21) {
        hv_printf("  %s", fsc == 0x10 ? "synchronous external abort" : "alignment fault");
    } else {
        hv_printf("  fault status %#x", fsc);
    }
    if (ec == EC_DABT_LOW || ec == EC_DABT_CUR) {
        hv_printf(", %s", iss & ISS_ABT_WNR ? "write" : "read");
    }
    hv_printf("%s\n", iss & ISS_ABT_FNV ? ", FAR not valid" : "");
}

/* An abort in a stack guard page (arm64.h) is a stack overflow: say so. */
static void print_stack_overflow(uint64_t far)
{
    for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
        uint64_t guard = (uint64_t)(uintptr_t)arm64_stacks[cpu];

        if (far >= guard && far - guard < ARM64_STACK_GUARD) {
            hv_printf("  stack overflow: the address is in cpu%u's stack guard page\n", cpu);
        }
    }
}

static unsigned int depth[CONFIG_NR_CPUS];

void arm64_unexpected_exception(unsigned int vector, struct arm64_regs *regs)
{
    uint64_t esr = read_sysreg(esr_el2);
    uint64_t elr = read_sysreg(elr_el2);
    uint64_t far = read_sysreg(far_el2);
    uint64_t spsr = read_sysreg(spsr_el2);
    unsigned int cpu = arch_cpu_id();
    unsigned int ec = ESR_EC(esr);

    /* A fault while reporting one (or in the semihosting exit itself): stop right here. */
    if (cpu >= CONFIG_NR_CPUS || depth[cpu]++ != 0 || arm64_test_exiting) {
        arch_halt();
    }
    hv_printf("\nEXCEPTION: cpu%u: unexpected %s%s\n", cpu, vector_kinds[vector & 3u],
              vector_origins[(vector >> 2) & 3u]);
    hv_printf("  ESR_EL2=%#018llx  EC %#04x (%s), IL %u, ISS %#09x\n", (unsigned long long)esr, ec,
              ec_names[ec] != NULL ? ec_names[ec] : "other", ESR_IL(esr), ESR_ISS(esr));
    if (ec == EC_IABT_LOW || ec == EC_IABT_CUR || ec == EC_DABT_LOW || ec == EC_DABT_CUR) {
        print_abort(ec, ESR_ISS(esr));
        print_stack_overflow(far);
    }
    hv_printf("  ELR_EL2=%#018llx  FAR_EL2=%#018llx  SPSR_EL2=%#010llx\n", (unsigned long long)elr,
              (unsigned long long)far, (unsigned long long)spsr);
    for (unsigned int i = 0; i < 30; i += 3) {
        hv_printf("  x%-2u %016llx  x%-2u %016llx  x%-2u %016llx\n", i,
                  (unsigned long long)regs->x[i], i + 1, (unsigned long long)regs->x[i + 1], i + 2,
                  (unsigned long long)regs->x[i + 2]);
    }
    hv_printf("  x30 %016llx  sp  %016llx\n", (unsigned long long)regs->x[30],
              (unsigned long long)regs->sp);
    hv_printf("cpu%u: stopped\n", cpu);
    if (IS_ENABLED(CONFIG_TEST_EXIT)) {
        arch_test_exit(ARM64_EXCEPTION_EXIT_CODE);
    }
    arch_halt();
}
