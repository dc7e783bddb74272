// SPDX-License-Identifier: Apache-2.0
/*
 * core/console.c: which node is the console (the /hypervisor "console" phandle, else /chosen
 * "stdout-path" as a path or an alias, each optionally followed by ":options", Devicetree
 * Specification 3.6), and console_init() binding a driver to it, against a fake UART driver
 * registered in the hv_serial_drivers table.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <stdlib.h>
#include <string.h>

#include "../fdt/dtc.h"
#include "unit.h"

static char sent[64];
static size_t nsent;
static struct serial_port seen_port;
static int init_result;

static int fake_uart_init(struct serial_port *port)
{
    seen_port = *port;
    return init_result;
}

/* As the drivers do: a newline goes out as CR LF. */
static void fake_uart_write(struct serial_port *port, const char *s, size_t len)
{
    (void)port;
    for (size_t i = 0; i < len && nsent < sizeof(sent) - 2; i++) {
        if (s[i] == '\n') {
            sent[nsent++] = '\r';
        }
        sent[nsent++] = s[i];
    }
}

SERIAL_DRIVER(fake_uart) = {
    .compatible = "test,uart",
    .init = fake_uart_init,
    .write = fake_uart_write,
};

/* The board: two UARTs the driver handles, one it does not; %s are the /chosen and
 * /hypervisor bodies. */
static const char board[] =
    "/dts-v1/;\n"
    "/ {\n"
    "  #address-cells = <1>; #size-cells = <1>;\n"
    "  aliases {\n"
    "    serial0 = \"/soc/uart@1000\";\n"
    "    serial1 = \"/soc/uart@2000\";\n"
    "    other = \"/soc/other@3000\";\n"
    "    dangling = \"/soc/uart@4000\";\n"
    "    relative = \"serial0\";\n"
    "  };\n"
    "  soc {\n"
    "    #address-cells = <1>; #size-cells = <1>;\n"
    "    uart0: uart@1000 { compatible = \"test,uart\"; reg = <0x1000 0x100>;\n"
    "      reg-shift = <2>; clock-frequency = <24000000>; };\n"
    "    uart1: uart@2000 { compatible = \"vendor,x\", \"test,uart\";\n"
    "      reg = <0x2000 0x100>; };\n"
    "    other@3000 { compatible = \"vendor,other\"; reg = <0x3000 0x10>; };\n"
    "    noreg@5000 { compatible = \"test,uart\"; };\n"
    "  };\n"
    "  %s\n"
    "  %s\n"
    "};\n";

static uint8_t *blob;

/* Compile the board with the given /chosen and /hypervisor text and initialise f. */
static bool load(struct fdt *f, const char *chosen, const char *hv)
{
    char text[4096];
    size_t size;

    free(blob);
    snprintf(text, sizeof(text), board, chosen, hv);
    blob = dtc_compile_text(text, &size);
    if (blob == NULL || fdt_init(f, blob, size) != 0) {
        unit_fail(__FILE__, __LINE__, "cannot build the board for: %s %s", chosen, hv);
        return false;
    }
    return true;
}

/* console_node() for a stdout-path value; the node's path, or the error as text. */
static const char *console_for(const char *stdout_path, char *buf, size_t size)
{
    char chosen[512];
    struct fdt f;
    int node;

    snprintf(chosen, sizeof(chosen), "chosen { stdout-path = \"%s\"; };", stdout_path);
    if (!load(&f, chosen, "")) {
        return "(no blob)";
    }
    node = console_node(&f);
    if (node < 0) {
        snprintf(buf, size, "error %d", node);
    } else if (fdt_node_path(&f, node, buf, size) != 0) {
        snprintf(buf, size, "(bad node)");
    }
    return buf;
}

TEST(stdout_path_forms)
{
    static const struct {
        const char *value, *want;
    } cases[] = {
        {"/soc/uart@1000", "/soc/uart@1000"},
        {"/soc/uart@2000:115200n8", "/soc/uart@2000"},
        {"serial0", "/soc/uart@1000"},
        {"serial1:115200", "/soc/uart@2000"},
        {"serial1:", "/soc/uart@2000"},
        {"/soc/other@3000", "/soc/other@3000"},
        {"/soc/uart:115200", "error -2"}, /* two uart@ siblings: ambiguous */
        {"/soc/uart@9999", "error -2"},
        {"nosuchalias", "error -2"},
        {"nosuchalias:115200", "error -2"},
        {"dangling", "error -2"},
        {"relative", "error -22"}, /* an alias must hold an absolute path */
        {":115200", "error -22"},
        {"", "error -2"}, /* an empty string is no stdout-path */
    };
    char buf[FDT_MAX_PATH];

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *got = console_for(cases[i].value, buf, sizeof(buf));

        if (strcmp(got, cases[i].want) != 0) {
            unit_fail(__FILE__, __LINE__, "stdout-path \"%s\": got %s, want %s", cases[i].value,
                      got, cases[i].want);
        }
    }
}

