/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual PCI host of a partition (core/vdev/vpci.c, design: docs/pci.md): one
 * "pci-host-ecam-generic" bridge per partition that has at least one PCI function, with
 *
 *   - an ECAM window of one bus (bus 0, 1 MiB) at the arch's guest address
 *     (arch_vpci_layout(), include/arch/vpci.h), trapped MMIO (include/hv/vmmio.h): every
 *     configuration access of the guest reaches the function's ops (or the generic header
 *     emulation below); a slot without a function reads all ones, as on real PCI;
 *   - a 32-bit memory window at the arch's guest address from which the BARs the hypervisor
 *     emulates (VPCI_BAR_EMULATED) get their addresses; accesses to them trap and reach the
 *     function's bar_read / bar_write;
 *   - BARs backed by memory the partition already maps in stage 2 (VPCI_BAR_MAPPED: a shared
 *     region's window, a physical device's BAR) at the fixed guest address their function
 *     gives; the bridge's "ranges" gets one window per such BAR so that Linux claims it;
 *   - legacy INTx per function: pin INTA of slot N routed to one level-high virtual SPI of the
 *     partition (arch_irq_virtual_alloc(), arch_irq_level()), named in the bridge's
 *     interrupt-map, asserted while the function's interrupt condition holds and
 *     COMMAND.Interrupt-Disable is clear, with STATUS.Interrupt-Status showing the condition
 *     (PCI Local Bus 3.0, 6.2.2 and 6.2.3: the protocol uio_pci_generic relies on).
 *
 * All BAR addresses are fixed by the hypervisor before the partition runs; /chosen gets
 * "linux,pci-probe-only" so that Linux keeps them. A BAR keeps its address: a write of all
 * ones to its address bits makes the next reads return its size mask (BAR sizing, PCI Local
 * Bus 3.0, 6.2.5.1), any other write ends sizing and the BAR reads back its fixed address.
 *
 * A function (ivshmem-style shared memory, a passed-through physical function) is a
 * struct vpci_func that the function's own virtual device (include/hv/vdev.h, order after
 * VDEV_ORDER_VPCI) fills and adds with vpci_add_func() from its init(). The host resets
 * every function on partition reset (ops->reset, then the header) and writes the bridge node.
 *
 * Locking: each function has its own lock (rank LOCK_RANK_VPCI), held around its header
 * accesses, its cfg_* and reset ops and INTx changes (which take the vGIC's lock inside,
 * LOCK_RANK_VIRQ). BAR ops run without it: a BAR write may ring another partition's
 * function, whose lock is of the same class. The bus itself is built at setup (boot CPU)
 * and read-only afterwards.
 */
#pragma once

#include <arch/irq.h>
#include <arch/vpci.h>
#include <hv/compiler.h>
#include <hv/pci.h>
#include <hv/spinlock.h>
#include <hv/types.h>

struct fdt_writer;
struct partition;
struct vcpu;

/* Functions per partition, at most (slots 0..31 of bus 0, function 0 each). */
#define VPCI_MAX_FUNCS 8
/* ECAM: 4 KiB of configuration space per function (VPCI_ECAM_SIZE: include/arch/vpci.h). */
#define VPCI_CFG_SIZE 0x1000u
/* Bytes of configuration space the generic emulation keeps: the type-0 header (0x00-0x3f)
 * and the device-specific area up to 0xff. Reads above return 0, writes are dropped. */
#define VPCI_CFG_EMU 0x100u
#define VPCI_NR_BARS 6

enum vpci_bar_kind {
    VPCI_BAR_NONE = 0, /* not implemented: reads 0, sizing reads 0 */
    VPCI_BAR_EMULATED, /* trapped: the function's bar_read / bar_write; address from the window */
    VPCI_BAR_MAPPED,   /* mapped in stage 2 by its owner at the function's fixed address */
};

