// SPDX-License-Identifier: Apache-2.0
/*
 * PCI function passthrough, the physical half (include/hv/pci_pt.h): probe, BAR placement,
 * reset, and the configuration-space filter a partition's accesses go through. Generic: the
 * function is reached with pci_read*() / pci_write*() only (drivers/pci/pci.c on a real
 * machine, a fake configuration space in tests/unit/test_pci_pt.c).
 *
 * References: PCI Local Bus Specification 3.0 (6.1 header, 6.2.5 BARs, 6.7 capabilities),
 * PCI Express Base Specification 6.0 (7.5.3 PCI Express capability, 6.6.2 FLR).
 */
#include <arch/cpu.h>
#include <arch/time.h>
#include <hv/errno.h>
#include <hv/pci.h>
#include <hv/pci_pt.h>
#include <hv/string.h>
#include <hv/vpci.h>

/* A capability list has at most (256 - 64) / 4 entries: more means it loops. */
#define CAP_WALK_MAX 48
/* Capability header: id, next pointer, and (vendor-specific) length. */
#define CAP_NEXT 1
#define CAP_VNDR_LEN 2
#define CAP_HDR_LEN 3
/* FLR: what the function may take before it must answer again (PCIe 6.0, 6.6.2). */
#define FLR_WAIT_US 100000u
/* A BAR smaller than a page still gets a page: stage 2 maps pages. */
#define BAR_MIN_SIZE PAGE_SIZE
/* The BAR-alignment rule holds below 4 GiB too: the 32-bit window takes 64-bit BARs. */
#define LOW_4G (UINT64_C(1) << 32)

/* Size BAR i (decoding off): write all ones, read the mask back, restore. */
static uint32_t bar_probe(uint16_t bdf, unsigned int i)
{
    unsigned int off = PCI_BAR0 + 4 * i;
    uint32_t orig = pci_read32(bdf, off);
    uint32_t mask;

    pci_write32(bdf, off, UINT32_MAX);
    mask = pci_read32(bdf, off);
    pci_write32(bdf, off, orig);
    return mask;
}

static void probe_bars(struct pci_pt_fn *fn)
{
    for (unsigned int i = 0; i < PCI_PT_BARS; i++) {
        struct pci_pt_bar *b = &fn->bar[i];
        uint32_t lo = bar_probe(fn->bdf, i);
        bool is64 = (lo & PCI_BAR_TYPE_MASK) == PCI_BAR_TYPE_64;
        uint64_t mask;

        if (lo == 0 || (lo & PCI_BAR_IO) || (is64 && i + 1 == PCI_PT_BARS)) {
            continue; /* not implemented, I/O space (never shown), or no upper half */
        }
        b->is64 = is64;
        b->flags = lo & PCI_BAR_MEM_FLAGS;
        /* A 64-bit BAR's upper half is the next register (skipped: size 0); a 32-bit BAR's
         * upper bits are all "size". */
        mask = is64 ? (uint64_t)bar_probe(fn->bdf, ++i) << 32 : ~UINT64_C(0xffffffff);
        mask |= lo & ~UINT64_C(0xf);
        /* The lowest set bit of the mask is the size (6.2.5.1). */
        b->size = mask & (~mask + 1);
    }
}

