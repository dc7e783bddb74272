// SPDX-License-Identifier: Apache-2.0
/*
 * Type-0 configuration header emulation (include/hv/vpci.h), PCI Local Bus Specification
 * 3.0, chapter 6 (the PCIe Base Specification 6.0, 7.5.1, keeps the same layout): a byte
 * image with a write mask and an RW1C mask per byte, so that a register's semantics are
 * data, and the BARs computed from what the function declared. Pure: no lock, no I/O.
 */
#include <hv/errno.h>
#include <hv/pci.h>
#include <hv/string.h>
#include <hv/vpci.h>

static void put16(uint8_t *a, unsigned int off, uint16_t v)
{
    a[off] = (uint8_t)v;
    a[off + 1] = (uint8_t)(v >> 8);
}

static uint16_t get16(const uint8_t *a, unsigned int off)
{
    return (uint16_t)(a[off] | a[off + 1] << 8);
}

void vpci_cfg_init(struct vpci_cfg *c, const struct vpci_id *id, uint16_t command, uint8_t pin)
{
    memset(c, 0, sizeof(*c));
    put16(c->regs, PCI_VENDOR_ID, id->vendor);
    put16(c->regs, PCI_DEVICE_ID, id->device);
    c->regs[PCI_REVISION_ID] = id->revision;
    c->regs[PCI_CLASS_PROG] = (uint8_t)id->class_code;
    c->regs[PCI_CLASS_PROG + 1] = (uint8_t)(id->class_code >> 8);
    c->regs[PCI_CLASS_PROG + 2] = (uint8_t)(id->class_code >> 16);
    put16(c->regs, PCI_SUBSYSTEM_VENDOR_ID, id->subsys_vendor);
    put16(c->regs, PCI_SUBSYSTEM_ID, id->subsys_id);
    /* HEADER_TYPE 0, single function; BIST, latency timer, Min_Gnt, Max_Lat 0 (PCIe: RO 0). */
    c->regs[PCI_INTERRUPT_PIN] = pin;
    /* COMMAND (6.2.2): the bits the function implements are writable, the rest read 0. */
    put16(c->wmask, PCI_COMMAND, command);
    /* STATUS error bits that software clears by writing one (6.2.3): master data parity
     * error (8), signaled / received target abort (11, 12), received master abort (13),
     * signaled system error (14), detected parity error (15). This model never sets them. */
    put16(c->w1c, PCI_STATUS, PCI_STATUS_RW1C);
    c->wmask[PCI_CACHE_LINE_SIZE] = 0xff; /* scratch for software (6.2.4) */
    c->wmask[PCI_INTERRUPT_LINE] = 0xff;  /* ditto: system software writes the routing */
}

int vpci_cfg_set_bar(struct vpci_cfg *c, unsigned int idx, const struct vpci_bar *bar)
{
    uint64_t a = gpa_val(bar->addr);

    if (idx >= VPCI_NR_BARS || (bar->is64 && idx + 1 >= VPCI_NR_BARS)) {
        return -EINVAL;
    }
    /* A size that is a power of two of at least a page, an address aligned to it, below
     * 4 GiB for a 32-bit BAR. */
    if (bar->kind != VPCI_BAR_NONE &&
        (bar->size < 0x1000u || (bar->size & (bar->size - 1)) != 0 || (a & (bar->size - 1)) ||
         (!bar->is64 && a + bar->size - 1 > UINT32_MAX))) {
        return -EINVAL;
    }
    c->bar[idx] = *bar;
    if (bar->is64) {
        c->bar[idx + 1] = (struct vpci_bar){.kind = VPCI_BAR_NONE};
    }
    return 0;
}

/* The BAR declaring register idx, with hi = true for the upper half of a 64-bit BAR. */
static const struct vpci_bar *bar_of_reg(const struct vpci_cfg *c, unsigned int idx, bool *hi)
{
    *hi = idx > 0 && c->bar[idx - 1].kind != VPCI_BAR_NONE && c->bar[idx - 1].is64;
    return *hi ? &c->bar[idx - 1] : &c->bar[idx];
}

