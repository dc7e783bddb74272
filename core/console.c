// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor console. The configuration names the UART (the /hypervisor "console"
 * phandle, binding v1; a bare board falls back to /chosen "stdout-path", Devicetree
 * Specification 3.6); the driver is found by compatible in the hv_serial_drivers table.
 */
#include <arch/io.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/printf.h>
#include <hv/spinlock.h>
#include <hv/string.h>

static struct serial_port console_port;
static bool console_ready;
static spinlock_t console_lock = SPINLOCK_INIT;
/* The console node's first "interrupts" specifier (its receive interrupt), when its driver
 * can raise one: rx_cells cells, 0 when none. */
static uint32_t rx_spec[CONSOLE_IRQ_CELLS_MAX];
static unsigned int rx_cells;

int console_node(const struct fdt *fdt)
{
    int hv = fdt_path(fdt, "/hypervisor");
    uint32_t ph;

    if (hv >= 0 && fdt_prop_u32(fdt, hv, "console", &ph) == 0) {
        return fdt_node_by_phandle(fdt, ph);
    }
    return fdt_stdout_path(fdt);
}

/*
 * Where the UART's registers are. A UART under an "isa" bus uses the IEEE 1275 ISA binding:
 * two address cells whose first has bit 0 set for I/O space (the x86 COM ports).
 */
static int console_locate(const struct fdt *fdt, int node, struct serial_port *port)
{
    uint64_t addr, size;
    int parent = fdt_parent(fdt, node);
    int err = fdt_reg(fdt, node, 0, &addr, &size);
    uint32_t v;

    if (err != 0) {
        /* A console node without a usable reg is malformed, not absent. */
        return err == -ENOENT ? -EINVAL : err;
    }
    if (fdt_prop_u32(fdt, node, "reg-shift", &v) == 0) {
        port->reg_shift = v;
    }
    if (fdt_prop_u32(fdt, node, "clock-frequency", &v) == 0) {
        port->clock_hz = v;
    }
    if (parent >= 0 && fdt_is_compatible(fdt, parent, "isa") && (addr >> 32) & 1) {
        if (!IS_ENABLED(CONFIG_HAS_PIO) || (uint32_t)addr > UINT16_MAX) {
            return -EOPNOTSUPP;
        }
        port->pio = true;
        port->base = (uintptr_t)(uint32_t)addr;
        return 0;
    }
    port->base = (uintptr_t)arch_iomap(hpa(addr), (size_t)size);
    return port->base != 0 ? 0 : -ENOMEM;
}

/* Keep the first specifier of node's "interrupts" (its parent controller's cells, from the
 * board DT: "#interrupt-cells" of the nearest "interrupt-parent", else of the root's). */
static void console_locate_irq(const struct fdt *fdt, int node)
{
    struct fdt_prop prop;
    uint32_t ph, cells = 0;
    int parent;

    if (fdt_prop(fdt, node, "interrupts", &prop) != 0) {
        return;
    }
    for (parent = node; parent >= 0; parent = fdt_parent(fdt, parent)) {
        if (fdt_prop_u32(fdt, parent, "interrupt-parent", &ph) == 0) {
            break;
        }
    }
    parent = parent >= 0 ? fdt_node_by_phandle(fdt, ph) : -ENOENT;
    if (parent < 0 || fdt_prop_u32(fdt, parent, "#interrupt-cells", &cells) != 0 || cells == 0 ||
        cells > CONSOLE_IRQ_CELLS_MAX || prop.len < 4 * cells) {
        return;
    }
    for (uint32_t i = 0; i < cells; i++) {
        rx_spec[i] = fdt_be32((const uint8_t *)prop.data + 4 * i);
    }
    rx_cells = cells;
}

unsigned int console_rx_irq_spec(uint32_t *cells)
{
    memcpy(cells, rx_spec, sizeof(rx_spec[0]) * rx_cells);
    return rx_cells;
}

void console_rx_irq_enable(bool enable)
{
    if (console_ready && console_port.drv->rx_irq != NULL) {
        console_port.drv->rx_irq(&console_port, enable);
    }
}

/* Make port the console; under the lock: the early console may be printing on another path. */
static void console_set(const struct serial_port *port)
{
    spin_lock(&console_lock);
    console_port = *port;
    console_ready = true;
    spin_unlock(&console_lock);
}

/* The driver for a UART whose "compatible" list is compat, NULL when none is built. */
static const struct serial_driver *serial_driver_find(const struct fdt_prop *compat)
{
    hv_table_foreach (struct serial_driver, hv_serial_drivers, drv) {
        if (fdt_stringlist_contains(compat, drv->compatible)) {
            return drv;
        }
    }
    return NULL;
}

int console_init(const struct fdt *fdt)
{
    struct fdt_prop compat;
    struct serial_port port = {0};
    int node = console_node(fdt);
    int err;

    if (node < 0) {
        return node;
    }
    if (fdt_prop(fdt, node, "compatible", &compat) != 0 ||
        (port.drv = serial_driver_find(&compat)) == NULL) {
        return -ENODEV;
    }
    err = console_locate(fdt, node, &port);
    if (err == 0) {
        err = port.drv->init(&port);
    }
    if (err == 0 && port.drv->rx_irq != NULL) {
        console_locate_irq(fdt, node);
    }
    if (err == 0) {
        console_set(&port);
    }
    return err;
}

