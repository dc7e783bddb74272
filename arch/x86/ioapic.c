// SPDX-License-Identifier: Apache-2.0
/*
 * The I/O APICs (Intel 82093AA I/O APIC datasheet, 3.0 "Register description"; the same
 * programming model on AMD chipsets): found through the ACPI MADT (I/O APIC structures with
 * their base address and first global system interrupt, GSI), with the MADT's ISA IRQ
 * overrides. Every input starts masked and stays so until the hypervisor claims it or gives
 * it to a partition (arch/x86/irq.c); then its redirection-table entry names one vector,
 * fixed delivery, physical destination mode with one CPU's local APIC id, and the trigger
 * mode and polarity the firmware states for the input (ISA IRQs: edge, active high unless
 * an override says otherwise; the other inputs: PCI's level, active low).
 *
 * Registers are reached indirectly: IOREGSEL (offset 0x00) selects, IOWIN (0x10) reads or
 * writes the selected 32-bit register; the pair is one critical section (ioapic_lock).
 */
#include <arch/io.h>
#include <asm/acpi.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lockorder.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#include "x86.h"

#define IOAPIC_SIZE 0x1000
#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPICVER 0x01
#define IOAPICVER_MRE(v) (((v) >> 16) & 0xffu) /* maximum redirection entry: inputs - 1 */
#define IOREDTBL_LO(n) (0x10u + 2u * (n))
#define IOREDTBL_HI(n) (0x11u + 2u * (n))
/* Redirection-table entry, low word (datasheet 3.2.4): vector 7:0, delivery mode 10:8
 * (000 fixed), destination mode 11 (0 physical), polarity 13 (1 low), trigger 15 (1 level),
 * mask 16; high word: destination 31:24 (the local APIC id in physical mode). */
#define RTE_POLARITY_LOW (1u << 13)
#define RTE_TRIGGER_LEVEL (1u << 15)
#define RTE_MASKED (1u << 16)
#define RTE_DEST_SHIFT 24

