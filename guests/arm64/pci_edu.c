// SPDX-License-Identifier: Apache-2.0
/*
 * A bare-metal driver of QEMU's edu (PCI 1234:11e8, QEMU docs/specs/edu.rst) passed through
 * to this partition, reached only through the partition's virtual PCI host
 * (docs/pci.md, docs/iommu.md "PCI passthrough"): tests/system/arm64_part_pci_edu.sh.
 *
 *  1. The host bridge from the DTB ("pci-host-ecam-generic": ECAM reg, interrupt-map); bus 0
 *     scanned: exactly one function, edu, in slot 1.
 *  2. Its configuration space as the hypervisor filters it: BAR0 reads a guest address in
 *     the passed-through window, sizing gives edu's 1 MiB mask, another address written is
 *     ignored; COMMAND takes Memory Space and Bus Master but refuses I/O Space; no
 *     capability is shown (edu has MSI: hidden); extended space reads 0.
 *  3. BAR0 is edu's register file (ident, liveness inverter) at that guest address.
 *  4. DMA through the partition's IOMMU domain: RAM -> edu -> RAM at another place, data
 *     checked both ways.
 *  5. INTx (edu raise 0x60 / ack 0x64): the physical line reaches this partition through the
 *     vGIC; with COMMAND.Interrupt-Disable set nothing arrives while STATUS.Interrupt shows
 *     the condition, clearing it delivers exactly one interrupt, which the handler acks, and
 *     it is not delivered again.
 *  6. One DMA the IOMMU must block (the run's mode, pci_edu.h): into the read-only window,
 *     to control's memory (its host address used as a device address) or beyond the RAM.
 *     The hypervisor reports the fault naming partition and device and stops this
 *     partition; control checks nothing landed. Reaching the end of this file fails.
 */
#include <hv/fdt.h>
#include <hv/pci.h>

#include "gic.h"
#include "pci_edu.h"

#define EDU_VENDOR 0x1234u
#define EDU_DEVICE 0x11e8u
#define EDU_BAR0_SIZE 0x100000u
/* edu registers (QEMU docs/specs/edu.rst). */
#define EDU_IDENT 0x00u
#define EDU_LIVENESS 0x04u
#define EDU_IRQ_STATUS 0x24u
#define EDU_IRQ_RAISE 0x60u
#define EDU_IRQ_ACK 0x64u
#define EDU_DMA_SRC 0x80u
#define EDU_DMA_DST 0x88u
#define EDU_DMA_COUNT 0x90u
#define EDU_DMA_CMD 0x98u
#define EDU_DMA_RUN 0x1u
#define EDU_DMA_TO_RAM 0x2u /* direction: edu buffer -> RAM (else RAM -> edu) */
#define EDU_BUF 0x40000u    /* edu's DMA buffer in its own address space, 4 KiB */
#define EDU_IRQ_MAGIC 0x5a5a0001u
/* Passed-through BARs live in [0x20000000, 0x30000000) of the guest (docs/iommu.md). */
#define PT_WINDOW_BASE 0x20000000u
#define PT_WINDOW_END 0x30000000u
#define WAIT_MS 20000u

static volatile uint8_t *ecam;
static uint64_t bar0;
static unsigned int edu_intid, edu_slot;
static volatile uint64_t irqs, other_irqs;
static volatile uint32_t irq_status_seen;
static uint64_t src_buf[PCI_EDU_DMA_BYTES / 8] __aligned(4096);
static uint64_t dst_buf[PCI_EDU_DMA_BYTES / 8] __aligned(4096);

/* ---- configuration space (ECAM of bus 0, 4 KiB per function) ---- */

static volatile void *cfg(unsigned int slot, unsigned int off)
{
    return ecam + ((uintptr_t)slot << 15) + off;
}

static uint32_t cfg_read32(unsigned int slot, unsigned int off)
{
    return *(volatile uint32_t *)cfg(slot, off);
}

static uint16_t cfg_read16(unsigned int slot, unsigned int off)
{
    return *(volatile uint16_t *)cfg(slot, off);
}

static uint8_t cfg_read8(unsigned int slot, unsigned int off)
{
    return *(volatile uint8_t *)cfg(slot, off);
}

static void cfg_write32(unsigned int slot, unsigned int off, uint32_t v)
{
    *(volatile uint32_t *)cfg(slot, off) = v;
}

static void cfg_write16(unsigned int slot, unsigned int off, uint16_t v)
{
    *(volatile uint16_t *)cfg(slot, off) = v;
}

/* ---- edu registers ---- */

static volatile uint32_t *edu32(unsigned int off)
{
    return (volatile uint32_t *)(uintptr_t)(bar0 + off);
}

static volatile uint64_t *edu64(unsigned int off)
{
    return (volatile uint64_t *)(uintptr_t)(bar0 + off);
}

