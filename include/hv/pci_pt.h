/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCI function passthrough, the physical half (drivers/pci/pci_pt.c, docs/iommu.md "PCI
 * passthrough"). A partition's "pci-devices" function is owned by the hypervisor's view of
 * the host bridge: the hypervisor sizes its memory BARs and gives each an address in the
 * host bridge's memory window (no firmware does on QEMU virt), keeps memory decoding and bus
 * mastering off until the owning partition turns them on, and resets the function when the
 * partition stops or resets. The guest reaches the function only through the filtered
 * configuration space below and its BARs, which stage 2 maps at the guest BAR addresses the
 * hypervisor fixed (never the host's).
 *
 * Configuration-space policy (pci_pt_cfg_read / pci_pt_cfg_write), per register:
 *   - vendor, device, revision, class, subsystem ids, Interrupt Pin: the device's own;
 *   - COMMAND: Memory Space, Bus Master and INTx Disable pass to the device; I/O Space is
 *     refused (reads 0; the device's I/O decoding stays off); other bits read 0, are ignored;
 *   - STATUS: the device's, write-1-to-clear error bits pass; Capabilities List = whether a
 *     capability is shown;
 *   - BARs: a memory BAR reads its guest address with the device's type bits; a write of all
 *     ones starts sizing (the next read returns the size mask of what stage 2 maps: the BAR's
 *     size, a page at least), any other write ends sizing and is ignored: the guest cannot
 *     move a BAR (the generic header emulation, vpci_cfg_write()). I/O BARs, the expansion ROM and
 *     CardBus CIS read 0 (not implemented); header type without the multi-function bit;
 *   - Interrupt Line: a scratch byte for the guest;
 *   - capabilities: only vendor-specific ones (id 09h) are shown, chained in the device's
 *     order; their bodies (after id, next and length) read and write the device (virtio's
 *     transport capabilities live there). MSI, MSI-X, power management, PCI Express and any
 *     other capability are hidden (the function uses INTx; a PCI Express Device Control write
 *     could start an FLR behind the hypervisor's back and clear the BARs);
 *   - extended configuration space (0x100..0xfff) reads 0 (no extended capability, PCIe 6.0,
 *     7.6.3) and ignores writes.
 * Accesses are 1, 2 or 4 bytes, naturally aligned (the virtual ECAM checks that).
 */
#pragma once

#include <hv/compiler.h>
#include <hv/types.h>

struct vcpu;
struct vpci_cfg;
struct vpci_func;

/* BARs of a type-0 header. */
#define PCI_PT_BARS 6
/* Vendor-specific capabilities shown to the guest, at most (virtio-pci modern has 5). */
#define PCI_PT_MAX_CAPS 8

/* One BAR as the hypervisor placed it. */
struct pci_pt_bar {
    uint64_t size;  /* power of two, 0: not implemented, an I/O BAR or the upper half */
    uint64_t host;  /* address in the host bridge's memory window */
    uint64_t guest; /* address the partition sees */
    uint32_t flags; /* the BAR's low 4 bits (memory, type, prefetchable) */
    bool is64;      /* a 64-bit BAR: the next one holds the upper half (size 0) */
};

/* A capability of the function shown to the guest. */
struct pci_pt_cap {
    uint8_t off; /* in configuration space */
    uint8_t len; /* bytes, >= 3 (vendor-specific: its length byte) */
};

/* One passed-through function: what probing found and the guest's view of it. */
struct pci_pt_fn {
    uint16_t bdf;
    uint8_t pin;      /* Interrupt Pin: 1..4 = INTA..INTD, 0 none */
    uint8_t pcie_cap; /* offset of the PCI Express capability, 0 none */
    bool flr;         /* Function Level Reset offered (Device Capabilities) */
    struct pci_pt_bar bar[PCI_PT_BARS];
    struct pci_pt_cap caps[PCI_PT_MAX_CAPS];
    unsigned int nr_caps;
    bool guest_set; /* pci_pt_assign() placed the guest BARs: they may be mapped */
    /* The guest's COMMAND, BARs and Interrupt Line live in the function's generic header
     * (pci_pt_guest_header()), which the virtual host resets with the partition. */
};

/*
 * Probe the function at bdf into *fn: it exists and has a type-0 header (bridges cannot be
 * passed through); its memory and I/O decoding and bus mastering are turned off, then each
 * BAR is sized (write all ones, read back, restore; PCI Local Bus 3.0, 6.2.5.1), its
 * capabilities are walked (the shown ones recorded, a looping or out-of-header list cut) and
 * the PCI Express capability's FLR bit read. 0; -ENODEV when no function answers; -EOPNOTSUPP
 * for a bridge. Boot CPU.
 */
int pci_pt_probe(struct pci_pt_fn *fn, uint16_t bdf) __must_check;

/*
 * Give every memory BAR of fn an address in [*cursor, end), aligned to its size and at least a
 * page, so that stage 2 can map each BAR alone (a smaller BAR gets a page to itself); a 64-bit
 * BAR gets an address below 4 GiB (the windows are 32-bit). host: in the host bridge's
 * window, written to the device (decoding stays off); else the guest address in the
 * partition's window, with the same rule (the guest layout does not depend on where the host
 * put anything). *cursor moves past what was taken. 0, or -ENOSPC when the window is full.
 * Boot CPU.
 */
int pci_pt_assign(struct pci_pt_fn *fn, bool host, uint64_t *cursor, uint64_t end) __must_check;

/*
 * The partition stops or resets: the function's DMA and decoding stop. With FLR offered:
 * Initiate Function Level Reset, then wait the 100 ms the PCI Express Base Specification 6.0
 * (6.6.2) asks before the function is touched again; otherwise Memory, I/O and Bus Master
 * are cleared and INTx disabled. Then the BARs are written again (FLR clears them) and the
 * guest view returns to reset values. p->lock may be held.
 */
void pci_pt_reset(struct pci_pt_fn *fn);

/*
 * The generic type-0 header (include/hv/vpci.h) behind the guest's view of fn once its guest
 * BARs are placed: COMMAND with the bits that pass writable, the BARs as MAPPED at their guest
 * addresses (a page at least), sized and read back by the generic emulation, and the
 * Interrupt Line scratch byte; identity 0, no pin (the rest of the view is the device's,
 * filtered below). 0, or vpci_cfg_set_bar()'s error. Boot CPU. The virtual host resets it
 * with the partition (vpci_cfg_reset()).
 */
int pci_pt_guest_header(const struct pci_pt_fn *fn, struct vpci_cfg *hdr) __must_check;

/*
 * The cfg_read / cfg_write hooks (include/hv/vpci.h) of a virtual-host function f whose dev is
 * the struct pci_pt_fn and whose cfg is its pci_pt_guest_header(): a guest configuration
 * access of size (1, 2, 4) bytes at off (< 4096, naturally aligned), the policy above, with
 * COMMAND, the BARs and Interrupt Line from f->cfg. Always 0. Guest's vCPU, f->lock held.
 */
int pci_pt_cfg_read(struct vpci_func *f, struct vcpu *v, unsigned int off, unsigned int size,
                    uint32_t *val);
int pci_pt_cfg_write(struct vpci_func *f, struct vcpu *v, unsigned int off, unsigned int size,
                     uint32_t val);

/*
 * The memory BARs of fn one by one: BAR idx's guest and host address and size (a page at
 * least) when it is mapped; false for an absent BAR or before pci_pt_assign() of the guest
 * addresses. For the stage-2 map.
 */
bool pci_pt_bar_map(const struct pci_pt_fn *fn, unsigned int idx, uint64_t *guest, uint64_t *host,
                    uint64_t *size);

/* ------------------------------------------------------------------------------------------ */
/*
 * The partition side (core/partition/pci.c; without CONFIG_PCI_PASSTHROUGH,
 * core/partition/pci_absent.c defaults bar, map, unmap, route_irqs and reset). A partition's
 * passed-through functions are its "pci-devices" entries (hv_config.dma with pci set);
 * function i of p below is its DMA entry i (0 .. dma_count - 1 of its configuration), and an
 * entry that is not a PCI function (or could not be probed) has no BAR. The boot unit "pci"
 * (HV_UNIT_ORDER_PCI, before the partitions) probes each and places its BARs in the board host
 * bridge's memory window.
 */
struct partition;

/* pci_pt_bar_map() of p's function i (false when it is not available). */
bool partition_pci_bar(const struct partition *p, unsigned int i, unsigned int bar, uint64_t *guest,
                       uint64_t *host, uint64_t *size);

/* Map (unmap) function i's BARs in p's stage 2, at their guest addresses, device memory.
 * All or nothing. p->lock held. */
int partition_pci_map(struct partition *p, unsigned int i) __must_check;
void partition_pci_unmap(struct partition *p, unsigned int i);

/*
 * Route the INTx line of each of p's functions to p (arch_irq_route(): the same interrupt
 * number, level, completed by the guest's own end of interrupt). A line another partition
 * owns fails with a message naming both. Boot CPU at setup, or p->lock held (reset).
 */
int partition_pci_route_irqs(struct partition *p) __must_check;

/* Reset every function of p (pci_pt_reset()): stop, fault, reset. p->lock held. */
void partition_pci_reset(struct partition *p);
