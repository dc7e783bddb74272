// SPDX-License-Identifier: Apache-2.0
/*
 * The legacy I/O ports a PC operating system probes at boot, emulated per partition
 * (struct x86_vio) so that Linux boots without any of them reaching hardware or another
 * partition. Ports the partition owns (its devices' `reg` in I/O space) pass through the
 * IOPM and never come here; every port not listed below stays denied (the partition stops).
 *
 *   0x3f8-0x3ff  the partition's virtual 16550 COM1 (arch/x86/vuart.c): the partition's
 *                console lines out, what is typed at the hypervisor console while it has
 *                the input focus in; its interrupt identification register follows the
 *                datasheet's table 4 (received data, then transmitter empty), so Linux's
 *                8250 driver, polling it from a timer (the ACPI DSDT describes it without
 *                an interrupt: its virtual interrupt is a guest vector, not an input Linux
 *                could program), sees what to do
 *   0x40-0x43    PIT channel 2 only, counting at 1.193182 MHz derived from the TSC (Intel
 *   0x61         8254 datasheet: mode 0; port 0x61 bit 0 gate, bit 5 OUT2): Linux calibrates
 *                its TSC against it (quick_pit_calibrate, pit_calibrate_tsc). Channels 0
 *                and 1 read as 0 and ignore writes (no PIT interrupt exists)
 *   0x70-0x71    CMOS/RTC (MC146818): index and data; the clock reads as a fixed date with
 *                the update-in-progress flag clear, writes are ignored (the FADT says there is
 *                no CMOS RTC device, but Linux still reads the wall clock)
 *   0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1  8259 PICs and ELCR: absent (read all ones, writes
 *                ignored); the MADT has no PCAT_COMPAT and the FADT is hardware-reduced
 *   0x80         the POST/delay port: writes ignored
 *   0x81-0x8f    the ISA DMA page registers: absent (Linux's i8237 probe reads 0x87 and
 *                registers no DMA controller when it reads all ones)
 *   0x2f8-0x2ff, 0x3e8-0x3ef, 0x2e8-0x2ef  the other legacy COM ports: absent
 *   0x2e, 0x2f, 0x4e, 0x4f  Super I/O configuration index/data: absent (Linux's 8250 driver
 *                probes them for Fintek chips behind a PNP0501 port)
 *   0xcf8-0xcff  PCI configuration mechanism #1: absent (a partition has no PCI bus yet)
 *   0x60, 0x64   the 8042: absent (the FADT says so too)
 *   0x600, 0x601 the ACPI sleep control and status registers of the FADT (ACPI 6.5,
 *                4.8.3.7): SLP_EN with the \_S5 sleep type powers the partition off (as
 *                BH_HC_SYSTEM_OFF does; Linux's poweroff); other writes are ignored, the
 *                status reads 0
 */
#include <hv/partition.h>

#include "svm.h"
#include "x86.h"

#define PIT_HZ 1193182u
#define RTC_REG_A 0x0au
#define RTC_REG_B 0x0bu
#define RTC_REG_D 0x0du
#define RTC_DAY 0x07u
#define RTC_MONTH 0x08u
#define RTC_YEAR 0x09u
#define RTC_CENTURY 0x32u
/* Sleep control register (ACPI 6.5, 4.8.3.7): SLP_TYPx bits 4:2, SLP_EN bit 5. */
#define SLP_TYP(v) (((v) >> 2) & 7u)
#define SLP_EN 0x20u
#define PORT61_GATE2 0x01u
#define PORT61_SPEAKER 0x02u
#define PORT61_OUT2 0x20u

/* Ports that read as all ones and ignore writes: nothing decodes them. */
static bool port_absent(uint16_t port)
{
    return port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1 || port == 0x4d0 ||
           port == 0x4d1 || (port >= 0x80 && port <= 0x8f) || port == 0x60 || port == 0x64 ||
           (port >= 0x2f8 && port <= 0x2ff) || (port >= 0x3e8 && port <= 0x3ef) ||
           (port >= 0x2e8 && port <= 0x2ef) || (port >= 0xcf8 && port <= 0xcff) || port == 0x2e ||
           port == 0x2f || port == 0x4e || port == 0x4f;
}

/* PIT ticks elapsed since channel 2 was loaded. */
static uint64_t pit_elapsed(const struct x86_vio *s)
{
    uint64_t hz = x86_tsc_hz(NULL);

    if (s->pit_start == 0 || hz == 0 || (s->port61 & PORT61_GATE2) == 0) {
        return 0;
    }
    return (uint64_t)((unsigned __int128)(x86_rdtsc() - s->pit_start) * PIT_HZ / hz);
}

/* Channel 2's counter now (mode 0: counts down from the reload, wrapping). */
static uint16_t pit_count(const struct x86_vio *s)
{
    return (uint16_t)(s->pit_reload - pit_elapsed(s));
}

