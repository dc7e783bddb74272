/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 halves of struct partition and struct vcpu (contract: include/arch/vcpu.h).
 * Register names and fields: Arm ARM DDI 0487, D23 (VTTBR_EL2, VTCR_EL2, HCR_EL2).
 */
#pragma once

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>
#endif

/* The syndrome register fault reports name (ESR_EL2, D23.2.41). */
#define ARCH_SYNDROME_NAME "ESR"
/* The hypercall conduit: HVC #0, SMCCC (Arm DEN 0028). */
#define ARCH_HYPERCALL_METHOD "hvc"

/* Offsets in struct vcpu_arch used by arch/arm64/guest.S. */
#define VCPU_ARCH_X 0
#define VCPU_ARCH_PC (31 * 8)
#define VCPU_ARCH_PSTATE (32 * 8)

#ifndef __ASSEMBLY__

#include <hv/spinlock.h>

/* Interrupt ids a virtual GIC tracks (GICv3 INTIDs 0..1019, rounded up), in 64-bit words. */
#define VGIC_NR_INTIDS 1024u
#define VGIC_WORDS (VGIC_NR_INTIDS / 64)

/*
 * A partition's virtual distributor (arch/arm64/vgic.c): what its guest programmed through
 * the emulated GICD, and which SPIs are its own. lock (LOCK_RANK_VIRQ) guards every field
 * but owned, virt, vlevel and line: owned changes only at setup, reset and stop, virt only
 * at setup, vlevel and line by atomic bit operations (arch_irq_level()).
 */
struct vgic_dist {
    spinlock_t lock;
    bool enabled;                   /* GICD_CTLR.EnableGrp1 */
    uint64_t owned[VGIC_WORDS];     /* physical SPIs routed to the partition (HW = 1) */
    uint64_t virt[VGIC_WORDS];      /* virtual SPIs of its emulated devices (HW = 0) */
    uint64_t vlevel[VGIC_WORDS];    /* those driven as level lines (arch_irq_level()) */
    uint64_t line[VGIC_WORDS];      /* their line is high: pending again after each EOI */
    uint64_t enable[VGIC_WORDS];    /* SPIs the guest enabled */
    uint64_t edge[VGIC_WORDS];      /* SPIs the guest configured edge-triggered */
    uint8_t prio[VGIC_NR_INTIDS];   /* SPI priorities (GICD_IPRIORITYR) */
    uint8_t target[VGIC_NR_INTIDS]; /* SPI target vCPU (GICD_IROUTER Aff0) */
    unsigned int reports;           /* vgic_report() lines printed for the partition */
};

/*
 * A vCPU's virtual redistributor and its interrupts not yet in a list register. Other CPUs
 * add to pending (an SGI, a doorbell) under lock (LOCK_RANK_VIRQ); the list registers
 * themselves are only touched by the vCPU's own CPU, which never runs anything else.
 */
struct vgic_vcpu {
    spinlock_t lock;
    unsigned int npending;        /* bits set in pending (read without the lock) */
    uint64_t pending[VGIC_WORDS]; /* waiting for a list register */
    uint64_t unlist[VGIC_WORDS];  /* cleared by the guest, perhaps listed: see vgic_unpend() */
    bool unlisting;               /* some bit of unlist is set (read without the lock) */
    uint32_t enable;              /* SGIs and PPIs the guest enabled (GICR_ISENABLER0) */
    uint32_t ppi_edge;            /* GICR_ICFGR1 edge bits, PPIs 16..31 */
    bool sleep;                   /* GICR_WAKER.ProcessorSleep */
    bool uie;         /* ICH_HCR_EL2.UIE is set: more were pending than list registers (own CPU) */
    uint8_t prio[32]; /* SGI and PPI priorities */
};

/* Stage-2 state and virtual GIC distributor of a partition. */
struct partition_arch {
    uint16_t vmid;         /* = partition id (1..63); VMID 0 is the hypervisor's own (no stage 2) */
    uint64_t vttbr;        /* stage-2 root | VMID << 48 */
    uint64_t vtcr;         /* VTCR_EL2 for the table's depth */
    bool pmu_el2_reported; /* an event filter's EL2 bit was cleared and reported once */
    bool set_way_reported; /* a set/way operation was converted and reported once */
    struct vgic_dist vgic;
};

/*
 * A vCPU's state while it is being (re)entered: general-purpose registers, PC (ELR_EL2) and
 * PSTATE (SPSR_EL2). While the guest runs, its registers live in the CPU; a trap saves them
 * on the hypervisor stack (struct arm64_regs), not here.
 */
struct vcpu_arch {
    uint64_t x[31];
    uint64_t pc;
    uint64_t pstate;
    struct vgic_vcpu vgic; /* its virtual redistributor and pending interrupts */
    bool ptimer_reported;  /* its denied EL1 physical timer access was reported */
    uint8_t smc_refused;   /* refused firmware calls reported so far (traps.c caps it) */
};

#endif /* !__ASSEMBLY__ */
