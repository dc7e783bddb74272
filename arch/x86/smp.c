// SPDX-License-Identifier: Apache-2.0
/*
 * Finding and starting the CPUs: the ACPI MADT lists the local APICs; the others are started
 * with the INIT-SIPI-SIPI sequence through the boot CPU's local APIC in xAPIC mode (Intel SDM
 * vol. 3A, 11.4.4 "MP initialization protocol" and 11.6.1 "Interrupt Command Register"; APM
 * vol. 2, 16.5 and 16.13). A started CPU runs the real-mode trampoline (trampoline.S), shares
 * the boot CPU's long-mode switch and page tables (head.S) and enters x86_ap_boot() on its
 * own stack.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/smp.h>
#include <arch/time.h>
#include <asm/acpi.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/string.h>

#include "x86.h"

/* Local APIC registers (APM vol. 2, 16.3.2, table 16-2), offsets from the xAPIC base. */
#define LAPIC_SIZE 0x1000
#define LAPIC_SVR 0x0f0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define LAPIC_SVR_ENABLE (1u << 8)
#define LAPIC_SVR_SPURIOUS_VECTOR 0xff
#define ICR_DM_INIT (5u << 8)
#define ICR_DM_STARTUP (6u << 8)
#define ICR_BUSY (1u << 12) /* delivery status: send pending */
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_DEST_SHIFT 24 /* in ICR_HI: the 8-bit xAPIC destination */
#define XAPIC_MAX_ID 0xfe

/* Intel SDM vol. 3A, 11.4.4.1: INIT, wait 10 ms, STARTUP, 200 us, STARTUP, 200 us. */
#define INIT_DELAY_US 10000
#define SIPI_DELAY_US 200
#define ICR_IDLE_TIMEOUT_US 100000

#define AP_STACK_SIZE 16384

static uint32_t apic_ids[CONFIG_NR_CPUS];
static unsigned int nr_cpus;
static uint8_t *lapic;
static uint8_t ap_stacks[CONFIG_NR_CPUS][AP_STACK_SIZE] __aligned(PAGE_SIZE);

uint64_t x86_ap_stack_top;
volatile uint32_t *x86_lapic_eoi;

#define LAPIC_EOI 0x0b0
#define ICR_DM_FIXED (0u << 8)

uint64_t x86_stack_top(unsigned int cpu)
{
    return (uint64_t)(uintptr_t)&ap_stacks[cpu][AP_STACK_SIZE];
}
volatile unsigned int x86_ap_cpu;

static void udelay(uint64_t us)
{
    uint64_t start = arch_time_us();

    while (arch_time_us() - start < us) {
        arch_cpu_relax();
    }
}

static uint32_t lapic_read(unsigned int reg)
{
    return mmio_read32(lapic + reg);
}

static void lapic_write(unsigned int reg, uint32_t val)
{
    mmio_write32(lapic + reg, val);
}

/* Send an IPI: the write of ICR_LO issues it. 0, or -ETIMEDOUT if the APIC stays busy. */
static int lapic_send_ipi(uint32_t apic_id, uint32_t icr_lo)
{
    uint64_t start = arch_time_us();

    lapic_write(LAPIC_ICR_HI, apic_id << ICR_DEST_SHIFT);
    lapic_write(LAPIC_ICR_LO, icr_lo);
    while (lapic_read(LAPIC_ICR_LO) & ICR_BUSY) {
        if (arch_time_us() - start > ICR_IDLE_TIMEOUT_US) {
            return -ETIMEDOUT;
        }
        arch_cpu_relax();
    }
    return 0;
}

#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_MASKED (1u << 16)

void x86_lapic_enable(void)
{
    /* A software-disabled local APIC accepts only INIT, SIPI, NMI and SMI (APM vol. 2,
     * 16.4.7): the kick needs it enabled on the receiving CPU. LINT0 is masked: on the boot
     * CPU firmware leaves it in virtual-wire mode (ExtINT from the 8259, whose IRQ 0 SeaBIOS
     * sends as vector 8), and the kick is the only interrupt the hypervisor takes. */
    if (lapic != NULL) {
        lapic_write(LAPIC_LVT_LINT0, lapic_read(LAPIC_LVT_LINT0) | LAPIC_LVT_MASKED);
        lapic_write(LAPIC_SVR,
                    lapic_read(LAPIC_SVR) | LAPIC_SVR_ENABLE | LAPIC_SVR_SPURIOUS_VECTOR);
    }
}

