/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual console UART every partition gets (core/vuart.c): a PL011-compatible register
 * subset (Arm PrimeCell UART PL011 TRM, DDI 0183, 3.2 "Summary of registers") emulated
 * through trapped MMIO (include/hv/vmmio.h) at VUART_GUEST_BASE, advertised in the generated
 * guest DTB as "arm,pl011", "arm,primecell" and /chosen stdout-path. Transmit only: bytes
 * written to UARTDR go to the writing vCPU's console line (the BH_HC_CONSOLE_WRITE path) and
 * come out as "<label>: <line>"; nothing is ever received and no interrupt is raised yet,
 * but it has a virtual interrupt in the guest DTB, for drivers that need one to open it.
 */
#pragma once

#include <arch/irq.h>
#include <hv/compiler.h>
#include <hv/config.h>
#include <hv/spinlock.h>
#include <hv/types.h>

struct partition;

/* VUART_GUEST_BASE and VUART_SIZE are binding constants: include/hv/config.h. */

/* Register offsets (PL011 TRM 3.2). */
#define VUART_DR 0x000u
#define VUART_RSR 0x004u
#define VUART_FR 0x018u
#define VUART_IBRD 0x024u
#define VUART_FBRD 0x028u
#define VUART_LCR_H 0x02cu
#define VUART_CR 0x030u
#define VUART_IMSC 0x038u
#define VUART_RIS 0x03cu
#define VUART_MIS 0x040u
#define VUART_ICR 0x044u
#define VUART_PERIPHID0 0xfe0u
#define VUART_PCELLID0 0xff0u

/* UARTFR bits (TRM 3.3.3): transmit FIFO empty, receive FIFO empty, transmit full, busy. */
#define VUART_FR_TXFE (1u << 7)
#define VUART_FR_TXFF (1u << 5)
#define VUART_FR_RXFE (1u << 4)
#define VUART_FR_BUSY (1u << 3)

/* UARTCR reset value (TRM 3.3.8): TXE and RXE set, UART disabled. */
#define VUART_CR_RESET 0x300u

/* Per-partition register state, embedded in struct partition. */
struct vuart {
    spinlock_t lock; /* class "vuart" (LOCK_RANK_LEAF): the registers below */
    uint32_t cr, imsc, icr, lcr_h, ibrd, fbrd;
    /* Its virtual interrupt (arch_irq_virtual_alloc), fixed at setup: a driver that wants
     * one (Linux's amba-pl011 will not open the port without) finds it in the guest DT.
     * irq_cells == 0: the arch has no interrupt controller for partitions. */
    uint32_t virq;
    unsigned int irq_cells;
    uint32_t irq_spec[ARCH_IRQ_DT_CELLS_MAX];
};

/*
 * Reset p's vUART registers and register its region (vmmio_register) at VUART_GUEST_BASE.
 * 0 or the vmmio_register() error. Boot CPU, before p runs.
 */
int vuart_init(struct partition *p) __must_check;

/*
 * Put p's vUART registers back to their reset values (PSCI SYSTEM_RESET: the guest restarts
 * with the UART a fresh boot finds). Takes the vUART lock; callers may hold p->lock.
 */
void vuart_reset(struct partition *p);
