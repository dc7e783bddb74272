// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual GIC of each partition, the part that does not depend on the GIC version
 * (contract: include/arch/irq.h; design: docs/interrupts.md): interrupt state, routing,
 * confinement, list-register allocation, the distributor's per-SPI registers and the
 * banked SGI/PPI words. The front-ends add what differs: vgic_v3.c (redistributors,
 * ICC_SGI1R_EL1, GICD_IROUTER) and vgic_v2.c (GICD_ITARGETSR, GICD_SGIR, the virtual CPU
 * interface mapped in stage 2). Arm GIC architecture specification IHI 0069 (GICv3) and
 * IHI 0048B (GICv2).
 *
 * CPU interface. A guest's ICC_* system-register accesses (GICv3) reach the GIC's virtual CPU
 * interface (ICV_*, chapter 6) because HCR_EL2.IMO/FMO = 1 and ICH_HCR_EL2.En = 1; a GICv2
 * guest's GICC accesses reach the GICV frame mapped at its GICC address. The hypervisor feeds
 * either through the list registers, kept here in the ICH_LR<n>_EL2 layout (12.4.7; gicv2.c
 * converts to and from GICH_LR<n>, IHI 0048B 5.3.11). vCPUs are pinned
 * to their physical CPU and never descheduled, so the list registers of a CPU always belong
 * to its one vCPU: there is nothing to save or restore, ever. Each vCPU keeps a set of
 * pending virtual interrupts not yet in a list register (struct vgic_vcpu); before every
 * return to the guest, vgic_flush() moves them into free list registers. When more are
 * pending than fit, the underflow maintenance interrupt (ICH_HCR_EL2.UIE, 4.10; GICH_HCR.UIE)
 * brings the CPU back as soon as the guest has completed all but one, and the rest follow:
 * none is lost, whatever the number of list registers.
 *
 * Physical interrupts owned by a partition (the EL1 virtual timer PPI, passed-through SPIs)
 * are acknowledged at EL2 with a priority drop only (EOImode = 1, gicv3.c / gicv2.c) and
 * given to the guest with HW = 1 and the same id: the guest's EOI deactivates the physical
 * interrupt (4.1.1, 11.2.1), so a level-triggered source cannot fire again before the guest
 * is done. On QEMU's GICv2 model (gic_hw_lr() false) they get EOI = 1 instead and the EOI
 * maintenance interrupt deactivates them (lr_link(), vgic_eoi_maint()).
 *
 * Distributor. Each partition gets an emulated GICD (trapped MMIO, include/hv/vmmio.h). It
 * shows only the partition's own SPIs: every other SPI reads as zero and ignores writes
 * (like an unimplemented interrupt, 12.1.2); a write that tries to enable, pend or activate
 * one is reported too. SGIs are resolved in the partition's own vCPUs by the front-ends; no
 * SGI ever reaches another partition.
 *
 * Locks: each vCPU's pending set under its vgic.lock; the distributor state under the
 * partition's vgic.lock; never both at once, and never the other way round with
 * partition.lock (LOCK_RANK_VIRQ ranks after it).
 */
#include <stdarg.h>

#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/smp.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt_write.h>
#include <hv/guest_dt.h>
#include <hv/partition.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/vdev.h>
#include <hv/vmmio.h>

#include "vgic.h"

/* GICD_CTLR.EnableGrp1 as a GICv3 guest writes it; GICv2's Enable (EnableGrp0) is bit 0. */
#define GICD_CTLR_GRP1 (1u << 1)

/* ICH_LR<n>_EL2 (12.4.7): vINTID 31:0, pINTID 44:32, priority 55:48, Group 60, HW 61,
 * State 63:62. */
#define LR_PINTID_SHIFT 32
#define LR_PRIO_SHIFT 48
#define LR_GROUP1 (UINT64_C(1) << 60)
#define LR_HW (UINT64_C(1) << 61)
/* EOI (bit 41, HW = 0 only): the guest's deactivation raises the EOI maintenance interrupt
 * (ICH_EISR_EL2, 12.4.6; ICH_MISR_EL2.EOI, 12.4.9), how a level line is sampled again. */
#define LR_EOI (UINT64_C(1) << 41)
#define LR_STATE_SHIFT 62
#define LR_PENDING (UINT64_C(1) << LR_STATE_SHIFT)
#define LR_ACTIVE (UINT64_C(2) << LR_STATE_SHIFT)
/* ICH_HCR_EL2 (12.4.4): En, UIE (underflow: at most one list register valid). */
#define ICH_HCR_EN (UINT64_C(1) << 0)
#define ICH_HCR_UIE (UINT64_C(1) << 1)
/* Reports per partition before they are summarised. */
#define VGIC_REPORTS_MAX 16u

static LOCK_CLASS(vgic_lock_class, "vgic", LOCK_RANK_VIRQ);

/* Per physical CPU: list registers, and the vINTID last written to each (valid while the
 * register is not empty: only this CPU writes them, the hardware only changes state). */
static unsigned int nr_lrs;
static uint32_t lr_intid[CONFIG_NR_CPUS][16];
/* The partition each physical SPI belongs to (arch_irq_route), or NULL. */
static struct partition *spi_owner[VGIC_NR_INTIDS];

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

static bool test_bit(const uint64_t *map, uint32_t n)
{
    return (map[n / 64] >> (n % 64)) & 1u;
}

static void set_bit(uint64_t *map, uint32_t n, bool on)
{
    uint64_t m = UINT64_C(1) << (n % 64);

    map[n / 64] = on ? map[n / 64] | m : map[n / 64] & ~m;
}

/* Whether intid is one of p's virtual SPIs (arch_irq_virtual_alloc()). */
static bool is_virtual(const struct partition *p, uint32_t intid)
{
    return intid >= GIC_SPI_BASE && intid < VGIC_NR_INTIDS && test_bit(p->arch.vgic.virt, intid);
}

/* Whether p may see SPI intid: a physical one it owns or one of its virtual ones. */
bool vgic_spi_visible(const struct partition *p, uint32_t intid)
{
    return intid >= GIC_SPI_BASE && intid < gic_nr_intids() &&
           (test_bit(p->arch.vgic.owned, intid) || test_bit(p->arch.vgic.virt, intid));
}

/* The physical interrupt behind a HW virtual one: the board's virtual-timer PPI for the
 * partition's GIC_PPI_VTIMER, the same id for a passed-through SPI. */