/* Local APIC timer (APM vol. 2, 16.4.1): LVT timer, initial and current count, divide
 * configuration (0xb: divide by 1). One-shot mode, the kick vector: its expiry only makes
 * the guest exit (INTR intercept), and arch/x86/vapic.c then delivers the guest's own timer. */
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TMICT 0x380
#define LAPIC_TMCCT 0x390
#define LAPIC_TDCR 0x3e0
#define LAPIC_TDCR_DIV1 0xbu
#define LAPIC_CAL_TSC_DIV 1000u /* calibrate over 1 ms of TSC */

static uint64_t lapic_timer_hz;
/* Whether each CPU's timer may still be counting (written by that CPU only): disarming a
 * timer that is not armed is skipped, which keeps a guest without a timer (every exit goes
 * through x86_vapic_prepare()) off the TSC, the frequency and the MMIO write. */
static bool lapic_timer_on[CONFIG_NR_CPUS];

/* Measure the timer's input clock against the TSC (once, first CPU to arm it). */
static void lapic_timer_calibrate(void)
{
    uint64_t tsc_hz = x86_tsc_hz(NULL), t0, t1;
    uint32_t left;

    lapic_write(LAPIC_TDCR, LAPIC_TDCR_DIV1);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | X86_VEC_KICK);
    lapic_write(LAPIC_TMICT, UINT32_MAX);
    t0 = x86_rdtsc();
    while ((t1 = x86_rdtsc()) - t0 < tsc_hz / LAPIC_CAL_TSC_DIV) {
        arch_cpu_relax();
    }
    left = lapic_read(LAPIC_TMCCT);
    lapic_write(LAPIC_TMICT, 0);
    lapic_timer_hz = (UINT32_MAX - left) * tsc_hz / (t1 - t0);
    if (lapic_timer_hz == 0) {
        lapic_timer_hz = tsc_hz; /* a stopped timer: better an early exit than none */
    }
}

void x86_lapic_timer_arm(uint64_t tsc)
{
    unsigned int cpu = arch_cpu_id();
    uint64_t now, ticks = 1, tsc_hz;

    if (lapic == NULL || (tsc == 0 && !lapic_timer_on[cpu])) {
        return;
    }
    if (tsc == 0) {
        lapic_write(LAPIC_TMICT, 0); /* disarmed */
        lapic_timer_on[cpu] = false;
        return;
    }
    if (lapic_timer_hz == 0) {
        lapic_timer_calibrate();
    }
    now = x86_rdtsc();
    tsc_hz = x86_tsc_hz(NULL);
    lapic_timer_on[cpu] = true;
    if (tsc > now) {
        /* Exact, then rounded up: an early expiry costs one more exit, a late one delays.
         * The delta is capped at 2^32 TSC ticks (an early expiry re-arms), so the product
         * stays below 2^64 for any LAPIC timer under 4 GHz. */
        uint64_t delta = tsc - now < UINT32_MAX ? tsc - now : UINT32_MAX;

        ticks = delta * lapic_timer_hz / (tsc_hz != 0 ? tsc_hz : 1) + 2;
        if (ticks > UINT32_MAX) {
            ticks = UINT32_MAX; /* re-armed at that exit */
        }
    }
    lapic_write(LAPIC_TDCR, LAPIC_TDCR_DIV1);
    lapic_write(LAPIC_LVT_TIMER, X86_VEC_KICK);
    lapic_write(LAPIC_TMICT, (uint32_t)ticks);
}

void x86_send_vector(unsigned int cpu, uint8_t vec)
{
    /* A busy ICR times out only on broken hardware; a kicked vCPU then notices the stop at
     * its next exit instead. */
    if (cpu < nr_cpus && lapic != NULL) {
        (void)lapic_send_ipi(apic_ids[cpu], ICR_DM_FIXED | vec);
    }
}

