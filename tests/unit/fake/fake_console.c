// SPDX-License-Identifier: Apache-2.0
/* The fake console: captures hv_printf() and console_write() output for the tests. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <hv/console.h>
#include <hv/printf.h>

#include "fake_console.h"

bool fake_console_echo;
unsigned long fake_console_lines;
size_t fake_console_len;
char fake_console_log[FAKE_CONSOLE_SIZE];
static size_t last_start;
/* The writer whose output last ended without a newline (core/console.c keeps the same; the
 * hypervisor's own output always takes the line from a partition's partial one). */
static const void *fake_line_owner;

void fake_console_clear(void)
{
    fake_console_lines = 0;
    fake_console_len = 0;
    last_start = 0;
    fake_console_log[0] = '\0';
}

const char *fake_console_last(void)
{
    return fake_console_log + last_start;
}

static void capture(void *ctx, const char *s, size_t len)
{
    size_t room = sizeof(fake_console_log) - 1 - fake_console_len;

    (void)ctx;
    if (fake_console_echo) {
        fwrite(s, 1, len, stdout);
    }
    if (len > room) {
        len = room;
    }
    memcpy(fake_console_log + fake_console_len, s, len);
    fake_console_len += len;
    fake_console_log[fake_console_len] = '\0';
}

void hv_printf(const char *fmt, ...)
{
    va_list ap;

    last_start = fake_console_len;
    fake_console_lines++;
    va_start(ap, fmt);
    (void)hv_vformat(capture, NULL, fmt, ap);
    va_end(ap);
    fake_line_owner = NULL;
}

void console_write(const char *s, size_t len)
{
    capture(NULL, s, len);
}

/* As core/console.c does it (the fake has no other CPU to race with). */
void console_show_line(const void *owner, const char *label, struct console_line *line, bool end)
{
    size_t start;

    if (fake_line_owner != owner) {
        line->shown = 0;
    }
    if (fake_line_owner != NULL && fake_line_owner != owner) {
        capture(NULL, "\n", 1);
    }
    start = last_start = fake_console_len;
    fake_console_lines++;
    if (line->shown == 0) {
        capture(NULL, label, strlen(label));
        capture(NULL, line->cont ? "+ " : ": ", 2);
    }
    capture(NULL, line->text + line->shown, line->len - line->shown);
    capture(NULL, "\n", end ? 1 : 0);
    if (fake_console_len != start) {
        fake_line_owner = fake_console_log[fake_console_len - 1] == '\n' ? NULL : owner;
    }
    line->shown = end ? 0 : line->len;
    if (end) {
        line->len = 0;
        line->cont = false;
    }
}

const char *fake_console_input;
size_t fake_console_input_len;

int console_getc(void)
{
    if (fake_console_input == NULL || fake_console_input_len == 0) {
        return -1;
    }
    fake_console_input_len--;
    return (uint8_t)*fake_console_input++;
}

uint32_t fake_console_rx_spec[CONSOLE_IRQ_CELLS_MAX];
unsigned int fake_console_rx_cells;
bool fake_console_rx_enabled;

unsigned int console_rx_irq_spec(uint32_t *cells)
{
    memcpy(cells, fake_console_rx_spec, sizeof(cells[0]) * fake_console_rx_cells);
    return fake_console_rx_cells;
}

void console_rx_irq_enable(bool enable)
{
    fake_console_rx_enabled = enable;
}
