// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual PCI host on the fake arch: the type-0 header emulation (core/vdev/vpci_cfg.c:
 * read-only identity, COMMAND's writable bits, STATUS's RW1C and device-owned bits, BAR
 * sizing by writes of all ones and fixed addresses, byte and word accesses), then the host
 * (core/vdev/vpci.c) driven through trapped MMIO as the arch trap handler drives it: ECAM
 * decoding and empty slots, the emulated-BAR window and COMMAND.Memory-Space, INTx level
 * following the function's condition and COMMAND.Interrupt-Disable with STATUS.Interrupt-
 * Status, partition reset, slot refusals, and the bridge's guest-DT node and /chosen.
 */
#include <stdlib.h>
#include <string.h>

#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/fdt_write.h>
#include <hv/partition.h>
#include <hv/pci.h>
#include <hv/vdev.h>
#include <hv/vmmio.h>
#include <hv/vpci.h>

#include "fake.h"
#include "fake_console.h"
#include "fake_irq.h"
#include "unit.h"

static const struct vpci_id test_id = {.vendor = 0x1234,
                                       .device = 0x5678,
                                       .class_code = 0x050000,
                                       .revision = 2,
                                       .subsys_vendor = 0x1234,
                                       .subsys_id = 0x9abc};

static uint32_t rd(const struct vpci_cfg *c, unsigned int off, unsigned int size)
{
    uint32_t v = 0xdeadbeef;

    vpci_cfg_read(c, off, size, &v);
    return v;
}

/* The COMMAND bits of a function with INTx and no DMA (an ivshmem one). */
#define CMD_INTX (PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE)

static void header(struct vpci_cfg *c)
{
    const struct vpci_bar regs = {
        .kind = VPCI_BAR_EMULATED, .size = 0x1000, .addr = gpa(0x3e000000)};
    const struct vpci_bar win = {.kind = VPCI_BAR_MAPPED,
                                 .size = 0x10000,
                                 .is64 = true,
                                 .prefetchable = true,
                                 .addr = gpa(0x160000000ull)};

    vpci_cfg_init(c, &test_id, CMD_INTX, PCI_INTERRUPT_PIN_A);
    CHECK_EQ(vpci_cfg_set_bar(c, 0, &regs), 0);
    CHECK_EQ(vpci_cfg_set_bar(c, 2, &win), 0);
}

TEST(cfg_identity_is_read_only)
{
    struct vpci_cfg c;

    header(&c);
    CHECK_EQ(rd(&c, PCI_VENDOR_ID, 4), 0x56781234u);
    CHECK_EQ(rd(&c, PCI_REVISION_ID, 4), 0x05000002u);
    CHECK_EQ(rd(&c, PCI_SUBSYSTEM_VENDOR_ID, 4), 0x9abc1234u);
    CHECK_EQ(rd(&c, PCI_INTERRUPT_PIN, 1), PCI_INTERRUPT_PIN_A);
    CHECK_EQ(rd(&c, PCI_HEADER_TYPE, 1), 0);
    vpci_cfg_write(&c, PCI_VENDOR_ID, 4, 0);
    vpci_cfg_write(&c, PCI_REVISION_ID, 4, 0xffffffffu);
    vpci_cfg_write(&c, PCI_HEADER_TYPE, 1, 0x80);
    vpci_cfg_write(&c, PCI_INTERRUPT_PIN, 1, 4);
    vpci_cfg_write(&c, PCI_CAPABILITY_LIST, 1, 0x40);
    vpci_cfg_write(&c, PCI_ROM_ADDRESS, 4, 0xffffffffu);
    CHECK_EQ(rd(&c, PCI_VENDOR_ID, 4), 0x56781234u);
    CHECK_EQ(rd(&c, PCI_REVISION_ID, 4), 0x05000002u);
    CHECK_EQ(rd(&c, PCI_HEADER_TYPE, 1), 0);
    CHECK_EQ(rd(&c, PCI_INTERRUPT_PIN, 1), PCI_INTERRUPT_PIN_A);
    CHECK_EQ(rd(&c, PCI_CAPABILITY_LIST, 1), 0);
    CHECK_EQ(rd(&c, PCI_ROM_ADDRESS, 4), 0); /* no ROM: sizing reads 0 too */
    /* Scratch bytes software owns. */
    vpci_cfg_write(&c, PCI_INTERRUPT_LINE, 1, 0x2a);
    vpci_cfg_write(&c, PCI_CACHE_LINE_SIZE, 1, 0x10);
    CHECK_EQ(rd(&c, PCI_INTERRUPT_LINE, 2), 0x0100u | 0x2a);
    CHECK_EQ(rd(&c, PCI_CACHE_LINE_SIZE, 1), 0x10);
    /* Beyond the header and beyond what is kept: 0, writes dropped. */
    vpci_cfg_write(&c, 0x80, 4, 0x12345678u);
    CHECK_EQ(rd(&c, 0x80, 4), 0);
    CHECK_EQ(rd(&c, 0xffc, 4), 0);
}

