// SPDX-License-Identifier: Apache-2.0
/*
 * PCI passthrough (drivers/pci/pci_pt.c) against a fake configuration space: one function
 * modelled like QEMU's virtio-blk-pci (32-bit BAR1 of 4 KiB, 64-bit prefetchable BAR4 of
 * 16 KiB, an I/O BAR0, MSI-X, vendor-specific capabilities and PCI Express with or
 * without FLR in one chain). The model keeps BARs' read-only size bits, COMMAND,
 * an FLR that clears COMMAND and the BARs, and logs every write that reaches the device.
 */
#include <hv/errno.h>
#include <hv/pci.h>
#include <hv/pci_pt.h>
#include <hv/string.h>
#include <hv/vpci.h>

#include "fake.h"
#include "unit.h"

#define BDF 0x0018 /* 00:03.0 */

static struct fake_fn {
    uint8_t cfg[PCI_CFG_SIZE];
    uint64_t bar_size[6]; /* 0: no BAR; the upper half of a 64-bit BAR stays 0 */
    bool bar_io[6];
    unsigned int flrs;
    unsigned int writes; /* writes that reached the device */
    unsigned int ext_writes;
} dev;

static uint32_t get32(unsigned int off)
{
    return (uint32_t)dev.cfg[off] | (uint32_t)dev.cfg[off + 1] << 8 |
           (uint32_t)dev.cfg[off + 2] << 16 | (uint32_t)dev.cfg[off + 3] << 24;
}

static void put32(unsigned int off, uint32_t v)
{
    for (unsigned int i = 0; i < 4; i++) {
        dev.cfg[off + i] = (uint8_t)(v >> (8 * i));
    }
}

uint32_t pci_read32(uint16_t bdf, unsigned int off)
{
    return bdf == BDF ? get32(off & ~3u) : UINT32_MAX;
}

uint16_t pci_read16(uint16_t bdf, unsigned int off)
{
    return (uint16_t)(pci_read32(bdf, off & ~3u) >> (8 * (off & 2)));
}

uint8_t pci_read8(uint16_t bdf, unsigned int off)
{
    return (uint8_t)(pci_read32(bdf, off & ~3u) >> (8 * (off & 3)));
}

/* A BAR register write: size bits read as zero, the type bits are read-only. */
static uint32_t bar_value(unsigned int i, uint32_t v)
{
    uint64_t size = dev.bar_size[i];
    uint32_t flags = get32(PCI_BAR0 + 4 * i) & (dev.bar_io[i] ? 1u : 0xfu);

    if (i > 0 && dev.bar_size[i] == 0 && dev.bar_size[i - 1] != 0 &&
        (get32(PCI_BAR0 + 4 * (i - 1)) & PCI_BAR_TYPE_MASK) == PCI_BAR_TYPE_64) {
        return (uint32_t)(v & (~(dev.bar_size[i - 1] - 1) >> 32)); /* upper half */
    }
    if (size == 0) {
        return 0;
    }
    return (v & (uint32_t) ~(size - 1) & (dev.bar_io[i] ? ~3u : ~0xfu)) | flags;
}

static void write_dword(unsigned int off, uint32_t v, uint32_t bytes)
{
    uint32_t old = get32(off), merged = (old & ~bytes) | (v & bytes);

    dev.writes++;
    if (off >= PCI_EXT_CAP_START) {
        dev.ext_writes++;
    }
    if (off >= PCI_BAR0 && off <= PCI_BAR5) {
        merged = bar_value((off - PCI_BAR0) / 4, merged);
    }
    /* PCIe capability at 0x80: Device Control bit 15 starts an FLR. */
    if (off == 0x80 + PCI_EXP_DEVCTL && (merged & PCI_EXP_DEVCTL_BCR_FLR)) {
        dev.flrs++;
        merged &= ~PCI_EXP_DEVCTL_BCR_FLR;
        put32(PCI_COMMAND, get32(PCI_COMMAND) & 0xffff0000u);
        for (unsigned int i = 0; i < 6; i++) {
            put32(PCI_BAR0 + 4 * i, bar_value(i, 0));
        }
    }
    /* STATUS is write-1-to-clear in its top bits. */
    if (off == PCI_COMMAND) {
        uint32_t st = old >> 16;

        st &= ~((v & bytes) >> 16 & PCI_STATUS_RW1C);
        merged = (merged & 0xffff) | st << 16;
    }
    put32(off, merged);
}

