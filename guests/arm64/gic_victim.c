// SPDX-License-Identifier: Apache-2.0
/*
 * The peer of gic_hostile.c: owns a UART and its SPI (INTID 40, uart1 on QEMU virt; the
 * layout's bootargs "victim-spi=<intid>" names another on other boards), enables every SGI
 * and that SPI, counts what arrives while the hostile partition runs its attempts, and checks
 * that only its own SGI arrived and that its distributor state is still its own. It fails on
 * any interrupt it did not cause itself.
 */
#include "gic.h"

#define WAIT_MS 30000u
#define SPI_DEFAULT 40u
#define OWN_SGI 9u
#define GICD_ISENABLER 0x0100u
#define GICD_ISPENDR 0x0200u

static volatile uint64_t sgis[16], spi, other;
static uint32_t victim_spi = SPI_DEFAULT; /* set once, before interrupts are unmasked */

void guest_irq(unsigned int vcpu, unsigned int intid)
{
    (void)vcpu;
    if (intid < 16) {
        sgis[intid]++;
    } else if (intid == victim_spi) {
        spi++;
    } else {
        other++;
    }
}

static bool flag_set(void *arg)
{
    return *(const volatile uint64_t *)arg != 0;
}

static bool never(void *arg)
{
    (void)arg;
    return false;
}

void guest_main(struct guest_info *gi)
{
    const struct guest_shm *flag = dt_shm(gi, "gicflag");
    uint64_t n = 0;

    guest_describe(gi);
    victim_spi = dt_bootarg_u32(gi, "victim-spi", SPI_DEFAULT);
    GUEST_CHECK(victim_spi >= 32 && victim_spi < 1020, "victim-spi=%u: not an SPI", victim_spi);
    GUEST_CHECK(flag != NULL, "no gicflag region");
    GUEST_CHECK(gic_init(gi) == 0, "no virtual GIC");
    gic_cpu_init(0);
    for (unsigned int i = 0; i < 16; i++) {
        gic_enable_private(0, i, true);
    }
    gic_enable_spi(victim_spi, 0);
    irq_mask(false);
    gic_sgi(OWN_SGI, 1u << 0);
    GUEST_CHECK(guest_wait(flag_set, (void *)&sgis[OWN_SGI], WAIT_MS), "its own SGI never came");
    gprintf("gic_victim: own SGI received; waiting for the hostile partition\n");
    GUEST_CHECK(guest_wait(flag_set, (void *)(uintptr_t)flag->base, WAIT_MS),
                "the hostile partition never finished");
    (void)guest_wait(never, NULL, 200); /* late arrivals */
    for (unsigned int i = 0; i < 16; i++) {
        n += sgis[i];
    }
    GUEST_CHECK(n == 1 && spi == 0 && other == 0,
                "interrupts it did not cause: %llu SGIs, SPI %u %llu times, %llu others",
                (unsigned long long)n - 1, victim_spi, (unsigned long long)spi,
                (unsigned long long)other);
    GUEST_CHECK(
        (*gic_dist_reg(GICD_ISENABLER + 4 * (victim_spi / 32)) & (1u << (victim_spi % 32))) != 0 &&
            (*gic_dist_reg(GICD_ISPENDR + 4 * (victim_spi / 32)) & (1u << (victim_spi % 32))) ==
                0 &&
            gic_spi_route_reg(victim_spi) == (gic_is_v2() ? 1u : 0u), /* vCPU 0 */
        "its SPI %u was changed by someone else", victim_spi);
    gprintf("gic_victim: no interrupt from the hostile partition, SPI %u still its own\n",
            victim_spi);
}
