// SPDX-License-Identifier: Apache-2.0
/*
 * x86 half of the interrupt contract (include/arch/irq.h). The guest-facing local APIC is
 * the virtual x2APIC of arch/x86/vapic.c (which also answers arch_irq_pending() and
 * arch_irq_vcpu_reset()); this file hands it the partition's interrupts:
 *  - the kick: the CPU of a running vCPU leaves the guest (INTR intercept, arch/x86/svm.c)
 *    so it notices a stop or reset of its partition;
 *  - virtual interrupts of the hypervisor's virtual devices (doorbells): each is a guest IDT
 *    vector reserved per partition and named in its guest DTB as <vector sense>;
 *    arch_irq_inject() requests it in the vCPU's virtual local APIC (arch/x86/vapic.c), the
 *    one path every interrupt of a guest takes: its IRR, set atomically by any CPU, is
 *    delivered by the vCPU's own CPU before VMRUN (x86_vapic_prepare()). A request of a
 *    vector already requested merges with it, as on a local APIC. A vCPU whose guest never
 *    enabled its local APIC (bare-metal guests) takes them without an end of interrupt.
 *  - device interrupts: I/O APIC inputs (arch/x86/ioapic.c), numbered by global system
 *    interrupt (GSI). A DT specifier is <irq sense>: an ISA IRQ (0-15, through the MADT's
 *    overrides) or a GSI (16 and up). Input n reaches the hypervisor on host vector
 *    X86_VEC_IRQ_BASE + n, fixed delivery to one CPU's local APIC (physical destination).
 *    If that CPU runs a guest, the interrupt makes it exit (#VMEXIT INTR, APM 15.21.2: the
 *    INTR intercept is always set) and is taken by the IDT once svm_entry.S sets GIF again;
 *    a CPU waiting in the hypervisor takes it in arch_irq_service(). x86_irq_handle() then
 *    runs the hypervisor's claim (console input) or, for an input routed to a partition,
 *    requests guest vector X86_VIRQ_FIRST + GSI in its vCPU 0's virtual local APIC (the
 *    same path as a doorbell), and signals EOI to the local APIC. A routed input is
 *    delivered to the CPU of the partition's vCPU 0, so a partition's device never
 *    interrupts another partition's CPU.
 *    Only edge-triggered inputs can be given to a partition: a level-triggered one stays
 *    asserted until the guest quiets its device, so its physical EOI would have to wait
 *    for the guest's, which a bare-metal guest without an enabled local APIC never gives
 *    (and no virtual I/O APIC forwards it).
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/smp.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lockorder.h>
#include <hv/partition.h>
#include <hv/spinlock.h>

#include "svm.h"
#include "x86.h"

/* Specifiers <irq sense> of the board's I/O APIC node (an ISA IRQ or a GSI); a virtual
 * interrupt's is <vector sense>; sense as in the DT interrupt bindings (1: edge rising,
 * 2: edge falling, 4: level high, 8: level low). */
#define X86_IRQ_DT_CELLS 2
#define X86_IRQ_SENSE_EDGE 1u
#define X86_IRQ_SENSE_EDGE_FALLING 2u
#define X86_IRQ_SENSE_LEVEL 4u
#define X86_IRQ_SENSE_LEVEL_LOW 8u

/* Guest vectors for virtual devices: 0x20..0xef (0-31 are exceptions, APM vol. 2, 8.2; the
 * top 16 are left to a guest's own IPIs and timer), handed out from the top down. */
#define X86_VIRQ_FIRST 0x20u
#define X86_VIRQ_LAST 0xefu
/* The guest vector of GSI n routed to a partition: X86_VIRQ_FIRST + n (so ISA IRQs land
 * where a PC's remapped 8259 puts them, 0x20-0x2f). */
#define X86_VIRQ_OF_GSI(gsi) (X86_VIRQ_FIRST + (gsi))

