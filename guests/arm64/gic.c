// SPDX-License-Identifier: Apache-2.0
/*
 * Virtual GIC and virtual timer helpers of the test guests (design: gic.h). With the MMU
 * off every access is Device-nGnRnE, so the GIC registers need no extra barriers beyond
 * the ISB/DSB the architecture asks for around system-register writes.
 */
#include <hv/fdt.h>

#include "gic.h"

#define GICD_CTLR 0x0000u
#define GICD_ISENABLER 0x0100u
#define GICD_IPRIORITYR 0x0400u
#define GICD_ITARGETSR 0x0800u
#define GICD_SGIR 0x0f00u
#define GICD_IROUTER 0x6000u
#define GICC_CTLR 0x0000u
#define GICC_PMR 0x0004u
#define GICC_IAR 0x000cu
#define GICC_EOIR 0x0010u
#define GICR_WAKER 0x0014u
#define GICR_FRAME 0x20000u
#define GICR_SGI 0x10000u
#define GICD_CTLR_GRP1 (1u << 1)
#define GICR_WAKER_SLEEP (1u << 1)

/* GICv3: redist_base is the redistributors'; GICv2: cpu_base is the CPU interface's. */
static uint64_t dist_base, redist_base, cpu_base;
static bool v2;
/* bootargs "gic-poll=1": take interrupts by polling the acknowledge register (gic_poll()). */
static bool poll_mode;

void rt_irq(void);

int gic_init(const struct guest_info *gi)
{
    int node = fdt_find_compatible(&gi->fdt, -1, "arm,gic-v3");
    uint64_t size;

    v2 = node < 0;
    if (v2) {
        node = fdt_find_compatible(&gi->fdt, -1, "arm,cortex-a15-gic");
    }
    if (node < 0 || fdt_reg(&gi->fdt, node, 0, &dist_base, &size) != 0 ||
        fdt_reg(&gi->fdt, node, 1, v2 ? &cpu_base : &redist_base, &size) != 0) {
        gprintf("gic: no arm,gic-v3 or arm,cortex-a15-gic node with two reg ranges\n");
        return -1;
    }
    /* GICD_CTLR: EnableGrp1 (GICv3, IHI 0069 12.9.4); Enable (GICv2, IHI 0048B 4.3.1). */
    *gic_dist_reg(GICD_CTLR) = v2 ? 1u : GICD_CTLR_GRP1;
    poll_mode = dt_bootarg_u32(gi, "gic-poll", 0) != 0;
    if (poll_mode) {
        gprintf("gic: polling the interrupt acknowledge register (gic-poll=1)\n");
    }
    return 0;
}

bool gic_is_v2(void)
{
    return v2;
}

static volatile uint32_t *cpu_reg(uint32_t offset)
{
    return (volatile uint32_t *)(uintptr_t)(cpu_base + offset);
}

/*
 * Polled delivery, for a machine whose GIC cannot signal virtual interrupts to the CPU
 * (QEMU's imx8mp-evk connects only the GIC's IRQ and FIQ outputs, not VIRQ/VFIQ: what the
 * hypervisor puts in the list registers is pending in the virtual CPU interface but never
 * taken). Reading the acknowledge register (ICV_IAR1_EL1 under IMO) takes it all the same,
 * so while PSTATE.I is clear each guest_wait() round handles what is pending, as the IRQ vector
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
    if (v2) {
        /* Every priority passes, Group 0 on (IHI 0048B 4.4.2, 4.4.1). */
        *cpu_reg(GICC_PMR) = 0xff;
        *cpu_reg(GICC_CTLR) = 1;
        return;
    }
    *gic_redist_reg(vcpu, GICR_WAKER) &= ~GICR_WAKER_SLEEP;
    /* ICC_SRE_EL1.SRE (IHI 0069 12.2.21), then every priority passes, Group 1 on. */
    __asm__ __volatile__("msr S3_0_C12_C12_5, %0\n\tisb" ::"r"(UINT64_C(7)));
    __asm__ __volatile__("msr S3_0_C4_C6_0, %0" ::"r"(UINT64_C(0xff)));       /* ICC_PMR_EL1 */
    __asm__ __volatile__("msr S3_0_C12_C12_7, %0\n\tisb" ::"r"(UINT64_C(1))); /* IGRPEN1 */
}

void gic_enable_private(unsigned int vcpu, unsigned int intid, bool on)
{
    if (v2) {
        *gic_dist_reg(on ? GICD_ISENABLER : GICD_ISENABLER + 0x80) = 1u << intid;
        return;
    }
    *gic_redist_reg(vcpu, GICR_SGI + (on ? GICD_ISENABLER : GICD_ISENABLER + 0x80)) = 1u << intid;
}

void gic_route_spi(unsigned int intid, unsigned int target)
{
    if (v2) {
        *(volatile uint8_t *)(uintptr_t)(dist_base + GICD_ITARGETSR + intid) =
            (uint8_t)(1u << target);
    } else {
        *(volatile uint64_t *)(uintptr_t)(dist_base + GICD_IROUTER + 8 * (uint64_t)intid) = target;
    }
}

uint64_t gic_spi_route_reg(unsigned int intid)
{
    if (v2) {
        return *(volatile uint8_t *)(uintptr_t)(dist_base + GICD_ITARGETSR + intid);
    }
    return *(volatile uint64_t *)(uintptr_t)(dist_base + GICD_IROUTER + 8 * (uint64_t)intid);
}

void gic_enable_spi(unsigned int intid, unsigned int target)
{
    gic_route_spi(intid, target);
    *gic_dist_reg(GICD_ISENABLER + 4 * (intid / 32)) = 1u << (intid % 32);
}

void gic_sgi_raw(uint64_t val)
{
    if (v2) {
        *gic_dist_reg(GICD_SGIR) = (uint32_t)val;
        return;
    }
    __asm__ __volatile__("msr S3_0_C12_C11_5, %0\n\tisb" ::"r"(val)); /* ICC_SGI1R_EL1 */
}

void gic_sgi(unsigned int intid, uint16_t target_list)
{
    /* GICD_SGIR (IHI 0048B 4.3.15): CPUTargetList 23:16, SGIINTID 3:0; ICC_SGI1R_EL1
     * (IHI 0069 12.2.23): INTID 27:24, TargetList 15:0. */
    if (v2) {
        gic_sgi_raw((uint64_t)(target_list & 0xffu) << 16 | (intid & 0xfu));
    } else {
        gic_sgi_raw((uint64_t)(intid & 0xfu) << 24 | target_list);
    }
}

void gic_sgi_others(unsigned int intid)
{
    gic_sgi_raw(v2 ? UINT64_C(1) << 24 | (intid & 0xfu)
                   : (uint64_t)(intid & 0xfu) << 24 | UINT64_C(1) << 40);
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

    if (v2) {
        uint32_t v = *cpu_reg(GICC_IAR);

        if ((v & 0x3ffu) >= 1020) {
            return; /* spurious */
        }
        guest_irq(guest_vcpu(), v & 0x3ffu);
        *cpu_reg(GICC_EOIR) = v; /* with its source CPU bits, as read */
        return;
    }
    __asm__ __volatile__("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
    if ((iar & 0xffffffu) >= 1020) {
        return; /* spurious */
    }
    guest_irq(guest_vcpu(), (unsigned int)(iar & 0xffffffu));
    __asm__ __volatile__("msr S3_0_C12_C12_1, %0\n\tisb" ::"r"(iar)); /* ICC_EOIR1_EL1 */
}