/* One BAR as the function declares it (before vpci_add_func()). */
struct vpci_bar {
    enum vpci_bar_kind kind;
    uint64_t size;     /* a power of two, at least 4 KiB (a page: stage 2 maps or traps it) */
    bool is64;         /* a 64-bit memory BAR: also takes the next index (which stays NONE) */
    bool prefetchable; /* PCI_BAR_MEM_PREFETCH */
    gpa_t addr;        /* MAPPED: given by the function, aligned to size; EMULATED: assigned */
};

/*
 * The generic configuration-space image of a type-0 function (vpci_cfg_*()): the bytes the
 * guest reads, which bits it may write (wmask) and which it clears by writing ones (w1c),
 * plus the BARs, whose registers are computed (fixed address or size mask while sizing).
 * Pure data: the helpers touch nothing else, so they are unit-tested on the host.
 */
struct vpci_cfg {
    uint8_t regs[VPCI_CFG_EMU];
    uint8_t wmask[VPCI_CFG_EMU];
    uint8_t w1c[VPCI_CFG_EMU];
    struct vpci_bar bar[VPCI_NR_BARS];
    bool sizing[VPCI_NR_BARS]; /* all ones written to BAR register i: reads give the mask */
};

/* Identity of a function (PCI Local Bus 3.0, 6.2.1). */
struct vpci_id {
    uint16_t vendor, device;
    uint32_t class_code; /* base class << 16 | sub-class << 8 | programming interface */
    uint8_t revision;
    uint16_t subsys_vendor, subsys_id;
};

/*
 * Initialise c as a type-0 header with identity id, every register reset: COMMAND 0 with the
 * bits of command writable (those the function implements, PCI Local Bus 3.0, 6.2.2: Memory
 * Space; Bus Master for a DMA master; Interrupt Disable for a function with INTx; never I/O
 * Space, no BAR here is an I/O BAR); STATUS 0 (its error bits RW1C); Cache Line Size and
 * Interrupt Line writable scratch bytes; Interrupt Pin pin (PCI_INTERRUPT_PIN_A, or 0: no
 * INTx); no capabilities, no expansion ROM; no BAR. Pure.
 */
void vpci_cfg_init(struct vpci_cfg *c, const struct vpci_id *id, uint16_t command, uint8_t pin);

/*
 * Declare BAR idx (and idx + 1 for a 64-bit one) from *bar. 0; -EINVAL for a bad index
 * (a 64-bit BAR at 5), a size that is not a power of two of at least 4 KiB, a MAPPED address
 * not aligned to the size, or a 32-bit BAR above 4 GiB. Pure.
 */
int vpci_cfg_set_bar(struct vpci_cfg *c, unsigned int idx, const struct vpci_bar *bar) __must_check;

/*
 * A configuration read of size bytes (1, 2, 4) at off (naturally aligned, < VPCI_CFG_SIZE):
 * *val, zero-extended. BAR registers give their fixed address with their type bits, or the
 * size mask while sizing. Pure.
 */
void vpci_cfg_read(const struct vpci_cfg *c, unsigned int off, unsigned int size, uint32_t *val);

/*
 * A configuration write: each byte's writable bits take the value, its RW1C bits written as
 * one clear, everything else keeps its value; BAR registers start or end sizing. Pure.
 */
void vpci_cfg_write(struct vpci_cfg *c, unsigned int off, unsigned int size, uint32_t val);

/* COMMAND of c. Pure. */
uint16_t vpci_cfg_command(const struct vpci_cfg *c);

/* Set or clear STATUS bits the device owns (Interrupt Status; read-only for the guest). */
void vpci_cfg_set_status(struct vpci_cfg *c, uint16_t bits, bool on);

/* Back to the reset values vpci_cfg_init() gave (identity and BARs kept, sizing ended). */
void vpci_cfg_reset(struct vpci_cfg *c);

struct vpci_func;

/*
 * What a function implements. The hooks run on the CPU of the vCPU that made the access (v)
 * and may return a negative errno, which stops the partition with a fault report (an access
 * the function refuses, e.g. a size it does not take). cfg_* and reset run with f->lock
 * held, bar_* without (they lock what they need). Any hook
 * may be NULL.
 */