/* Who has an I/O APIC input. */
enum gsi_owner_kind {
    GSI_FREE,
    GSI_CLAIMED, /* the hypervisor's (arch_irq_claim) */
    GSI_ROUTED,  /* a partition's device (arch_irq_route) */
};

struct gsi_owner {
    int kind;               /* enum gsi_owner_kind; written under gsi_lock before unmask */
    arch_irq_handler_fn fn; /* GSI_CLAIMED: the handler, its argument and CPU */
    void *arg;
    unsigned int cpu;
    struct partition *part; /* GSI_ROUTED: the owner */
    unsigned long injected; /* GSI_ROUTED: injections since it was routed (reported) */
};

static struct gsi_owner gsis[X86_NR_GSI];
/* Ownership changes (claim, route, release): taken inside partition.lock (route and release
 * at a reset), around the I/O APIC's own lock (a leaf); the virtual-interrupt rank fits
 * between. Delivery reads the table without it: an entry is complete before its input is
 * unmasked, and masked before it changes. */
static LOCK_CLASS(gsi_lock_class, "irq", LOCK_RANK_VIRQ);
static spinlock_t gsi_lock = SPINLOCK_INIT_CLASS(&gsi_lock_class);

static bool virq_bit(const uint64_t *map, uint32_t vec)
{
    return (__atomic_load_n(&map[vec / 64], __ATOMIC_ACQUIRE) >> (vec % 64)) & 1;
}

int arch_irq_from_dt(const uint32_t *cells, unsigned int cells_count, uint32_t *irq)
{
    uint32_t gsi;

    if (cells_count != X86_IRQ_DT_CELLS ||
        (cells[1] != X86_IRQ_SENSE_EDGE && cells[1] != X86_IRQ_SENSE_EDGE_FALLING &&
         cells[1] != X86_IRQ_SENSE_LEVEL && cells[1] != X86_IRQ_SENSE_LEVEL_LOW)) {
        return -EINVAL;
    }
    /* The wiring is the firmware's (MADT): the sense cell documents it, the I/O APIC entry
     * takes trigger and polarity from the MADT (ioapic.c). */
    gsi = x86_ioapic_isa_gsi(cells[0]);
    if (gsi >= X86_NR_GSI || !x86_ioapic_has(gsi)) {
        return -EINVAL;
    }
    *irq = gsi;
    return 0;
}

unsigned int arch_irq_dt_cells(void)
{
    return X86_IRQ_DT_CELLS;
}

uint32_t arch_irq_guest_phandle(const struct partition *p __unused)
{
    return 0;
}

/* Whether guest vector vec is that of an input routed to p. */
static bool vec_routed(const struct partition *p, uint32_t vec)
{
    uint32_t gsi = vec - X86_VIRQ_FIRST;

    return vec >= X86_VIRQ_FIRST && gsi < X86_NR_GSI && gsis[gsi].kind == GSI_ROUTED &&
           gsis[gsi].part == p;
}

int arch_irq_virtual_alloc(struct partition *p, bool edge, uint32_t *virq, uint32_t *cells)
{
    uint32_t vec;

    /* From the top down, past the vectors of p's routed inputs (routed first, contract). */
    do {
        if (p->arch.virq_count > X86_VIRQ_LAST - X86_VIRQ_FIRST) {
            return -ENOSPC;
        }
        vec = X86_VIRQ_LAST - p->arch.virq_count++;
    } while (vec_routed(p, vec));
    p->arch.virq_owned[vec / 64] |= UINT64_C(1) << (vec % 64);
    *virq = vec;
    cells[0] = vec;
    cells[1] = edge ? X86_IRQ_SENSE_EDGE : X86_IRQ_SENSE_LEVEL;
    return 0;
}

int arch_irq_raise(struct partition *p, uint32_t virq)
{
    if (virq > 0xff || !virq_bit(p->arch.virq_owned, virq)) {
        return -EPERM;
    }
    /* No virtual controller to route it elsewhere: vCPU 0. */
    return arch_irq_inject(&p->vcpus[0], virq);
}