void guest_irq(unsigned int vcpu, unsigned int intid)
{
    (void)vcpu;
    if (intid != edu_intid) {
        other_irqs++;
        return;
    }
    /* The level drops with the ack, before rt_irq's EOI: not delivered again. */
    irq_status_seen = *edu32(EDU_IRQ_STATUS);
    *edu32(EDU_IRQ_ACK) = irq_status_seen;
    irqs++;
}

static bool dma_idle(void *arg)
{
    (void)arg;
    return (*edu64(EDU_DMA_CMD) & EDU_DMA_RUN) == 0;
}

/* One edu DMA of PCI_EDU_DMA_BYTES between RAM address ram and edu's buffer; waits for it. */
static void edu_dma(uint64_t ram, bool to_ram)
{
    *edu64(EDU_DMA_SRC) = to_ram ? EDU_BUF : ram;
    *edu64(EDU_DMA_DST) = to_ram ? ram : EDU_BUF;
    *edu64(EDU_DMA_COUNT) = PCI_EDU_DMA_BYTES;
    guest_dmb();
    *edu64(EDU_DMA_CMD) = EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0);
    GUEST_CHECK(guest_wait(dma_idle, NULL, WAIT_MS), "edu DMA to %#llx did not finish",
                (unsigned long long)ram);
    guest_dmb();
}

static bool count_is(void *arg)
{
    return irqs >= (uint64_t)(uintptr_t)arg;
}

/* ---- the scenario ---- */

/* The host bridge: ECAM base and the INTA line of slot from its interrupt-map. */
static void find_bridge(const struct guest_info *gi)
{
    int node = fdt_find_compatible(&gi->fdt, -1, "pci-host-ecam-generic");
    uint64_t base, size;

    GUEST_CHECK(node >= 0 && fdt_reg(&gi->fdt, node, 0, &base, &size) == 0,
                "no pci-host-ecam-generic node with a reg in the DTB");
    ecam = (volatile uint8_t *)(uintptr_t)base;
    gprintf("pci-edu: virtual host bridge, ECAM at %#llx+%#llx\n", (unsigned long long)base,
            (unsigned long long)size);
}

/* The GIC SPI that the bridge's interrupt-map gives INTA of slot (<unit 3 cells> <pin>
 * <phandle> <parent unit cells> <parent specifier cells>, IEEE 1275 interrupt mapping). */
static unsigned int slot_intid(const struct guest_info *gi, unsigned int slot)
{
    int node = fdt_find_compatible(&gi->fdt, -1, "pci-host-ecam-generic");
    struct fdt_prop map;
    size_t off = 0;

    GUEST_CHECK(fdt_prop(&gi->fdt, node, "interrupt-map", &map) == 0,
                "the host bridge has no interrupt-map");
    while (off + 5 * 4 <= map.len) {
        const uint8_t *e = (const uint8_t *)map.data + off;
        int parent = fdt_node_by_phandle(&gi->fdt, fdt_be32(e + 16));
        uint32_t pac = 0, pic = 0;

        GUEST_CHECK(parent >= 0 && fdt_prop_u32(&gi->fdt, parent, "#interrupt-cells", &pic) == 0,
                    "interrupt-map names no interrupt controller");
        (void)fdt_prop_u32(&gi->fdt, parent, "#address-cells", &pac);
        GUEST_CHECK(pic == 3 && off + (5 + pac + pic) * 4 <= map.len,
                    "interrupt-map entry malformed");
        if (((fdt_be32(e) >> 11) & 0x1f) == slot && fdt_be32(e + 12) == PCI_INTERRUPT_PIN_A) {
            const uint8_t *spec = e + (5 + pac) * 4;

            GUEST_CHECK(fdt_be32(spec) == 0, "INTA of slot %u is not an SPI", slot);
            return fdt_be32(spec + 4) + 32;
        }
        off += (5 + pac + pic) * 4;
    }
    guest_fail("no interrupt-map entry for INTA of slot %u", slot);
}

static void scan_bus(void)
{
    unsigned int found = 0;

    for (unsigned int s = 0; s < 32; s++) {
        uint32_t id = cfg_read32(s, PCI_VENDOR_ID);

        if (id == 0xffffffffu) {
            continue;
        }
        gprintf("pci-edu: 00:%02x.0 %04x:%04x\n", s, id & 0xffff, id >> 16);
        GUEST_CHECK(id == (EDU_DEVICE << 16 | EDU_VENDOR), "slot %u: unexpected function %08x", s,
                    id);
        edu_slot = s;
        found++;
    }
    GUEST_CHECK(found == 1, "%u functions on the virtual bus, expected edu alone", found);
    gprintf("pci-edu: ok scan-finds-edu-alone\n");
}