void pci_write32(uint16_t bdf, unsigned int off, uint32_t val)
{
    if (bdf == BDF) {
        write_dword(off & ~3u, val, UINT32_MAX);
    }
}

void pci_write16(uint16_t bdf, unsigned int off, uint16_t val)
{
    if (bdf == BDF) {
        unsigned int sh = 8 * (off & 2);

        write_dword(off & ~3u, (uint32_t)val << sh, UINT32_C(0xffff) << sh);
    }
}

void pci_write8(uint16_t bdf, unsigned int off, uint8_t val)
{
    if (bdf == BDF) {
        unsigned int sh = 8 * (off & 3);

        write_dword(off & ~3u, (uint32_t)val << sh, UINT32_C(0xff) << sh);
    }
}

static void cap(unsigned int off, uint8_t id, uint8_t next, uint8_t len)
{
    dev.cfg[off] = id;
    dev.cfg[off + 1] = next;
    dev.cfg[off + 2] = len;
}

/* virtio-blk-pci (modern) as QEMU builds it, with an I/O BAR for good measure. */
static void make_virtio(bool flr)
{
    memset(&dev, 0, sizeof(dev));
    put32(PCI_VENDOR_ID, 0x10421af4);
    put32(PCI_REVISION_ID, 0x01000001); /* class 01 (storage), revision 1 */
    put32(PCI_COMMAND, (uint32_t)(PCI_STATUS_CAP_LIST | PCI_STATUS_RCV_MASTER_ABORT) << 16 |
                           PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    dev.cfg[PCI_HEADER_TYPE] = PCI_HEADER_MULTI_FUNCTION;
    dev.bar_io[0] = true;
    dev.bar_size[0] = 0x40;
    put32(PCI_BAR0, 1);
    dev.bar_size[1] = 0x1000;
    dev.bar_size[4] = 0x4000;
    put32(PCI_BAR0 + 16, PCI_BAR_TYPE_64 | PCI_BAR_PREFETCH);
    put32(PCI_SUBSYSTEM_VENDOR_ID, 0x00021af4);
    put32(PCI_ROM_ADDRESS, 0xfffc0000);
    /* 0x74 MSI-X -> 0x50 vendor (PCI_CFG window) -> 0x40 vendor (common) -> 0x80 PCIe ->
     * 0x64 vendor -> end. */
    dev.cfg[PCI_CAPABILITY_LIST] = 0x74;
    dev.cfg[PCI_INTERRUPT_PIN] = 1;
    cap(0x74, PCI_CAP_ID_MSIX, 0x50, 0);
    cap(0x50, PCI_CAP_ID_VNDR, 0x40, 0x14);
    dev.cfg[0x53] = 5; /* virtio cfg_type: PCI_CFG access window (writable body) */
    cap(0x40, PCI_CAP_ID_VNDR, 0x80, 0x10);
    dev.cfg[0x43] = 1; /* virtio cfg_type: common */
    cap(0x80, PCI_CAP_ID_EXP, 0x64, 0);
    put32(0x80 + PCI_EXP_DEVCAP, flr ? PCI_EXP_DEVCAP_FLR : 0);
    cap(0x64, PCI_CAP_ID_VNDR, 0x00, 0x10);
    put32(PCI_EXT_CAP_START, 0x00010001); /* AER, version 1: must stay hidden */
}

/* The function on its virtual host (core/partition/pci.c): fn and its generic header. */
static struct vpci_func vf;

static uint32_t rd(struct pci_pt_fn *fn, unsigned int off, unsigned int size)
{
    uint32_t v = 0xdeadbeef;

    vf.dev = fn;
    CHECK_EQ(pci_pt_cfg_read(&vf, NULL, off, size, &v), 0);
    return v;
}

static void wr(struct pci_pt_fn *fn, unsigned int off, unsigned int size, uint32_t val)
{
    vf.dev = fn;
    CHECK_EQ(pci_pt_cfg_write(&vf, NULL, off, size, val), 0);
}

static void probe_and_place(struct pci_pt_fn *fn)
{
    uint64_t host = 0x10000000, guest = 0x20000000;

    REQUIRE(pci_pt_probe(fn, BDF) == 0);
    REQUIRE(pci_pt_assign(fn, true, &host, 0x3eff0000) == 0);
    REQUIRE(pci_pt_assign(fn, false, &guest, 0x30000000) == 0);
    REQUIRE(pci_pt_guest_header(fn, &vf.cfg) == 0);
}

TEST(probe_sizes_bars_and_turns_decoding_off)
{
    struct pci_pt_fn fn;

    make_virtio(true);
    probe_and_place(&fn);
    CHECK_EQ(get32(PCI_COMMAND) & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER), 0);
    CHECK_EQ(fn.bar[0].size, 0); /* I/O: never shown */
    CHECK_EQ(fn.bar[1].size, 0x1000);
    CHECK(fn.bar[4].is64 && fn.bar[5].size == 0); /* BAR5: BAR4's upper half */
    CHECK_EQ(fn.bar[4].size, 0x4000);
    CHECK(fn.flr);
    CHECK_EQ(fn.pin, 1);
    CHECK_EQ(fn.nr_caps, 3);
    /* Host BARs page-aligned, each on pages of its own, written to the device. */
    CHECK_EQ(fn.bar[1].host, 0x10000000);
    CHECK_EQ(fn.bar[4].host, 0x10004000);
    CHECK_EQ(get32(PCI_BAR0 + 4) & ~0xfu, 0x10000000);
    CHECK_EQ(get32(PCI_BAR0 + 16) & ~0xfu, 0x10004000);
    CHECK_EQ(get32(PCI_BAR0 + 20), 0);
    CHECK_EQ(fn.bar[1].guest, 0x20000000);
    CHECK_EQ(fn.bar[4].guest, 0x20004000);
}

