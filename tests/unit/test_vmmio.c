// SPDX-License-Identifier: Apache-2.0
/*
 * Trapped-MMIO dispatch (core/vdev/vmmio.c) and the arm64 virtual console UART
 * (arch/arm64/vpl011.c, set up through the virtual-device table core/vdev/vdev.c) on the fake
 * arch, driven the way the arch trap handler drives them: region lookup, the overlap
 * refusal at table-build time (memory, shared memory, devices, other regions; the message
 * names the partition's node path), read/write dispatch with sizes, alignment and value
 * masking, the out-of-region answer that sends the arch to its fault path, handler errors,
 * then the PL011 register semantics and the console line buffering through UARTDR.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/fdt_write.h>
#include <hv/guest_dt.h>
#include <hv/partition.h>
#include <hv/vmmio.h>
#include <hv/console_input.h>
#include <hv/vdev.h>

#include <asm/vpl011.h>

#include "fake_console.h"
#include "fake_irq.h"
#include "unit.h"

static struct hv_config cfg;
/* The partition table core/partition/doorbell.c rings through (core/partition/partition.c is not
 * linked here); this test's partition is part. */
struct partition partitions[HV_MAX_PARTITIONS];
unsigned int nr_partitions;
static struct partition part;
static struct vcpu vcpu;

/* No partition has the input focus here (core/partition/console_input.c is not linked). */
bool console_input_has_focus(const struct partition *p)
{
    (void)p;
    return false;
}

/* core/partition/hypercall.c reads guest buffers through this; the vUART path never does. */
int partition_read_guest(struct partition *p, gpa_t addr, void *buf, size_t len)
{
    (void)p;
    (void)addr;
    (void)buf;
    (void)len;
    return -EFAULT;
}

/* Partition 2 "lbl": RAM at guest 0x40000000, one shm window, one device (uart1). */
/* vdev_partition_init() of a fresh setup: the fake arch has no interrupt-controller device
 * to forget p's virtual interrupts of a previous setup, so do it here. */
static int vdevs_init(struct partition *p)
{
    memset(fake_irq.virt[p->index], 0, sizeof(fake_irq.virt[p->index]));
    return vdev_partition_init(p);
}

static void setup(void)
{
    struct hv_config_partition *pc = &cfg.partitions[0];
    struct hv_config_device *d = &cfg.devices[0];

    memset(&cfg, 0, sizeof(cfg));
    memset(&part, 0, sizeof(part));
    memset(&vcpu, 0, sizeof(vcpu));
    cfg.nr_partitions = 1;
    pc->id = 2;
    strcpy(pc->label, "lbl");
    pc->mem_count = 1;
    cfg.mem[0].guest = gpa(0x40000000);
    cfg.mem[0].host = hpa(0x48000000);
    cfg.mem[0].size = 0x08000000;
    pc->shm_count = 1;
    strcpy(cfg.shm[0].id, "ring0");
    cfg.shm[0].guest = gpa(0x50000000);
    cfg.shm[0].size = 0x200000;
    pc->dev_count = 1;
    strcpy(d->path, "/pl011@9040000");
    d->nr_regs = 1;
    d->regs[0].base = 0x09040000;
    d->regs[0].size = 0x1000;
    part.config = pc;
    part.layout = &cfg;
    vcpu.part = &part;
    fake_console_clear();
    fake_irq.guest_phandle = 0x8001; /* an interrupt controller: the vUART gets its SPI */
}

/* A recording test device. */
static struct {
    unsigned int reads, writes;
    uint64_t offset, val, read_val;
    unsigned int size;
    int err;
} rec;

static int rec_read(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t *val)
{
    (void)dev;
    (void)v;
    rec.reads++;
    rec.offset = offset;
    rec.size = size;
    *val = rec.read_val;
    return rec.err;
}

static int rec_write(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t val)
{
    (void)dev;
    (void)v;
    rec.writes++;
    rec.offset = offset;
    rec.size = size;
    rec.val = val;
    return rec.err;
}