struct ioapic {
    volatile uint8_t *regs;
    uint32_t gsi_base;
    unsigned int nr_pins;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static struct acpi_isa_irq isa_irqs[ACPI_ISA_IRQS];
static LOCK_CLASS(ioapic_lock_class, "ioapic", LOCK_RANK_LEAF);
static spinlock_t ioapic_lock = SPINLOCK_INIT_CLASS(&ioapic_lock_class);

static uint32_t ioapic_read(const struct ioapic *a, uint32_t reg)
{
    mmio_write32(a->regs + IOREGSEL, reg);
    return mmio_read32(a->regs + IOWIN);
}

static void ioapic_write(const struct ioapic *a, uint32_t reg, uint32_t val)
{
    mmio_write32(a->regs + IOREGSEL, reg);
    mmio_write32(a->regs + IOWIN, val);
}

/* The I/O APIC that has input gsi, and the input's number on it; NULL when none has it. */
static const struct ioapic *ioapic_of(uint32_t gsi, unsigned int *pin)
{
    for (unsigned int i = 0; i < nr_ioapics; i++) {
        const struct ioapic *a = &ioapics[i];

        if (gsi >= a->gsi_base && gsi - a->gsi_base < a->nr_pins) {
            *pin = gsi - a->gsi_base;
            return a;
        }
    }
    return NULL;
}

/* The 8259 PICs' interrupt mask registers (OCW1, Intel 8259A datasheet): all ones masks every
 * IRQ. Firmware leaves the PICs running (SeaBIOS's timer on IRQ 0); with the I/O APIC in
 * charge they must stay silent: a CPU whose LINT0 is in virtual-wire mode would otherwise
 * take their vectors (IRQ 0 as vector 8, an exception vector). */
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

void x86_ioapic_init(const struct acpi_madt *m)
{
    pio_write8(PIC1_DATA, 0xff);
    pio_write8(PIC2_DATA, 0xff);

    memcpy(isa_irqs, m->isa, sizeof(isa_irqs));
    if (m->nr_ioapics == 0) {
        hv_printf("x86: no I/O APIC in the ACPI MADT (none listed): no device interrupts\n");
        return;
    }
    for (unsigned int i = 0; i < m->nr_ioapics && i < ACPI_MAX_IOAPICS; i++) {
        struct ioapic *a = &ioapics[nr_ioapics];

        a->regs = arch_iomap(hpa(m->ioapics[i].base), IOAPIC_SIZE);
        if (a->regs == NULL) {
            hv_printf("x86: I/O APIC at %#x not reachable: ignored\n", m->ioapics[i].base);
            continue;
        }
        a->gsi_base = m->ioapics[i].gsi_base;
        a->nr_pins = IOAPICVER_MRE(ioapic_read(a, IOAPICVER)) + 1;
        /* Firmware may leave entries unmasked (SeaBIOS routes none, others do): nothing
         * reaches a CPU until it is claimed or routed. */
        for (unsigned int pin = 0; pin < a->nr_pins; pin++) {
            ioapic_write(a, IOREDTBL_LO(pin), RTE_MASKED);
            ioapic_write(a, IOREDTBL_HI(pin), 0);
        }
        hv_printf("x86: I/O APIC id %u at %#x: GSI %u-%u\n", m->ioapics[i].id, m->ioapics[i].base,
                  a->gsi_base, a->gsi_base + a->nr_pins - 1);
        nr_ioapics++;
    }
    for (unsigned int i = 0; i < ACPI_ISA_IRQS; i++) {
        if (isa_irqs[i].overridden) {
            hv_printf("x86: ISA IRQ %u -> GSI %u (%s, %s)\n", i, isa_irqs[i].gsi,
                      ACPI_INTI_TRIGGER(isa_irqs[i].flags) == ACPI_INTI_LEVEL ? "level" : "edge",
                      ACPI_INTI_POLARITY(isa_irqs[i].flags) == ACPI_INTI_ACTIVE_LOW ? "low"
                                                                                    : "high");
        }
    }
}

uint32_t x86_ioapic_isa_gsi(uint32_t irq)
{
    return irq < ACPI_ISA_IRQS ? isa_irqs[irq].gsi : irq;
}

bool x86_ioapic_has(uint32_t gsi)
{
    unsigned int pin;

    return ioapic_of(gsi, &pin) != NULL;
}

/* The ISA IRQ whose override (or identity) lands on gsi, or ACPI_ISA_IRQS when none does. */
static unsigned int isa_of_gsi(uint32_t gsi)
{
    for (unsigned int i = 0; i < ACPI_ISA_IRQS; i++) {
        if (isa_irqs[i].gsi == gsi) {
            return i;
        }
    }
    return ACPI_ISA_IRQS;
}

bool x86_ioapic_level(uint32_t gsi, bool *active_low)
{
    unsigned int isa = isa_of_gsi(gsi);
    /* ISA conforms to edge, active high (ACPI 6.5, table 5.50, "conforms"); inputs no ISA
     * IRQ reaches are PCI interrupt lines: level, active low. */
    uint16_t f = isa < ACPI_ISA_IRQS ? isa_irqs[isa].flags
                                     : (uint16_t)(ACPI_INTI_LEVEL << 2 | ACPI_INTI_ACTIVE_LOW);

    if (active_low != NULL) {
        *active_low = ACPI_INTI_POLARITY(f) == ACPI_INTI_ACTIVE_LOW;
    }
    return ACPI_INTI_TRIGGER(f) == ACPI_INTI_LEVEL;
}

void x86_ioapic_route(uint32_t gsi, uint32_t apic_id)
{
    unsigned int pin;
    const struct ioapic *a = ioapic_of(gsi, &pin);
    bool low, level = x86_ioapic_level(gsi, &low);
    uint32_t lo =
        (X86_VEC_IRQ_BASE + gsi) | (level ? RTE_TRIGGER_LEVEL : 0) | (low ? RTE_POLARITY_LOW : 0);

    if (a == NULL) {
        return;
    }
    spin_lock(&ioapic_lock);
    /* Masked while the destination changes, so no interrupt goes to a half-written entry. */
    ioapic_write(a, IOREDTBL_LO(pin), lo | RTE_MASKED);
    ioapic_write(a, IOREDTBL_HI(pin), apic_id << RTE_DEST_SHIFT);
    ioapic_write(a, IOREDTBL_LO(pin), lo);
    spin_unlock(&ioapic_lock);
}

void x86_ioapic_mask(uint32_t gsi)
{
    unsigned int pin;
    const struct ioapic *a = ioapic_of(gsi, &pin);

    if (a != NULL) {
        spin_lock(&ioapic_lock);
        ioapic_write(a, IOREDTBL_LO(pin), ioapic_read(a, IOREDTBL_LO(pin)) | RTE_MASKED);
        spin_unlock(&ioapic_lock);
    }
}

/* Without partitions (CONFIG_PARTITIONS=n) nothing is claimed or routed: an interrupt that
 * arrives anyway is only completed. irq.c replaces this. */
__weak void x86_irq_handle(uint64_t vec __unused)
{
    *x86_lapic_eoi = 0;
}
