// SPDX-License-Identifier: Apache-2.0
/*
 * The per-partition virtual console UART of x86, a virtual device (include/hv/vdev.h): a
 * 16550 at COM1's I/O ports 0x3f8-0x3ff (TI PC16550D datasheet, section 8), emulated on the
 * IOIO intercept as part of the partition's legacy platform (arch/x86/vio.c; the hypervisor's
 * own COM1 never reaches a partition: its ports are never in a partition's IOPM). Bare-metal
 * guests take its interrupt (guests/x86/echo.c); Linux polls it (its ACPI tables describe
 * COM1 without an interrupt, arch/x86/guest_acpi.c).
 *
 *   RBR (read)   the oldest received byte (0 when none);  THR (write)  one character to the
 *                writing vCPU's console line (vcpu_console_put: printed as "<label>: <line>")
 *   IER          ERBFI (received data) and ETBEI (THR empty) gate the interrupt; the others
 *                are kept and have no effect
 *   IIR (read)   the highest pending cause (8.6.4): received data 0x04, else THR empty 0x02
 *                (cleared by this read), else 0x01; bits 7:6 set while FIFOs are enabled
 *   FCR (write)  FIFO enable (bit 0) and receive FIFO reset (bit 1)
 *   LCR, MCR, SCR, DLL, DLM (DLAB)  read back what was written
 *   LSR          DR (bit 0) while the receive FIFO holds a byte, THRE and TEMT always (the
 *                transmitter never waits)
 *   MSR          DCD, DSR, CTS: a modem that is always ready
 *
 * Receive: bytes typed at the hypervisor console while the partition has the input focus
 * (include/hv/console_input.h) enter a 16-byte FIFO (the 16550's); a byte that finds it
 * full is dropped, as at an overrun.
 *
 * Interrupt: the UART's INTRPT (a cause pending and enabled), gated by MCR OUT2 as on a PC,
 * is a virtual interrupt of the partition (arch_irq_virtual_alloc(), arch/x86/irq.c: a
 * request in vCPU 0's virtual local APIC at the vector the guest DTB names, edge, the one
 * injection path of arch/x86/vapic.c), raised on each rising edge of
 * that output: a driver empties the receive FIFO and reads IIR until it reads 0x01 (as
 * Linux's serial8250 does), so the output falls before it can rise again.
 *
 * Guest DTB: "/serial@i3f8" (compatible "ns16550a", clock-frequency, interrupts = <vector
 * 1>; no reg: I/O ports are not in the guest's address map, as for passed-through ISA
 * devices) and /chosen stdout-path.
 *
 * Locking: the state is per partition (vuarts[p->index]) under its lock (a leaf). Console
 * output and arch_irq_raise() happen outside it.
 */
#include <arch/irq.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt_write.h>
#include <hv/lockorder.h>
#include <hv/partition.h>
#include <hv/spinlock.h>
#include <hv/vdev.h>

#include "x86.h"

#define VUART_PORT 0x3f8u
#define VUART_PORTS 8u
#define VUART_RX_FIFO 16u
#define VUART_CLOCK_HZ 1843200u
#define VUART_NODE "serial@i3f8"

#define REG_RBR 0
#define REG_IER 1
#define REG_IIR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_MSR 6
#define REG_SCR 7
#define IER_ERBFI 0x01u
#define IER_ETBEI 0x02u
#define IIR_NONE 0x01u
#define IIR_THRE 0x02u
#define IIR_RDA 0x04u
#define IIR_FIFO 0xc0u
#define FCR_ENABLE 0x01u
#define FCR_RX_RESET 0x02u
#define LCR_DLAB 0x80u
#define MCR_OUT2 0x08u
#define LSR_DR 0x01u
#define LSR_THRE_TEMT 0x60u
#define MSR_READY 0xb0u /* DCD, DSR, CTS */

struct vuart {
    spinlock_t lock; /* class "x86-vuart" (leaf): everything below */
    struct partition *part;
    uint8_t ier, lcr, mcr, scr, dll, dlm;
    bool fifo_on;
    bool thre_pending;            /* THR-empty cause, until IIR reports it or THR is written */
    uint8_t rx[VUART_RX_FIFO];    /* receive FIFO, a ring */
    unsigned int rx_head, rx_len; /* oldest byte's index, bytes held */
    bool line;                    /* INTRPT as last raised */
    uint32_t virq;                /* its virtual interrupt; irq_cells == 0: none */
    unsigned int irq_cells;
    uint32_t irq_spec[ARCH_IRQ_DT_CELLS_MAX];
};

static struct vuart vuarts[HV_MAX_PARTITIONS];
static LOCK_CLASS(vuart_lock_class, "x86-vuart", LOCK_RANK_LEAF);

/* Recompute INTRPT; true when it rose (the caller raises the interrupt, outside the lock). */
static bool vuart_update(struct vuart *u)
{
    bool line = (u->mcr & MCR_OUT2) != 0 && (((u->ier & IER_ERBFI) != 0 && u->rx_len != 0) ||
                                             ((u->ier & IER_ETBEI) != 0 && u->thre_pending));
    bool rose = line && !u->line;

    u->line = line;
    return rose;
}

static void vuart_raise(struct vuart *u, bool rose)
{
    if (rose && u->irq_cells != 0) {
        int err = arch_irq_raise(u->part, u->virq);

        (void)err; /* its own virtual interrupt: never refused */
    }
}