/* The local APIC id of the CPU that runs p's vCPU 0 (its first configured CPU). */
static uint32_t part_apic_id(const struct partition *p)
{
    return (uint32_t)p->layout->cpus[p->config->cpu_first].hwid;
}

int arch_irq_route(struct partition *p, uint32_t irq)
{
    struct gsi_owner *o;
    const char *other;

    if (irq >= X86_NR_GSI || !x86_ioapic_has(irq)) {
        return -EINVAL;
    }
    if (x86_ioapic_level(irq, NULL)) {
        partition_printf(p,
                         "GSI %u is level-triggered: only edge-triggered inputs can be passed "
                         "through (no virtual I/O APIC to take the guest's EOI)\n",
                         irq);
        return -EINVAL;
    }
    spin_lock(&gsi_lock);
    o = &gsis[irq];
    if ((o->kind == GSI_ROUTED && o->part != p) || o->kind == GSI_CLAIMED ||
        virq_bit(p->arch.virq_owned, X86_VIRQ_OF_GSI(irq))) {
        other = o->kind == GSI_CLAIMED  ? "the hypervisor"
                : o->kind == GSI_ROUTED ? o->part->config->label
                                        : "a virtual interrupt";
        spin_unlock(&gsi_lock);
        partition_printf(p, "GSI %u already belongs to %s\n", irq, other);
        return -EBUSY;
    }
    o->kind = GSI_ROUTED;
    o->part = p;
    o->injected = 0;
    /* Unmasked at once: the device stays quiet until the guest programs it, and the guest's
     * RFLAGS.IF and virtual local APIC gate the virtual interrupt (no virtual I/O APIC to
     * unmask it in). */
    x86_ioapic_route(irq, part_apic_id(p));
    spin_unlock(&gsi_lock);
    partition_printf(p, "GSI %u routed to cpu%u as vector %#x\n", irq,
                     partition_cpu_of_hwid(part_apic_id(p)), X86_VIRQ_OF_GSI(irq));
    return 0;
}

void arch_irq_release(struct partition *p)
{
    spin_lock(&gsi_lock);
    for (uint32_t gsi = 0; gsi < X86_NR_GSI; gsi++) {
        if (gsis[gsi].kind == GSI_ROUTED && gsis[gsi].part == p) {
            x86_ioapic_mask(gsi);
            hv_printf("x86: GSI %u: %lu interrupts injected into partition %u \"%s\"\n", gsi,
                      gsis[gsi].injected, p->config->id, p->config->label);
            gsis[gsi].kind = GSI_FREE;
            gsis[gsi].part = NULL;
        }
    }
    spin_unlock(&gsi_lock);
}

int arch_irq_inject(struct vcpu *v, uint32_t virq)
{
    if (virq < X86_VIRQ_FIRST || virq > 0xff) {
        return -EINVAL;
    }
    /* Already requested and not yet delivered: merged, no second kick. Otherwise its CPU
     * delivers it before its next VMRUN; one in the guest must exit for that. */
    if (x86_vapic_request(v, (uint8_t)virq)) {
        arch_irq_kick(v);
    }
    return 0;
}

void arch_irq_kick(const struct vcpu *v)
{
    /* The kick IPI makes a CPU in the guest exit (INTR intercept); on a CPU in the
     * hypervisor it stays pending until its next VMRUN, which then exits at once. The caller
     * already changed what the vCPU will see. */
    if (v->cpu != UINT32_MAX && v->cpu != arch_cpu_id()) {
        x86_send_vector(v->cpu, X86_VEC_KICK);
    }
}