TEST(stdout_path_too_long)
{
    char value[400], buf[FDT_MAX_PATH];

    memset(value, 'a', sizeof(value) - 1);
    value[0] = '/';
    value[sizeof(value) - 1] = '\0';
    CHECK_STR(console_for(value, buf, sizeof(buf)), "error -22");
    value[FDT_MAX_PATH - 1] = ':'; /* the path part fits in FDT_MAX_PATH - 1 bytes */
    CHECK_STR(console_for(value, buf, sizeof(buf)), "error -2");
}

TEST(no_console_named)
{
    struct fdt f;

    REQUIRE(load(&f, "", ""));
    CHECK_EQ(console_node(&f), -ENOENT);
    REQUIRE(load(&f, "chosen { };", ""));
    CHECK_EQ(console_node(&f), -ENOENT);
    REQUIRE(load(&f, "chosen { stdout-path = <1>; };", ""));
    CHECK_EQ(console_node(&f), -ENOENT);
    CHECK_EQ(console_init(&f), -ENOENT);
}

TEST(hypervisor_console_wins)
{
    struct fdt f;

    REQUIRE(
        load(&f, "chosen { stdout-path = \"serial1\"; };", "hypervisor { console = <&uart0>; };"));
    CHECK_EQ(console_node(&f), fdt_path(&f, "/soc/uart@1000"));
    /* A console phandle that resolves to nothing is an error, not a fall-back. */
    REQUIRE(
        load(&f, "chosen { stdout-path = \"serial1\"; };", "hypervisor { console = <0x999>; };"));
    CHECK_EQ(console_node(&f), -ENOENT);
    /* A malformed console property falls back to stdout-path. */
    REQUIRE(load(&f, "chosen { stdout-path = \"serial1\"; };", "hypervisor { console = <1 2>; };"));
    CHECK_EQ(console_node(&f), fdt_path(&f, "/soc/uart@2000"));
}

TEST(init_binds_the_driver)
{
    struct fdt f;

    REQUIRE(load(&f, "chosen { stdout-path = \"/soc/other@3000\"; };", ""));
    CHECK_EQ(console_init(&f), -ENODEV);
    /* A UART without reg is a malformed console, not a missing one. */
    REQUIRE(load(&f, "chosen { stdout-path = \"/soc/noreg@5000\"; };", ""));
    CHECK_EQ(console_init(&f), -EINVAL);
    init_result = -EIO;
    REQUIRE(load(&f, "chosen { stdout-path = \"serial0:115200\"; };", ""));
    CHECK_EQ(console_init(&f), -EIO);
    console_write("x", 1);
    CHECK_EQ(nsent, 0); /* not ready after a failed init */
    init_result = 0;
    CHECK_EQ(console_init(&f), 0);
    CHECK(seen_port.drv != NULL);
    CHECK_EQ(seen_port.base, 0x1000); /* the fake arch maps 1:1 */
    CHECK_EQ(seen_port.reg_shift, 2);
    CHECK_EQ(seen_port.clock_hz, 24000000);
    CHECK(!seen_port.pio);
    console_write("a\nb", 3);
    hv_printf("%d\n", 42);
    CHECK_STR(sent, "a\r\nb42\r\n");
    free(blob);
    blob = NULL;
}

/* Show the line so far of writer l (labelled label; end: complete it), as
 * core/partition/hypercall.c does for a vCPU. */
static void show(const char *label, struct console_line *l, const char *text, bool end)
{
    l->len = (unsigned int)strlen(text);
    memcpy(l->text, text, l->len);
    console_show_line(l, label, l, end);
}

/*
 * Two writers never share a line: a partial line of one (a focused partition's prompt) is
 * ended before anything else is printed. A guest line shown in pieces is continued while its
 * writer keeps the console's line, and shown again whole, label first, once another writer
 * printed in between; "+ " marks a line that continues one broken for length.
 */
TEST(partial_lines_are_not_shared)
{
    static struct console_line a, b;
    struct fdt f;

    init_result = 0;
    REQUIRE(load(&f, "chosen { stdout-path = \"serial0\"; };", ""));
    REQUIRE(console_init(&f) == 0);
    memset(sent, 0, sizeof(sent));
    nsent = 0;
    show("a", &a, "p# ", false);
    CHECK_EQ(a.shown, 3);
    show("a", &a, "p# ls", false);
    hv_printf("x\n");
    show("a", &a, "p# ls -l", false);
    b.cont = true;
    show("b", &b, "z", true);
    CHECK(b.len == 0 && b.shown == 0 && !b.cont);
    show("a", &a, "p# ls -l", true);
    CHECK(a.len == 0 && a.shown == 0);
    CHECK_STR(sent, "a: p# ls\r\nx\r\na: p# ls -l\r\nb+ z\r\na: p# ls -l\r\n");
    free(blob);
    blob = NULL;
}
