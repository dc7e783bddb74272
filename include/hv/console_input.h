/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console input: keystrokes typed at the hypervisor console go to the partition that has the
 * input focus, into its virtual console UART (a virtual device's console_input hook,
 * include/hv/vdev.h; arm64: the vPL011's receive FIFO and interrupt, arch/arm64/vpl011.c).
 *
 * Focus switch: Ctrl-] (0x1d) typed CONSOLE_INPUT_ESCAPES times in a row moves the focus to
 * the next partition that runs (in configuration order, wrapping round) and prints
 *   input focus: partition <id> "<label>"
 * (or "input focus: none" when no partition runs). Like Xen's Ctrl-A three times, but
 * Ctrl-A is QEMU's own -serial mon:stdio escape and Ctrl-] is telnet's, neither of which
 * reaches a program behind them. Fewer escapes followed by another byte are delivered as
 * typed, so a guest can still receive a Ctrl-]. At start the focus is on the partition whose
 * node has "input-focus" (dts/bindings/), else on the first running partition.
 *
 * The console is polled (console_getc(), include/hv/console.h) by the boot CPU, which runs no
 * vCPU: console_input_poll() from its wait loop (test_monitor_run()), woken at least every
 * millisecond or so (arm64: the event stream, asm/cpu.h CNTHCTL_EL2_BOOT). Single CPU: no
 * lock.
 */
#pragma once

#include <hv/types.h>

/* The escape byte (Ctrl-]) and how many in a row switch the focus. */
#define CONSOLE_INPUT_ESCAPE 0x1d
#define CONSOLE_INPUT_ESCAPES 3

/* Put the focus on the "input-focus" partition, else the first running one, and say so
 * (with how to switch). Nothing when no virtual device takes input. Boot CPU, after the
 * partitions started. */
void console_input_start(void);

/* Take every byte waiting at the console: escapes, focus switches, delivery. Boot CPU. */
void console_input_poll(void);

/* One byte, as if typed (console_input_poll() calls it for each). Boot CPU. */
void console_input_byte(char c);

/* Index (in partitions[]) of the partition with the focus, or UINT32_MAX when none. */
unsigned int console_input_focus(void);

struct partition;

/* Whether p has the input focus (any CPU; a snapshot): its console output is then shown as it
 * comes (a shell's prompt, echoed keys), not only line by line (vcpu_console_put()). */
bool console_input_has_focus(const struct partition *p);
