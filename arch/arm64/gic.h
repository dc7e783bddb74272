/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 internals: the physical GICv3 (gicv3.c) and the virtual GIC (vgic.c). Not part of
 * the arch contract; generic code uses include/arch/irq.h. Register offsets and fields:
 * Arm GIC architecture specification IHI 0069 (GICv3/v4), chapter 12 (programmers' model).
 */
#pragma once

#include <arch/cpu.h>
#include <hv/fdt.h>
#include <hv/partition.h>
#include <hv/types.h>

struct vcpu;
struct arm64_regs;

/* Interrupt ids (IHI 0069 2.2): SGIs 0..15, PPIs 16..31, SPIs 32..1019, special 1020..1023. */
#define GIC_NR_SGIS 16u
#define GIC_SPI_BASE 32u
#define GIC_INTID_SPURIOUS 1020u
/* The hypervisor's own SGI: "look at your vCPU's pending virtual interrupts". */
#define GIC_SGI_KICK 1u
/* PPIs (Arm Base System Architecture / the QEMU virt board): GIC maintenance interrupt,
 * EL1 virtual timer, EL1 physical timer, EL2 physical timer. The physical maintenance and
 * virtual-timer ids come from the board DT (gicv3_maint_intid, gicv3_vtimer_intid), these
 * being the defaults; a partition always sees its virtual timer as GIC_PPI_VTIMER. */
#define GIC_PPI_MAINT 25u
#define GIC_PPI_VTIMER 27u
#define GIC_PPI_PTIMER 30u
#define GIC_PPI_HTIMER 26u
/* Priority of every interrupt the hypervisor enables (lower is more urgent). */
#define GIC_PRIO_DEFAULT 0xa0u

/* ----- gicv3.c: the physical GIC, owned by the hypervisor ----- */

/*
 * Boot CPU, from arch_smp_init(): find the "arm,gic-v3" node of the board DT, map its
 * distributor and redistributor range, put the distributor in affinity-routing mode with
 * every SPI in Group 1, disabled, then set up the boot CPU's redistributor and CPU
 * interface (gicv3_cpu_init). Without such a node partitions get no interrupt controller
 * (reported). 0 or a negative errno (reported).
 */
int gicv3_init(const struct fdt *fdt) __must_check;

/* Each CPU, once (the boot CPU from gicv3_init, secondaries at entry): wake its
 * redistributor, enable the hypervisor's SGI, the maintenance and virtual-timer PPIs, and
 * the EL2 CPU interface (system registers, EOImode = 1: priority drop and deactivation
 * split, so a guest's EOI can deactivate a physical interrupt through a list register). */
void gicv3_cpu_init(void);

/* Whether a GICv3 was found and set up. */
bool gicv3_present(void);

/* One past the highest interrupt id the distributor implements (<= 1020). */
uint32_t gicv3_nr_intids(void);

/* GICD_TYPER.ITLinesNumber, for the virtual distributor's TYPER. */
uint32_t gicv3_it_lines(void);

/* The physical ids of the maintenance interrupt and of the EL1 virtual timer's PPI (board DT,
 * else GIC_PPI_MAINT / GIC_PPI_VTIMER), set by gicv3_init() and read-only afterwards; read
 * inline on every interrupt. */
extern uint32_t gicv3_maint_id, gicv3_vtimer_id;

static inline uint32_t gicv3_maint_intid(void)
{
    return gicv3_maint_id;
}

static inline uint32_t gicv3_vtimer_intid(void)
{
    return gicv3_vtimer_id;
}

/* SPI controls (distributor; any CPU): enable or disable; set or clear pending; route to
 * the CPU whose MPIDR affinity is mpidr; edge (true) or level triggered. */
void gicv3_spi_enable(uint32_t intid, bool enable);
void gicv3_spi_set_pending(uint32_t intid, bool pending);
void gicv3_spi_route(uint32_t intid, uint64_t mpidr);
void gicv3_spi_set_edge(uint32_t intid, bool edge);

/* Send SGI sgi to logical CPU cpu (ICC_SGI1R_EL1). */
void gicv3_send_sgi(unsigned int cpu, unsigned int sgi);

/* Interrupt acknowledge (ICC_IAR1_EL1: the id, or >= GIC_INTID_SPURIOUS for none), priority
 * drop (ICC_EOIR1_EL1) and deactivation (ICC_DIR_EL1), on the calling CPU. Inline: they are
 * on every interrupt's path. */
static inline uint32_t gicv3_ack(void)
{
    return (uint32_t)read_sysreg(icc_iar1_el1) & 0xffffffu;
}

static inline void gicv3_eoi(uint32_t intid)
{
    write_sysreg(icc_eoir1_el1, intid);
}

static inline void gicv3_deactivate(uint32_t intid)
{
    write_sysreg(icc_dir_el1, intid);
}

/* ----- vgic.c: the virtual GIC of each partition ----- */

/* A physical interrupt arrived while v ran (guest.S IRQ vector): acknowledge and dispatch
 * every pending one. v's own CPU. */
void vgic_handle_irq(struct vcpu *v);

/* Before every return to the guest: move v's pending virtual interrupts into free list
 * registers (ask for a maintenance interrupt when they do not all fit). v's own CPU. The
 * inline part keeps the common case, nothing pending, to two loads. */
void vgic_flush_slow(struct vcpu *v);

static inline void vgic_flush(struct vcpu *v)
{
    if (__atomic_load_n(&v->arch.vgic.npending, __ATOMIC_ACQUIRE) != 0 || v->arch.vgic.uie) {
        vgic_flush_slow(v);
    }
}

/* A trapped WFI of v: wait for a physical interrupt unless v already has a virtual one
 * pending (in its pending set or a list register). v's own CPU. */
void vgic_wait(struct vcpu *v);

/* A trapped write of v to ICC_SGI1R_EL1 (group1 = true) or ICC_SGI0R_EL1 / ICC_ASGI1R_EL1
 * (group1 = false: refused and reported, the guest's interrupts are all Group 1). */
void vgic_sgi_write(struct vcpu *v, uint64_t val, bool group1);

/* Report a guest's attempt to use something it does not own, at most a few times per
 * partition: "partition <id> "<label>" vcpu <n>: <message>". */
void vgic_report(struct vcpu *v, const char *fmt, ...) __printf(2, 3);