/* Record the vendor-specific capabilities and the PCI Express one (FLR). */
static void probe_caps(struct pci_pt_fn *fn)
{
    unsigned int off;

    if (!(pci_read16(fn->bdf, PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
        return;
    }
    off = pci_read8(fn->bdf, PCI_CAPABILITY_LIST) & ~3u;
    for (unsigned int n = 0; n < CAP_WALK_MAX && off >= PCI_CAP_START; n++) {
        uint8_t id = pci_read8(fn->bdf, off);

        if (id == PCI_CAP_ID_VNDR && fn->nr_caps < PCI_PT_MAX_CAPS) {
            unsigned int len = pci_read8(fn->bdf, off + CAP_VNDR_LEN);

            /* A length that leaves the header space is cut to it: nothing past 0xff shows. */
            len = MAX(len, CAP_HDR_LEN);
            len = MIN(len, PCI_EXT_CAP_START - off);
            fn->caps[fn->nr_caps++] = (struct pci_pt_cap){.off = (uint8_t)off, .len = (uint8_t)len};
        } else if (id == PCI_CAP_ID_EXP && fn->pcie_cap == 0) {
            fn->pcie_cap = (uint8_t)off;
            fn->flr = pci_read32(fn->bdf, off + PCI_EXP_DEVCAP) & PCI_EXP_DEVCAP_FLR;
        }
        off = pci_read8(fn->bdf, off + CAP_NEXT) & ~3u;
    }
}

/* I/O and memory decoding and bus mastering off, INTx disabled. */
static void quiesce(uint16_t bdf)
{
    uint16_t cmd = pci_read16(bdf, PCI_COMMAND);

    pci_write16(bdf, PCI_COMMAND,
                (uint16_t)((cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) |
                           PCI_COMMAND_INTX_DISABLE));
}

int pci_pt_probe(struct pci_pt_fn *fn, uint16_t bdf)
{
    memset(fn, 0, sizeof(*fn));
    fn->bdf = bdf;
    if (pci_read16(bdf, PCI_VENDOR_ID) == UINT16_MAX) {
        return -ENODEV;
    }
    if ((pci_read8(bdf, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK) != 0) {
        return -EOPNOTSUPP;
    }
    /* Nothing decodes or masters while the hypervisor owns it (and sizing moves BARs). */
    quiesce(bdf);
    probe_bars(fn);
    probe_caps(fn);
    fn->pin = pci_read8(bdf, PCI_INTERRUPT_PIN);
    if (fn->pin > 4) {
        fn->pin = 0;
    }
    return 0;
}

/* Write the host BAR addresses to the device (decoding off). */
static void write_bars(const struct pci_pt_fn *fn)
{
    for (unsigned int i = 0; i < PCI_PT_BARS; i++) {
        const struct pci_pt_bar *b = &fn->bar[i];

        if (b->size == 0) {
            continue;
        }
        pci_write32(fn->bdf, PCI_BAR0 + 4 * i, (uint32_t)b->host | b->flags);
        if (b->is64) {
            pci_write32(fn->bdf, PCI_BAR0 + 4 * (i + 1), (uint32_t)(b->host >> 32));
        }
    }
}

int pci_pt_assign(struct pci_pt_fn *fn, bool host, uint64_t *cursor, uint64_t end)
{
    uint64_t at = *cursor;

    fn->guest_set = fn->guest_set && host;
    for (unsigned int i = 0; i < PCI_PT_BARS; i++) {
        struct pci_pt_bar *b = &fn->bar[i];
        uint64_t size = MAX(b->size, (uint64_t)BAR_MIN_SIZE), base;

        if (b->size == 0) {
            continue;
        }
        base = ALIGN_UP(at, size);
        if (base < at || base + size < base || base + size > end ||
            (!b->is64 && base + size > LOW_4G)) {
            return -ENOSPC;
        }
        *(host ? &b->host : &b->guest) = base;
        at = base + size;
    }
    *cursor = at;
    if (host) {
        write_bars(fn);
    } else {
        fn->guest_set = true;
    }
    return 0;
}

bool pci_pt_bar_map(const struct pci_pt_fn *fn, unsigned int idx, uint64_t *guest, uint64_t *host,
                    uint64_t *size)
{
    if (idx >= PCI_PT_BARS || fn->bar[idx].size == 0 || !fn->guest_set) {
        return false;
    }
    *guest = fn->bar[idx].guest;
    *host = fn->bar[idx].host;
    *size = MAX(fn->bar[idx].size, (uint64_t)BAR_MIN_SIZE);
    return true;
}

void pci_pt_reset(struct pci_pt_fn *fn)
{
    /* Decoding and DMA off first: with or without FLR, nothing runs from here on. */
    quiesce(fn->bdf);
    if (fn->flr) {
        uint64_t start = arch_time_us();
        unsigned int ctl = fn->pcie_cap + PCI_EXP_DEVCTL;

        pci_write16(fn->bdf, ctl, (uint16_t)(pci_read16(fn->bdf, ctl) | PCI_EXP_DEVCTL_BCR_FLR));
        while (arch_time_us() - start < FLR_WAIT_US) {
            arch_cpu_relax();
        }
        /* FLR cleared COMMAND (decoding and mastering off) and the BARs. */
        pci_write16(fn->bdf, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE);
    }
    write_bars(fn);
    /* The guest's view (COMMAND, BARs, Interrupt Line) is its header: the virtual host
     * resets that (vpci_cfg_reset()). */
}

/* ------------------------------------------------------------------------------------------ */
/* The guest's configuration space                                                            */

/* COMMAND bits that pass between guest and device: the writable bits of the guest's header. */
#define CMD_PASS (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE)

/* The shown capability containing off, or NULL. */
static const struct pci_pt_cap *cap_at(const struct pci_pt_fn *fn, unsigned int off)
{
    for (unsigned int i = 0; i < fn->nr_caps; i++) {
        if (off >= fn->caps[i].off && off < (unsigned int)fn->caps[i].off + fn->caps[i].len) {
            return &fn->caps[i];
        }
    }
    return NULL;
}

int pci_pt_guest_header(const struct pci_pt_fn *fn, struct vpci_cfg *hdr)
{
    const struct vpci_id id = {0};
    int err = 0;

    /* No pin: the virtual host must not give the function an interrupt of its own. */
    vpci_cfg_init(hdr, &id, CMD_PASS, 0);
    hdr->wmask[PCI_CACHE_LINE_SIZE] = 0; /* not scratch here: reads 0 (policy: pci_pt.h) */
    for (unsigned int b = 0; b < PCI_PT_BARS && err == 0; b++) {
        uint64_t guest, host, size;

        if (pci_pt_bar_map(fn, b, &guest, &host, &size)) {
            const struct vpci_bar bar = {.kind = VPCI_BAR_MAPPED,
                                         .size = size,
                                         .is64 = fn->bar[b].is64,
                                         .prefetchable = fn->bar[b].flags & PCI_BAR_PREFETCH,
                                         .addr = gpa(guest)};

            err = vpci_cfg_set_bar(hdr, b, &bar);
        }
    }
    return err;
}

/* One byte of the guest's view at off: 0 from PCI_EXT_CAP_START on (no capability there). */
static uint8_t cfg_byte(const struct pci_pt_fn *fn, const struct vpci_cfg *hdr, unsigned int off)
{
    const struct pci_pt_cap *cap = cap_at(fn, off);
    uint32_t v;

    switch (off) {
    case PCI_STATUS:
        v = pci_read8(fn->bdf, off) & ~PCI_STATUS_CAP_LIST;
        return (uint8_t)(v | (fn->nr_caps != 0 ? PCI_STATUS_CAP_LIST : 0));
    case PCI_HEADER_TYPE:
        /* Without multi-function: the guest sees this function alone. */
        return pci_read8(fn->bdf, off) & PCI_HEADER_TYPE_MASK;
    case PCI_CAPABILITY_LIST:
        return fn->nr_caps != 0 ? fn->caps[0].off : 0;
    case PCI_INTERRUPT_PIN:
        /* The virtual host routes each slot's INTA (whatever pin the device uses). */
        return fn->pin != 0 ? PCI_INTERRUPT_PIN_A : 0;
    }
    if (off < PCI_COMMAND || off == PCI_STATUS + 1 ||
        (off >= PCI_REVISION_ID && off < PCI_CACHE_LINE_SIZE) ||
        (off >= PCI_SUBSYSTEM_VENDOR_ID && off < PCI_ROM_ADDRESS)) {
        return pci_read8(fn->bdf, off); /* the identity; STATUS's error bits */
    }
    if (off < PCI_CAP_START) {
        /* COMMAND, the BARs (guest address, or the size while sizing) and Interrupt Line;
         * the rest (CardBus, ROM, BIST, ...) reads 0: not implemented. */
        vpci_cfg_read(hdr, off, 1, &v);
        return (uint8_t)v;
    }
    if (cap == NULL) {
        return 0; /* hidden capability, extended space */
    }
    if (off == (unsigned int)cap->off + CAP_NEXT) {
        /* The next shown capability, skipping the hidden ones. */
        return cap + 1 < fn->caps + fn->nr_caps ? cap[1].off : 0;
    }
    return pci_read8(fn->bdf, off);
}

int pci_pt_cfg_read(struct vpci_func *f, struct vcpu *v __unused, unsigned int off,
                    unsigned int size, uint32_t *val)
{
    *val = 0;
    for (unsigned int i = 0; i < size; i++) {
        *val |= (uint32_t)cfg_byte(f->dev, &f->cfg, off + i) << (8 * i);
    }
    return 0;
}

int pci_pt_cfg_write(struct vpci_func *f, struct vcpu *v __unused, unsigned int off,
                     unsigned int size, uint32_t val)
{
    const struct pci_pt_fn *fn = f->dev;
    const struct pci_pt_cap *cap = cap_at(fn, off);

    if (off < PCI_CAP_START) {
        /* The header as the generic emulation takes it: COMMAND's passing bits, BAR sizing
         * (all ones starts it, anything else ends it: the guest cannot move a BAR) and the
         * Interrupt Line scratch byte; everything else is dropped. */
        vpci_cfg_write(&f->cfg, off, size, val);
        if (off < PCI_STATUS && off + size > PCI_COMMAND) {
            /* The guest's bits; I/O Space stays off, the rest keep the device's value. */
            uint16_t phys =
                pci_read16(fn->bdf, PCI_COMMAND) & (uint16_t) ~(CMD_PASS | PCI_COMMAND_IO);

            pci_write16(fn->bdf, PCI_COMMAND, phys | vpci_cfg_command(&f->cfg));
        }
        if (off <= PCI_STATUS && off + size >= PCI_STATUS + 2) {
            /* STATUS as a whole: its write-1-to-clear error bits pass. */
            pci_write16(fn->bdf, PCI_STATUS,
                        (uint16_t)(val >> (8 * (PCI_STATUS - off))) & PCI_STATUS_RW1C);
        }
        return 0;
    }
    if (cap != NULL && off >= (unsigned int)cap->off + CAP_HDR_LEN &&
        off + size <= (unsigned int)cap->off + cap->len) {
        /* A shown capability's body: the device's own registers. Nothing else is written
         * (hidden capabilities, extended space: no capability reaches past 0xff). */
        if (size == 4) {
            pci_write32(fn->bdf, off, val);
        } else if (size == 2) {
            pci_write16(fn->bdf, off, (uint16_t)val);
        } else {
            pci_write8(fn->bdf, off, (uint8_t)val);
        }
    }
    return 0;
}