struct vpci_func_ops {
    /*
     * Configuration accesses (off < VPCI_CFG_SIZE, size 1/2/4, aligned). NULL: the generic
     * emulation of f->cfg (vpci_cfg_read/write). A function that filters a physical device's
     * configuration space implements these and may still call the helpers for the header.
     * After a write the host re-evaluates the INTx line (COMMAND.Interrupt-Disable).
     */
    int (*cfg_read)(struct vpci_func *f, struct vcpu *v, unsigned int off, unsigned int size,
                    uint32_t *val) __must_check;
    int (*cfg_write)(struct vpci_func *f, struct vcpu *v, unsigned int off, unsigned int size,
                     uint32_t val) __must_check;
    /* An access to EMULATED BAR bar at offset off (size 1/2/4/8, aligned), only while
     * COMMAND.Memory-Space is set (otherwise reads give all ones and writes are dropped). */
    int (*bar_read)(struct vpci_func *f, struct vcpu *v, unsigned int bar, uint64_t off,
                    unsigned int size, uint64_t *val) __must_check;
    int (*bar_write)(struct vpci_func *f, struct vcpu *v, unsigned int bar, uint64_t off,
                     unsigned int size, uint64_t val) __must_check;
    /* Partition reset (none of its vCPUs runs): the function's own state back to reset
     * values; the host then resets the header and lowers INTx. */
    void (*reset)(struct vpci_func *f);
};

/* One function of a partition's virtual PCI bus. */
struct vpci_func {
    /* Filled by the function before vpci_add_func(): */
    const struct vpci_func_ops *ops;
    void *dev;           /* the function's own state, for its ops */
    const char *name;    /* for messages: "ivshmem \"ring0\"" */
    unsigned int slot;   /* device number on bus 0 (0..VPCI_MAX_SLOT), function 0 */
    struct vpci_cfg cfg; /* vpci_cfg_init() + vpci_cfg_set_bar() */
    /*
     * INTA: normally set by the host (a level virtual SPI it drives from intx_cond). A
     * function whose INTA is an interrupt of its own (a passed-through device's physical
     * SPI, routed with arch_irq_route()) sets intx_own, intx_virq and intx_spec before
     * vpci_add_func(): the host then only names it in the bridge's interrupt-map and never
     * drives it (vpci_intx_set_locked() still keeps STATUS.Interrupt-Status).
     */
    bool intx_own;
    uint32_t intx_virq; /* its INTA's interrupt, 0: none (no pin, or no controller) */
    uint32_t intx_spec[ARCH_IRQ_DT_CELLS_MAX]; /* its specifier in the guest DT */
    /* Set by the host: */
    struct partition *part;
    spinlock_t lock;
    bool intx_cond; /* the function's interrupt condition (vpci_intx_set_locked()) */
    bool intx_line; /* the level given to the interrupt controller */
};

/*
 * Add f to p's bus (a function's vdev init(), boot CPU, before p runs): check the slot is
 * free, give EMULATED BARs addresses from the window, reserve a level virtual interrupt for
 * INTA (when the header has an interrupt pin), and register the ECAM and window regions
 * with the first function. 0; -EINVAL (bad slot), -EEXIST (slot taken, or a MAPPED BAR
 * overlaps another function's BAR), -ENOSPC (no functions or window space left), -ENODEV
 * (the arch has no virtual PCI host), or vmmio_register()'s / arch_irq_virtual_alloc()'s
 * error; each reported with the partition and the function's name.
 */
int vpci_add_func(struct partition *p, struct vpci_func *f) __must_check;

/*
 * The function's interrupt condition (a doorbell arrived, a physical INTx asserted), with
 * f->lock held (from f's ops): STATUS Interrupt-Status follows it, and INTA's level is
 * cond && !COMMAND.Interrupt-Disable. Any CPU.
 */
void vpci_intx_set_locked(struct vpci_func *f, bool cond);

/* p's function in slot, or NULL. */
struct vpci_func *vpci_func_at(const struct partition *p, unsigned int slot);