TEST(cfg_command_and_status)
{
    struct vpci_cfg c;

    header(&c);
    CHECK_EQ(vpci_cfg_command(&c), 0);
    /* Only Memory Space and Interrupt Disable take (no I/O BAR, not a bus master). */
    vpci_cfg_write(&c, PCI_COMMAND, 2, 0xffff);
    CHECK_EQ(rd(&c, PCI_COMMAND, 2), PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
    vpci_cfg_write(&c, PCI_COMMAND + 1, 1, 0); /* byte write of the high half */
    CHECK_EQ(rd(&c, PCI_COMMAND, 2), PCI_COMMAND_MEMORY);
    /* A DWORD write at COMMAND also writes STATUS: ones clear RW1C bits, never set them. */
    vpci_cfg_write(&c, PCI_COMMAND, 4, 0xffff0000u | PCI_COMMAND_INTX_DISABLE);
    CHECK_EQ(rd(&c, PCI_COMMAND, 4), PCI_COMMAND_INTX_DISABLE);
    /* Interrupt Status is the device's: read-only for software, kept by a write of ones. */
    vpci_cfg_set_status(&c, PCI_STATUS_INTERRUPT, true);
    vpci_cfg_write(&c, PCI_STATUS, 2, 0xffff);
    CHECK_EQ(rd(&c, PCI_STATUS, 2), PCI_STATUS_INTERRUPT);
    vpci_cfg_set_status(&c, PCI_STATUS_SIG_TARGET_ABORT, true);
    CHECK_EQ(rd(&c, PCI_STATUS, 2), PCI_STATUS_INTERRUPT | PCI_STATUS_SIG_TARGET_ABORT);
    vpci_cfg_write(&c, PCI_STATUS, 2, PCI_STATUS_SIG_TARGET_ABORT);
    CHECK_EQ(rd(&c, PCI_STATUS, 2), PCI_STATUS_INTERRUPT);
    vpci_cfg_write(&c, PCI_STATUS, 2, 0);
    vpci_cfg_set_status(&c, PCI_STATUS_INTERRUPT, false);
    CHECK_EQ(rd(&c, PCI_STATUS, 2), 0);
    /* A bus master's COMMAND takes Bus Master; a function without INTx no Interrupt Disable. */
    vpci_cfg_init(&c, &test_id, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
    vpci_cfg_write(&c, PCI_COMMAND, 2, 0xffff);
    CHECK_EQ(rd(&c, PCI_COMMAND, 2), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    CHECK_EQ(rd(&c, PCI_INTERRUPT_PIN, 1), 0);
    /* Reset: writable bits back to 0, identity kept. */
    vpci_cfg_reset(&c);
    CHECK_EQ(rd(&c, PCI_COMMAND, 4), 0);
    CHECK_EQ(rd(&c, PCI_VENDOR_ID, 2), 0x1234);
}

TEST(cfg_bar_sizing)
{
    struct vpci_cfg c;

    header(&c);
    /* Fixed addresses with their type bits (BAR2 64-bit prefetchable, BAR3 its high half). */
    CHECK_EQ(rd(&c, PCI_BAR0, 4), 0x3e000000u);
    CHECK_EQ(rd(&c, PCI_BAR0 + 8, 4), 0x60000000u | PCI_BAR_TYPE_64 | PCI_BAR_PREFETCH);
    CHECK_EQ(rd(&c, PCI_BAR0 + 12, 4), 1);
    CHECK_EQ(rd(&c, PCI_BAR0 + 4, 4), 0); /* unimplemented */
    /* Sizing as Linux's __pci_read_base does it: all ones, read, restore. */
    vpci_cfg_write(&c, PCI_BAR0, 4, 0xffffffffu);
    CHECK_EQ(rd(&c, PCI_BAR0, 4), 0xfffff000u);
    vpci_cfg_write(&c, PCI_BAR0, 4, 0x3e000000u);
    CHECK_EQ(rd(&c, PCI_BAR0, 4), 0x3e000000u);
    vpci_cfg_write(&c, PCI_BAR0 + 8, 4, 0xffffffffu);
    vpci_cfg_write(&c, PCI_BAR0 + 12, 4, 0xffffffffu);
    CHECK_EQ(rd(&c, PCI_BAR0 + 8, 4), 0xffff0000u | PCI_BAR_TYPE_64 | PCI_BAR_PREFETCH);
    CHECK_EQ(rd(&c, PCI_BAR0 + 12, 4), 0xffffffffu);
    vpci_cfg_write(&c, PCI_BAR0 + 8, 4, 0x60000000u);
    vpci_cfg_write(&c, PCI_BAR0 + 12, 4, 1);
    CHECK_EQ(rd(&c, PCI_BAR0 + 8, 4), 0x6000000cu);
    CHECK_EQ(rd(&c, PCI_BAR0 + 12, 4), 1);
    /* Unimplemented BARs stay zero under sizing. */
    vpci_cfg_write(&c, PCI_BAR0 + 4, 4, 0xffffffffu);
    CHECK_EQ(rd(&c, PCI_BAR0 + 4, 4), 0);
    /* Another address never moves a BAR: the hypervisor fixed it. */
    vpci_cfg_write(&c, PCI_BAR0, 4, 0x20000000u);
    CHECK_EQ(rd(&c, PCI_BAR0, 4), 0x3e000000u);
    /* Byte reads of a sizing BAR; any other write ends sizing. */
    vpci_cfg_write(&c, PCI_BAR0, 4, 0xffffffffu);
    CHECK_EQ(rd(&c, PCI_BAR0 + 1, 1), 0xf0);
    CHECK_EQ(rd(&c, PCI_BAR0 + 2, 2), 0xffff);
    vpci_cfg_write(&c, PCI_BAR0, 2, 0);
    CHECK_EQ(rd(&c, PCI_BAR0, 4), 0x3e000000u);
    /* Reset ends sizing. */
    vpci_cfg_write(&c, PCI_BAR0, 4, 0xffffffffu);
    vpci_cfg_reset(&c);
    CHECK_EQ(rd(&c, PCI_BAR0, 4), 0x3e000000u);
}

TEST(cfg_bar_refusals)
{
    struct vpci_cfg c;
    struct vpci_bar b = {.kind = VPCI_BAR_MAPPED, .size = 0x3000, .addr = gpa(0x40000000)};

    vpci_cfg_init(&c, &test_id, CMD_INTX, PCI_INTERRUPT_PIN_A);
    CHECK_EQ(vpci_cfg_set_bar(&c, 0, &b), -EINVAL); /* not a power of two */
    b.size = 0x800;
    CHECK_EQ(vpci_cfg_set_bar(&c, 0, &b), -EINVAL); /* below a page */
    b.size = 0x10000;
    b.addr = gpa(0x40001000);
    CHECK_EQ(vpci_cfg_set_bar(&c, 0, &b), -EINVAL); /* not aligned to its size */
    b.addr = gpa(0x100000000ull);
    CHECK_EQ(vpci_cfg_set_bar(&c, 0, &b), -EINVAL); /* 32-bit above 4 GiB */
    b.is64 = true;
    CHECK_EQ(vpci_cfg_set_bar(&c, 5, &b), -EINVAL); /* 64-bit needs two registers */
    CHECK_EQ(vpci_cfg_set_bar(&c, 6, &b), -EINVAL);
    CHECK_EQ(vpci_cfg_set_bar(&c, 4, &b), 0);
}

/* ------------------------------------------------------------------------------------------ */
/* The host                                                                                   */

static struct hv_config cfg;
static struct partition part;
static struct vpci_func fn;
static struct {
    unsigned int reads, writes, resets;
    unsigned int bar;
    uint64_t off, val;
} rec;

static int f_bar_read(struct vpci_func *f, struct vcpu *v, unsigned int bar, uint64_t off,
                      unsigned int size, uint64_t *val)
{
    (void)f;
    (void)v;
    (void)size;
    rec.reads++;
    rec.bar = bar;
    rec.off = off;
    *val = 0x77;
    return 0;
}

static int f_bar_write(struct vpci_func *f, struct vcpu *v, unsigned int bar, uint64_t off,
                       unsigned int size, uint64_t val)
{
    (void)f;
    (void)v;
    (void)size;
    rec.writes++;
    rec.bar = bar;
    rec.off = off;
    rec.val = val;
    return 0;
}

static void f_reset(struct vpci_func *f)
{
    (void)f;
    rec.resets++;
}

static const struct vpci_func_ops f_ops = {
    .bar_read = f_bar_read, .bar_write = f_bar_write, .reset = f_reset};

static void host_setup(void)
{
    struct hv_config_partition *pc = &cfg.partitions[0];
    const struct vpci_bar regs = {.kind = VPCI_BAR_EMULATED, .size = 0x1000};
    const struct vpci_bar win = {.kind = VPCI_BAR_MAPPED,
                                 .size = 0x10000,
                                 .is64 = true,
                                 .prefetchable = true,
                                 .addr = gpa(0x60000000)};

    memset(&cfg, 0, sizeof(cfg));
    memset(&part, 0, sizeof(part));
    memset(&rec, 0, sizeof(rec));
    memset(&fake_irq, 0, sizeof(fake_irq));
    cfg.nr_partitions = 1;
    pc->id = 3;
    strcpy(pc->label, "pci");
    pc->mem_count = 1;
    cfg.mem[0].guest = gpa(0x40000000);
    cfg.mem[0].host = hpa(0x48000000);
    cfg.mem[0].size = 0x08000000;
    part.config = pc;
    part.layout = &cfg;
    part.nr_vcpus = 1;
    part.vcpus[0].part = &part;
    fake_console_clear();
    fake_irq.guest_phandle = 0x8001;
    fake_vpci_ecam = 0x3f000000u;
    memset(&fn, 0, sizeof(fn));
    fn.ops = &f_ops;
    fn.name = "test";
    fn.slot = 2;
    vpci_cfg_init(&fn.cfg, &test_id, CMD_INTX, PCI_INTERRUPT_PIN_A);
    CHECK_EQ(vpci_cfg_set_bar(&fn.cfg, 0, &regs), 0);
    CHECK_EQ(vpci_cfg_set_bar(&fn.cfg, 2, &win), 0);
}

/* What a doorbell or a physical INTx does to the function (vpci_intx_set_locked()). */
static void intx_set(struct vpci_func *f, bool cond)
{
    spin_lock(&f->lock);
    vpci_intx_set_locked(f, cond);
    spin_unlock(&f->lock);
}

static uint64_t mmio_rd(uint64_t a, unsigned int size)
{
    uint64_t v = 0;

    CHECK_EQ(vmmio_access(&part.vcpus[0], gpa(a), size, false, &v), 0);
    return v;
}

static void mmio_wr(uint64_t a, unsigned int size, uint64_t v)
{
    CHECK_EQ(vmmio_access(&part.vcpus[0], gpa(a), size, true, &v), 0);
}

/* ECAM address of slot's function 0, register off. */
static uint64_t ecam(unsigned int slot, unsigned int off)
{
    return 0x3f000000u + (slot << 15) + off;
}

TEST(host_ecam_and_bars)
{
    uint64_t v = 0;

    host_setup();
    REQUIRE(vdev_partition_init(&part) == 0);
    REQUIRE(vpci_add_func(&part, &fn) == 0);
    CHECK(vpci_func_at(&part, 2) == &fn);
    /* The emulated BAR got the window's first page. */
    CHECK_EQ(gpa_val(fn.cfg.bar[0].addr), 0x3e000000u);
    CHECK_EQ(mmio_rd(ecam(2, PCI_VENDOR_ID), 4), 0x56781234u);
    CHECK_EQ(mmio_rd(ecam(2, PCI_DEVICE_ID), 2), 0x5678);
    CHECK_EQ(mmio_rd(ecam(2, PCI_BAR0), 4), 0x3e000000u);
    /* Empty slots, other functions of the slot: all ones; writes dropped. */
    CHECK_EQ(mmio_rd(ecam(0, PCI_VENDOR_ID), 4), 0xffffffffu);
    CHECK_EQ(mmio_rd(ecam(3, PCI_VENDOR_ID), 2), 0xffff);
    CHECK_EQ(mmio_rd(ecam(2, PCI_VENDOR_ID) + 0x1000, 4), 0xffffffffu);
    mmio_wr(ecam(5, PCI_COMMAND), 2, 0xffff);
    /* 8-byte ECAM accesses are refused (a fault). */
    CHECK_EQ(vmmio_access(&part.vcpus[0], gpa(ecam(2, 0)), 8, false, &v), -EINVAL);
    /* The BAR window decodes only with COMMAND.Memory-Space. */
    CHECK_EQ(mmio_rd(0x3e000010u, 4), 0xffffffffu);
    mmio_wr(0x3e000010u, 4, 1);
    CHECK_EQ(rec.reads + rec.writes, 0);
    mmio_wr(ecam(2, PCI_COMMAND), 2, PCI_COMMAND_MEMORY);
    CHECK_EQ(mmio_rd(0x3e000010u, 4), 0x77);
    mmio_wr(0x3e000014u, 4, 0x55);
    CHECK_EQ(rec.reads, 1);
    CHECK_EQ(rec.writes, 1);
    CHECK_EQ(rec.bar, 0);
    CHECK_EQ(rec.off, 0x14);
    CHECK_EQ(rec.val, 0x55);
    /* Past the BAR in the window: nothing decodes it. */
    CHECK_EQ(mmio_rd(0x3e001000u, 4), 0xffffffffu);
}

TEST(host_intx)
{
    uint32_t virq;

    host_setup();
    REQUIRE(vdev_partition_init(&part) == 0);
    REQUIRE(vpci_add_func(&part, &fn) == 0);
    virq = fn.intx_virq;
    REQUIRE(virq != 0);
    CHECK(!fake_irq.line[part.index][virq]);
    /* The condition raises the line and shows in STATUS. */
    intx_set(&fn, true);
    CHECK(fake_irq.line[part.index][virq]);
    CHECK_EQ(mmio_rd(ecam(2, PCI_STATUS), 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
    /* uio_pci_generic's handler: Interrupt Disable lowers the line; Status still shows it. */
    mmio_wr(ecam(2, PCI_COMMAND), 2, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
    CHECK(!fake_irq.line[part.index][virq]);
    CHECK_EQ(mmio_rd(ecam(2, PCI_STATUS), 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
    /* Re-enabled with the condition still there: the line is high again. */
    mmio_wr(ecam(2, PCI_COMMAND), 2, PCI_COMMAND_MEMORY);
    CHECK(fake_irq.line[part.index][virq]);
    /* The device's condition goes: line low, status clear. */
    intx_set(&fn, false);
    CHECK(!fake_irq.line[part.index][virq]);
    CHECK_EQ(mmio_rd(ecam(2, PCI_STATUS), 2) & PCI_STATUS_INTERRUPT, 0);
    /* While disabled, a new condition shows in STATUS only. */
    mmio_wr(ecam(2, PCI_COMMAND), 2, PCI_COMMAND_INTX_DISABLE);
    intx_set(&fn, true);
    CHECK(!fake_irq.line[part.index][virq]);
    CHECK_EQ(mmio_rd(ecam(2, PCI_STATUS), 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
    /* Partition reset: the function's reset, the header's, the line low. */
    mmio_wr(ecam(2, PCI_COMMAND), 2, PCI_COMMAND_MEMORY);
    CHECK(fake_irq.line[part.index][virq]);
    vdev_partition_reset(&part);
    CHECK_EQ(rec.resets, 1);
    CHECK(!fake_irq.line[part.index][virq]);
    CHECK_EQ(mmio_rd(ecam(2, PCI_COMMAND), 4), 0);
}

/* A function with an interrupt of its own: named in interrupt-map, never driven. */
TEST(host_intx_own)
{
    host_setup();
    fn.intx_own = true;
    fn.intx_virq = 40;
    fn.intx_spec[0] = 0;
    fn.intx_spec[1] = 8;
    fn.intx_spec[2] = 4;
    REQUIRE(vdev_partition_init(&part) == 0);
    REQUIRE(vpci_add_func(&part, &fn) == 0);
    CHECK_EQ(fn.intx_virq, 40);
    intx_set(&fn, true);
    CHECK_EQ(fake_irq.level_changes, 0);
    CHECK_EQ(mmio_rd(ecam(2, PCI_STATUS), 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
}

TEST(host_refusals)
{
    struct vpci_func other;

    host_setup();
    REQUIRE(vdev_partition_init(&part) == 0);
    REQUIRE(vpci_add_func(&part, &fn) == 0);
    other = fn;
    CHECK_EQ(vpci_add_func(&part, &other), -EEXIST); /* slot 2 taken */
    CHECK(strstr(fake_console_log, "virtual PCI 00:02.0 test: slot already taken") != NULL);
    other.slot = 32;
    CHECK_EQ(vpci_add_func(&part, &other), -EINVAL);
    other.slot = 3; /* its mapped BAR2 is fn's */
    CHECK_EQ(vpci_add_func(&part, &other), -EEXIST);
    CHECK(strstr(fake_console_log, "BAR overlaps another function's") != NULL);
    /* An arch without a virtual PCI host. */
    host_setup();
    fake_vpci_ecam = 0;
    REQUIRE(vdev_partition_init(&part) == 0);
    CHECK_EQ(vpci_add_func(&part, &fn), -ENODEV);
    fake_vpci_ecam = 0x3f000000u;
    /* The ECAM may not overlap partition memory (vmmio_register's check). */
    host_setup();
    cfg.mem[0].guest = gpa(0x3f000000);
    REQUIRE(vdev_partition_init(&part) == 0);
    CHECK_EQ(vpci_add_func(&part, &fn), -EEXIST);
}

TEST(host_guest_dt)
{
    static uint8_t buf[4096];
    struct fdt_writer w;
    struct fdt f;
    struct fdt_prop prop;
    uint32_t c[14];
    int len, node;

    host_setup();
    REQUIRE(vdev_partition_init(&part) == 0);
    REQUIRE(vpci_add_func(&part, &fn) == 0);
    REQUIRE(fdt_write_init(&w, buf, sizeof(buf)) == 0);
    fdt_write_begin_node(&w, "");
    fdt_write_begin_node(&w, "chosen");
    vdev_chosen(&w, &part);
    fdt_write_end_node(&w);
    vdev_guest_dt(&w, &part);
    fdt_write_end_node(&w);
    len = fdt_write_finish(&w);
    REQUIRE(len > 0 && fdt_init(&f, buf, (size_t)len) == 0);
    REQUIRE(fdt_prop(&f, fdt_path(&f, "/chosen"), "linux,pci-probe-only", &prop) == 0);
    CHECK(prop.len == 4 && fdt_be32(prop.data) == 1);
    node = fdt_path(&f, "/pcie@3f000000");
    REQUIRE(node >= 0);
    CHECK(fdt_is_compatible(&f, node, "pci-host-ecam-generic"));
    /* ranges: the emulated-BAR window, then BAR2's 64-bit prefetchable window. */
    REQUIRE(fdt_prop(&f, node, "ranges", &prop) == 0);
    REQUIRE(prop.len == 2 * 7 * 4);
    for (unsigned int i = 0; i < 14; i++) {
        c[i] = fdt_be32((const uint8_t *)prop.data + 4 * i);
    }
    CHECK_EQ(c[0], 0x02000000u);
    CHECK_EQ(c[2], 0x3e000000u);
    CHECK_EQ(c[4], 0x3e000000u);
    CHECK_EQ(c[6], 0x800000u);
    CHECK_EQ(c[7], 0x43000000u);
    CHECK_EQ(c[9], 0x60000000u);
    CHECK_EQ(c[11], 0x60000000u);
    CHECK_EQ(c[13], 0x10000u);
    /* interrupt-map: slot 2 INTA -> the controller's phandle and the level SPI. */
    REQUIRE(fdt_prop(&f, node, "interrupt-map", &prop) == 0);
    REQUIRE(prop.len == (5 + 3) * 4);
    for (unsigned int i = 0; i < 8; i++) {
        c[i] = fdt_be32((const uint8_t *)prop.data + 4 * i);
    }
    CHECK_EQ(c[0], 2u << 11);
    CHECK_EQ(c[3], PCI_INTERRUPT_PIN_A);
    CHECK_EQ(c[4], 0x8001);
    CHECK_EQ(c[5], 0);
    CHECK_EQ(c[6], fn.intx_virq - 32);
    CHECK_EQ(c[7], 4); /* level-high */
}