static uint32_t pintid_of(uint32_t intid)
{
    return intid == GIC_PPI_VTIMER ? gic_vtimer_intid() : intid;
}

/* Whether intid is one of p's level virtual SPIs (arch_irq_level()). */
static bool is_level(const struct partition *p, uint32_t intid)
{
    return intid >= GIC_SPI_BASE && intid < VGIC_NR_INTIDS && test_bit(p->arch.vgic.vlevel, intid);
}

/* Whether level virtual SPI intid's line is high now (arch_irq_level(), any CPU). */
static bool line_high(const struct partition *p, uint32_t intid)
{
    return (__atomic_load_n(&p->arch.vgic.line[intid / 64], __ATOMIC_ACQUIRE) >> (intid % 64)) & 1u;
}

/* Whether a virtual intid is backed by a physical interrupt (pintid_of()). */
static bool is_hw(const struct partition *p, uint32_t intid)
{
    return intid == GIC_PPI_VTIMER ||
           (intid >= GIC_SPI_BASE && test_bit(p->arch.vgic.owned, intid));
}

/* The list-register bits that tie a physical-backed intid to its physical interrupt: HW = 1
 * and the pINTID, the guest's deactivation deactivating the physical one (12.4.7; GICv2
 * 5.3.11); where that cannot be trusted (gic_hw_lr()), EOI = 1, and vgic_eoi_maint()
 * deactivates it. */
static uint64_t lr_link(uint32_t intid)
{
    if (!gic_hw_lr()) {
        return LR_EOI;
    }
    return LR_HW | (uint64_t)pintid_of(intid) << LR_PINTID_SHIFT;
}

void vgic_report(struct vcpu *v, const char *fmt, ...)
{
    struct partition *p = v->part;
    unsigned int n = __atomic_fetch_add(&p->arch.vgic.reports, 1, __ATOMIC_RELAXED);
    char msg[160];
    va_list ap;

    if (n > VGIC_REPORTS_MAX) {
        return;
    }
    if (n == VGIC_REPORTS_MAX) {
        partition_printf(p, "vgic: further refused accesses not reported\n");
        return;
    }
    va_start(ap, fmt);
    (void)hv_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    hv_printf("partition %u \"%s\" vcpu %u: vgic: %s\n", p->config->id, p->config->label, v->index,
              msg);
}