int arch_irq_claim(uint32_t irq, bool edge __unused, unsigned int cpu, arch_irq_handler_fn fn,
                   void *arg)
{
    struct gsi_owner *o;

    /* The trigger mode is the input's wiring (MADT): a level claim of an edge input works
     * the same, since a handler empties its device before it returns anyway. */
    if (irq >= X86_NR_GSI || !x86_ioapic_has(irq) || arch_cpu_hwid(cpu) == UINT64_MAX) {
        return -EINVAL;
    }
    spin_lock(&gsi_lock);
    o = &gsis[irq];
    if (o->kind != GSI_FREE) {
        spin_unlock(&gsi_lock);
        return -EBUSY;
    }
    o->kind = GSI_CLAIMED;
    o->fn = fn;
    o->arg = arg;
    o->cpu = cpu;
    x86_ioapic_route(irq, (uint32_t)arch_cpu_hwid(cpu));
    spin_unlock(&gsi_lock);
    return 0;
}

int arch_irq_claim_cpu(uint32_t irq, unsigned int cpu)
{
    if (irq >= X86_NR_GSI || gsis[irq].kind != GSI_CLAIMED) {
        return -EPERM;
    }
    if (arch_cpu_hwid(cpu) == UINT64_MAX) {
        return -EINVAL;
    }
    /* Also from the handler itself (a focus switch typed at the console): the entry is
     * rewritten masked then unmasked; an edge arriving meanwhile is held by the device's
     * still-asserted line, a level one re-sent once the entry is unmasked. */
    spin_lock(&gsi_lock);
    __atomic_store_n(&gsis[irq].cpu, cpu, __ATOMIC_RELEASE);
    x86_ioapic_route(irq, (uint32_t)arch_cpu_hwid(cpu));
    spin_unlock(&gsi_lock);
    return 0;
}

void x86_irq_handle(uint64_t vec)
{
    uint32_t gsi = (uint32_t)vec - X86_VEC_IRQ_BASE;

    if (gsi < X86_NR_GSI) {
        struct gsi_owner *o = &gsis[gsi];
        int kind = __atomic_load_n(&o->kind, __ATOMIC_ACQUIRE);

        if (kind == GSI_CLAIMED) {
            unsigned int cpu = __atomic_load_n(&o->cpu, __ATOMIC_ACQUIRE);

            /* An edge the I/O APIC sent before arch_irq_claim_cpu() moved the input waits in
             * the old CPU's IRR (a local APIC keeps one accepted edge per vector while one
             * is in service, APM vol. 2, 16.6): forwarded as an IPI, so the handler runs
             * where the input is routed now. */
            if (cpu != arch_cpu_id()) {
                /* Said each time: more than one per move means a wrong route (the system
                 * test counts them). */
                hv_printf("x86: GSI %u taken on cpu%u after its move to cpu%u: forwarded\n", gsi,
                          arch_cpu_id(), cpu);
                x86_send_vector(cpu, (uint8_t)vec);
            } else {
                o->fn(gsi, o->arg);
            }
        } else if (kind == GSI_ROUTED) {
            /* Only the owner's vCPU 0 (guest vector X86_VIRQ_OF_GSI, requested in its
             * virtual local APIC): never another partition's. A stopped owner's input is masked
             * (arch_irq_release). */
            int err = arch_irq_inject(&o->part->vcpus[0], X86_VIRQ_OF_GSI(gsi));

            o->injected++;
            (void)err; /* 0: the vector is in the injectable range for every GSI */
        }
    }
    /* After the handler: for a level-triggered input the EOI reaches the I/O APIC too and
     * re-arms it, by then the device is quiet. */
    *x86_lapic_eoi = 0;
}

void arch_irq_service(void)
{
    /* Open an interrupt window: whatever the local APIC holds for this CPU is taken through
     * the IDT (x86_irq_handle(), or the kick's stub) right after STI's one-instruction
     * shadow (APM vol. 3, STI), then interrupts are off again. */
    __asm__ __volatile__("sti; nop; cli" ::: "memory");
}