/* BAR register idx as the guest reads it (6.2.5.1). */
static uint32_t bar_reg(const struct vpci_cfg *c, unsigned int idx)
{
    bool hi;
    const struct vpci_bar *b = bar_of_reg(c, idx, &hi);
    uint64_t v;

    if (b->kind == VPCI_BAR_NONE) {
        return 0; /* unimplemented: hardwired to zero, sizing included */
    }
    v = c->sizing[idx] ? ~(b->size - 1) : gpa_val(b->addr);
    if (hi) {
        return (uint32_t)(v >> 32);
    }
    v &= ~UINT64_C(0xf);
    if (b->is64) {
        v |= PCI_BAR_TYPE_64;
    }
    if (b->prefetchable) {
        v |= PCI_BAR_PREFETCH;
    }
    return (uint32_t)v;
}

void vpci_cfg_read(const struct vpci_cfg *c, unsigned int off, unsigned int size, uint32_t *val)
{
    uint32_t v = 0;

    for (unsigned int i = size; i-- > 0;) {
        unsigned int o = off + i;
        uint8_t b = 0;

        if (o >= PCI_BAR0 && o < PCI_BAR0 + 4 * VPCI_NR_BARS) {
            b = (uint8_t)(bar_reg(c, (o - PCI_BAR0) / 4) >> ((o & 3) * 8));
        } else if (o < VPCI_CFG_EMU) {
            b = c->regs[o];
        }
        v = v << 8 | b;
    }
    *val = v;
}

void vpci_cfg_write(struct vpci_cfg *c, unsigned int off, unsigned int size, uint32_t val)
{
    if (off >= PCI_BAR0 && off < PCI_BAR0 + 4 * VPCI_NR_BARS) {
        unsigned int idx = (off - PCI_BAR0) / 4, shift = (off & 3) * 8;
        /* The bytes written (bit i: byte i of the register). */
        uint32_t mask = (UINT32_MAX >> (32 - size * 8)) << shift;
        bool hi;
        const struct vpci_bar *b = bar_of_reg(c, idx, &hi);
        /* The address bits software can write: everything above the type bits (6.2.5.1). */
        uint32_t addr_bits = (hi ? UINT32_MAX : ~UINT32_C(0xf)) & mask;

        /* Sizing writes all ones to the whole register; a partial write of ones keeps the
         * state a full write of those bytes would give: ones in every written address bit and
         * the rest already sizing. Any other write ends sizing: the address is the
         * hypervisor's, it reads back unchanged. An unimplemented BAR reads 0 either way. */
        c->sizing[idx] = b->kind != VPCI_BAR_NONE && (val << shift & addr_bits) == addr_bits &&
                         (mask == UINT32_MAX || c->sizing[idx]);
        return;
    }
    for (unsigned int i = 0; i < size; i++) {
        unsigned int o = off + i;
        uint8_t b = (uint8_t)(val >> (i * 8));

        if (o >= VPCI_CFG_EMU) {
            break;
        }
        c->regs[o] = (uint8_t)((c->regs[o] & ~c->wmask[o]) | (b & c->wmask[o]));
        c->regs[o] &= (uint8_t) ~(b & c->w1c[o]);
    }
}

uint16_t vpci_cfg_command(const struct vpci_cfg *c)
{
    return get16(c->regs, PCI_COMMAND);
}

void vpci_cfg_set_status(struct vpci_cfg *c, uint16_t bits, bool on)
{
    uint16_t s = get16(c->regs, PCI_STATUS);

    put16(c->regs, PCI_STATUS, on ? s | bits : s & (uint16_t)~bits);
}

void vpci_cfg_reset(struct vpci_cfg *c)
{
    /* Only the writable and RW1C bytes change at run time (and STATUS, by the device). */
    for (unsigned int o = 0; o < VPCI_CFG_EMU; o++) {
        c->regs[o] &= (uint8_t) ~(c->wmask[o] | c->w1c[o]);
    }
    put16(c->regs, PCI_STATUS, 0);
    memset(c->sizing, 0, sizeof(c->sizing));
}