TEST(small_bar_gets_a_page_and_window_overflow_is_refused)
{
    struct pci_pt_fn fn;
    uint64_t host = 0x10000800, guest = 0x20000000, g, h, s;

    make_virtio(false);
    dev.bar_size[1] = 0x100;
    REQUIRE(pci_pt_probe(&fn, BDF) == 0);
    CHECK_EQ(fn.bar[1].size, 0x100);
    CHECK_EQ(pci_pt_assign(&fn, true, &host, 0x3eff0000), 0);
    CHECK_EQ(fn.bar[1].host, 0x10001000);       /* aligned up to a page */
    CHECK_EQ(fn.bar[4].host, 0x10004000);       /* the next page range, not the same page */
    CHECK(!pci_pt_bar_map(&fn, 1, &g, &h, &s)); /* no guest address yet: nothing to map */
    CHECK_EQ(pci_pt_assign(&fn, false, &guest, 0x30000000), 0);
    CHECK(pci_pt_bar_map(&fn, 1, &g, &h, &s));
    CHECK_EQ(g, 0x20000000);
    CHECK_EQ(h, 0x10001000);
    CHECK_EQ(s, PAGE_SIZE);
    guest = 0x20000000;
    host = 0x3effe000;
    CHECK_EQ(pci_pt_assign(&fn, true, &host, 0x3eff0000 + 0x4000), -ENOSPC);
    CHECK_EQ(pci_pt_assign(&fn, false, &guest, 0x20002000), -ENOSPC);
}

TEST(ids_pass_bars_show_guest_address_and_size)
{
    struct pci_pt_fn fn;

    make_virtio(true);
    probe_and_place(&fn);
    CHECK_EQ(rd(&fn, PCI_VENDOR_ID, 4), 0x10421af4);
    CHECK_EQ(rd(&fn, PCI_REVISION_ID, 4), 0x01000001);
    CHECK_EQ(rd(&fn, PCI_SUBSYSTEM_VENDOR_ID, 4), 0x00021af4);
    CHECK_EQ(rd(&fn, PCI_HEADER_TYPE, 1), 0); /* multi-function bit hidden */
    /* BARs: the guest address, never the host's. */
    CHECK_EQ(rd(&fn, PCI_BAR0, 4), 0); /* I/O BAR: not implemented */
    CHECK_EQ(rd(&fn, PCI_BAR0 + 4, 4), 0x20000000);
    CHECK_EQ(rd(&fn, PCI_BAR0 + 16, 4), 0x20004000 | PCI_BAR_TYPE_64 | PCI_BAR_PREFETCH);
    CHECK_EQ(rd(&fn, PCI_BAR0 + 20, 4), 0);
    /* Sizing: all ones, read the mask, restore. */
    wr(&fn, PCI_BAR0 + 4, 4, UINT32_MAX);
    CHECK_EQ(rd(&fn, PCI_BAR0 + 4, 4), 0xfffff000);
    wr(&fn, PCI_BAR0 + 4, 4, 0x20000000);
    CHECK_EQ(rd(&fn, PCI_BAR0 + 4, 4), 0x20000000);
    wr(&fn, PCI_BAR0 + 16, 4, UINT32_MAX);
    wr(&fn, PCI_BAR0 + 20, 4, UINT32_MAX);
    CHECK_EQ(rd(&fn, PCI_BAR0 + 16, 4), 0xffffc000 | PCI_BAR_TYPE_64 | PCI_BAR_PREFETCH);
    CHECK_EQ(rd(&fn, PCI_BAR0 + 20, 4), 0xffffffff);
    wr(&fn, PCI_BAR0, 4, UINT32_MAX);
    CHECK_EQ(rd(&fn, PCI_BAR0, 4), 0); /* the I/O BAR sizes as absent */
    /* The ROM and extended space read as nothing. */
    CHECK_EQ(rd(&fn, PCI_ROM_ADDRESS, 4), 0);
    CHECK_EQ(rd(&fn, PCI_EXT_CAP_START, 4), 0);
}

