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

/* Resolve stdout-path: an absolute path or an alias, optionally followed by ":options". */
static int stdout_path_node(const struct fdt *fdt)
{
    int chosen = fdt_path(fdt, "/chosen");
    int aliases;
    const char *path;
    char buf[FDT_MAX_PATH];
    size_t len;

    if (chosen < 0 || fdt_prop_string(fdt, chosen, "stdout-path", &path) != 0) {
        return -ENOENT;
    }
    for (len = 0; path[len] != '\0' && path[len] != ':'; len++) {
    }
    if (len == 0 || len >= sizeof(buf)) {
        return -EINVAL;
    }
    memcpy(buf, path, len);
    buf[len] = '\0';
    if (buf[0] == '/') {
        return fdt_path(fdt, buf);
    }
    aliases = fdt_path(fdt, "/aliases");
    if (aliases < 0 || fdt_prop_string(fdt, aliases, buf, &path) != 0) {
        return -ENOENT;
    }
    return fdt_path(fdt, path);
}

int console_node(const struct fdt *fdt)
{
    int hv = fdt_path(fdt, "/hypervisor");
    uint32_t ph;

    if (hv >= 0 && fdt_prop_u32(fdt, hv, "console", &ph) == 0) {
        return fdt_node_by_phandle(fdt, ph);
    }
    return stdout_path_node(fdt);
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

int console_init(const struct fdt *fdt)
{
    struct fdt_prop compat;
    int node = console_node(fdt);
    int err;

    if (node < 0) {
        return node;
    }
    if (fdt_prop(fdt, node, "compatible", &compat) != 0) {
        return -ENODEV;
    }
    hv_table_foreach (struct serial_driver, hv_serial_drivers, drv) {
        if (!fdt_stringlist_contains(&compat, drv->compatible)) {
            continue;
        }
        struct serial_port port = {.drv = drv};

        err = console_locate(fdt, node, &port);
        if (err == 0) {
            err = drv->init(&port);
        }
        if (err == 0 && drv->rx_irq != NULL) {
            console_locate_irq(fdt, node);
        }
        if (err == 0) {
            console_set(&port);
        }
        return err;
    }
    return -ENODEV;
}

/*
 * The early console (CONFIG_EARLY_CONSOLE_*): the board's UART from Kconfig, found without
 * the DT, so that whatever goes wrong before console_init() (a malformed embedded DTB, a
 * failed self-check, a panic) is printed. console_init() replaces it with the configured
 * console; most boards name the same UART. Each Kconfig value is 0 where its driver is not
 * built.
 */
/* The memory-mapped early consoles: the first with a non-zero address is used. Each has
 * one 4 KiB page of registers (PL011 TRM 3.2; UG1087 UART; IMX8MPRM UART memory map). */
static const struct {
    uint64_t base;
    const char *compatible;
} early_mmio[] = {
    {CONFIG_EARLY_CONSOLE_PL011_BASE, "arm,pl011"},
    {CONFIG_EARLY_CONSOLE_CADENCE_BASE, "cdns,uart-r1p12"},
    {CONFIG_EARLY_CONSOLE_IMX_BASE, "fsl,imx6q-uart"},
};

static int early_port(struct serial_port *port, const char *compatible)
{
    hv_table_foreach (struct serial_driver, hv_serial_drivers, drv) {
        if (strcmp(drv->compatible, compatible) == 0) {
            port->drv = drv;
            return drv->init(port);
        }
    }
    return -ENODEV;
}

void console_early_init(void)
{
    struct serial_port port = {0};
    int err = -ENODEV;

    for (size_t i = 0; i < ARRAY_SIZE(early_mmio); i++) {
        if (early_mmio[i].base != 0) {
            port.base = (uintptr_t)arch_iomap(hpa(early_mmio[i].base), 0x1000);
            err = port.base != 0 ? early_port(&port, early_mmio[i].compatible) : -ENOMEM;
            break;
        }
    }
    if (err == -ENODEV && CONFIG_EARLY_CONSOLE_NS16550_PORT != 0) {
        port.pio = true;
        port.base = CONFIG_EARLY_CONSOLE_NS16550_PORT;
        err = early_port(&port, "ns16550a");
    }
    if (err == 0) {
        console_set(&port);
    }
}

static void console_emit(void *ctx, const char *s, size_t len)
{
    struct serial_port *port = ctx;

    port->drv->write(port, s, len);
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
static const char hv_output;

/* Emit through console_emit, remembering the last character written. */
struct owned_out {
    struct serial_port *port;
    char last;
};

static void owned_emit(void *ctx, const char *s, size_t len)
{
    struct owned_out *out = ctx;

    if (len != 0) {
        console_emit(out->port, s, len);
        out->last = s[len - 1];
    }
}

/* Start owner's output: a new line first when another writer left one open. Lock held. */
static void line_begin(struct owned_out *out, const void *owner)
{
    if (line_owner != NULL && line_owner != owner) {
        console_emit(out->port, "\n", 1);
        line_owner = NULL;
    }
}

/* After owner's output: it owns the line when it did not end one. Lock held. */
static void line_end(const struct owned_out *out, const void *owner)
{
    if (out->last != 0) {
        line_owner = out->last == '\n' ? NULL : owner;
    }
}

void console_show_line(const void *owner, const char *label, struct console_line *line, bool end)
{
    struct owned_out out = {&console_port, 0};

    if (console_ready) {
        spin_lock(&console_lock);
        /* Something else was printed after the part already shown: the console has moved to
         * a new line, so the whole line goes out again, label first. */
        if (line_owner != owner) {
            line->shown = 0;
        }
        line_begin(&out, owner);
        if (line->shown == 0) {
            owned_emit(&out, label, strlen(label));
            owned_emit(&out, line->cont ? "+ " : ": ", 2);
        }
        owned_emit(&out, line->text + line->shown, line->len - line->shown);
        owned_emit(&out, "\n", end ? 1 : 0);
        line_end(&out, owner);
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
    struct owned_out out = {&console_port, 0};

    if (!console_ready) {
        return;
    }
    spin_lock(&console_lock);
    line_begin(&out, &hv_output);
    owned_emit(&out, s, len);
    line_end(&out, &hv_output);
    spin_unlock(&console_lock);
}

void hv_printf(const char *fmt, ...)
{
    struct owned_out out = {&console_port, 0};
    va_list ap;

    if (!console_ready) {
        return;
    }
    spin_lock(&console_lock);
    line_begin(&out, &hv_output);
    va_start(ap, fmt);
    hv_vformat(owned_emit, &out, fmt, ap);
    va_end(ap);
    line_end(&out, &hv_output);
    spin_unlock(&console_lock);
}
