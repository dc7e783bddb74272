// SPDX-License-Identifier: Apache-2.0
/*
 * The GICv3 backend of the physical GIC (gic.c; Arm GIC architecture specification IHI 0069).
 * Addresses come from the board DT's "arm,gic-v3" node: reg[0] = distributor (GICD), reg[1]
 * = the redistributor range (GICR), one frame per CPU found by its GICR_TYPER affinity.
 *
 * Set-up: affinity routing on (GICD_CTLR.ARE, 12.9.4), every interrupt in Group 1 at one
 * priority and disabled; an SPI is only enabled and routed (GICD_IROUTER, 12.9.22) once a
 * partition owns it. Each CPU wakes its redistributor (GICR_WAKER, 12.11.39) and enables
 * three private interrupts: the hypervisor's kick SGI, the maintenance interrupt of the
 * virtual CPU interface and the EL1 virtual timer (PPI ids from the board DT's GIC and
 * arm,armv8-timer nodes; 25 and 27 without them). The EL2 CPU interface uses the system
 * registers (ICC_SRE_EL2, 12.2.20; SRE_EL1 allowed below) with ICC_CTLR_EL1.EOImode = 1: an
 * acknowledged interrupt gets its priority dropped at once (EOIR) but stays active until it
 * is deactivated, by the hypervisor (DIR) or, through a list register with HW = 1, by the
 * guest's own EOI (IHI 0069 4.1.1 "Physical interrupts and virtual interrupts", 11.2.1).
 *
 * The hypervisor never takes interrupts in its own code (PSTATE.I stays set at EL2); with
 * HCR_EL2.IMO = 1 a physical interrupt that arrives while a guest runs traps to EL2 (guest.S
 * IRQ slot) and is handled there (vgic.c). The virtual CPU interface's list registers
 * (ICH_LR<n>_EL2, 12.4.7) are read and written here for the virtual GIC.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/smp.h>
#include <hv/console.h>
#include <hv/errno.h>

#include "gic.h"

/* Distributor registers (12.9). */
#define GICD_CTLR 0x0000u
#define GICD_IGROUPR 0x0080u
#define GICD_ISENABLER 0x0100u
#define GICD_IROUTER 0x6000u
/* Bit 4 is ARE (ARE_NS when the GIC has two security states) and bit 1 EnableGrp1
 * (EnableGrp1NS): the same two bits in both views, so one value works under either. */
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_GRP1 (1u << 1)

/* Redistributor: RD_base frame (12.10), then SGI_base 64 KiB above it (12.11). */
#define GICR_TYPER 0x0008u
#define GICR_WAKER 0x0014u
#define GICR_TYPER_LAST (UINT64_C(1) << 4)
#define GICR_TYPER_VLPIS (UINT64_C(1) << 1)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000u
#define GICR_FRAME 0x20000u /* RD_base + SGI_base; VLPI frames double it */

/* ICC_SRE_EL2 (12.2.20): SRE, DFB, DIB, Enable (EL1 may use its own SRE). */
#define ICC_SRE_EL2_VALUE 0xfu
/* ICC_CTLR_EL1.EOImode (12.2.6). */
#define ICC_CTLR_EOIMODE (1u << 1)

/* Time to wait for a redistributor to wake. */
#define GIC_WAIT_US 100000u
#define ICH_VTR_LISTREGS(v) (((unsigned int)(v)&0x1fu) + 1)

static volatile uint8_t *gicr;
static uint64_t gicr_size;