static const struct vmmio_ops rec_ops = {.read = rec_read, .write = rec_write};

static uint64_t rd(uint64_t addr, unsigned int size, int *err)
{
    uint64_t v = 0xdeadbeefdeadbeefull;

    *err = vmmio_access(&vcpu, gpa(addr), size, false, &v);
    return v;
}

static int wr(uint64_t addr, unsigned int size, uint64_t val)
{
    return vmmio_access(&vcpu, gpa(addr), size, true, &val);
}

TEST(vuart_region_lookup)
{
    const struct vmmio_region *r;

    setup();
    REQUIRE(vdevs_init(&part) == 0);
    CHECK_EQ(part.vmmio.count, 1);
    r = vmmio_find(&part, gpa(VPL011_GUEST_BASE));
    REQUIRE(r != NULL);
    CHECK_STR(r->name, "vuart");
    CHECK_EQ(gpa_val(r->base), 0x09000000);
    CHECK_EQ(r->size, 0x1000);
    CHECK(vmmio_find(&part, gpa(VPL011_GUEST_BASE + 0xfff)) == r);
    CHECK(vmmio_find(&part, gpa(VPL011_GUEST_BASE + 0x1000)) == NULL);
    CHECK(vmmio_find(&part, gpa(VPL011_GUEST_BASE - 1)) == NULL);
    CHECK(vmmio_find(&part, gpa(0)) == NULL);
    CHECK(vmmio_find(&part, gpa(UINT64_MAX)) == NULL);
    CHECK_EQ(fake_console_len, 0);
}