void vgic_sgi_send(struct vcpu *v, uint32_t intid, uint32_t targets, const char *reg, uint64_t val)
{
    struct partition *p = v->part;

    if ((targets >> p->nr_vcpus) != 0) {
        vgic_report(v, "SGI %u to CPUs outside the partition dropped (%s %#llx)", intid, reg,
                    (unsigned long long)val);
    }
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        if ((targets >> i) & 1u) {
            vgic_pend(&p->vcpus[i], intid);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Pending sets and list registers                                                            */

/* Take intid out of g's pending set if it is there; g's lock held. */
static void unpend(struct vgic_vcpu *g, uint32_t intid)
{
    if (test_bit(g->pending, intid)) {
        set_bit(g->pending, intid, false);
        __atomic_store_n(&g->npending, g->npending - 1, __ATOMIC_RELEASE);
    }
}

/* Add intid to t's pending set; interrupt t's CPU when it is not the caller's. */
void vgic_pend(struct vcpu *t, uint32_t intid)
{
    struct vgic_vcpu *g = &t->arch.vgic;
    bool kick = false;

    spin_lock(&g->lock);
    set_bit(g->unlist, intid, false); /* pending again: a listed copy stays (vgic_unpend()) */
    if (!test_bit(g->pending, intid)) {
        set_bit(g->pending, intid, true);
        __atomic_store_n(&g->npending, g->npending + 1, __ATOMIC_RELEASE);
        kick = true;
    }
    spin_unlock(&g->lock);
    if (kick) {
        arch_irq_kick(t);
    }
}

/* Empty v's list registers holding an interrupt of its unlist set pending only; one active
 * and pending keeps its active state. v's own CPU. */
static void lr_unlist(struct vcpu *v)
{
    struct vgic_vcpu *g = &v->arch.vgic;
    uint64_t used = ~gic_elrsr() & ((UINT64_C(1) << nr_lrs) - 1);

    spin_lock(&g->lock);
    for (; used != 0; used &= used - 1) {
        unsigned int n = (unsigned int)__builtin_ctzll(used);
        uint64_t lr = gic_lr_read(n);

        if (test_bit(g->unlist, lr_intid[v->cpu][n]) && (lr & LR_PENDING) != 0) {
            gic_lr_write(n, (lr & LR_ACTIVE) != 0 ? lr & ~LR_PENDING : 0);
        }
    }
    memset(g->unlist, 0, sizeof(g->unlist));
    __atomic_store_n(&g->unlisting, false, __ATOMIC_RELAXED);
    spin_unlock(&g->lock);
}

/*
 * A guest's write by v clearing the pending state of t's virtual intid (GICD_ICPENDR<n>: IHI
 * 0069 12.9, IHI 0048B 4.3.8; GICv2's GICD_CPENDSGIR<n>, 4.3.16): pending and not active, it
 * becomes inactive; active and pending, active. Out of t's pending set here; out of a list
 * register by t's CPU, the only one that touches them: at once when that is v's, else on the
 * kick (lr_unlist()), the guest of t perhaps taking it meanwhile as if it had acknowledged it
 * before the write. One kick per vCPU for a whole register write: a set unlisting flag means
 * one is on its way, and lr_unlist() takes every bit set under the lock before it clears the
 * flag. With line, a level interrupt whose line is high stays pending (4.3.8): checked under
 * g's lock, since arch_irq_level() sets the line before vgic_pend() takes that lock, so a
 * pend this clear does not see comes after it. Without (a vCPU an SPI is no longer routed
 * to), a stale copy goes whatever the line.
 */
void vgic_unpend(struct vcpu *v, struct vcpu *t, uint32_t intid, bool line)
{
    struct vgic_vcpu *g = &t->arch.vgic;
    bool kicked;

    spin_lock(&g->lock);
    if (line && is_level(t->part, intid) && line_high(t->part, intid)) {
        spin_unlock(&g->lock);
        return;
    }
    unpend(g, intid);
    set_bit(g->unlist, intid, true);
    kicked = __atomic_exchange_n(&g->unlisting, true, __ATOMIC_ACQ_REL);
    spin_unlock(&g->lock);
    if (t == v) {
        lr_unlist(v);
    } else if (!kicked) {
        arch_irq_kick(t);
    }
}

/*
 * Whether t's intid reads as pending (GICD_ISPENDR<n> / GICD_ICPENDR<n>: IHI 0069 12.9.23,
 * 12.9.10; IHI 0048B 4.3.7, 4.3.8, 4.3.16, 4.3.17): in t's pending set, or pending in one of
 * its list registers not being emptied (vgic_unpend()). Only t's own CPU reads those: from
 * another one, the pending set alone shows. A snapshot without the lock, as on a GIC.
 */
bool vgic_pending(const struct vcpu *t, uint32_t intid)
{
    const struct vgic_vcpu *g = &t->arch.vgic;

    if (test_bit(g->pending, intid)) {
        return true;
    }
    if (t->cpu != arch_cpu_id() || test_bit(g->unlist, intid)) {
        return false;
    }
    for (uint64_t used = ~gic_elrsr() & ((UINT64_C(1) << nr_lrs) - 1); used != 0;
         used &= used - 1) {
        unsigned int n = (unsigned int)__builtin_ctzll(used);

        if (lr_intid[t->cpu][n] == intid && (gic_lr_read(n) & LR_PENDING) != 0) {
            return true;
        }
    }
    return false;
}

/* Whether the guest of v would take intid now (distributor and interrupt enabled). */
static bool deliverable(const struct vcpu *v, uint32_t intid)
{
    const struct vgic_dist *d = &v->part->arch.vgic;

    if (!d->enabled) {
        return false;
    }
    return intid < GIC_SPI_BASE ? (v->arch.vgic.enable >> intid) & 1u : test_bit(d->enable, intid);
}

static uint8_t prio_of(const struct vcpu *v, uint32_t intid)
{
    return intid < GIC_SPI_BASE ? v->arch.vgic.prio[intid] : v->part->arch.vgic.prio[intid];
}

void vgic_flush_slow(struct vcpu *v)
{
    struct vgic_vcpu *g = &v->arch.vgic;
    unsigned int cpu = v->cpu;
    uint64_t elrsr, all = (UINT64_C(1) << nr_lrs) - 1;
    bool full = false;

    if (__atomic_load_n(&g->npending, __ATOMIC_ACQUIRE) == 0) {
        if (g->uie) {
            gic_hcr_write(ICH_HCR_EN);
            g->uie = false;
        }
        return;
    }
    spin_lock(&g->lock);
    elrsr = gic_elrsr() & all;
    for (unsigned int w = 0; w < VGIC_WORDS && !full; w++) {
        uint64_t bits = g->pending[w];

        while (bits != 0) {
            uint32_t intid = w * 64 + (uint32_t)__builtin_ctzll(bits);
            unsigned int n, held = nr_lrs;

            bits &= bits - 1;
            if (!deliverable(v, intid)) {
                continue;
            }
            /* One list register per vINTID at most (12.4.7): merge into the one holding it. */
            for (n = 0; n < nr_lrs; n++) {
                if (!((elrsr >> n) & 1u) && lr_intid[cpu][n] == intid) {
                    held = n;
                    break;
                }
            }
            if (held < nr_lrs) {
                uint64_t lr = gic_lr_read(held);

                if (is_hw(v->part, intid) && (lr & LR_ACTIVE) != 0) {
                    continue; /* a physical one still active cannot fire again yet */
                }
                gic_lr_write(held, lr | LR_PENDING);
            } else if (elrsr == 0) {
                full = true;
                break;
            } else {
                uint64_t lr =
                    intid | (uint64_t)prio_of(v, intid) << LR_PRIO_SHIFT | LR_GROUP1 | LR_PENDING;

                n = (unsigned int)__builtin_ctzll(elrsr);
                if (is_hw(v->part, intid)) {
                    lr |= lr_link(intid);
                } else if (is_level(v->part, intid)) {
                    lr |= LR_EOI;
                }
                gic_lr_write(n, lr);
                lr_intid[cpu][n] = intid;
                elrsr &= ~(UINT64_C(1) << n);
            }
            unpend(g, intid);
        }
    }
    spin_unlock(&g->lock);
    /* Out of list registers: come back when the guest has completed all but one. */
    if (full != g->uie) {
        gic_hcr_write(full ? ICH_HCR_EN | ICH_HCR_UIE : ICH_HCR_EN);
        g->uie = full;
    }
}

/*
 * The fast path of a physical interrupt for the vCPU of this CPU: straight into a free list
 * register (HW = 1) when the guest would take it now and no register holds it yet. false
 * when it must go through the pending set instead. v's own CPU (its list registers are
 * touched by nobody else, and the pending set is not involved).
 */
static bool lr_insert_hw(struct vcpu *v, uint32_t intid)
{
    unsigned int cpu = v->cpu;
    uint64_t all = (UINT64_C(1) << nr_lrs) - 1;
    uint64_t elrsr = gic_elrsr() & all;
    uint64_t used = ~elrsr & all;
    unsigned int n;

    if (elrsr == 0 || !deliverable(v, intid)) {
        return false;
    }
    while (used != 0) {
        n = (unsigned int)__builtin_ctzll(used);
        if (lr_intid[cpu][n] == intid) {
            return false;
        }
        used &= used - 1;
    }
    n = (unsigned int)__builtin_ctzll(elrsr);
    gic_lr_write(n, intid | lr_link(intid) | (uint64_t)prio_of(v, intid) << LR_PRIO_SHIFT |
                        LR_GROUP1 | LR_PENDING);
    lr_intid[cpu][n] = intid;
    return true;
}

/*
 * The EOI maintenance interrupt: every list register the guest has deactivated that asked
 * for it (LR_EOI) is emptied. A level virtual SPI is pended again if its line is still high
 * (GIC 4.1.2: a level interrupt stays pending while asserted); a physical interrupt without
 * HW = 1 (lr_link()) is deactivated, which has the GIC signal it again if it is pending.
 * v's own CPU.
 */
static void vgic_eoi_maint(struct vcpu *v)
{
    uint64_t eisr = gic_eisr() & ((UINT64_C(1) << nr_lrs) - 1);

    while (eisr != 0) {
        unsigned int n = (unsigned int)__builtin_ctzll(eisr);
        uint32_t intid = lr_intid[v->cpu][n];

        eisr &= eisr - 1;
        gic_lr_write(n, 0);
        if (is_hw(v->part, intid)) {
            gic_deactivate(pintid_of(intid));
        } else if (is_level(v->part, intid) && line_high(v->part, intid)) {
            /* Still asserted: pending again where it is routed now (a retarget may have moved
             * it since it was listed here). */
            vgic_pend(intid >= GIC_SPI_BASE ? vgic_spi_target(v->part, intid) : v, intid);
        }
    }
}

void vgic_handle_irq(struct vcpu *v)
{
    struct partition *p = v->part;

    for (;;) {
        uint32_t intid = gic_ack();

        if (intid >= GIC_INTID_SPURIOUS) {
            return;
        }
        /* Priority drop; deactivation below, by the guest or on its EOI (lr_link()). */
        gic_eoi(intid);
        if (intid == gic_vtimer_intid()) {
            /* The partition's own timer, as its GIC_PPI_VTIMER. */
            if (!lr_insert_hw(v, GIC_PPI_VTIMER)) {
                vgic_pend(v, GIC_PPI_VTIMER);
            }
        } else if (intid >= GIC_SPI_BASE && intid < VGIC_NR_INTIDS &&
                   test_bit(p->arch.vgic.owned, intid)) {
            unsigned int t = p->arch.vgic.target[intid];
            struct vcpu *tv = &p->vcpus[t < p->nr_vcpus ? t : 0];

            if (tv != v || !lr_insert_hw(v, intid)) {
                vgic_pend(tv, intid);
            }
        } else if (intid >= GIC_SPI_BASE && gic_claim_handle(intid)) {
            /* The hypervisor's own (console input, IOMMU events): handled here, on the
             * CPU the claim routes it to, and the guest resumes. */
        } else {
            if (intid == gic_maint_intid()) {
                /* Level-sensitive: retire completed level lines and refill (or drop UIE)
                 * before deactivating, or it would be pending again at once. */
                vgic_eoi_maint(v);
                vgic_flush(v);
            } else if (intid == GIC_SGI_KICK) {
                /* The flag is read after the acknowledge that returned the kick: a GICv2
                 * GICC_IAR read is a Device load and a GICv3 ICC_IAR1_EL1 read a system
                 * register read, neither ordered by a later acquire; DSB completes it. */
                dsb(sy);
                if (__atomic_load_n(&v->arch.vgic.unlisting, __ATOMIC_ACQUIRE)) {
                    lr_unlist(v);
                }
            }
            /* The kick SGI (the flush on the way out does the work), the maintenance
             * interrupt, or an SPI released meanwhile. */
            gic_deactivate(intid);
        }
    }
}

void vgic_wait(struct vcpu *v)
{
    uint64_t used = ~gic_elrsr() & ((UINT64_C(1) << nr_lrs) - 1);

    if (arch_irq_pending(v)) {
        return;
    }
    while (used != 0) {
        unsigned int n = (unsigned int)__builtin_ctzll(used);

        if ((gic_lr_read(n) & LR_PENDING) != 0) {
            return; /* the guest has one to take (perhaps masked): WFI completes */
        }
        used &= used - 1;
    }
    /* Wakes on any physical interrupt for this CPU, masked as they are at EL2 (Arm ARM
     * D1.6.2 "Wait for Interrupt"): the virtual timer, a passed-through SPI, the kick SGI of
     * an injection from another CPU or of a stop. The caller then returns to the guest,
     * where the interrupt is taken at once. */
    dsb(sy);
    __asm__ __volatile__("wfi" ::: "memory");
}

/* ------------------------------------------------------------------------------------------ */
/* The arch contract (include/arch/irq.h)                                                     */

unsigned int arch_irq_dt_cells(void)
{
    return 3;
}

int arch_irq_from_dt(const uint32_t *cells, unsigned int cells_count, uint32_t *irq)
{
    /* GIC binding (arm,gic-v3.yaml): <type number flags>, type 0 = SPI, INTID number + 32. */
    if (cells_count != 3 || cells[0] != 0 || cells[1] >= GIC_INTID_SPURIOUS - GIC_SPI_BASE) {
        return -EINVAL;
    }
    *irq = cells[1] + GIC_SPI_BASE;
    return 0;
}

uint32_t arch_irq_guest_phandle(const struct partition *p __unused)
{
    return gic_present() ? GUEST_DT_PHANDLE_INTC : 0;
}

/* The physical CPU of p's vCPU index (vCPU 0 for an index it does not have), or UINT32_MAX
 * when that CPU is not online. */
static unsigned int vcpu_cpu(const struct partition *p, unsigned int index)
{
    return p->vcpus[index < p->nr_vcpus ? index : 0].cpu;
}

int arch_irq_virtual_alloc(struct partition *p, bool edge, uint32_t *virq, uint32_t *cells)
{
    struct vgic_dist *d = &p->arch.vgic;

    if (!gic_present()) {
        return -ENODEV;
    }
    /* From the top down: devices' SPIs sit low on every board (QEMU virt: 1..74). */
    for (uint32_t i = gic_nr_intids(); i-- > GIC_SPI_BASE;) {
        if (!test_bit(d->owned, i) && !test_bit(d->virt, i)) {
            spin_lock(&d->lock);
            set_bit(d->virt, i, true);
            set_bit(d->vlevel, i, false); /* until arch_irq_level() drives it */
            set_bit(d->line, i, false);
            spin_unlock(&d->lock);
            *virq = i;
            cells[0] = 0; /* SPI */
            cells[1] = i - GIC_SPI_BASE;
            cells[2] = edge ? 1 : 4; /* edge-rising (a doorbell) or level-high (a UART) */
            return 0;
        }
    }
    return -ENOSPC;
}

int arch_irq_route(struct partition *p, uint32_t irq)
{
    struct partition *prev = NULL;

    if (!gic_present()) {
        return -ENODEV;
    }
    if (irq < GIC_SPI_BASE || irq >= gic_nr_intids()) {
        return -EINVAL;
    }
    if (is_virtual(p, irq) || gic_claimed(irq)) {
        partition_printf(p,
                         "interrupt %u is already one of its virtual devices' "
                         "or the hypervisor's\n",
                         irq);
        return -EBUSY;
    }
    if (!__atomic_compare_exchange_n(&spi_owner[irq], &prev, p, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE) &&
        prev != p) {
        partition_printf(p, "interrupt %u already belongs to partition %u \"%s\"\n", irq,
                         prev->config->id, prev->config->label);
        return -EBUSY;
    }
    spin_lock(&p->arch.vgic.lock);
    set_bit(p->arch.vgic.owned, irq, true);
    p->arch.vgic.target[irq] = 0;
    spin_unlock(&p->arch.vgic.lock);
    gic_spi_enable(irq, false);
    gic_spi_set_pending(irq, false);
    if (vcpu_cpu(p, 0) != UINT32_MAX) {
        gic_spi_route(irq, vcpu_cpu(p, 0));
    }
    return 0;
}

int arch_irq_claim(uint32_t irq, bool edge, unsigned int cpu, arch_irq_handler_fn fn, void *arg)
{
    if (!gic_present()) {
        return -ENODEV;
    }
    if (irq < GIC_SPI_BASE || irq >= gic_nr_intids() || irq >= VGIC_NR_INTIDS || fn == NULL ||
        cpu >= CONFIG_NR_CPUS || arch_cpu_hwid(cpu) == UINT64_MAX) {
        return -EINVAL;
    }
    if (__atomic_load_n(&spi_owner[irq], __ATOMIC_ACQUIRE) != NULL) {
        return -EBUSY;
    }
    return gic_claim(irq, edge, cpu, fn, arg);
}

int arch_irq_claim_cpu(uint32_t irq, unsigned int cpu)
{
    if (cpu >= CONFIG_NR_CPUS || arch_cpu_hwid(cpu) == UINT64_MAX) {
        return -EINVAL;
    }
    return gic_claim_cpu(irq, cpu);
}

void arch_irq_service(void)
{
    gic_service();
}

void arch_irq_release(struct partition *p)
{
    struct vgic_dist *d = &p->arch.vgic;

    for (uint32_t irq = GIC_SPI_BASE; irq < VGIC_NR_INTIDS; irq++) {
        if (__atomic_load_n(&spi_owner[irq], __ATOMIC_ACQUIRE) == p) {
            gic_spi_enable(irq, false);
            gic_spi_set_pending(irq, false);
            __atomic_store_n(&spi_owner[irq], NULL, __ATOMIC_RELEASE);
        }
    }
    /* The guest's distributor settings start over: disabled, default priority, vCPU 0. */
    spin_lock(&d->lock);
    d->enabled = false;
    memset(d->owned, 0, sizeof(d->owned));
    memset(d->enable, 0, sizeof(d->enable));
    memset(d->edge, 0, sizeof(d->edge));
    memset(d->prio, 0, sizeof(d->prio));
    memset(d->target, 0, sizeof(d->target));
    spin_unlock(&d->lock);
}

/* The vCPU the guest routed SPI intid to (GICD_IROUTER; vCPU 0 by default). */
struct vcpu *vgic_spi_target(struct partition *p, uint32_t intid)
{
    unsigned int t = __atomic_load_n(&p->arch.vgic.target[intid], __ATOMIC_RELAXED);

    return &p->vcpus[t < p->nr_vcpus ? t : 0];
}

int arch_irq_raise(struct partition *p, uint32_t virq)
{
    if (!gic_present()) {
        return -ENODEV;
    }
    if (!is_virtual(p, virq)) {
        return -EPERM;
    }
    vgic_pend(vgic_spi_target(p, virq), virq);
    return 0;
}

int arch_irq_level(struct partition *p, uint32_t virq, bool high)
{
    uint64_t bit = UINT64_C(1) << (virq % 64);
    struct vgic_vcpu *g;
    struct vcpu *t;

    if (!gic_present()) {
        return -ENODEV;
    }
    if (!is_virtual(p, virq)) {
        return -EPERM;
    }
    /* From its first level change on, its list registers ask for the EOI maintenance
     * interrupt; devices that only raise (the vUART) never pay that exit. */
    if (!is_level(p, virq)) {
        __atomic_fetch_or(&p->arch.vgic.vlevel[virq / 64], bit, __ATOMIC_RELEASE);
    }
    t = vgic_spi_target(p, virq);
    if (high) {
        __atomic_fetch_or(&p->arch.vgic.line[virq / 64], bit, __ATOMIC_RELEASE);
        vgic_pend(t, virq);
        return 0;
    }
    __atomic_fetch_and(&p->arch.vgic.line[virq / 64], ~bit, __ATOMIC_RELEASE);
    /* Not yet in a list register: take it back. In one (the guest may be about to take it),
     * it is left: the guest then sees the interrupt once with the condition gone, which a
     * level-triggered handler tolerates (a spurious interrupt), and the EOI does not pend it
     * again since the line is low. */
    g = &t->arch.vgic;
    spin_lock(&g->lock);
    unpend(g, virq);
    spin_unlock(&g->lock);
    return 0;
}

int arch_irq_inject(struct vcpu *v, uint32_t virq)
{
    if (!gic_present() ||
        !(virq < GIC_NR_SGIS || (virq >= GIC_SPI_BASE && virq < gic_nr_intids()))) {
        return -EINVAL;
    }
    vgic_pend(v, virq);
    return 0;
}

bool arch_irq_pending(const struct vcpu *v)
{
    return __atomic_load_n(&v->arch.vgic.npending, __ATOMIC_ACQUIRE) != 0;
}

void arch_irq_kick(const struct vcpu *v)
{
    if (v->cpu != UINT32_MAX && v->cpu != arch_cpu_id()) {
        gic_send_sgi(v->cpu, GIC_SGI_KICK);
    }
}

void arch_irq_vcpu_reset(struct vcpu *v)
{
    struct vgic_vcpu *g = &v->arch.vgic;

    if (!gic_present()) {
        return;
    }
    if (nr_lrs == 0) {
        nr_lrs = MIN(gic_lr_count(), 16u);
    }
    /* A physical interrupt the previous boot took but never completed is completed here,
     * or it could never fire again (it stays active). */
    for (unsigned int n = 0; n < nr_lrs; n++) {
        uint64_t lr = gic_lr_read(n);

        if ((lr & LR_HW) != 0 && (lr >> LR_STATE_SHIFT) != 0) {
            gic_deactivate((uint32_t)(lr >> LR_PINTID_SHIFT) & 0x1fffu);
        } else if ((lr & (LR_HW | LR_EOI)) == LR_EOI && /* bit 41 is pINTID's with HW = 1 */
                   is_hw(v->part, lr_intid[arch_cpu_id()][n])) {
            gic_deactivate(pintid_of(lr_intid[arch_cpu_id()][n])); /* lr_link(), any state */
        }
        gic_lr_write(n, 0);
    }
    spin_lock(&g->lock);
    for (unsigned int w = 0; w < VGIC_WORDS; w++) {
        for (uint64_t bits = g->pending[w]; bits != 0; bits &= bits - 1) {
            uint32_t intid = w * 64 + (uint32_t)__builtin_ctzll(bits);

            if (is_hw(v->part, intid)) {
                gic_deactivate(pintid_of(intid));
            }
        }
        g->pending[w] = 0;
    }
    __atomic_store_n(&g->npending, 0, __ATOMIC_RELEASE);
    memset(g->unlist, 0, sizeof(g->unlist));
    g->unlisting = false;
    g->enable = 0;
    g->ppi_edge = 0;
    g->sleep = true;
    memset(g->prio, 0, sizeof(g->prio));
    spin_unlock(&g->lock);
    gic_vmcr_write(0);
    /* An interrupt the previous boot took and never completed (a reset from its handler)
     * leaves its priority active in the CPU interface, not in a list register. */
    gic_apr_clear();
    gic_hcr_write(ICH_HCR_EN);
    g->uie = false;
    isb();
}

/* ------------------------------------------------------------------------------------------ */
/* Emulated distributor and the banked SGI/PPI registers                                      */

/* The partition's own SPIs among the 32 starting at first (a multiple of 32): the bits a
 * one-bit-per-interrupt register shows it. */
static uint32_t visible_word(const struct partition *p, uint32_t first)
{
    if (first < GIC_SPI_BASE || first >= VGIC_NR_INTIDS) {
        return 0;
    }
    /* owned and virt only ever hold implemented SPIs (arch_irq_route, arch_irq_virtual_alloc). */
    return (uint32_t)((p->arch.vgic.owned[first / 64] | p->arch.vgic.virt[first / 64]) >>
                      (first % 64));
}

/* Whether a view of the per-interrupt registers showing vCPU t's banked SGIs and PPIs (none
 * when t is NULL) reaches intid: one of those, or one of p's SPIs (vgic_spi_visible()). */
static bool irq_visible(const struct partition *p, const struct vcpu *t, uint32_t intid)
{
    return intid < GIC_SPI_BASE ? t != NULL : vgic_spi_visible(p, intid);
}

/* Clearing bits of interrupts that are not there is harmless (Linux clears them all);
 * setting them (ISENABLER, ISPENDR, ISACTIVER: bit 7 of the offset clear) is an attempt on
 * interrupts the partition does not own. */
static void report_refused(struct vcpu *v, uint32_t off, uint32_t first, uint32_t refused)
{
    if (refused != 0 && first >= GIC_SPI_BASE && (off & 0x80u) == 0) {
        vgic_report(v, "GICD write %#x to interrupts %u..%u it does not own (bits %#x) ignored",
                    off, first, first + 31, refused);
    }
}

/* GICD_I[SC]ENABLER<n> at off (the two read alike): t's banked word for n = 0 (zero when t is
 * NULL), the partition's enabled SPIs for the others. */
static inline uint32_t enable_read(const struct partition *p, const struct vcpu *t, uint32_t off)
{
    uint32_t first = (off & 0x7fu) * 8;

    if (first < GIC_SPI_BASE) {
        return t != NULL ? t->arch.vgic.enable : 0;
    }
    return visible_word(p, first) & (uint32_t)(p->arch.vgic.enable[first / 64] >> (first % 64));
}

/* A write of val by v to GICD_ISENABLER<n> or GICD_ICENABLER<n> (off), a word at a time as the
 * enable state is kept: t's banked word for n = 0 (ignored when t is NULL), else p's SPIs. */
static int enable_write(struct partition *p, struct vcpu *v, struct vcpu *t, uint32_t off,
                        uint32_t val)
{
    struct vgic_dist *d = &p->arch.vgic;
    uint32_t first = (off & 0x7fu) * 8, mine = visible_word(p, first), bits = val & mine;
    uint64_t shifted = (uint64_t)bits << (first % 64);
    bool on = off < GICD_ICENABLER;

    if (first < GIC_SPI_BASE) {
        if (t != NULL) {
            spin_lock(&t->arch.vgic.lock);
            t->arch.vgic.enable = on ? t->arch.vgic.enable | val : t->arch.vgic.enable & ~val;
            spin_unlock(&t->arch.vgic.lock);
            if (t != v && arch_irq_pending(t)) {
                arch_irq_kick(t); /* something held back may now go out */
            }
        }
        return 0;
    }
    spin_lock(&d->lock);
    d->enable[first / 64] = on ? d->enable[first / 64] | shifted : d->enable[first / 64] & ~shifted;
    spin_unlock(&d->lock);
    while (bits != 0) {
        uint32_t intid = first + (uint32_t)__builtin_ctz(bits);

        bits &= bits - 1;
        if (test_bit(d->owned, intid)) {
            gic_spi_enable(intid, on);
        } else if (on && vgic_spi_target(p, intid) != v &&
                   arch_irq_pending(vgic_spi_target(p, intid))) {
            /* A virtual one raised while disabled may go out now (its vCPU's next entry). */
            arch_irq_kick(vgic_spi_target(p, intid));
        }
    }
    report_refused(v, off, first, val & ~mine);
    return 0;
}

/* The field of visible intid (irq_visible()) in the per-interrupt register at base, other
 * than the enable words: t's banked state for an SGI or PPI, the partition's for an SPI. */
static uint32_t field_read(const struct partition *p, const struct vcpu *t, uint32_t base,
                           uint32_t intid)
{
    const struct vgic_dist *d = &p->arch.vgic;
    bool spi = intid >= GIC_SPI_BASE;

    switch (base) {
    case GICD_IGROUPR:
        /* GICv3: Group 1, all of them; GICv2: Group 0, as on a GIC without the Security
         * Extensions (vgic_v2.c). */
        return gic_is_v2() ? 0 : 1;
    case GICD_ISPENDR:
    case GICD_ICPENDR:
        /* An SPI on any vCPU: one it was routed to before a retarget may still hold it. A
         * passed-through one the GIC holds back (guest-disabled) is not seen. */
        for (unsigned int i = 0; spi && i < p->nr_vcpus; i++) {
            if (vgic_pending(&p->vcpus[i], intid)) {
                return 1;
            }
        }
        return !spi && vgic_pending(t, intid);
    case GICD_IPRIORITYR:
        return spi ? d->prio[intid] : t->arch.vgic.prio[intid];
    case GICD_ICFGR:
        /* 2 = edge. SGIs are edge-triggered, read-only (IHI 0069 12.11.7). */
        if (spi) {
            return test_bit(d->edge, intid) ? 2 : 0;
        }
        return intid < GIC_NR_SGIS ? 2 : (t->arch.vgic.ppi_edge >> (2 * (intid - 16))) & 2;
    default:
        return 0; /* active: the physical state is the hardware's */
    }
}

/* A write by v of field f of visible intid, as field_read() reads it; a one-bit field acts
 * when 1. The group is fixed and the active state the physical interrupt's own: ignored. */
static void field_write(struct vcpu *v, struct vcpu *t, uint32_t base, uint32_t intid, uint32_t f)
{
    struct partition *p = v->part;
    struct vgic_dist *d = &p->arch.vgic;
    bool spi = intid >= GIC_SPI_BASE, owned = spi && test_bit(d->owned, intid);
    spinlock_t *lock = spi ? &d->lock : &t->arch.vgic.lock;

    switch (base) {
    case GICD_ISPENDR:
    case GICD_ICPENDR:
        if (owned) {
            gic_spi_set_pending(intid, base == GICD_ISPENDR);
        } else if (intid == GIC_PPI_VTIMER || (intid < GIC_NR_SGIS && gic_is_v2())) {
            /* The timer's state is the hardware's own; a GICv2's SGI bits are read-only
             * (IHI 0048B 4.3.7, 4.3.8: GICD_[SC]PENDSGIR<n> instead). */
        } else if (base == GICD_ISPENDR) {
            vgic_pend(spi ? vgic_spi_target(p, intid) : t, intid);
        } else if (spi) {
            /* On every vCPU: one it was routed to before a retarget may still hold it. */
            struct vcpu *target = vgic_spi_target(p, intid);

            for (unsigned int i = 0; i < p->nr_vcpus; i++) {
                vgic_unpend(v, &p->vcpus[i], intid, &p->vcpus[i] == target);
            }
            if (is_level(p, intid) && line_high(p, intid)) {
                vgic_pend(target, intid); /* still asserted: pending where it is routed now */
            }
        } else {
            vgic_unpend(v, t, intid, true);
        }
        break;
    case GICD_IPRIORITYR:
        spin_lock(lock);
        *(spi ? &d->prio[intid] : &t->arch.vgic.prio[intid]) = (uint8_t)f;
        spin_unlock(lock);
        break;
    case GICD_ICFGR:
        /* Under the lock: two writers of the same register word each change their own field. */
        spin_lock(lock);
        if (spi) {
            set_bit(d->edge, intid, f >> 1);
        } else if (intid >= GIC_NR_SGIS) {
            t->arch.vgic.ppi_edge = (t->arch.vgic.ppi_edge & ~(2u << (2 * (intid - 16)))) |
                                    (f & 2) << (2 * (intid - 16));
        }
        spin_unlock(lock);
        if (owned) {
            gic_spi_set_edge(intid, f >> 1);
        }
        break;
    default:
        break;
    }
}

/* Whether off is one of the registers with a field per interrupt. */
static bool irq_reg(uint64_t off)
{
    return (off >= GICD_IGROUPR && off < GICD_IPRIORITYR_END) ||
           (off >= GICD_ICFGR && off < GICD_ICFGR_END);
}

/*
 * An access by v to the per-interrupt register at off (irq_reg()) of a view showing vCPU t's
 * banked SGIs and PPIs (none when t is NULL) and p's SPIs, invisible interrupts reading as
 * zero and ignoring writes: the enable words as they are kept, the others a field at a time,
 * 1 bit per interrupt up to ICACTIVER, 8 in IPRIORITYR, 2 in ICFGR. Priorities take byte,
 * halfword and word accesses, the others words only (IHI 0069 12.9.1; IHI 0048B 4.3).
 */
static __attribute__((noinline)) int irq_regs(struct vcpu *v, struct vcpu *t, uint32_t off,
                                              unsigned int size, uint64_t *val, bool write)
{
    struct partition *p = v->part;
    uint32_t base = off < GICD_IPRIORITYR ? off & ~0x7fu : off & ~0x3ffu;
    unsigned int w = off < GICD_IPRIORITYR ? 1 : base == GICD_IPRIORITYR ? 8 : 2;
    uint32_t first = (off - base) * 8 / w, refused = 0;
    uint64_t in = write ? *val : 0, r = 0;

    if (size != 4 && (w != 8 || size > 4)) {
        return -EINVAL;
    }
    if (base == GICD_ISENABLER || base == GICD_ICENABLER) {
        if (write) {
            return enable_write(p, v, t, off, (uint32_t)in);
        }
        *val = enable_read(p, t, off);
        return 0;
    }
    for (unsigned int i = 0; i < 8 * size / w; i++) {
        uint32_t f = (uint32_t)(in >> (w * i)) & ((1u << w) - 1);

        if (!irq_visible(p, t, first + i)) {
            refused |= (uint32_t)(w == 1 && f != 0) << i;
        } else if (!write) {
            r |= (uint64_t)field_read(p, t, base, first + i) << (w * i);
        } else if (w != 1 || f != 0) {
            field_write(v, t, base, first + i, f);
        }
    }
    if (write) {
        report_refused(v, off, first, refused);
    } else {
        *val = r;
    }
    return 0;
}

/* The distributor: the per-interrupt registers, with the accessing vCPU's banked words on a
 * GICv2 (on a GICv3 they are the redistributors', and the distributor's read as zero with
 * affinity routing on, IHI 0069 12.9); the rest through the version's front-end. The enable
 * words first, the ones guests use most at run time; the rest out of line, so that their
 * arguments stay where they came. */
static __attribute__((noinline)) int dist_other(struct partition *p, struct vcpu *v, uint64_t off,
                                                unsigned int size, uint64_t *val, bool write)
{
    if (irq_reg(off)) {
        return irq_regs(v, gic_is_v2() ? v : NULL, (uint32_t)off, size, val, write);
    }
    if (write) {
        return gic_is_v2() ? vgic_v2_dist_write(p, v, off, size, *val)
                           : vgic_v3_dist_write(p, v, off, size, *val);
    }
    return gic_is_v2() ? vgic_v2_dist_read(p, v, off, size, val)
                       : vgic_v3_dist_read(p, v, off, size, val);
}

static int vgic_dist_read(void *dev, struct vcpu *v, uint64_t off, unsigned int size, uint64_t *val)
{
    if (off - GICD_ISENABLER < GICD_ISPENDR - GICD_ISENABLER && size == 4) {
        *val = enable_read(dev, gic_is_v2() ? v : NULL, (uint32_t)off);
        return 0;
    }
    return dist_other(dev, v, off, size, val, false);
}

static int vgic_dist_write(void *dev, struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
    if (off - GICD_ISENABLER < GICD_ISPENDR - GICD_ISENABLER && size == 4) {
        return enable_write(dev, v, gic_is_v2() ? v : NULL, (uint32_t)off, (uint32_t)val);
    }
    return dist_other(dev, v, off, size, &val, true);
}

static const struct vmmio_ops gicd_ops = {.read = vgic_dist_read, .write = vgic_dist_write};

/* Whether off is one of the banked SGI/PPI registers: word 0 of a one-bit-per-interrupt
 * register, the first 32 priority bytes, the first two configuration words. */
static bool banked(uint32_t off)
{
    return (off >= GICD_IGROUPR && off < GICD_IPRIORITYR && (off & 0x7fu) < 4) ||
           (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + GIC_SPI_BASE) ||
           (off >= GICD_ICFGR && off < GICD_ICFGR + 8);
}

int vgic_private_read(struct vcpu *t, uint32_t reg, unsigned int size, uint64_t *val)
{
    if (banked(reg)) {
        return irq_regs(t, t, reg, size, val, false);
    }
    *val = 0;
    return size == 4 ? 0 : -EINVAL;
}

int vgic_private_write(struct vcpu *v, struct vcpu *t, uint32_t reg, unsigned int size,
                       uint64_t val)
{
    if (banked(reg)) {
        return irq_regs(v, t, reg, size, &val, true);
    }
    return size == 4 ? 0 : -EINVAL;
}

void vgic_spi_set_target(struct partition *p, uint32_t intid, unsigned int t)
{
    struct vgic_dist *d = &p->arch.vgic;

    __atomic_store_n(&d->target[intid], (uint8_t)t, __ATOMIC_RELAXED);
    if (test_bit(d->owned, intid) && vcpu_cpu(p, t) != UINT32_MAX) {
        gic_spi_route(intid, vcpu_cpu(p, t));
    }
}

void vgic_dist_enable(struct vcpu *v, bool on)
{
    struct partition *p = v->part;
    struct vgic_dist *d = &p->arch.vgic;

    spin_lock(&d->lock);
    d->enabled = on;
    spin_unlock(&d->lock);
    /* Interrupts held back while it was off may now go out. */
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        if (i != v->index && arch_irq_pending(&p->vcpus[i])) {
            arch_irq_kick(&p->vcpus[i]);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The virtual device: regions, reset, guest DT                                               */

static int vgic_init(struct partition *p)
{
    int err;

    if (!gic_present()) {
        return 0;
    }
    spin_lock_init_class(&p->arch.vgic.lock, &vgic_lock_class);
    /* A fresh setup: the virtual devices initialised after this one claim theirs again. */
    memset(p->arch.vgic.virt, 0, sizeof(p->arch.vgic.virt));
    memset(p->arch.vgic.vlevel, 0, sizeof(p->arch.vgic.vlevel));
    memset(p->arch.vgic.line, 0, sizeof(p->arch.vgic.line));
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        spin_lock_init_class(&p->vcpus[i].arch.vgic.lock, &vgic_lock_class);
    }
    err = vmmio_register(p, gpa(VGICD_BASE), gic_is_v2() ? VGICD_SIZE_V2 : VGICD_SIZE_V3, &gicd_ops,
                         p, "GIC distributor");
    if (err == 0 && !gic_is_v2()) {
        err = vgic_v3_init(p);
    }
    return err;
}

static void vgic_guest_dt(struct fdt_writer *w, const struct partition *p)
{
    /* arm,arch_timer.yaml: secure phys, non-secure phys, virtual, hyp PPIs (ids - 16),
     * level high (4); a GICv2 specifier also names the CPUs a PPI goes to (bits 15:8,
     * arm,gic.yaml). Only the virtual timer works; the physical one is denied (traps.c). */
    uint32_t timer[12] = {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4};
    /* The interrupt controller, 3 cells <type id flags>. GICv2 (Linux binding arm,gic.yaml):
     * reg = distributor, CPU interface; no GICH/GICV and no maintenance interrupt: partitions
     * do not virtualize. GICv3 (arm,gic-v3.yaml): GICD then one GICR region. */
    const bool v2 = gic_is_v2();
    const uint32_t reg[8] = {0, VGICD_BASE,
                             0, v2 ? VGICD_SIZE_V2 : VGICD_SIZE_V3,
                             0, v2 ? VGICC_BASE : VGICR_BASE,
                             0, v2 ? VGICC_SIZE : p->nr_vcpus * VGICR_FRAME};
    char name[48];

    if (!gic_present()) {
        return;
    }
    (void)hv_snprintf(name, sizeof(name), "interrupt-controller@%x", VGICD_BASE);
    fdt_write_begin_node(w, name);
    fdt_write_prop_string(w, "compatible", v2 ? "arm,cortex-a15-gic" : "arm,gic-v3");
    fdt_write_prop(w, "interrupt-controller", NULL, 0);
    fdt_write_prop_u32(w, "#interrupt-cells", 3);
    /* No unit address in an interrupt-map entry naming it (the virtual PCI host's): the
     * Devicetree Specification 2.4.3.1 takes the parent's #address-cells, stated here. */
    fdt_write_prop_u32(w, "#address-cells", 0);
    if (!v2) {
        fdt_write_prop_u32(w, "#redistributor-regions", 1);
    }
    fdt_write_prop_cells(w, "reg", reg, 8);
    fdt_write_prop_u32(w, "phandle", GUEST_DT_PHANDLE_INTC);
    fdt_write_end_node(w);
    if (v2) {
        for (unsigned int i = 2; i < 12; i += 3) {
            timer[i] |= ((1u << p->nr_vcpus) - 1) << 8;
        }
    }
    fdt_write_begin_node(w, "timer");
    fdt_write_prop_string(w, "compatible", "arm,armv8-timer");
    fdt_write_prop_cells(w, "interrupts", timer, 12);
    fdt_write_end_node(w);
}

static const struct vdev_ops vgic_ops = {
    .name = "vgic",
    .init = vgic_init,
    .guest_dt = vgic_guest_dt,
};

VDEV(vgic_vdev, VDEV_ORDER_INTC, &vgic_ops);