int gicv3_init(const struct fdt *fdt, int node)
{
    uint64_t dbase, dsize, rbase;

    if (fdt_reg(fdt, node, 0, &dbase, &dsize) != 0 ||
        fdt_reg(fdt, node, 1, &rbase, &gicr_size) != 0) {
        hv_printf("gic: /%s: reg: distributor and redistributor ranges required\n",
                  fdt_node_name(fdt, node));
        return -EINVAL;
    }
    gic_dist = arch_iomap(hpa(dbase), (size_t)dsize);
    gicr = arch_iomap(hpa(rbase), (size_t)gicr_size);
    if (gic_dist == NULL || gicr == NULL) {
        return -ENOMEM;
    }
    /* Distributor off, then affinity routing, then every SPI quiet and in Group 1. */
    mmio_write32(gic_dist + GICD_CTLR, 0);
    gic_dist_wait_rwp();
    mmio_write32(gic_dist + GICD_CTLR, GICD_CTLR_ARE);
    gic_dist_wait_rwp();
    gic_dist_quiet_spis();
    for (uint32_t i = GIC_SPI_BASE; i < gic_nr_intids(); i += 32) {
        mmio_write32(gic_dist + GICD_IGROUPR + i / 8, ~0u);
    }
    gic_dist_wait_rwp();
    mmio_write32(gic_dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
    gic_dist_wait_rwp();
    gic_version = GIC_V3;
    hv_printf("gic: GICv3 distributor at %#llx, redistributors at %#llx\n",
              (unsigned long long)dbase, (unsigned long long)rbase);
    return 0;
}

/* The RD_base frame whose GICR_TYPER affinity is this CPU's MPIDR affinity, or NULL. */
static volatile uint8_t *find_rd(void)
{
    uint64_t mpidr = read_sysreg(mpidr_el1);
    /* GICR_TYPER[63:32] = Aff3.Aff2.Aff1.Aff0 (12.10.33). */
    uint64_t aff = (mpidr & 0xffffffu) | ((mpidr >> 32) & 0xffu) << 24;

    for (uint64_t off = 0; off + GICR_FRAME <= gicr_size;) {
        volatile uint8_t *rd = gicr + off;
        uint64_t typer = mmio_read64(rd + GICR_TYPER);

        if (typer >> 32 == aff) {
            return rd;
        }
        if (typer & GICR_TYPER_LAST) {
            break;
        }
        off += typer & GICR_TYPER_VLPIS ? 2 * GICR_FRAME : GICR_FRAME;
    }
    return NULL;
}

void gicv3_cpu_init(void)
{
    volatile uint8_t *rd, *sgi;
    uint32_t enable = 1u << GIC_SGI_KICK | 1u << gic_maint_id | 1u << gic_vtimer_id;

    rd = find_rd();
    if (rd == NULL) {
        hv_printf("gic: cpu%u: no redistributor for MPIDR %#llx\n", arch_cpu_id(),
                  (unsigned long long)read_sysreg(mpidr_el1));
        return;
    }
    /* Wake the redistributor (12.10.41: clear ProcessorSleep, wait for ChildrenAsleep). */
    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
    for (unsigned int i = 0;
         i < GIC_WAIT_US && (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP); i++) {
        arch_cpu_relax();
    }
    sgi = rd + GICR_SGI_BASE;
    gic_quiet(sgi, 0, GIC_SPI_BASE);
    mmio_write32(sgi + GICD_IGROUPR, ~0u);
    mmio_write32(sgi + GICD_ISENABLER, enable);
    /* The EL2 CPU interface through system registers; all priorities pass. */
    write_sysreg(icc_sre_el2, ICC_SRE_EL2_VALUE);
    isb();
    write_sysreg(icc_pmr_el1, 0xff);
    write_sysreg(icc_bpr1_el1, 0);
    write_sysreg(icc_ctlr_el1, ICC_CTLR_EOIMODE);
    write_sysreg(icc_igrpen1_el1, 1);
    isb();
}

void gicv3_spi_route(uint32_t intid, unsigned int cpu)
{
    uint64_t mpidr = arch_cpu_hwid(cpu);

    /* GICD_IROUTER<n> (12.9.22): Aff3 in 39:32, Aff2..Aff0 in 23:0, IRM = 0. */
    if (mpidr != UINT64_MAX) {
        mmio_write64(gic_dist + GICD_IROUTER + 8 * intid, mpidr & MPIDR_AFF_MASK);
    }
}

void gicv3_send_sgi(unsigned int cpu, unsigned int sgi)
{
    uint64_t mpidr = arch_cpu_hwid(cpu);
    /* ICC_SGI1R_EL1 (12.2.23): TargetList bit Aff0 % 16 with RS = Aff0 / 16, Aff1 23:16,
     * INTID 27:24, Aff2 39:32, RS 47:44, Aff3 55:48. */
    uint64_t val = (UINT64_C(1) << (mpidr & 0xfu)) | ((mpidr >> 8) & 0xffu) << 16 |
                   (uint64_t)(sgi & 0xfu) << 24 | ((mpidr >> 16) & 0xffu) << 32 |
                   ((mpidr >> 4) & 0xfu) << 44 | ((mpidr >> 32) & 0xffu) << 48;

    if (mpidr == UINT64_MAX || !gic_present()) {
        return;
    }
    dsb(ishst); /* what the target will read is visible before the interrupt */
    write_sysreg(icc_sgi1r_el1, val);
    isb();
}

unsigned int gicv3_lr_count(void)
{
    /* ICH_VTR_EL2.ListRegs (12.4.9): the number of list registers minus one. */
    return ICH_VTR_LISTREGS(read_sysreg(ich_vtr_el2));
}

void gicv3_apr_clear(void)
{
    /* ICH_VTR_EL2.PREbits (28:26, 12.4.9): preemption bits minus one. 5 bits: register 0
     * only; 6: 0 and 1; 7: 0 to 3 (12.4.1-2). The others are not implemented (UNDEFINED). */
    unsigned int pre = (unsigned int)(read_sysreg(ich_vtr_el2) >> 26 & 7u) + 1;

    write_sysreg(ich_ap0r0_el2, 0);
    write_sysreg(ich_ap1r0_el2, 0);
    if (pre >= 6) {
        write_sysreg(ich_ap0r1_el2, 0);
        write_sysreg(ich_ap1r1_el2, 0);
    }
    if (pre >= 7) {
        write_sysreg(ich_ap0r2_el2, 0);
        write_sysreg(ich_ap1r2_el2, 0);
        write_sysreg(ich_ap0r3_el2, 0);
        write_sysreg(ich_ap1r3_el2, 0);
    }
}