TEST(guest_cannot_move_a_bar)
{
    struct pci_pt_fn fn;
    unsigned int writes;

    make_virtio(true);
    probe_and_place(&fn);
    writes = dev.writes;
    wr(&fn, PCI_BAR0 + 4, 4, 0x3e000000);
    wr(&fn, PCI_BAR0 + 16, 4, 0x40000000);
    wr(&fn, PCI_BAR0 + 20, 4, 0x1);
    wr(&fn, PCI_BAR0 + 4, 2, 0xffff);
    wr(&fn, PCI_ROM_ADDRESS, 4, 0x3e000001);
    /* Nor does the rest of the header: identity, Cache Line Size, header type, BIST. */
    wr(&fn, PCI_VENDOR_ID, 4, 0);
    wr(&fn, PCI_CACHE_LINE_SIZE, 4, UINT32_MAX);
    CHECK_EQ(dev.writes, writes); /* nothing reached the device */
    CHECK_EQ(rd(&fn, PCI_VENDOR_ID, 4), 0x10421af4);
    CHECK_EQ(rd(&fn, PCI_CACHE_LINE_SIZE, 4), 0);
    CHECK_EQ(rd(&fn, PCI_BAR0 + 4, 4), 0x20000000);
    CHECK_EQ(rd(&fn, PCI_BAR0 + 20, 4), 0);
    CHECK_EQ(get32(PCI_BAR0 + 4) & ~0xfu, 0x10000000);
    CHECK_EQ(get32(PCI_BAR0 + 16) & ~0xfu, 0x10004000);
}

