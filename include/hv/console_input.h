/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keyboard input for partitions: bytes received on the hypervisor's console UART go to the
 * partition that has the input focus, into its console device (include/hv/vdev.h, the
 * device's input hook: arm64's vPL011 receive FIFO). CONSOLE_FOCUS_KEY (Ctrl-], 0x1d, the
 * telnet escape; QEMU keeps Ctrl-A for itself) moves the focus to the next partition with a
 * console device, in partition order, and says so on the console. The focused partition's
 * output is shown as it comes (a shell's prompt and echoed keys), not only line by line.
 *
 * Driven by the boot CPU after it has started the partitions (test_monitor_run(), which
 * polls); no lock: only that CPU changes the focus, others only read it.
 */
#pragma once

#include <hv/types.h>

struct partition;

/* Ctrl-]: switch the input focus. */
#define CONSOLE_FOCUS_KEY 0x1d

/* Give the focus to the first partition with a console device and say how to switch. */
void console_input_start(void);

/* Handle one received byte: the focus key switches, anything else goes to the focus. */
void console_input_byte(char c);

/* Handle every byte the console UART has received so far (console_getc()). */
void console_input_poll(void);

/* Whether p has the input focus (any CPU; a snapshot). */
bool console_input_has_focus(const struct partition *p);
