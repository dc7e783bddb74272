// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile interrupt use (two vCPUs; its peer "victim" runs gic_victim.c on the third CPU and
 * owns uart1's SPI). Each attempt below must be contained and reported by the hypervisor,
 * and the victim must see none of it:
 *  - SGIs aimed at CPUs outside the partition by affinity (vCPU numbers it does not have,
 *    another cluster), and a broadcast (IRM = 1 / filter 1), which must reach only its own vCPU 1;
 *  - distributor writes to the victim's SPI (enable, pend, route, priority): ignored, read
 *    back as zero;
 *  - more pending interrupts than list registers: 16 self-SGIs with interrupts masked, the
 *    same towards vCPU 1 while it masks them, then a flood of 1000 self-SGIs: every one
 *    counted exactly once;
 *  - clearing pending state: its own virtual SPI (the doorbell of "gicflag") pended and
 *    cleared through GICD_ISPENDR / GICD_ICPENDR while disabled, while masked on vCPU 0
 *    (in a list register) and while masked on vCPU 1 (then routed back to vCPU 0 before the
 *    clear), is never taken; pended alone, once. GICD_I[SC]PENDR<n> read it pending while
 *    held back or listed, not once cleared.
 *    GICv2: GICD_ISPENDR0 / GICD_ICPENDR0 ignore SGI bits (IHI 0048B 4.3.7, 4.3.8), and
 *    GICD_CPENDSGIR clears a listed SGI, which GICD_[SC]PENDSGIR<n>
 *    read pending from CPU 0 until then;
 *  - last, a read of the redistributor of a CPU it does not own (GICv3) or of the GICv2's
 *    virtual interface control frame, GICH (the hypervisor's list registers): a stage-2 fault
 *    stops the partition (expected), after it has told the victim it is done and reported
 *    its pass.
 * On a GICv2 "by affinity" means GICD_SGIR target-list bits of CPU interfaces it does not
 * have, and a broadcast is the "all but self" target filter.
 */
#include <hv/string.h>

#include "gic.h"

#define WAIT_MS 20000u
#define FLOOD 1000u
/* The victim's SPI: uart1's on QEMU virt (SPI 8), else bootargs "victim-spi=<intid>". */
#define VICTIM_SPI_DEFAULT 40u
#define GICD_ISENABLER 0x0100u
#define GICD_ISPENDR 0x0200u
#define GICD_ICPENDR 0x0280u
#define GICD_ICENABLER 0x0180u
#define GICD_CPENDSGIR 0x0f10u
#define GICD_SPENDSGIR 0x0f20u
#define GICD_ISACTIVER 0x0300u
#define GICD_IPRIORITYR 0x0400u
#define GICR_TYPER 0x0008u
/* QEMU virt's GICv2 virtual interface control frame (GICH_VTR at 4): never the guest's. */
#define GICV2_GICH_VTR 0x08030004u

static volatile uint64_t sgis[2][16];
static volatile uint64_t vspis[2];
static volatile uint64_t v1_up, v1_masked, v1_release, done;
static uint32_t victim_spi = VICTIM_SPI_DEFAULT;
static uint32_t vspi; /* its own virtual SPI: gicflag's doorbell */

void guest_irq(unsigned int vcpu, unsigned int intid)
{
    GUEST_CHECK((intid < 16 || intid == vspi) && vcpu < 2, "vcpu %u: unexpected interrupt %u", vcpu,
                intid);
    if (intid == vspi) {
        vspis[vcpu]++;
    } else {
        sgis[vcpu][intid]++;
    }
}

static bool never(void *arg)
{
    (void)arg;
    return false;
}

/* Let whatever is pending and deliverable arrive. */
static void settle(void)
{
    (void)guest_wait(never, NULL, 50);
}

static uint64_t total(unsigned int vcpu)
{
    uint64_t n = 0;

    for (unsigned int i = 0; i < 16; i++) {
        n += sgis[vcpu][i];
    }
    return n;
}

void guest_secondary(unsigned int vcpu)
{
    gic_cpu_init(vcpu);
    for (unsigned int i = 0; i < 16; i++) {
        gic_enable_private(vcpu, i, true);
    }
    irq_mask(false);
    guest_dmb();
    v1_up = 1;
    /* On request: interrupts masked until released (the cross-CPU overflow test). */
    GUEST_CHECK(guest_wait(guest_flag_set, (void *)&v1_masked, WAIT_MS),
                "vcpu 1: never asked to mask");
    irq_mask(true);
    guest_dmb();
    v1_masked = 2;
    GUEST_CHECK(guest_wait(guest_flag_set, (void *)&v1_release, WAIT_MS), "vcpu 1: never released");
    irq_mask(false);
    /* Again, for clear_pending(). */
    guest_wait_count(&v1_masked, 3, 4 * WAIT_MS, "vcpu 1: asked to mask again");
    irq_mask(true);
    guest_dmb();
    v1_masked = 4;
    guest_wait_count(&v1_release, 2, WAIT_MS, "vcpu 1: released again");
    irq_mask(false);
    while (!done) {
        gic_poll(); /* gic-poll=1: the interrupts this loop waits for are taken here */
        __asm__ __volatile__("wfi");
    }
}

static void affinity_sgis(void)
{
    uint64_t before = total(1);

    gic_sgi(1, 0xcu); /* vCPUs 2 and 3: not in the partition */
    if (gic_is_v2()) {
        gic_sgi(2, 0x80u); /* CPU interface 7 */
    } else {
        gic_sgi_raw((uint64_t)2 << 24 | UINT64_C(1) << 16 | 0x1u); /* Aff1 = 1: another cluster */
        gic_sgi_raw((uint64_t)2 << 24 | UINT64_C(1) << 32 | 0x8u); /* Aff2 = 1 */
    }
    gic_sgi(3, 0x6u); /* vCPU 1 (own) and vCPU 2 (not) */
    guest_wait_count(&sgis[1][3], 1, WAIT_MS, "SGI 3 at vcpu 1");
    GUEST_CHECK(total(1) == before + 1 && total(0) == 0,
                "SGIs outside the partition landed in it: vcpu0 %llu vcpu1 %llu",
                (unsigned long long)total(0), (unsigned long long)(total(1) - before));
    gprintf("gic_hostile: SGIs by affinity outside the partition dropped\n");
    /* Broadcast: vCPU 1 only, not the sender, not the victim. */
    gic_sgi_others(4);
    guest_wait_count(&sgis[1][4], 1, WAIT_MS, "broadcast SGI 4 at vcpu 1");
    GUEST_CHECK(sgis[0][4] == 0, "the broadcast reached its sender");
    gprintf("gic_hostile: broadcast SGI reached vcpu 1 only\n");
}

static void victim_spi_writes(void)
{
    uint32_t bit = 1u << (victim_spi % 32), off = 4 * (victim_spi / 32);

    *gic_dist_reg(GICD_ISENABLER + off) = bit;
    *gic_dist_reg(GICD_ISPENDR + off) = bit;
    *gic_dist_reg(GICD_ISACTIVER + off) = bit;
    *gic_dist_reg(GICD_IPRIORITYR + (victim_spi & ~3u)) = 0;
    gic_route_spi(victim_spi, 0);
    GUEST_CHECK((*gic_dist_reg(GICD_ISENABLER + off) & bit) == 0 &&
                    (*gic_dist_reg(GICD_ISPENDR + off) & bit) == 0 &&
                    gic_spi_route_reg(victim_spi) == 0,
                "the victim's SPI %u shows through the distributor", victim_spi);
    gprintf("gic_hostile: distributor writes to SPI %u ignored\n", victim_spi);
}

static void overflow(void)
{
    /* More than the list registers at once, on itself... */
    irq_mask(true);
    for (unsigned int i = 0; i < 16; i++) {
        gic_sgi(i, 1u << 0);
    }
    irq_mask(false);
    for (unsigned int i = 0; i < 16; i++) {
        guest_wait_count(&sgis[0][i], 1, WAIT_MS, "self SGI after the masked burst");
    }
    GUEST_CHECK(total(0) == 16, "%llu self SGIs for 16 sent", (unsigned long long)total(0));
    /* ... and on vCPU 1 while it has them masked. */
    {
        uint64_t before[16];

        for (unsigned int i = 0; i < 16; i++) {
            before[i] = sgis[1][i];
        }
        guest_dmb();
        v1_masked = 1;
        guest_wait_count(&v1_masked, 2, WAIT_MS, "vcpu 1 masking");
        for (unsigned int i = 0; i < 16; i++) {
            gic_sgi(i, 1u << 1);
        }
        guest_dmb();
        v1_release = 1;
        for (unsigned int i = 0; i < 16; i++) {
            guest_wait_count(&sgis[1][i], before[i] + 1, WAIT_MS,
                             "SGI at vcpu 1 after its masked burst");
        }
    }
    gprintf("gic_hostile: 16 pending SGIs at once, on each vCPU: none lost\n");
    /* A flood, taken one by one. */
    for (unsigned int i = 0; i < FLOOD; i++) {
        gic_sgi(7, 1u << 0);
        gic_poll(); /* gic-poll=1: where the vector would take it, before the next send */
    }
    guest_wait_count(&sgis[0][7], FLOOD + 1, WAIT_MS, "flooded SGI 7");
    GUEST_CHECK(sgis[0][7] == FLOOD + 1, "%llu flooded SGIs for %u",
                (unsigned long long)sgis[0][7] - 1, FLOOD);
    gprintf("gic_hostile: %u self-SGIs, %u taken\n", FLOOD, FLOOD);
}

/* The virtual SPI of region "gicflag" (its /reserved-memory node's "interrupts"). */
static uint32_t gicflag_spi(const struct guest_info *gi)
{
    int rm = fdt_path(&gi->fdt, "/reserved-memory");

    for (int n = rm < 0 ? rm : fdt_first_child(&gi->fdt, rm); n >= 0;
         n = fdt_next_sibling(&gi->fdt, n)) {
        struct fdt_prop irq;
        const char *id;

        if (fdt_prop_string(&gi->fdt, n, "id", &id) == 0 && strcmp(id, "gicflag") == 0 &&
            fdt_prop(&gi->fdt, n, "interrupts", &irq) == 0 && irq.len == 12) {
            return fdt_be32((const uint8_t *)irq.data + 4) + 32;
        }
    }
    guest_fail("no interrupt for \"gicflag\"");
}

/* GICD_I[SC]PENDR<n> of intid: set (ISPENDR) or clear pending. */
static void pend(uint32_t reg, uint32_t intid)
{
    *gic_dist_reg(reg + 4 * (intid / 32)) = 1u << (intid % 32);
}

/* intid's bit of GICD_I[SC]PENDR<n> (reg): 1 = pending, whichever is read. */
static bool pending(uint32_t reg, uint32_t intid)
{
    return (*gic_dist_reg(reg + 4 * (intid / 32)) >> (intid % 32)) & 1u;
}

static void clear_pending(void)
{
    uint64_t n5, n6;

    /* Disabled: it waits in the hypervisor's pending set. */
    gic_route_spi(vspi, 0);
    pend(GICD_ISPENDR, vspi);
    GUEST_CHECK(pending(GICD_ISPENDR, vspi), "held-back virtual SPI %u reads not pending", vspi);
    pend(GICD_ICPENDR, vspi);
    GUEST_CHECK(!pending(GICD_ICPENDR, vspi), "cleared virtual SPI %u reads pending", vspi);
    gic_enable_spi(vspi, 0);
    settle();
    GUEST_CHECK(vspis[0] == 0, "virtual SPI %u cleared while disabled, then taken", vspi);
    /* Enabled, masked: in one of its list registers. */
    irq_mask(true);
    pend(GICD_ISPENDR, vspi);
    settle();
    GUEST_CHECK(pending(GICD_ICPENDR, vspi), "listed virtual SPI %u reads not pending", vspi);
    pend(GICD_ICPENDR, vspi);
    GUEST_CHECK(!pending(GICD_ISPENDR, vspi), "cleared listed SPI %u reads pending", vspi);
    irq_mask(false);
    settle();
    GUEST_CHECK(vspis[0] == 0, "virtual SPI %u cleared while listed, then taken", vspi);
    pend(GICD_ISPENDR, vspi);
    guest_wait_count(&vspis[0], 1, WAIT_MS, "virtual SPI pended by GICD_ISPENDR");
    /* On vCPU 1, listed while it masks interrupts: retargeted, then cleared from vCPU 0. */
    gic_route_spi(vspi, 1);
    v1_masked = 3;
    guest_wait_count(&v1_masked, 4, WAIT_MS, "vcpu 1 masking again");
    pend(GICD_ISPENDR, vspi);
    settle();
    gic_route_spi(vspi, 0); /* the clear must still reach vCPU 1's copy */
    pend(GICD_ICPENDR, vspi);
    settle(); /* vCPU 1's CPU empties its list register on the kick */
    guest_dmb();
    v1_release = 2;
    settle();
    GUEST_CHECK(vspis[1] == 0, "virtual SPI %u cleared while listed on vcpu 1, then taken", vspi);
    gprintf("gic_hostile: virtual SPI %u cleared by GICD_ICPENDR: disabled, listed, on vcpu 1\n",
            vspi);
    if (!gic_is_v2()) {
        return;
    }
    /* GICv2: SGI bits of GICD_I[SC]PENDR0 ignore writes, GICD_CPENDSGIR clears. */
    n5 = sgis[0][5];
    n6 = sgis[0][6];
    pend(GICD_ISPENDR, 5);
    settle();
    GUEST_CHECK(sgis[0][5] == n5, "SGI 5 pended by GICD_ISPENDR0");
    *gic_dist_reg(GICD_ICENABLER) = 1u << 6; /* held back in the hypervisor's pending set */
    gic_sgi(6, 1u << 0);
    pend(GICD_ICPENDR, 6);
    gic_enable_private(0, 6, true);
    guest_wait_count(&sgis[0][6], n6 + 1, WAIT_MS, "SGI 6 after a GICD_ICPENDR0 write");
    irq_mask(true);
    gic_sgi(6, 1u << 0);
    settle();
    GUEST_CHECK(*gic_dist_reg(GICD_SPENDSGIR + 4) == 1u << 16, "listed SGI 6 not in SPENDSGIR1");
    *gic_dist_reg(GICD_CPENDSGIR + 4) = 0xffu << 16; /* SGI 6, every source */
    GUEST_CHECK(*gic_dist_reg(GICD_CPENDSGIR + 4) == 0, "cleared SGI 6 in CPENDSGIR1");
    irq_mask(false);
    settle();
    GUEST_CHECK(sgis[0][6] == n6 + 1, "SGI 6 cleared by GICD_CPENDSGIR, then taken");
    gprintf("gic_hostile: SGI pending bits: GICD_I[SC]PENDR0 ignored, GICD_CPENDSGIR clears\n");
}

void guest_main(struct guest_info *gi)
{
    const struct guest_shm *flag = dt_shm(gi, "gicflag");
    volatile uint64_t *shared;

    guest_describe(gi);
    victim_spi = dt_bootarg_u32(gi, "victim-spi", VICTIM_SPI_DEFAULT);
    GUEST_CHECK(victim_spi >= 32 && victim_spi < 1020, "victim-spi=%u: not an SPI", victim_spi);
    GUEST_CHECK(gi->ncpus >= 2 && flag != NULL && flag->writable, "needs 2 vCPUs and gicflag");
    shared = (volatile uint64_t *)(uintptr_t)flag->base;
    vspi = gicflag_spi(gi);
    GUEST_CHECK(gic_init(gi) == 0, "no virtual GIC");
    gic_cpu_init(0);
    for (unsigned int i = 0; i < 16; i++) {
        gic_enable_private(0, i, true);
    }
    irq_mask(false);
    GUEST_CHECK(guest_cpu_on(1) == PSCI_SUCCESS, "CPU_ON(1)");
    GUEST_CHECK(guest_wait(guest_flag_set, (void *)&v1_up, WAIT_MS), "vcpu 1 did not come up");
    affinity_sgis();
    victim_spi_writes();
    overflow();
    clear_pending();
    guest_dmb();
    *shared = 1; /* the victim may check now */
    guest_dmb();
    if (gic_is_v2()) {
        gprintf("gic_hostile: reading the GIC's virtual interface control (GICH)\n");
        (void)hvc_call(BH_HC_TEST_VERDICT, 0, 0, 0, 0, 0);
        (void)*(volatile uint32_t *)(uintptr_t)GICV2_GICH_VTR;
        guest_fail("GICH was readable");
    }
    gprintf("gic_hostile: reading the redistributor of a CPU it does not own\n");
    (void)hvc_call(BH_HC_TEST_VERDICT, 0, 0, 0, 0, 0);
    (void)*(volatile uint32_t *)(uintptr_t)(gic_redist_base() + 2 * 0x20000 + GICR_TYPER);
    guest_fail("the redistributor of a CPU it does not own was readable");
}