static void config_filter(void)
{
    const unsigned int s = edu_slot;
    uint32_t b, size_mask;
    uint16_t cmd;

    b = cfg_read32(s, PCI_BAR0);
    bar0 = b & ~0xfu;
    GUEST_CHECK((b & PCI_BAR_IO) == 0 && (b & PCI_BAR_TYPE_MASK) == 0,
                "BAR0 %08x is not a 32-bit memory BAR", b);
    GUEST_CHECK(bar0 >= PT_WINDOW_BASE && bar0 + EDU_BAR0_SIZE <= PT_WINDOW_END &&
                    bar0 % EDU_BAR0_SIZE == 0,
                "BAR0 at %#llx: not a guest address of the passed-through window",
                (unsigned long long)bar0);
    gprintf("pci-edu: BAR0 at guest %#llx\n", (unsigned long long)bar0);

    cfg_write32(s, PCI_BAR0, 0xffffffffu);
    size_mask = cfg_read32(s, PCI_BAR0);
    cfg_write32(s, PCI_BAR0, (uint32_t)bar0);
    GUEST_CHECK(size_mask == (uint32_t) ~(EDU_BAR0_SIZE - 1), "BAR0 sizing read %08x", size_mask);
    GUEST_CHECK(cfg_read32(s, PCI_BAR0) == b, "BAR0 after sizing reads %08x, not %08x",
                cfg_read32(s, PCI_BAR0), b);
    gprintf("pci-edu: ok bar-sizing-gives-1MiB-mask\n");

    cfg_write32(s, PCI_BAR0, (uint32_t)bar0 + 0x100000u);
    GUEST_CHECK(cfg_read32(s, PCI_BAR0) == b, "a BAR0 write moved it: reads %08x",
                cfg_read32(s, PCI_BAR0));
    gprintf("pci-edu: ok bar-write-ignored\n");

    cfg_write16(s, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    cmd = cfg_read16(s, PCI_COMMAND);
    GUEST_CHECK((cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) ==
                    (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER),
                "COMMAND %04x: Memory Space and Bus Master not taken", cmd);
    GUEST_CHECK((cmd & PCI_COMMAND_IO) == 0, "COMMAND %04x: I/O Space accepted", cmd);
    gprintf("pci-edu: ok command-memory-master-taken-io-refused\n");

    /* edu has an MSI capability (QEMU hw/misc/edu.c): the filter shows none. */
    if (cfg_read16(s, PCI_STATUS) & PCI_STATUS_CAP_LIST) {
        for (unsigned int p = cfg_read8(s, PCI_CAPABILITY_LIST) & ~3u, n = 0; p != 0 && n < 48;
             p = cfg_read8(s, p + 1) & ~3u, n++) {
            GUEST_CHECK(cfg_read8(s, p) == PCI_CAP_ID_VNDR, "capability %02x shown at %02x",
                        cfg_read8(s, p), p);
        }
    } else {
        GUEST_CHECK(cfg_read8(s, PCI_CAPABILITY_LIST) == 0,
                    "capability pointer %02x without STATUS.Capabilities List",
                    cfg_read8(s, PCI_CAPABILITY_LIST));
    }
    GUEST_CHECK(cfg_read32(s, PCI_EXT_CAP_START) == 0, "extended capability %08x shown",
                cfg_read32(s, PCI_EXT_CAP_START));
    gprintf("pci-edu: ok msi-capability-hidden\n");
}

static void registers(void)
{
    uint32_t ident = *edu32(EDU_IDENT);

    GUEST_CHECK((ident & 0xff) == 0xed, "edu ident %08x", ident);
    *edu32(EDU_LIVENESS) = 0x12345678u;
    GUEST_CHECK(*edu32(EDU_LIVENESS) == ~0x12345678u, "edu liveness reads %08x",
                *edu32(EDU_LIVENESS));
    gprintf("pci-edu: ok bar0-is-edu (ident %08x)\n", ident);
}

static void dma_own_ram(void)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(src_buf); i++) {
        src_buf[i] = 0x6564750000000000ull | i;
        dst_buf[i] = 0;
    }
    edu_dma((uintptr_t)src_buf, false);
    edu_dma((uintptr_t)dst_buf, true);
    for (unsigned int i = 0; i < ARRAY_SIZE(dst_buf); i++) {
        GUEST_CHECK(dst_buf[i] == src_buf[i], "DMA round trip: word %u %#llx, expected %#llx", i,
                    (unsigned long long)dst_buf[i], (unsigned long long)src_buf[i]);
    }
    gprintf("pci-edu: ok dma-within-own-ram (%u bytes both ways)\n", PCI_EDU_DMA_BYTES);
}

