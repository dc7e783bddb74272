// SPDX-License-Identifier: Apache-2.0
/*
 * Runtime of the arm64 test guests: SMCCC conduits, console, verdicts, PSCI CPU_ON, the
 * generic timer and the C side of head.S (boot vCPU, secondary vCPUs, EL1 exceptions).
 */
#include <hv/printf.h>
#include <hv/string.h>

#include "gic.h"
#include "rt.h"

void rt_start(const void *dtb);
void rt_secondary(uint64_t vcpu);
__noreturn void rt_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);
__noreturn void rt_halt(void);
extern char guest_secondary_entry[];

/* GUEST_PROBE() state, read and written by head.S's EL1 synchronous vector. */
volatile uint64_t rt_probe_resume, rt_probe_esr;

/*
 * SMCCC v1.2 (Arm DEN 0028, 2.6): arguments in x0..x5 (x6, x7 unused here), results in
 * x0..x5 (x0..x3 before v1.2), and x6..x17 may be clobbered by the callee under SMCCC v1.0 rules,
 * so they are listed as clobbers rather than trusted to survive.
 */
#define SMCCC_CALL(insn)                                                                           \
    register uint64_t x0 __asm__("x0") = id;                                                       \
    register uint64_t x1 __asm__("x1") = a1;                                                       \
    register uint64_t x2 __asm__("x2") = a2;                                                       \
    register uint64_t x3 __asm__("x3") = a3;                                                       \
    register uint64_t x4 __asm__("x4") = a4;                                                       \
    register uint64_t x5 __asm__("x5") = a5;                                                       \
    __asm__ __volatile__(insn                                                                      \
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)              \
                         :                                                                         \
                         : "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",       \
                           "x16", "x17", "memory");                                                \
    return (struct smccc_res)                                                                      \
    {                                                                                              \
        x0, x1, x2, x3, x4, x5                                                                     \
    }

struct smccc_res hvc_call(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                          uint64_t a5)
{
    SMCCC_CALL("hvc #0");
}

struct smccc_res smc_call(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                          uint64_t a5)
{
    SMCCC_CALL("smc #0");
}

void gvprintf(const char *fmt, va_list ap)
{
    char buf[BH_HC_CONSOLE_MAX];
    int n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n < 0) {
        return;
    }
    if ((size_t)n >= sizeof(buf)) {
        n = sizeof(buf) - 1; /* truncated: one call, never a partial line split in two */
    }
    /* MMU off: the buffer's virtual address is its guest physical address. */
    (void)hvc_call(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)buf, (uint64_t)n, 0, 0, 0);
}

void gprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    gvprintf(fmt, ap);
    va_end(ap);
}

static __noreturn void verdict(uint64_t code)
{
    (void)hvc_call(BH_HC_TEST_VERDICT, code, 0, 0, 0, 0);
    (void)hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0, 0, 0);
    /* SYSTEM_OFF does not return (PSCI 5.10); if it did, stay quiet and idle. */
    rt_halt();
}

void guest_pass(void)
{
    gprintf("guest: PASS\n");
    verdict(0);
}

void guest_fail(const char *fmt, ...)
{
    va_list ap;
    char buf[200];

    va_start(ap, fmt);
    hv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    gprintf("guest: FAIL: %s\n", buf);
    verdict(1);
}

int64_t guest_cpu_on(unsigned int vcpu)
{
    /* PSCI 5.1.4: target = MPIDR affinity (the vCPU index as Aff0), entry, context id. */
    return (int64_t)hvc_call(PSCI_CPU_ON, vcpu, (uint64_t)(uintptr_t)guest_secondary_entry, vcpu, 0,
                             0)
        .a0;
}

uint64_t guest_counter(void)
{
    uint64_t v;

    /* ISB: without it the counter read may be taken early (Arm ARM D11.2.2). */
    __asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
    return v;
}

uint64_t guest_counter_freq(void)
{
    uint64_t f;

    __asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
    return f;
}

bool guest_wait(bool (*cond)(void *), void *arg, uint64_t timeout_ms)
{
    uint64_t freq = guest_counter_freq();
    uint64_t start = guest_counter();
    uint64_t ticks = freq / 1000 * timeout_ms;

    for (;;) {
        gic_poll();
        if (cond(arg)) {
            return true;
        }
        if (guest_counter() - start > ticks) {
            return cond(arg);
        }
    }
}

__weak void guest_secondary(unsigned int vcpu)
{
    gprintf("vcpu %u: no work, switching off\n", vcpu);
}

void rt_secondary(uint64_t vcpu)
{
    guest_secondary((unsigned int)vcpu);
    (void)hvc_call(PSCI_CPU_OFF, 0, 0, 0, 0, 0);
    guest_fail("vcpu %u: CPU_OFF returned", (unsigned int)vcpu);
}

void rt_start(const void *dtb)
{
    static struct guest_info gi;

    if (dt_read(dtb, &gi) != 0) {
        guest_fail("cannot read the guest DTB at %p", dtb);
    }
    guest_main(&gi);
    guest_pass();
}

static const char *const vector_names[4] = {"synchronous", "IRQ", "FIQ", "SError"};
static const char *const vector_from[4] = {"EL1t", "EL1h", "EL0 AArch64", "EL0 AArch32"};

void rt_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
    guest_fail("unexpected %s exception from %s: ESR_EL1 0x%llx ELR_EL1 0x%llx FAR_EL1 0x%llx",
               vector_names[kind & 3], vector_from[(kind >> 2) & 3], (unsigned long long)esr,
               (unsigned long long)elr, (unsigned long long)far);
}
