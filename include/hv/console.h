/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor console: one UART named by the configuration, driven by a serial driver
 * that registers itself with SERIAL_DRIVER(). Lines from different CPUs never interleave.
 */
#pragma once

#include <hv/fdt.h>
#include <hv/table.h>
#include <hv/types.h>

struct serial_port;

/* A UART driver, matched against the console node's "compatible". */
struct serial_driver {
    const char *compatible;
    /* Program the UART (port->base etc. are set); 0 or -errno. Called once, at boot. */
    int (*init)(struct serial_port *port) __must_check;
    /* Send len bytes, a newline as CR LF, waiting for room for each; never fails. */
    void (*write)(struct serial_port *port, const char *s, size_t len);
    /* A received byte (0..255), or -1 when none is waiting; never waits. NULL: the driver
     * cannot receive (the console then has no input). */
    int (*getc)(struct serial_port *port);
    /* Unmask (enable) or mask the UART's receive interrupt: raised while received bytes
     * wait, and quiet once getc() has emptied the receive FIFO (so it suits a level-sensitive
     * line). NULL: the driver has none (the console's input is then polled). */
    void (*rx_irq)(struct serial_port *port, bool enable);
};

/* A UART instance: where its registers are and how to reach them. */
struct serial_port {
    const struct serial_driver *drv;
    uintptr_t base;         /* register base: mapped MMIO address, or I/O port when pio */
    bool pio;               /* registers are in x86 I/O space (HAS_PIO only) */
    unsigned int reg_shift; /* log2 of the register stride ("reg-shift", default 0) */
    uint32_t clock_hz;      /* input clock ("clock-frequency"), 0 if not stated */
};

#define SERIAL_DRIVER(var) static const struct serial_driver var HV_TABLE_ENTRY(hv_serial_drivers)

/*
 * Find the console node (the /hypervisor "console" phandle, else /chosen "stdout-path"), pick
 * its driver and bring it up. 0, or -ENOENT (no console named), -ENODEV (no driver), -EINVAL
 * (its reg is missing or malformed), -errno.
 */
int console_init(const struct fdt *fdt) __must_check;

/*
 * Bring up the early console (CONFIG_EARLY_CONSOLE_{PL011,CADENCE,IMX}_BASE, or
 * CONFIG_EARLY_CONSOLE_NS16550_PORT), if the
 * configuration names one: hv_printf() then works before console_init(), which replaces it.
 * Called first thing by the boot CPU; never fails (without one, output stays dropped).
 */
void console_early_init(void);

/* The DT node of the console, or a negative errno when none is configured. */
int console_node(const struct fdt *fdt);

/*
 * One byte typed at the console (0..255), or -1 when none is waiting, the driver cannot
 * receive, or there is no console. Never waits. One CPU at a time reads it, through
 * console_input_poll() (include/hv/console_input.h); not reentrant.
 */
int console_getc(void);

/* Cells of the console's interrupt specifier, at most. */
#define CONSOLE_IRQ_CELLS_MAX 4

/*
 * The console's receive interrupt: copies the first specifier of the console node's
 * "interrupts" (board DT, its controller's cells) to cells and returns the number of cells;
 * 0 when the node names none or the driver cannot raise one (rx_irq NULL). After
 * console_init(); any CPU.
 */
unsigned int console_rx_irq_spec(uint32_t *cells);

/* Unmask or mask the console's receive interrupt at the UART (nothing without one). */
void console_rx_irq_enable(bool enable);

/* Write len bytes ("\n" becomes "\r\n"); dropped silently while no console is up. */
void console_write(const char *s, size_t len);

/* Formatted console output; a whole call is written without interleaving. */
void hv_printf(const char *fmt, ...) __printf(1, 2);

/* Bytes of a guest's console line the hypervisor holds until its newline. */
#define CONSOLE_LINE_MAX 128u

/* A guest's console line as it builds up (a vCPU's: console hypercall, virtual UART). */
struct console_line {
    unsigned int len;   /* bytes in text */
    unsigned int shown; /* bytes of text already on the console (a focused partition's) */
    bool cont;          /* continues a line broken at CONSOLE_LINE_MAX bytes: "<label>+ " */
    char text[CONSOLE_LINE_MAX];
};

/*
 * Show owner's console line (a guest's, owner its vCPU), atomically with respect to every
 * other console writer. If owner still holds the console's current line (nobody printed
 * since line->shown bytes were), only the rest of the text is printed; otherwise the whole
 * line goes on a line of its own, prefixed "<label>: ", or "<label>+ " when it continues a
 * line broken for length (docs/partitions.md). end: the line is complete: a newline follows
 * and line is emptied. Output that does not end a line leaves the console's line to owner:
 * whoever prints next, if not owner, starts a new line first, so two writers never share one.
 *
 * Whether owner still holds the line is decided under the console lock, with the printing:
 * decided before the lock, another writer's line could come in between and the rest of the
 * line would follow it without its label.
 */
void console_show_line(const void *owner, const char *label, struct console_line *line, bool end);