/*
 * The early console (CONFIG_EARLY_CONSOLE_*): the board's UART from Kconfig, found without
 * the DT, so that whatever goes wrong before console_init() (a malformed embedded DTB, a
 * failed self-check, a panic) is printed. console_init() replaces it with the configured
 * console; most boards name the same UART. Each Kconfig value is 0 where its driver is not
 * built.
 */
/* The first with a non-zero address is used. Each memory-mapped one has one 4 KiB page of
 * registers (PL011 TRM 3.2; UG1087 UART; IMX8MPRM UART memory map). */
static const struct {
    uint64_t base;
    const char *compatible;
    bool pio; /* base is an I/O port (HAS_PIO only) */
} early_consoles[] = {
    {CONFIG_EARLY_CONSOLE_PL011_BASE, "arm,pl011", false},
    {CONFIG_EARLY_CONSOLE_CADENCE_BASE, "cdns,uart-r1p12", false},
    {CONFIG_EARLY_CONSOLE_IMX_BASE, "fsl,imx6q-uart", false},
    {CONFIG_EARLY_CONSOLE_NS16550_PORT, "ns16550a", true},
};

void console_early_init(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(early_consoles); i++) {
        uint64_t base = early_consoles[i].base;
        const char *c = early_consoles[i].compatible;
        /* A "compatible" list of one string, its NUL included. */
        struct fdt_prop compat = {.data = c, .len = (uint32_t)strlen(c) + 1};
        struct serial_port port = {.pio = early_consoles[i].pio};

        if (base == 0) {
            continue;
        }
        port.drv = serial_driver_find(&compat);
        port.base = port.pio ? (uintptr_t)base : (uintptr_t)arch_iomap(hpa(base), 0x1000);
        if (port.drv != NULL && port.base != 0 && port.drv->init(&port) == 0) {
            console_set(&port);
        }
        return;
    }
}

/*
 * Who left the console in the middle of a line: NULL while the cursor is at the start of a
 * line, else the token of the writer whose output did not end with a newline (a focused
 * partition's partial line: a shell prompt, echoed keys; or a hypervisor line printed in
 * pieces). Another writer starts a new line first, so that two sources never share a line
 * (a whole-line marker could otherwise be glued to a prompt). Guarded by console_lock.
 */
static const void *line_owner;
/* The token of the hypervisor's own output (hv_printf, console_write). */
static char hv_output;

static void console_put(const char *s, size_t len)
{
    console_port.drv->write(&console_port, s, len);
}

/*
 * Take the console for owner's output, on a new line when another writer left one open: false
 * (nothing taken) while there is no console. The caller unlocks console_lock. Inlined: the
 * configuration printed at boot comes through console_write() piece by piece (make bench, the
 * boot work figure).
 */
static inline __attribute__((always_inline)) bool console_take(const void *owner)
{
    if (!console_ready) {
        return false;
    }
    spin_lock(&console_lock);
    if (line_owner != NULL && line_owner != owner) {
        console_put("\n", 1);
        line_owner = NULL;
    }
    return true;
}

/* The hypervisor's output (owner: &hv_output): it owns the line when it did not end one.
 * Console taken. */
static void hv_emit(void *owner, const char *s, size_t len)
{
    if (len != 0) {
        line_owner = s[len - 1] == '\n' ? NULL : owner;
        console_put(s, len);
    }
}

void console_show_line(const void *owner, const char *label, struct console_line *line, bool end)
{
    if (console_take(owner)) {
        /* Something else was printed after the part already shown: the console has moved to
         * a new line, so the whole line goes out again, label first. */
        if (line_owner != owner) {
            line->shown = 0;
        }
        if (line->shown == 0) {
            console_put(label, strlen(label));
            console_put(line->cont ? "+ " : ": ", 2);
        }
        console_put(line->text + line->shown, line->len - line->shown);
        if (end) {
            console_put("\n", 1);
        }
        /* The text holds no newline: owner keeps the line unless it ended it. */
        line_owner = end ? NULL : owner;
        spin_unlock(&console_lock);
    }
    line->shown = end ? 0 : line->len;
    if (end) {
        line->len = 0;
        line->cont = false;
    }
}

int console_getc(void)
{
    /* One CPU at a time reads (console_input_poll(): the fallback poller, or the CPU the
     * receive interrupt is routed to): no lock against other readers, and writers never
     * touch the receive side. */
    if (!console_ready || console_port.drv->getc == NULL) {
        return -1;
    }
    return console_port.drv->getc(&console_port);
}

void console_write(const char *s, size_t len)
{
    if (console_take(&hv_output)) {
        hv_emit(&hv_output, s, len);
        spin_unlock(&console_lock);
    }
}

void hv_printf(const char *fmt, ...)
{
    va_list ap;

    if (console_take(&hv_output)) {
        va_start(ap, fmt);
        hv_vformat(hv_emit, &hv_output, fmt, ap);
        va_end(ap);
        spin_unlock(&console_lock);
    }
}