static void intx(const struct guest_info *gi)
{
    const unsigned int s = edu_slot;
    uint16_t cmd = cfg_read16(s, PCI_COMMAND);

    edu_intid = slot_intid(gi, s);
    gprintf("pci-edu: INTA is interrupt %u\n", edu_intid);
    GUEST_CHECK(gic_init(gi) == 0, "no GIC");
    gic_cpu_init(0);
    gic_enable_spi(edu_intid, 0);
    irq_mask(false);

    /* Interrupt Disable set: the condition shows in STATUS, nothing is delivered. */
    cfg_write16(s, PCI_COMMAND, cmd | PCI_COMMAND_INTX_DISABLE);
    *edu32(EDU_IRQ_RAISE) = EDU_IRQ_MAGIC;
    GUEST_CHECK(!guest_wait(count_is, (void *)1, 200), "interrupt delivered with INTx disabled");
    GUEST_CHECK(cfg_read16(s, PCI_STATUS) & PCI_STATUS_INTERRUPT,
                "STATUS.Interrupt clear while edu raises INTx");
    gprintf("pci-edu: ok intx-disable-holds-the-line\n");

    /* Cleared: one interrupt, acked by the handler, not delivered again. */
    cfg_write16(s, PCI_COMMAND, cmd);
    GUEST_CHECK(guest_wait(count_is, (void *)1, WAIT_MS), "edu INTx not delivered");
    GUEST_CHECK(irq_status_seen == EDU_IRQ_MAGIC, "edu irq status %08x in the handler",
                irq_status_seen);
    GUEST_CHECK(!guest_wait(count_is, (void *)2, 500), "INTx delivered again after the ack");
    GUEST_CHECK((cfg_read16(s, PCI_STATUS) & PCI_STATUS_INTERRUPT) == 0,
                "STATUS.Interrupt still set after the ack");
    GUEST_CHECK(other_irqs == 0, "%llu other interrupts", (unsigned long long)other_irqs);

    /* A second round: the line works again after the guest's end of interrupt. */
    *edu32(EDU_IRQ_RAISE) = EDU_IRQ_MAGIC;
    GUEST_CHECK(guest_wait(count_is, (void *)2, WAIT_MS), "second edu INTx not delivered");
    GUEST_CHECK(!guest_wait(count_is, (void *)3, 500), "second INTx delivered twice");
    gprintf("pci-edu: ok intx-delivered-once-per-raise (%llu interrupts)\n",
            (unsigned long long)irqs);
}

static bool control_ready(void *arg)
{
    (void)arg;
    return ((volatile uint32_t *)(uintptr_t)PCI_EDU_MBOX)[0] == PCI_EDU_READY;
}

static __noreturn void blocked_dma(void)
{
    uint32_t mode = *(volatile uint32_t *)(uintptr_t)PCI_EDU_MODE_WORKER;
    uint64_t target;
    const char *what;

    switch (mode == 0 ? PCI_EDU_RO : mode) {
    case PCI_EDU_RO:
        target = PCI_EDU_RO_TARGET;
        what = "read-only window";
        break;
    case PCI_EDU_PEER:
        target = PCI_EDU_PEER_TARGET;
        what = "control's memory";
        break;
    case PCI_EDU_BEYOND:
        target = PCI_EDU_BEYOND_TARGET;
        what = "beyond own RAM";
        break;
    default:
        guest_fail("unknown mode %u", mode);
    }
    GUEST_CHECK(guest_wait(control_ready, NULL, WAIT_MS), "control never planted its patterns");
    for (unsigned int i = 0; i < ARRAY_SIZE(src_buf); i++) {
        src_buf[i] = 0x4241440000000000ull | i; /* "BAD" */
    }
    edu_dma((uintptr_t)src_buf, false);
    gprintf("pci-edu: DMA write to %#llx (%s), must be blocked\n", (unsigned long long)target,
            what);
    ((volatile uint32_t *)(uintptr_t)PCI_EDU_MBOX)[1] = PCI_EDU_BLOCKED | (mode == 0 ? 1 : mode);
    guest_dmb();
    *edu64(EDU_DMA_SRC) = EDU_BUF;
    *edu64(EDU_DMA_DST) = target;
    *edu64(EDU_DMA_COUNT) = PCI_EDU_DMA_BYTES;
    guest_dmb();
    *edu64(EDU_DMA_CMD) = EDU_DMA_RUN | EDU_DMA_TO_RAM;
    /* The hypervisor stops this partition on the fault; still running after this is a
     * failure (the DMA was not reported). */
    (void)guest_wait(dma_idle, NULL, WAIT_MS);
    for (uint64_t start = guest_counter(); guest_counter() - start < 30 * guest_counter_freq();) {
    }
    guest_fail("still running 30 s after a DMA to %s", what);
}

void guest_main(struct guest_info *gi)
{
    guest_describe(gi);
    find_bridge(gi);
    scan_bus();
    config_filter();
    registers();
    dma_own_ram();
    intx(gi);
    blocked_dma();
}
