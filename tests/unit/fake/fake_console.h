/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fake console for host unit tests (tests/unit/fake/fake_console.c): hv_printf() and
 * console_write() append to one capture buffer that tests inspect. A test that links
 * core/console.c instead gets the real console and must not link this.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_CONSOLE_SIZE 16384

extern bool fake_console_echo;                   /* also copy everything to stdout */
extern unsigned long fake_console_lines;         /* hv_printf() calls since the clear */
extern size_t fake_console_len;                  /* bytes in fake_console_log */
extern char fake_console_log[FAKE_CONSOLE_SIZE]; /* all output since the clear, truncated */

/* Forget everything captured so far. */
void fake_console_clear(void);

/* The text of the latest hv_printf() call ("" before the first). */
const char *fake_console_last(void);

/* What console_getc() returns, one byte per call, then -1: set by the test. */
extern const char *fake_console_input;
extern size_t fake_console_input_len;

/* The console's receive interrupt (console_rx_irq_spec()): its specifier (0 cells: none),
 * and whether console_rx_irq_enable() unmasked it. */
extern uint32_t fake_console_rx_spec[4];
extern unsigned int fake_console_rx_cells;
extern bool fake_console_rx_enabled;
