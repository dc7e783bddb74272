/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 internals: the physical GIC (gic.c, with a GICv3 backend in gicv3.c and a GICv2
 * one in gicv2.c) and the virtual GIC (vgic.c, vgic_v3.c, vgic_v2.c). Not part of the arch
 * contract; generic code uses include/arch/irq.h. Register offsets and fields: Arm GIC
 * architecture specification IHI 0069 (GICv3/v4), chapter 12 (programmers' model), and
 * IHI 0048B (GICv2), chapters 4 (distributor, CPU interface) and 5 (virtualization).
 */
#pragma once

#include <arch/cpu.h>
#include <arch/irq.h>
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
 * virtual-timer ids come from the board DT (gic_maint_intid, gic_vtimer_intid), these
 * being the defaults; a partition always sees its virtual timer as GIC_PPI_VTIMER. */
#define GIC_PPI_MAINT 25u
#define GIC_PPI_VTIMER 27u
#define GIC_PPI_PTIMER 30u
#define GIC_PPI_HTIMER 26u
/* Priority of every interrupt the hypervisor enables (lower is more urgent). */
#define GIC_PRIO_DEFAULT 0xa0u
/* Priority of the hypervisor's claimed SPIs: above every partition's (gic.c). */
#define GIC_PRIO_HV 0x80u
/* How many SPIs the hypervisor claims at most (console input, an IOMMU's event lines). */
#define GIC_CLAIMS_MAX 8u

/* ----- gic.c: the physical GIC, owned by the hypervisor (version independent) ----- */

#if !defined(CONFIG_HAS_GICV2) && !defined(CONFIG_HAS_GICV3)
#error "an arm64 board selects HAS_GICV2 or HAS_GICV3 (or both) in arch/arm64/Kconfig"
#endif

/* Which GIC the board DT names (gic_init): none, GICv2 (IHI 0048B: memory-mapped CPU
 * interface, GICH/GICV virtualization frames) or GICv3 (IHI 0069: system registers). */
enum gic_version {
    GIC_NONE = 0,
    GIC_V2 = 2,
    GIC_V3 = 3,
};
extern enum gic_version gic_version;

/*
 * Boot CPU, from arch_smp_init(): find the board DT's interrupt controller by its compatible
 * ("arm,gic-v3"; "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic" for a GICv2 with
 * the virtualization extensions), set it up through its backend (gicv3_init / gicv2_init)
 * and the boot CPU's interface (gic_cpu_init). Without such a node partitions get no
 * interrupt controller (reported). 0 or a negative errno (reported).
 */
int gic_init(const struct fdt *fdt) __must_check;

/* Whether a GIC was found and set up; whether it is a GICv2 (meaningful once one is). */
static inline bool gic_present(void)
{
    return gic_version != GIC_NONE;
}

static inline bool gic_is_v2(void)
{
    /* Decided at build time when the board has one kind (HAS_GICV2 / HAS_GICV3), so that a
     * GICv3 board's interrupt path carries no test of the version at all. */
    if (!IS_ENABLED(CONFIG_HAS_GICV2)) {
        return false;
    }
    if (!IS_ENABLED(CONFIG_HAS_GICV3)) {
        return true;
    }
    return gic_version == GIC_V2;
}

/*
 * Whether a guest's deactivation through a list register with HW = 1 may be trusted to
 * deactivate the physical interrupt and have it signalled again if it is pending (GICv2
 * 5.2.1, IHI 0069 4.9). QEMU's GICv2 model (GICD_IIDR 0x0000043b, arm_gic) deactivates it
 * but re-evaluates only the virtual interface, so a physical interrupt that became pending
 * while active (a level line raised again, a timer re-armed before the EOI) is not signalled
 * until some other distributor event: gicv2_init() then clears gic_v2_hw_lr and the virtual
 * GIC deactivates physical interrupts itself on the EOI maintenance interrupt.
 */
extern bool gic_v2_hw_lr;

static inline bool gic_hw_lr(void)
{
    return !gic_is_v2() || gic_v2_hw_lr;
}

/* One past the highest interrupt id the distributor implements (<= 1020). */
uint32_t gic_nr_intids(void);

/* GICD_TYPER.ITLinesNumber, for the virtual distributor's TYPER. */
uint32_t gic_it_lines(void);

/* The physical ids of the maintenance interrupt and of the EL1 virtual timer's PPI (board DT,
 * else GIC_PPI_MAINT / GIC_PPI_VTIMER), set by gic_init() and read-only afterwards; read
 * inline on every interrupt. */
extern uint32_t gic_maint_id, gic_vtimer_id;

static inline uint32_t gic_maint_intid(void)
{
    return gic_maint_id;
}

static inline uint32_t gic_vtimer_intid(void)
{
    return gic_vtimer_id;
}

/* The distributor, mapped by the backend's init (the SPI registers below sit at the same
 * offsets in GICv2 and GICv3: IHI 0048B 4.3, IHI 0069 12.9). */
extern volatile uint8_t *gic_dist;

/* Wait until the distributor has applied a CTLR / ICENABLER write (GICv3 GICD_CTLR.RWP;
 * GICv2 has none and the bit reads as zero there). */
void gic_dist_wait_rwp(void);

/* Backends' init, once gic_dist is mapped: read GICD_TYPER (gic_nr_intids()) and make every
 * SPI disabled, not pending, not active, at GIC_PRIO_DEFAULT. */
void gic_dist_quiet_spis(void);

/* Interrupts [first, end) of the one-bit-per-interrupt and priority registers at base (the
 * distributor, or for the banked SGIs and PPIs, 0..31, a GICv3 redistributor's SGI frame or
 * a GICv2 distributor: the same offsets): disabled, not pending, not active, at
 * GIC_PRIO_DEFAULT. */
void gic_quiet(volatile uint8_t *base, uint32_t first, uint32_t end);

/* SPI controls (distributor; any CPU): enable or disable; set or clear pending; route to
 * logical CPU cpu (GICv3 GICD_IROUTER, GICv2 GICD_ITARGETSR); edge (true) or level
 * triggered. */
void gic_spi_enable(uint32_t intid, bool enable);
void gic_spi_set_pending(uint32_t intid, bool pending);
void gic_spi_route(uint32_t intid, unsigned int cpu);
void gic_spi_set_edge(uint32_t intid, bool edge);

/* The hypervisor's claimed SPIs (arch_irq_claim() etc., include/arch/irq.h): claim intid
 * (0, -EBUSY claimed already, -ENOSPC table full), re-route a claim (0, -EPERM), whether
 * intid is claimed, and run intid's handler and deactivate it if it is claimed (true) after
 * the caller acknowledged it and dropped its priority (false: not claimed, nothing done). */
int gic_claim(uint32_t intid, bool edge, unsigned int cpu, arch_irq_handler_fn fn,
              void *arg) __must_check;
int gic_claim_cpu(uint32_t intid, unsigned int cpu) __must_check;
bool gic_claimed(uint32_t intid);
bool gic_claim_handle(uint32_t intid);

/* arch_irq_service(): take and handle the claimed SPIs pending on this CPU, and only those. */
void gic_service(void);

/* ----- gicv3.c: the GICv3 backend (system-register CPU interface, redistributors) ----- */

/* gic_init() for an "arm,gic-v3" node: map, set up the distributor in affinity-routing mode
 * with every SPI in Group 1, disabled. 0 or a negative errno (reported). */
int gicv3_init(const struct fdt *fdt, int node) __must_check;

/* Each CPU, once: wake its redistributor, enable the hypervisor's SGI, the maintenance and
 * virtual-timer PPIs, and the EL2 CPU interface (system registers, EOImode = 1: priority
 * drop and deactivation split, so a guest's EOI can deactivate a physical interrupt through
 * a list register with HW = 1). */
void gicv3_cpu_init(void);
void gicv3_spi_route(uint32_t intid, unsigned int cpu);
void gicv3_send_sgi(unsigned int cpu, unsigned int sgi);
/* The virtual CPU interface's control registers (IHI 0069 12.4): the number of list
 * registers (ICH_VTR_EL2.ListRegs + 1) and list register n (ICH_LR<n>_EL2; inline, the
 * register's name is part of the instruction and the interrupt path uses them). */
unsigned int gicv3_lr_count(void);
/* Clear the virtual CPU interface's active priorities, ICH_AP0R<n>_EL2 and ICH_AP1R<n>_EL2
 * for each n ICH_VTR_EL2.PREbits implements (12.4.1, 12.4.2). */
void gicv3_apr_clear(void);
/* An access to list register n is one case of a switch; LR_CASES(op) is op(0) ... op(15). */
#define LR_CASES(c)                                                                                \
    c(0) c(1) c(2) c(3) c(4) c(5) c(6) c(7) c(8) c(9) c(10) c(11) c(12) c(13) c(14) c(15)
#define LR_READ(n)                                                                                 \
    case n:                                                                                        \
        return read_sysreg(ich_lr##n##_el2);
#define LR_WRITE(n)                                                                                \
    case n:                                                                                        \
        write_sysreg(ich_lr##n##_el2, val);                                                        \
        break;
static inline uint64_t gicv3_lr_read(unsigned int n)
{
    switch (n) {
        LR_CASES(LR_READ)
    default:
        return 0;
    }
}

static inline void gicv3_lr_write(unsigned int n, uint64_t val)
{
    switch (n) {
        LR_CASES(LR_WRITE)
    default:
        break;
    }
}
#undef LR_CASES
#undef LR_READ
#undef LR_WRITE

/* ----- gicv2.c: the GICv2 backend (memory-mapped GICC, GICH, GICV) ----- */

/* gic_init() for a GICv2 node: reg = GICD, GICC, GICH, GICV (Linux binding arm,gic.yaml);
 * every SPI disabled, its group left as the firmware (or reset) set it. 0 or a negative
 * errno (reported). */
int gicv2_init(const struct fdt *fdt, int node) __must_check;
void gicv2_cpu_init(void);
void gicv2_spi_route(uint32_t intid, unsigned int cpu);
void gicv2_send_sgi(unsigned int cpu, unsigned int sgi);
uint32_t gicv2_ack(void);
void gicv2_eoi(uint32_t intid);
void gicv2_deactivate(uint32_t intid);
uint32_t gicv2_hppi(void);
/* GICH (IHI 0048B 5.3): list registers converted to and from the ICH_LR<n>_EL2 layout the
 * virtual GIC keeps (vINTID, pINTID, priority, Group, HW, State), GICH_ELRSR0/1, GICH_HCR
 * (En and UIE at the same bits as ICH_HCR_EL2), GICH_VMCR, GICH_VTR.ListRegs + 1. */
uint64_t gicv2_lr_read(unsigned int n);
void gicv2_lr_write(unsigned int n, uint64_t lr);
uint64_t gicv2_elrsr(void);
uint64_t gicv2_eisr(void);
void gicv2_hcr_write(uint64_t val);
void gicv2_vmcr_write(uint64_t val);
/* Clear GICH_APR, the virtual CPU interface's active priorities (5.3.9). */
void gicv2_apr_clear(void);
unsigned int gicv2_lr_count(void);
/* Physical address of the GICV frame (the guest's CPU interface; 0 without a GICv2). */
uint64_t gicv2_vcpu_base(void);

/* ----- Dispatch: one branch on the version, the GICv3 side inline as before ----- */

/* Each CPU, once (the boot CPU from gic_init, secondaries at entry). */
static inline void gic_cpu_init(void)
{
    if (!gic_present()) {
        return;
    }
    if (gic_is_v2()) {
        gicv2_cpu_init();
    } else {
        gicv3_cpu_init();
    }
}

/* Send SGI sgi to logical CPU cpu. */
static inline void gic_send_sgi(unsigned int cpu, unsigned int sgi)
{
    if (gic_is_v2()) {
        gicv2_send_sgi(cpu, sgi);
    } else {
        gicv3_send_sgi(cpu, sgi);
    }
}

/* Interrupt acknowledge (the id, or >= GIC_INTID_SPURIOUS for none), priority drop and
 * deactivation, on the calling CPU: GICv3 ICC_IAR1_EL1 / ICC_EOIR1_EL1 / ICC_DIR_EL1,
 * GICv2 GICC_IAR / GICC_EOIR / GICC_DIR. Inline: they are on every interrupt's path. */
static inline uint32_t gic_ack(void)
{
    if (gic_is_v2()) {
        return gicv2_ack();
    }
    return (uint32_t)read_sysreg(icc_iar1_el1) & 0xffffffu;
}

static inline void gic_eoi(uint32_t intid)
{
    if (gic_is_v2()) {
        gicv2_eoi(intid);
    } else {
        write_sysreg(icc_eoir1_el1, intid);
    }
}

static inline void gic_deactivate(uint32_t intid)
{
    if (gic_is_v2()) {
        gicv2_deactivate(intid);
    } else {
        write_sysreg(icc_dir_el1, intid);
    }
}

/* The highest-priority interrupt pending on this CPU, without acknowledging it. */
static inline uint32_t gic_hppi(void)
{
    if (gic_is_v2()) {
        return gicv2_hppi();
    }
    return (uint32_t)read_sysreg(icc_hppir1_el1) & 0xffffffu;
}

/* The virtual CPU interface of this CPU, in the ICH_LR<n>_EL2 layout (IHI 0069 12.4.7). */
static inline uint64_t gic_lr_read(unsigned int n)
{
    return gic_is_v2() ? gicv2_lr_read(n) : gicv3_lr_read(n);
}

static inline void gic_lr_write(unsigned int n, uint64_t lr)
{
    if (gic_is_v2()) {
        gicv2_lr_write(n, lr);
    } else {
        gicv3_lr_write(n, lr);
    }
}

/* Bit n set: list register n is empty. */
static inline uint64_t gic_elrsr(void)
{
    return gic_is_v2() ? gicv2_elrsr() : read_sysreg(ich_elrsr_el2);
}

/* Bit n set: list register n asked for an EOI maintenance interrupt and was deactivated. */
static inline uint64_t gic_eisr(void)
{
    return gic_is_v2() ? gicv2_eisr() : read_sysreg(ich_eisr_el2);
}

static inline void gic_hcr_write(uint64_t val)
{
    if (gic_is_v2()) {
        gicv2_hcr_write(val);
    } else {
        write_sysreg(ich_hcr_el2, val);
    }
}

static inline void gic_vmcr_write(uint64_t val)
{
    if (gic_is_v2()) {
        gicv2_vmcr_write(val);
    } else {
        write_sysreg(ich_vmcr_el2, val);
    }
}

/* The virtual CPU interface's active priorities back to none: an interrupt a previous boot
 * took and never completed would otherwise keep masking every interrupt of its priority and
 * below (the list registers do not hold the active priorities). */
static inline void gic_apr_clear(void)
{
    if (gic_is_v2()) {
        gicv2_apr_clear();
    } else {
        gicv3_apr_clear();
    }
}

static inline unsigned int gic_lr_count(void)
{
    return gic_is_v2() ? gicv2_lr_count() : gicv3_lr_count();
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