static uint32_t pit_read(struct x86_vio *s, uint16_t port)
{
    uint16_t c;
    bool msb;

    if (port != 0x42) {
        return 0;
    }
    c = s->pit_latched ? s->pit_latch : pit_count(s);
    msb = s->pit_access == 2 || (s->pit_access == 3 && s->pit_read_msb);
    if (s->pit_access == 3) {
        s->pit_read_msb = !s->pit_read_msb;
    }
    if (s->pit_latched && (s->pit_access != 3 || !s->pit_read_msb)) {
        s->pit_latched = false; /* both bytes of a latched value read */
    }
    return msb ? (uint32_t)(c >> 8) : (uint32_t)(c & 0xffu);
}

static void pit_write(struct x86_vio *s, uint16_t port, uint8_t val)
{
    if (port == 0x43) {
        if ((val >> 6) != 2) {
            return; /* channels 0, 1 (and read-back) are not emulated */
        }
        if (((val >> 4) & 3u) == 0) {
            s->pit_latch = pit_count(s);
            s->pit_latched = true;
            s->pit_read_msb = false;
            return;
        }
        s->pit_access = (val >> 4) & 3u;
        s->pit_msb_next = s->pit_access == 2;
        s->pit_read_msb = s->pit_access == 2;
        s->pit_start = 0;
        return;
    }
    if (port != 0x42) {
        return;
    }
    if (s->pit_msb_next) {
        s->pit_reload = (uint16_t)((s->pit_reload & 0xffu) | (uint16_t)val << 8);
    } else {
        s->pit_reload = (uint16_t)((s->pit_reload & 0xff00u) | val);
    }
    /* Mode 0 starts counting once the (last byte of the) count is written. */
    if (s->pit_access != 3 || s->pit_msb_next) {
        s->pit_start = x86_rdtsc();
    }
    if (s->pit_access == 3) {
        s->pit_msb_next = !s->pit_msb_next;
    }
}

static uint32_t port61_read(const struct x86_vio *s)
{
    uint32_t v = s->port61 & (PORT61_GATE2 | PORT61_SPEAKER);

    if (s->pit_start != 0 && pit_elapsed(s) >= (s->pit_reload == 0 ? 0x10000u : s->pit_reload)) {
        v |= PORT61_OUT2;
    }
    return v;
}

static void port61_write(struct x86_vio *s, uint8_t val)
{
    /* Raising the gate restarts a mode-0 count that has been loaded. */
    if ((val & PORT61_GATE2) != 0 && (s->port61 & PORT61_GATE2) == 0 && s->pit_start != 0) {
        s->pit_start = x86_rdtsc();
    }
    s->port61 = val & (PORT61_GATE2 | PORT61_SPEAKER);
}

/* The CMOS registers as read: a valid RTC showing 2024-01-01 00:00:00, BCD, 24-hour; the
 * rest 0. */
static const uint8_t cmos[0x80] = {
    [RTC_REG_A] = 0x26,   /* 32.768 kHz base, 1024 Hz rate, UIP clear */
    [RTC_REG_B] = 0x02,   /* 24-hour, BCD, no interrupts */
    [RTC_REG_D] = 0x80,   /* valid RAM and time */
    [RTC_DAY] = 0x01,     /* day of month */
    [RTC_MONTH] = 0x01,   /* month */
    [RTC_YEAR] = 0x24,    /* year */
    [RTC_CENTURY] = 0x20, /* century */
};

bool x86_vio_access(struct vcpu *v, uint16_t port, bool in, unsigned int size, uint32_t *val)
{
    struct x86_vio *s = &v->part->arch.vio;
    uint32_t r = 0;
    uint8_t w = (uint8_t)*val;

    if (x86_vuart_access(v, port, in, size, val)) {
        return true;
    }
    if (port_absent(port)) {
        r = size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;
    } else if (size != 1) {
        return false; /* wider accesses: only to the absent ports (PCI configuration probes) */
    } else if (port >= 0x40 && port <= 0x43) {
        if (in) {
            r = pit_read(s, port);
        } else {
            pit_write(s, port, w);
        }
    } else if (port == 0x61) {
        if (in) {
            r = port61_read(s);
        } else {
            port61_write(s, w);
        }
    } else if (port == 0x70 || port == 0x71) {
        if (in) {
            r = port == 0x70 ? s->cmos_index : cmos[s->cmos_index & 0x7fu];
        } else if (port == 0x70) {
            s->cmos_index = w;
        }
    } else if (port == X86_VIO_SLEEP_CONTROL || port == X86_VIO_SLEEP_STATUS) {
        if (!in && port == X86_VIO_SLEEP_CONTROL && (w & SLP_EN) != 0 &&
            SLP_TYP(w) == X86_ACPI_SLP_TYP_S5) {
            partition_system_off(v);
        }
    } else {
        return false;
    }
    if (in) {
        *val = r;
    }
    return true;
}
