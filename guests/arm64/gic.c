// SPDX-License-Identifier: Apache-2.0
/*
 * Virtual GICv3 and virtual timer helpers of the test guests (design: gic.h). With the MMU
 * off every access is Device-nGnRnE, so the GIC registers need no extra barriers beyond
 * the ISB/DSB the architecture asks for around system-register writes.
 */
#include <hv/fdt.h>

#include "gic.h"

#define GICD_CTLR 0x0000u
#define GICD_ISENABLER 0x0100u
#define GICD_IPRIORITYR 0x0400u
#define GICD_IROUTER 0x6000u
#define GICR_WAKER 0x0014u
#define GICR_FRAME 0x20000u
#define GICR_SGI 0x10000u
#define GICD_CTLR_GRP1 (1u << 1)
#define GICR_WAKER_SLEEP (1u << 1)

static uint64_t dist_base, redist_base;
/* bootargs "gic-poll=1": take interrupts by polling ICC_IAR1_EL1 (gic_poll()). */
static bool poll_mode;

void rt_irq(void);

int gic_init(const struct guest_info *gi)
{
    int node = fdt_find_compatible(&gi->fdt, -1, "arm,gic-v3");
    uint64_t size;

    if (node < 0 || fdt_reg(&gi->fdt, node, 0, &dist_base, &size) != 0 ||
        fdt_reg(&gi->fdt, node, 1, &redist_base, &size) != 0) {
        gprintf("gic: no arm,gic-v3 node with two reg ranges in the DTB\n");
        return -1;
    }
    *gic_dist_reg(GICD_CTLR) = GICD_CTLR_GRP1;
    poll_mode = dt_bootarg_u32(gi, "gic-poll", 0) != 0;
    if (poll_mode) {
        gprintf("gic: polling ICC_IAR1_EL1 (gic-poll=1)\n");
    }
    return 0;
}

/*
 * Polled delivery, for a machine whose GIC cannot signal virtual interrupts to the CPU
 * (QEMU's imx8mp-evk connects only the GIC's IRQ and FIQ outputs, not VIRQ/VFIQ: what the
 * hypervisor puts in the list registers is pending in the virtual CPU interface but never
 * taken). Reading ICC_IAR1_EL1 (ICV_IAR1_EL1 under IMO) acknowledges it all the same, so while
 * PSTATE.I is clear each guest_wait() round handles what is pending, as the IRQ vector
 * would, with IRQs masked around the handler as they are there.
 */
void gic_poll(void)
{
    uint64_t daif;

    if (!poll_mode) {
        return;
    }
    __asm__ __volatile__("mrs %0, daif" : "=r"(daif));
    if (daif & (1u << 7)) {
        return; /* IRQs masked: nothing is taken, as on the vector path */
    }
    irq_mask(true);
    rt_irq();
    irq_mask(false);
}

volatile uint32_t *gic_dist_reg(uint32_t offset)
{
    return (volatile uint32_t *)(uintptr_t)(dist_base + offset);
}

volatile uint32_t *gic_redist_reg(unsigned int vcpu, uint32_t offset)
{
    return (volatile uint32_t *)(uintptr_t)(redist_base + (uint64_t)vcpu * GICR_FRAME + offset);
}

uint64_t gic_redist_base(void)
{
    return redist_base;
}

void gic_cpu_init(unsigned int vcpu)
{
    *gic_redist_reg(vcpu, GICR_WAKER) &= ~GICR_WAKER_SLEEP;
    /* ICC_SRE_EL1.SRE (IHI 0069 12.2.21), then every priority passes, Group 1 on. */
    __asm__ __volatile__("msr S3_0_C12_C12_5, %0\n\tisb" ::"r"(UINT64_C(7)));
    __asm__ __volatile__("msr S3_0_C4_C6_0, %0" ::"r"(UINT64_C(0xff)));       /* ICC_PMR_EL1 */
    __asm__ __volatile__("msr S3_0_C12_C12_7, %0\n\tisb" ::"r"(UINT64_C(1))); /* IGRPEN1 */
}

void gic_enable_private(unsigned int vcpu, unsigned int intid, bool on)
{
    *gic_redist_reg(vcpu, GICR_SGI + (on ? GICD_ISENABLER : GICD_ISENABLER + 0x80)) = 1u << intid;
}

void gic_enable_spi(unsigned int intid, unsigned int target)
{
    volatile uint64_t *router =
        (volatile uint64_t *)(uintptr_t)(dist_base + GICD_IROUTER + 8 * (uint64_t)intid);

    *router = target;
    *gic_dist_reg(GICD_ISENABLER + 4 * (intid / 32)) = 1u << (intid % 32);
}

void gic_sgi_raw(uint64_t val)
{
    __asm__ __volatile__("msr S3_0_C12_C11_5, %0\n\tisb" ::"r"(val)); /* ICC_SGI1R_EL1 */
}

void gic_sgi(unsigned int intid, uint16_t target_list)
{
    gic_sgi_raw((uint64_t)(intid & 0xfu) << 24 | target_list);
}

void irq_mask(bool masked)
{
    if (masked) {
        __asm__ __volatile__("msr daifset, #2" ::: "memory");
    } else {
        __asm__ __volatile__("msr daifclr, #2" ::: "memory");
    }
}

unsigned int guest_vcpu(void)
{
    uint64_t mpidr;

    __asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(mpidr));
    return (unsigned int)(mpidr & 0xffu);
}

void vtimer_arm(uint64_t ticks)
{
    __asm__ __volatile__("msr cntv_tval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb" ::"r"(ticks),
                         "r"(UINT64_C(1)));
}

void vtimer_stop(void)
{
    __asm__ __volatile__("msr cntv_ctl_el0, xzr\n\tisb");
}

/* Default handler: any interrupt a scenario does not expect is a failure. */
__attribute__((weak)) void guest_irq(unsigned int vcpu, unsigned int intid)
{
    guest_fail("vcpu %u: unexpected interrupt %u", vcpu, intid);
}

void rt_irq(void)
{
    uint64_t iar;

    __asm__ __volatile__("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
    if ((iar & 0xffffffu) >= 1020) {
        return; /* spurious */
    }
    guest_irq(guest_vcpu(), (unsigned int)(iar & 0xffffffu));
    __asm__ __volatile__("msr S3_0_C12_C12_1, %0\n\tisb" ::"r"(iar)); /* ICC_EOIR1_EL1 */
}
