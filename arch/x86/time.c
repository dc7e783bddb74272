// SPDX-License-Identifier: Apache-2.0
/*
 * Time from the time-stamp counter. Its frequency comes from CPUID Fn0000_0015 when the CPU
 * reports one (Intel SDM vol. 2A, CPUID leaf 15H: TSC = crystal * EBX / EAX), else it is
 * measured against the 8254 PIT channel 2 (1.193182 MHz input; mode 0 raises OUT2, readable
 * in port 0x61 bit 5, when the count expires). The TSC is taken as invariant and common to
 * all CPUs, as it is under QEMU and on every AMD CPU with SVM of interest here.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/time.h>

#include "x86.h"

#define PIT_HZ 1193182u
#define PIT_CH2_DATA 0x42
#define PIT_MODE 0x43
#define PIT_MODE_CH2_LOHI_MODE0 0xb0 /* channel 2, lobyte/hibyte access, mode 0, binary */
#define PORT_B 0x61                  /* NMI status and control: bit 0 gate 2, bit 1 speaker */
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define CALIBRATION_MS 10u
/* Give up on a PIT that never fires after this many TSC ticks (10 s at 10 GHz). */
#define CALIBRATION_LIMIT UINT64_C(100000000000)
/* Used when no frequency can be found: a guess, so that timeouts still end. */
#define FALLBACK_HZ UINT64_C(1000000000)

static uint64_t tsc_base;
static uint64_t tsc_hz;
static uint64_t us_mult; /* microseconds per tick, as a 32.32 fixed-point factor */
static const char *tsc_source = "none";

static uint64_t cpuid_tsc_hz(void)
{
    uint32_t r[4];

    x86_cpuid(0, 0, r);
    if (r[0] < 0x15) {
        return 0;
    }
    x86_cpuid(0x15, 0, r);
    if (r[0] == 0 || r[1] == 0 || r[2] == 0) {
        return 0;
    }
    return (uint64_t)r[2] * r[1] / r[0];
}

static uint64_t pit_tsc_hz(void)
{
    const uint32_t count = PIT_HZ / (1000u / CALIBRATION_MS);
    uint8_t b = pio_read8(PORT_B);
    uint64_t start, delta;

    pio_write8(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2));
    pio_write8(PIT_MODE, PIT_MODE_CH2_LOHI_MODE0);
    pio_write8(PIT_CH2_DATA, (uint8_t)count);
    pio_write8(PIT_CH2_DATA, (uint8_t)(count >> 8));
    start = x86_rdtsc();
    do {
        delta = x86_rdtsc() - start;
        if (delta > CALIBRATION_LIMIT) {
            pio_write8(PORT_B, b);
            return 0;
        }
    } while (!(pio_read8(PORT_B) & PORT_B_OUT2));
    pio_write8(PORT_B, b);
    return delta * PIT_HZ / count;
}

/*
 * The median of three PIT measurements: one run can be thrown off when the host deschedules
 * an emulated CPU in the middle of it (seen under TCG on a loaded machine).
 */
static uint64_t pit_tsc_hz_median(void)
{
    uint64_t a = pit_tsc_hz(), b = pit_tsc_hz(), c = pit_tsc_hz();

    return MAX(MIN(a, b), MIN(MAX(a, b), c));
}

void x86_time_init(void)
{
    tsc_hz = cpuid_tsc_hz();
    tsc_source = "CPUID 0x15";
    if (tsc_hz == 0) {
        tsc_hz = pit_tsc_hz_median();
        tsc_source = "PIT";
    }
    if (tsc_hz == 0) {
        tsc_hz = FALLBACK_HZ;
        tsc_source = "guessed, no PIT";
    }
    us_mult = (UINT64_C(1000000) << 32) / tsc_hz;
    tsc_base = x86_rdtsc();
}

uint64_t x86_tsc_hz(const char **source)
{
    if (source != NULL) {
        *source = tsc_source;
    }
    return tsc_hz;
}

uint64_t arch_time_us(void)
{
    unsigned __int128 t = (unsigned __int128)(x86_rdtsc() - tsc_base) * us_mult;

    return (uint64_t)(t >> 32);
}