TEST(command_passes_memory_master_intx_and_refuses_io)
{
    struct pci_pt_fn fn;

    make_virtio(true);
    probe_and_place(&fn);
    CHECK_EQ(rd(&fn, PCI_COMMAND, 2), 0);
    wr(&fn, PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | (1u << 8));
    CHECK_EQ(get32(PCI_COMMAND) & 0xffff, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    CHECK_EQ(rd(&fn, PCI_COMMAND, 2), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    wr(&fn, PCI_COMMAND + 1, 1, PCI_COMMAND_INTX_DISABLE >> 8);
    CHECK_EQ(get32(PCI_COMMAND) & 0xffff,
             PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
    wr(&fn, PCI_COMMAND, 1, 0);
    CHECK_EQ(get32(PCI_COMMAND) & 0xffff, PCI_COMMAND_INTX_DISABLE);
    /* STATUS: write-1-to-clear passes, the capability bit is the filtered list's. */
    CHECK(rd(&fn, PCI_STATUS, 2) & PCI_STATUS_RCV_MASTER_ABORT);
    CHECK(rd(&fn, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
    wr(&fn, PCI_COMMAND, 4, (uint32_t)PCI_STATUS_RCV_MASTER_ABORT << 16 | PCI_COMMAND_MEMORY);
    CHECK_EQ(rd(&fn, PCI_STATUS, 2) & PCI_STATUS_RCV_MASTER_ABORT, 0);
    CHECK_EQ(get32(PCI_COMMAND) & 0xffff, PCI_COMMAND_MEMORY);
}

TEST(capabilities_show_only_vendor_specific)
{
    struct pci_pt_fn fn;
    unsigned int off, seen = 0, writes;

    make_virtio(true);
    probe_and_place(&fn);
    /* The chain the guest walks: 0x50 -> 0x40 -> 0x64, no MSI-X (0x74), no PCIe (0x80). */
    off = rd(&fn, PCI_CAPABILITY_LIST, 1);
    CHECK_EQ(off, 0x50);
    while (off != 0 && seen < 10) {
        CHECK_EQ(rd(&fn, off, 1), PCI_CAP_ID_VNDR);
        seen++;
        off = rd(&fn, off + 1, 1);
    }
    CHECK_EQ(seen, 3);
    CHECK_EQ(rd(&fn, 0x40 + 1, 1), 0x64); /* past the hidden PCIe capability */
    CHECK_EQ(rd(&fn, 0x43, 1), 1);        /* a body byte: the device's */
    CHECK_EQ(rd(&fn, 0x74, 4), 0);        /* MSI-X hidden */
    CHECK_EQ(rd(&fn, 0x80 + 8, 4), 0);    /* PCIe hidden */
    /* Writes: a vendor capability's body reaches the device, its header and hidden
     * capabilities do not (no FLR through a hidden Device Control). */
    wr(&fn, 0x50 + 4, 1, 0x4);
    CHECK_EQ(dev.cfg[0x54], 0x4);
    writes = dev.writes;
    wr(&fn, 0x50 + 1, 1, 0x74);
    wr(&fn, 0x80 + PCI_EXP_DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
    wr(&fn, 0x74 + 2, 2, 0x8000); /* MSI-X enable */
    wr(&fn, 0x64 + 0xe, 4, 0);    /* past the capability's length */
    wr(&fn, PCI_EXT_CAP_START, 4, 0);
    CHECK_EQ(dev.writes, writes);
    CHECK_EQ(dev.flrs, 0);
    CHECK_EQ(dev.ext_writes, 0);
}

TEST(looping_capability_list_is_cut)
{
    struct pci_pt_fn fn;

    make_virtio(false);
    cap(0x64, PCI_CAP_ID_VNDR, 0x74, 0x10); /* ... -> 0x64 -> 0x74 -> 0x50 -> ... */
    REQUIRE(pci_pt_probe(&fn, BDF) == 0);
    CHECK(fn.nr_caps <= PCI_PT_MAX_CAPS);
}

TEST(reset_with_flr_restores_bars_and_guest_view)
{
    struct pci_pt_fn fn;

    make_virtio(true);
    probe_and_place(&fn);
    wr(&fn, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    wr(&fn, PCI_BAR0 + 4, 4, UINT32_MAX);
    wr(&fn, PCI_INTERRUPT_LINE, 1, 38);
    fake_time_us = 0;
    pci_pt_reset(&fn);
    vpci_cfg_reset(&vf.cfg); /* the virtual host's part of the partition reset */
    CHECK_EQ(dev.flrs, 1);
    CHECK(fake_time_us >= 100000); /* the 100 ms after FLR */
    CHECK_EQ(get32(PCI_COMMAND) & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER), 0);
    CHECK_EQ(get32(PCI_BAR0 + 4) & ~0xfu, 0x10000000); /* written again after the FLR */
    CHECK_EQ(get32(PCI_BAR0 + 16) & ~0xfu, 0x10004000);
    CHECK_EQ(rd(&fn, PCI_COMMAND, 2), 0);
    CHECK_EQ(rd(&fn, PCI_BAR0 + 4, 4), 0x20000000);
    CHECK_EQ(rd(&fn, PCI_INTERRUPT_LINE, 1), 0);
}

TEST(reset_without_flr_stops_decoding_and_dma)
{
    struct pci_pt_fn fn;

    make_virtio(false);
    probe_and_place(&fn);
    wr(&fn, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    pci_pt_reset(&fn);
    CHECK_EQ(dev.flrs, 0);
    CHECK_EQ(get32(PCI_COMMAND) & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_IO), 0);
    CHECK(get32(PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
}

TEST(bridges_and_absent_functions_are_refused)
{
    struct pci_pt_fn fn;

    make_virtio(false);
    dev.cfg[PCI_HEADER_TYPE] = 1;
    CHECK_EQ(pci_pt_probe(&fn, BDF), -EOPNOTSUPP);
    CHECK_EQ(pci_pt_probe(&fn, 0x0100), -ENODEV);
}