static uint8_t vuart_read(struct vuart *u, unsigned int reg)
{
    bool dlab = (u->lcr & LCR_DLAB) != 0;
    uint8_t c;

    switch (reg) {
    case REG_RBR:
        if (dlab) {
            return u->dll;
        }
        if (u->rx_len == 0) {
            return 0;
        }
        c = u->rx[u->rx_head];
        u->rx_head = (u->rx_head + 1) % VUART_RX_FIFO;
        u->rx_len--;
        return c;
    case REG_IER:
        return dlab ? u->dlm : u->ier;
    case REG_IIR:
        c = u->fifo_on ? IIR_FIFO : 0;
        if ((u->ier & IER_ERBFI) != 0 && u->rx_len != 0) {
            return c | IIR_RDA;
        }
        if ((u->ier & IER_ETBEI) != 0 && u->thre_pending) {
            u->thre_pending = false; /* reading IIR clears the THRE cause (8.6.4) */
            return c | IIR_THRE;
        }
        return c | IIR_NONE;
    case REG_LCR:
        return u->lcr;
    case REG_MCR:
        return u->mcr;
    case REG_LSR:
        return LSR_THRE_TEMT | (u->rx_len != 0 ? LSR_DR : 0);
    case REG_MSR:
        return MSR_READY;
    default:
        return u->scr;
    }
}

/* A register write; *out gets the character to print (true) for THR. */
static bool vuart_write(struct vuart *u, unsigned int reg, uint8_t val)
{
    bool dlab = (u->lcr & LCR_DLAB) != 0;

    switch (reg) {
    case REG_RBR:
        if (dlab) {
            u->dll = val;
            return false;
        }
        /* Sent at once: THR is empty again, so the THRE cause comes back. */
        u->thre_pending = true;
        return true;
    case REG_IER:
        if (dlab) {
            u->dlm = val;
        } else {
            /* Enabling ETBEI with THR empty raises the THRE cause (8.6.3). */
            if ((val & IER_ETBEI) != 0 && (u->ier & IER_ETBEI) == 0) {
                u->thre_pending = true;
            }
            u->ier = val & 0x0fu;
        }
        return false;
    case REG_IIR: /* FCR */
        u->fifo_on = (val & FCR_ENABLE) != 0;
        if ((val & FCR_RX_RESET) != 0) {
            u->rx_head = u->rx_len = 0;
        }
        return false;
    case REG_LCR:
        u->lcr = val;
        return false;
    case REG_MCR:
        u->mcr = val & 0x1fu;
        return false;
    case REG_SCR:
        u->scr = val;
        return false;
    default:
        return false; /* LSR, MSR: read-only */
    }
}

bool x86_vuart_access(struct vcpu *v, uint16_t port, bool in, unsigned int size, uint32_t *val)
{
    struct vuart *u;
    bool print = false, rose;
    char c = (char)*val;

    if (port < VUART_PORT || port >= VUART_PORT + VUART_PORTS || size != 1) {
        return false;
    }
    u = &vuarts[v->part->index];
    spin_lock(&u->lock);
    if (in) {
        *val = vuart_read(u, port - VUART_PORT);
    } else {
        print = vuart_write(u, port - VUART_PORT, (uint8_t)*val);
    }
    rose = vuart_update(u);
    spin_unlock(&u->lock);
    if (print) {
        vcpu_console_put(v, &c, 1);
    }
    vuart_raise(u, rose);
    return true;
}

/* The UART's registers and FIFO at reset: all zero, empty. */
static void vuart_reset(struct partition *p)
{
    struct vuart *u = &vuarts[p->index];

    spin_lock(&u->lock);
    u->ier = u->lcr = u->mcr = u->scr = u->dll = u->dlm = 0;
    u->fifo_on = u->thre_pending = u->line = false;
    u->rx_head = u->rx_len = 0;
    spin_unlock(&u->lock);
}

static int vuart_init(struct partition *p)
{
    struct vuart *u = &vuarts[p->index];
    int err;

    spin_lock_init_class(&u->lock, &vuart_lock_class);
    u->part = p;
    vuart_reset(p);
    vdev_set_console(p, "/" VUART_NODE);
    u->irq_cells = 0;
    err = arch_irq_virtual_alloc(p, true, &u->virq, u->irq_spec);
    if (err != 0) {
        partition_printf(p, "vuart: no virtual interrupt: %s\n", errno_name(err));
        return err;
    }
    u->irq_cells = arch_irq_dt_cells();
    return 0;
}

static int vuart_console_input(struct partition *p, char c)
{
    struct vuart *u = &vuarts[p->index];
    int err = 0;
    bool rose;

    spin_lock(&u->lock);
    if (u->rx_len == VUART_RX_FIFO) {
        err = -ENOSPC; /* overrun: the byte is lost */
    } else {
        u->rx[(u->rx_head + u->rx_len) % VUART_RX_FIFO] = (uint8_t)c;
        u->rx_len++;
    }
    rose = vuart_update(u);
    spin_unlock(&u->lock);
    vuart_raise(u, rose);
    return err;
}

static void vuart_guest_dt(struct fdt_writer *w, const struct partition *p)
{
    const struct vuart *u = &vuarts[p->index];

    fdt_write_begin_node(w, VUART_NODE);
    fdt_write_prop_string(w, "compatible", "ns16550a");
    fdt_write_prop_u32(w, "clock-frequency", VUART_CLOCK_HZ);
    if (u->irq_cells != 0) {
        fdt_write_prop_cells(w, "interrupts", u->irq_spec, u->irq_cells);
    }
    fdt_write_end_node(w);
}

static const struct vdev_ops vuart_vdev_ops = {
    .name = "vuart",
    .init = vuart_init,
    .reset = vuart_reset,
    .guest_dt = vuart_guest_dt,
    .console_input = vuart_console_input,
};

VDEV(vuart_vdev, VDEV_ORDER_CONSOLE, &vuart_vdev_ops);
