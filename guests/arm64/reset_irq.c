// SPDX-License-Identifier: Apache-2.0
/*
 * A reset from inside an interrupt handler: on boot 0 the guest takes an SGI to itself and,
 * in its handler, before the end of interrupt (so the virtual CPU interface still counts the
 * interrupt active at its priority), asks PSCI SYSTEM_RESET. On boot 1 the same SGI must
 * arrive again: a new boot starts with no active priority left over from the previous one
 * (the list registers and the active-priority registers of the vCPU's CPU interface cleared,
 * IHI 0069 12.4.1-2 ICH_AP0R/AP1R_EL2, IHI 0048B 5.3.9 GICH_APR).
 */
#include "gic.h"

#define SGI 3u
#define WAIT_MS 5000u

static unsigned int boot;
static volatile uint64_t taken;

void guest_irq(unsigned int vcpu, unsigned int intid)
{
    (void)vcpu;
    if (intid != SGI) {
        return;
    }
    taken++;
    if (boot == 0) {
        gprintf("reset_irq: boot 0, SYSTEM_RESET from the SGI handler\n");
        (void)hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0, 0, 0);
        guest_fail("SYSTEM_RESET returned");
    }
}

static bool arrived(void *arg)
{
    (void)arg;
    return taken != 0;
}

void guest_main(struct guest_info *gi)
{
    boot = gi->boot_count;
    guest_describe(gi);
    GUEST_CHECK(gic_init(gi) == 0, "no GIC");
    gic_cpu_init(0);
    gic_enable_private(0, SGI, true);
    irq_mask(false);
    gic_sgi(SGI, 1u << 0);
    GUEST_CHECK(guest_wait(arrived, NULL, WAIT_MS), "boot %u: SGI %u to itself never arrived", boot,
                SGI);
    GUEST_CHECK(boot == 1, "boot %u: the handler did not reset", boot);
    gprintf("reset_irq: boot 1, SGI taken again after a reset with it active\n");
    guest_pass();
}