int arch_smp_init(const struct fdt *fdt __unused)
{
    /* x86 CPUs come from ACPI; the DT's /cpus is for the configuration checks. */
    uint32_t ids[CONFIG_NR_CPUS];
    uint32_t self = x86_this_cpu()->apic_id;
    size_t tramp_len = (size_t)(x86_trampoline_end - x86_trampoline_start);
    struct acpi_madt madt;
    const char *src;
    uint64_t hz = x86_tsc_hz(&src);
    uint8_t *tramp;
    int n;

    hv_printf("x86: %s, TSC %llu kHz (%s)\n", x86_loader_name(), (unsigned long long)(hz / 1000),
              src);
    if (x86_rsdp_tag_bad) {
        hv_printf("x86: the loader's ACPI RSDP tag is corrupt: scanning the BIOS areas\n");
    }
    apic_ids[0] = self;
    nr_cpus = 1;
    n = acpi_madt(&madt, ids, CONFIG_NR_CPUS);
    n = n != 0 ? n : (int)madt.nr_lapics;
    if (n <= 0) {
        hv_printf("x86: no usable ACPI MADT (%s): boot CPU only\n", errno_name(n));
        return 1;
    }
    if (n > CONFIG_NR_CPUS) {
        hv_printf("x86: MADT lists %d CPUs; using %d (CONFIG_NR_CPUS)\n", n, CONFIG_NR_CPUS);
    }
    /* The boot CPU is logical 0 whatever its place in the MADT; the rest keep table order. */
    for (int i = 0; i < MIN(n, CONFIG_NR_CPUS); i++) {
        if (ids[i] != self && nr_cpus < CONFIG_NR_CPUS) {
            apic_ids[nr_cpus++] = ids[i];
        }
    }
    lapic = arch_iomap(hpa(madt.lapic_base), LAPIC_SIZE);
    tramp = arch_iomap(hpa(X86_TRAMPOLINE_BASE), PAGE_SIZE);
    if (lapic == NULL || tramp == NULL || tramp_len > PAGE_SIZE) {
        hv_printf("x86: cannot reach the local APIC or the trampoline page: boot CPU only\n");
        nr_cpus = 1;
        return 1;
    }
    memcpy(tramp, x86_trampoline_start, tramp_len);
    x86_lapic_eoi = (volatile uint32_t *)(lapic + LAPIC_EOI);
    x86_ioapic_init(&madt);
    /* A software-disabled APIC still sends IPIs, but enable it as firmware would; LINT0
     * masked, so the boot CPU takes device interrupts (arch_irq_service()) even when it runs
     * no vCPU (x86_lapic_enable()). */
    x86_lapic_enable();
    return (int)nr_cpus;
}

uint64_t arch_cpu_hwid(unsigned int cpu)
{
    return cpu < nr_cpus ? apic_ids[cpu] : UINT64_MAX;
}

int arch_cpu_start(unsigned int cpu)
{
    uint32_t id;
    int err;

    if (cpu == 0 || cpu >= nr_cpus) {
        return -EINVAL;
    }
    id = apic_ids[cpu];
    if (id > XAPIC_MAX_ID) {
        return -EOPNOTSUPP; /* needs x2APIC mode */
    }
    /* The previous CPU has not yet taken its hand-over slot (it is late): do not reuse it. */
    if (__atomic_load_n(&x86_ap_cpu, __ATOMIC_ACQUIRE) != 0) {
        return -EBUSY;
    }
    x86_ap_stack_top = x86_stack_top(cpu);
    __atomic_store_n(&x86_ap_cpu, cpu, __ATOMIC_RELEASE);

    err = lapic_send_ipi(id, ICR_DM_INIT | ICR_LEVEL_ASSERT);
    if (err != 0) {
        return err;
    }
    udelay(INIT_DELAY_US);
    for (int i = 0; i < 2; i++) {
        /* The vector is the trampoline's page number (below 1 MiB). */
        err = lapic_send_ipi(id, ICR_DM_STARTUP | (X86_TRAMPOLINE_BASE >> PAGE_SHIFT));
        if (err != 0) {
            return err;
        }
        udelay(SIPI_DELAY_US);
    }
    return 0;
}