/* Each kind of clash with the vUART's page, and the message naming the node path. */
TEST(overlap_refused_with_node_path)
{
    static const struct {
        const char *what;
        const char *msg;
    } cases[] = {
        {"memory", "/hypervisor/partition@2: emulated vuart at 0x9000000+0x1000 overlaps "
                   "memory at 0x8000000+0x1001000\n"},
        {"shm", "/hypervisor/partition@2: emulated vuart at 0x9000000+0x1000 overlaps shared "
                "memory at 0x9000fff+0x1000\n"},
        {"device", "/hypervisor/partition@2: emulated vuart at 0x9000000+0x1000 overlaps "
                   "/pl011@9040000 at 0x8fff000+0x2000\n"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        setup();
        if (i == 0) {
            cfg.mem[0].guest = gpa(0x08000000); /* ends one byte into the vUART */
            cfg.mem[0].size = 0x01001000;
        } else if (i == 1) {
            cfg.shm[0].guest = gpa(0x09000fff);
            cfg.shm[0].size = 0x1000;
        } else {
            cfg.devices[0].regs[0].base = 0x08fff000;
            cfg.devices[0].regs[0].size = 0x2000;
        }
        CHECK_EQ(vdevs_init(&part), -EEXIST);
        CHECK_EQ(part.vmmio.count, 0);
        CHECK_STR(fake_console_log, cases[i].msg);
    }
    /* I/O port ranges live in another address space: no clash. */
    setup();
    cfg.devices[0].regs[0].base = 0x09000000;
    cfg.devices[0].regs[0].pio = true;
    CHECK_EQ(vdevs_init(&part), 0);
    /* Adjacent ranges do not overlap. */
    setup();
    cfg.mem[0].guest = gpa(0x08000000);
    cfg.mem[0].size = 0x01000000;
    cfg.shm[0].guest = gpa(0x09001000);
    cfg.shm[0].size = 0x1000;
    CHECK_EQ(vdevs_init(&part), 0);
}

TEST(register_refusals)
{
    setup();
    REQUIRE(vdevs_init(&part) == 0);
    CHECK_EQ(vmmio_register(&part, gpa(0x09000800), 0x1000, &rec_ops, NULL, "dup"), -EEXIST);
    CHECK(strstr(fake_console_log, "emulated dup at 0x9000800+0x1000 overlaps vuart at "
                                   "0x9000000+0x1000") != NULL);
    CHECK_EQ(vmmio_register(&part, gpa(0x0a000000), 0, &rec_ops, NULL, "empty"), -EINVAL);
    CHECK_EQ(vmmio_register(&part, gpa(UINT64_MAX - 0xfff), 0x2000, &rec_ops, NULL, "wrap"),
             -EINVAL);
    for (unsigned int i = 1; i < VMMIO_MAX_REGIONS; i++) {
        CHECK_EQ(vmmio_register(&part, gpa(0x0a000000 + i * 0x1000), 0x1000, &rec_ops, NULL, "d"),
                 0);
    }
    CHECK_EQ(vmmio_register(&part, gpa(0x0b000000), 0x1000, &rec_ops, NULL, "full"), -ENOSPC);
    CHECK_EQ(part.vmmio.count, VMMIO_MAX_REGIONS);
}

TEST(dispatch_sizes_and_masking)
{
    int err;

    setup();
    memset(&rec, 0, sizeof(rec));
    REQUIRE(vmmio_register(&part, gpa(0x0a000000), 0x1006, &rec_ops, NULL, "rec") == 0);

    CHECK_EQ(wr(0x0a000010, 2, 0x1122334455667788ull), 0);
    CHECK_EQ(rec.writes, 1);
    CHECK_EQ(rec.offset, 0x10);
    CHECK_EQ(rec.size, 2);
    CHECK_EQ(rec.val, 0x7788); /* only the access's bytes reach the device */
    CHECK_EQ(wr(0x0a000008, 8, 0x1122334455667788ull), 0);
    CHECK_EQ(rec.val, 0x1122334455667788ull);

    rec.read_val = 0xffffffffffffff80ull; /* a careless device: bits above the size */
    CHECK_EQ(rd(0x0a000001, 1, &err), 0x80);
    CHECK_EQ(err, 0);
    CHECK_EQ(rec.offset, 1);
    CHECK_EQ(rd(0x0a000004, 4, &err), 0xffffff80u);
    CHECK_EQ(rd(0x0a000000, 8, &err), 0xffffffffffffff80ull);
    CHECK_EQ(rec.reads, 3);

    /* Bad sizes, misalignment, straddling the region's end: refused before the device. */
    CHECK_EQ(wr(0x0a000000, 3, 0), -EINVAL);
    CHECK_EQ(wr(0x0a000000, 16, 0), -EINVAL);
    (void)rd(0x0a000002, 4, &err);
    CHECK_EQ(err, -EINVAL);
    (void)rd(0x0a001004, 4, &err); /* offset 0x1004 + 4 > 0x1006 */
    CHECK_EQ(err, -EINVAL);
    CHECK_EQ(rec.reads, 3);
    CHECK_EQ(rec.writes, 2);

    /* Device errors reach the caller (the arch then stops the partition). */
    rec.err = -EIO;
    CHECK_EQ(wr(0x0a000000, 4, 1), -EIO);
    rec.err = 0;
}

TEST(out_of_region_is_the_fault_path)
{
    int err;

    setup();
    memset(&rec, 0, sizeof(rec));
    REQUIRE(vdevs_init(&part) == 0);
    REQUIRE(vmmio_register(&part, gpa(0x0a000000), 0x1000, &rec_ops, NULL, "rec") == 0);
    CHECK_EQ(wr(0x0a001000, 4, 1), -ENOENT);
    CHECK_EQ(wr(0x09fff000, 4, 1), -ENOENT);
    (void)rd(VPL011_GUEST_BASE + VPL011_SIZE, 4, &err);
    CHECK_EQ(err, -ENOENT);
    (void)rd(0x40000000, 4, &err); /* guest RAM is not emulated */
    CHECK_EQ(err, -ENOENT);
    CHECK_EQ(rec.reads + rec.writes, 0);
}

static uint64_t uart_rd(uint32_t off, unsigned int size)
{
    int err;
    uint64_t v = rd(VPL011_GUEST_BASE + off, size, &err);

    CHECK_EQ(err, 0);
    return v;
}

static void uart_wr(uint32_t off, unsigned int size, uint64_t val)
{
    CHECK_EQ(wr(VPL011_GUEST_BASE + off, size, val), 0);
}

TEST(vuart_registers)
{
    static const uint8_t id[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    int err;

    setup();
    REQUIRE(vdevs_init(&part) == 0);
    CHECK_EQ(uart_rd(VPL011_FR, 4), VPL011_FR_TXFE | VPL011_FR_RXFE);
    CHECK_EQ(uart_rd(VPL011_FR, 4) & (VPL011_FR_TXFF | VPL011_FR_BUSY), 0);
    for (unsigned int i = 0; i < 8; i++) {
        CHECK_EQ(uart_rd(VPL011_PERIPHID0 + 4 * i, 4), id[i]);
        CHECK_EQ(uart_rd(VPL011_PERIPHID0 + 4 * i, 1), id[i]);
    }
    CHECK_EQ(uart_rd(VPL011_PCELLID0 + 5, 1), 0); /* upper byte lanes of an ID register */
    CHECK_EQ(uart_rd(VPL011_CR, 4), VPL011_CR_RESET);
    CHECK_EQ(uart_rd(VPL011_CR + 1, 1), VPL011_CR_RESET >> 8);

    /* Read-back registers, masked to their width. */
    uart_wr(VPL011_CR, 4, 0xffffffff);
    CHECK_EQ(uart_rd(VPL011_CR, 4), 0xff87);
    uart_wr(VPL011_IBRD, 4, 0x12345);
    CHECK_EQ(uart_rd(VPL011_IBRD, 4), 0x2345);
    uart_wr(VPL011_FBRD, 4, 0xff);
    CHECK_EQ(uart_rd(VPL011_FBRD, 4), 0x3f);
    uart_wr(VPL011_LCR_H, 1, 0x70);
    CHECK_EQ(uart_rd(VPL011_LCR_H, 4), 0x70);
    uart_wr(VPL011_IMSC, 2, 0xffff);
    CHECK_EQ(uart_rd(VPL011_IMSC, 2), 0x7ff);
    uart_wr(VPL011_ICR, 4, 0x50);
    CHECK_EQ(uart_rd(VPL011_ICR, 4), 0); /* write-only */
    uart_wr(VPL011_IMSC + 2, 2, 0);      /* into a register's upper bytes: ignored */
    CHECK_EQ(uart_rd(VPL011_IMSC, 4), 0x7ff);

    /* Everything else reads 0 and ignores writes. */
    uart_wr(0x800, 4, 0xffffffff);
    CHECK_EQ(uart_rd(0x800, 4), 0);
    uart_wr(VPL011_FR, 4, 0);
    CHECK_EQ(uart_rd(VPL011_FR, 4), VPL011_FR_TXFE | VPL011_FR_RXFE);
    CHECK_EQ(uart_rd(VPL011_DR, 4), 0);
    CHECK_EQ(uart_rd(VPL011_RIS, 4), 0);

    /* 8-byte accesses are refused (a 32-bit APB peripheral). */
    (void)rd(VPL011_GUEST_BASE, 8, &err);
    CHECK_EQ(err, -EINVAL);
    CHECK_EQ(wr(VPL011_GUEST_BASE, 8, 'x'), -EINVAL);

    /* Registers are per partition: a second partition starts from reset values. */
    {
        struct partition other = part;
        struct vcpu other_vcpu = {.part = &other};
        uint64_t cr = 0;

        other.index = 1;
        REQUIRE(vdevs_init(&other) == 0);
        REQUIRE(vmmio_access(&other_vcpu, gpa(VPL011_GUEST_BASE + VPL011_CR), 4, false, &cr) == 0);
        CHECK_EQ(cr, VPL011_CR_RESET);
        CHECK_EQ(uart_rd(VPL011_CR, 4), 0xff87);
    }
}

/* The vUART's virtual interrupt with the fake controller (from the top down, its first). */
#define UART_VIRQ (FAKE_IRQ_MAX - 1u)

/* Whether the fake vGIC holds the vUART's SPI pending on the partition's vCPU 0; and take
 * it (as the guest acknowledging it would). */
static bool uart_irq_taken(void)
{
    uint64_t *w = &part.vcpus[0].arch.virq_pending[UART_VIRQ / 64];
    bool was = (*w >> (UART_VIRQ % 64)) & 1u;

    *w &= ~(UINT64_C(1) << (UART_VIRQ % 64));
    return was;
}

TEST(vuart_receive_fifo_and_interrupts)
{
    setup();
    REQUIRE(vdevs_init(&part) == 0);
    CHECK(fake_irq.virt[part.index][FAKE_IRQ_MAX - 1]); /* its virtual SPI, the top one */
    uart_wr(VPL011_IMSC, 4, VPL011_INT_RX | VPL011_INT_RT);
    CHECK_EQ(fake_irq.injections, 0);

    /* A byte: RXFE clears, RX and RT assert, the SPI is raised once for the rising edge. */
    CHECK_EQ(vdev_console_input(&part, 'h'), 0);
    CHECK_EQ(uart_rd(VPL011_FR, 4), VPL011_FR_TXFE);
    CHECK_EQ(uart_rd(VPL011_RIS, 4), VPL011_INT_RX | VPL011_INT_RT);
    CHECK_EQ(uart_rd(VPL011_MIS, 4), VPL011_INT_RX | VPL011_INT_RT);
    CHECK(uart_irq_taken());
    CHECK_EQ(vdev_console_input(&part, 'i'), 0);
    CHECK(!uart_irq_taken()); /* the output was already high: no second edge */
    /* Reading the data register's status byte does not pop; UARTDR does, in order. */
    CHECK_EQ(uart_rd(VPL011_DR + 1, 1), 0);
    CHECK_EQ(uart_rd(VPL011_DR, 4), 'h');
    uart_wr(VPL011_ICR, 4, VPL011_INT_RT);
    CHECK_EQ(uart_rd(VPL011_RIS, 4), VPL011_INT_RX);
    CHECK_EQ(uart_rd(VPL011_DR, 1), 'i');
    CHECK_EQ(uart_rd(VPL011_FR, 4), VPL011_FR_TXFE | VPL011_FR_RXFE);
    CHECK_EQ(uart_rd(VPL011_MIS, 4), 0);
    CHECK_EQ(uart_rd(VPL011_DR, 4), 0); /* empty */
    /* The output fell: the next byte is a new edge. */
    CHECK_EQ(vdev_console_input(&part, '!'), 0);
    CHECK(uart_irq_taken());
    CHECK_EQ(uart_rd(VPL011_DR, 4), '!');

    /* A masked source raises nothing; unmasking it while asserted is an edge. */
    uart_wr(VPL011_IMSC, 4, 0);
    CHECK_EQ(vdev_console_input(&part, 'm'), 0);
    CHECK(!uart_irq_taken());
    uart_wr(VPL011_IMSC, 4, VPL011_INT_RX);
    CHECK(uart_irq_taken());
    CHECK_EQ(uart_rd(VPL011_DR, 4), 'm');

    /* 32 bytes fill the FIFO (RXFF); the 33rd is dropped, order kept. */
    for (unsigned int i = 0; i < VPL011_RX_FIFO; i++) {
        CHECK_EQ(vdev_console_input(&part, (char)('A' + i)), 0);
    }
    CHECK_EQ(vdev_console_input(&part, '#'), -ENOSPC);
    CHECK_EQ(uart_rd(VPL011_FR, 4) & VPL011_FR_RXFF, VPL011_FR_RXFF);
    for (unsigned int i = 0; i < VPL011_RX_FIFO; i++) {
        CHECK_EQ(uart_rd(VPL011_DR, 4), 'A' + i);
    }
    CHECK_EQ(uart_rd(VPL011_FR, 4) & VPL011_FR_RXFE, VPL011_FR_RXFE);
    (void)uart_irq_taken();

    /* Transmit: every character sent latches TXRIS until UARTICR clears it. */
    uart_wr(VPL011_IMSC, 4, VPL011_INT_TX);
    CHECK(!uart_irq_taken());
    uart_wr(VPL011_DR, 4, 'x');
    CHECK_EQ(uart_rd(VPL011_MIS, 4), VPL011_INT_TX);
    CHECK(uart_irq_taken());
    uart_wr(VPL011_DR, 4, 'y');
    CHECK(!uart_irq_taken());
    uart_wr(VPL011_ICR, 4, VPL011_INT_TX);
    CHECK_EQ(uart_rd(VPL011_RIS, 4), 0);
    uart_wr(VPL011_DR, 4, '\n');
    CHECK(uart_irq_taken());

    /* A reset empties the FIFO and clears every source. */
    CHECK_EQ(vdev_console_input(&part, 'r'), 0);
    vdev_partition_reset(&part);
    CHECK_EQ(uart_rd(VPL011_FR, 4), VPL011_FR_TXFE | VPL011_FR_RXFE);
    CHECK_EQ(uart_rd(VPL011_RIS, 4), 0);
    CHECK_EQ(uart_rd(VPL011_IMSC, 4), 0);
}

TEST(vuart_reset_restores_register_values)
{
    setup();
    REQUIRE(vdevs_init(&part) == 0);
    uart_wr(VPL011_CR, 4, 0x301);
    uart_wr(VPL011_IBRD, 4, 13);
    uart_wr(VPL011_LCR_H, 4, 0x70);
    uart_wr(VPL011_IMSC, 4, 0x10);
    vdev_partition_reset(&part);
    CHECK_EQ(uart_rd(VPL011_CR, 4), VPL011_CR_RESET);
    CHECK_EQ(uart_rd(VPL011_IBRD, 4), 0);
    CHECK_EQ(uart_rd(VPL011_LCR_H, 4), 0);
    CHECK_EQ(uart_rd(VPL011_IMSC, 4), 0);
    CHECK(vmmio_find(&part, gpa(VPL011_GUEST_BASE)) != NULL); /* still emulated */
}

static void uart_puts(const char *s)
{
    for (; *s != '\0'; s++) {
        uart_wr(VPL011_DR, 4, (uint8_t)*s | 0x100u); /* bits above [7:0] are not data */
    }
}

TEST(vuart_line_buffering)
{
    char want[VCPU_CONSOLE_LINE + 16];

    setup();
    REQUIRE(vdevs_init(&part) == 0);
    uart_puts("hello, ");
    CHECK_EQ(fake_console_len, 0); /* nothing until the newline */
    uart_puts("world\r\n");
    CHECK_STR(fake_console_log, "lbl: hello, world\n");

    /* Control characters are shown as '.', tabs kept; byte-wide writes work too. */
    fake_console_clear();
    uart_wr(VPL011_DR, 1, 'a');
    uart_wr(VPL011_DR, 1, 0x07);
    uart_wr(VPL011_DR, 1, '\t');
    uart_wr(VPL011_DR, 2, 'b');
    uart_wr(VPL011_DR, 1, '\n');
    CHECK_STR(fake_console_log, "lbl: a.\tb\n");

    /* A full line is printed, without waiting for a newline, when the next byte does not fit;
     * the rest is marked as continued. */
    fake_console_clear();
    for (unsigned int i = 0; i < VCPU_CONSOLE_LINE; i++) {
        uart_wr(VPL011_DR, 4, 'x');
    }
    CHECK_EQ(fake_console_len, 0);
    uart_wr(VPL011_DR, 4, 'y');
    memset(want, 'x', VCPU_CONSOLE_LINE);
    want[VCPU_CONSOLE_LINE] = '\0';
    {
        char line[sizeof(want) + 8];

        (void)snprintf(line, sizeof(line), "lbl: %s\n", want);
        CHECK_STR(fake_console_log, line);
    }
    CHECK_EQ(vcpu.line.len, 1);
    uart_puts("\n");
    CHECK_STR(fake_console_last(), "lbl+ y\n");
}

/* The vUART's guest-DT nodes (through the table, as the guest-DT writer calls them). */
TEST(vuart_guest_dt)
{
    static uint8_t blob[4096];
    struct fdt_writer w;
    struct fdt f;
    struct fdt_prop prop;
    const char *s;
    uint32_t v;
    uint64_t base, size;
    int len, uart, clk;

    setup();
    fake_irq.guest_phandle = 0; /* no interrupt controller */
    REQUIRE(vdevs_init(&part) == 0);
    CHECK_STR(vdev_console(&part), "/serial@9000000");
    REQUIRE(fdt_write_init(&w, blob, sizeof(blob)) == 0);
    fdt_write_begin_node(&w, "");
    fdt_write_prop_u32(&w, "#address-cells", 2);
    fdt_write_prop_u32(&w, "#size-cells", 2);
    vdev_guest_dt(&w, &part);
    fdt_write_end_node(&w);
    len = fdt_write_finish(&w);
    REQUIRE(len > 0);
    REQUIRE(fdt_init(&f, blob, (size_t)len) == 0);
    uart = fdt_path(&f, "/serial@9000000");
    clk = fdt_path(&f, "/apb-pclk");
    CHECK(fdt_is_compatible(&f, uart, "arm,pl011"));
    CHECK(fdt_is_compatible(&f, uart, "arm,primecell"));
    CHECK(fdt_reg(&f, uart, 0, &base, &size) == 0 && base == VPL011_GUEST_BASE &&
          size == VPL011_SIZE);
    CHECK(fdt_prop_u32(&f, clk, "phandle", &v) == 0 && v == GUEST_DT_PHANDLE_CLOCK);
    CHECK(fdt_prop_string(&f, clk, "compatible", &s) == 0 && strcmp(s, "fixed-clock") == 0);
    REQUIRE(fdt_prop(&f, uart, "clocks", &prop) == 0);
    CHECK(prop.len == 8 && fdt_be32(prop.data) == GUEST_DT_PHANDLE_CLOCK &&
          fdt_be32((const uint8_t *)prop.data + 4) == GUEST_DT_PHANDLE_CLOCK);
    /* No interrupt controller: no interrupts. */
    CHECK(fdt_prop(&f, uart, "interrupts", &prop) != 0);
}

/* With an interrupt controller, the vUART reserves a virtual interrupt and names it. */
TEST(vuart_guest_dt_interrupt)
{
    static uint8_t blob[4096];
    struct fdt_writer w;
    struct fdt f;
    struct fdt_prop prop;
    int len;

    setup();
    memset(&fake_irq, 0, sizeof(fake_irq));
    fake_irq.guest_phandle = GUEST_DT_PHANDLE_INTC;
    REQUIRE(vdev_partition_init(&part) == 0);
    REQUIRE(fdt_write_init(&w, blob, sizeof(blob)) == 0);
    fdt_write_begin_node(&w, "");
    vdev_guest_dt(&w, &part);
    fdt_write_end_node(&w);
    len = fdt_write_finish(&w);
    REQUIRE(len > 0 && fdt_init(&f, blob, (size_t)len) == 0);
    REQUIRE(fdt_prop(&f, fdt_path(&f, "/serial@9000000"), "interrupts", &prop) == 0);
    /* The fake reserves from the top: interrupt 255 is SPI 223. */
    CHECK(prop.len == 12 && fdt_be32(prop.data) == 0 &&
          fdt_be32((const uint8_t *)prop.data + 4) == 223);
    CHECK(fake_irq.virt[part.index][255] && fdt_be32((const uint8_t *)prop.data + 8) == 4);
    memset(&fake_irq, 0, sizeof(fake_irq));
}
