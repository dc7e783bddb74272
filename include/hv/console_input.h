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
 * Where the input is read: when the console UART has a receive interrupt (its driver's
 * rx_irq and an "interrupts" specifier in the board DT), the hypervisor claims it
 * (arch_irq_claim(), include/arch/irq.h) and routes it to console_input_cpu(): the CPU the
 * /hypervisor "interrupt-cpu" property names, else the focused partition's first CPU
 * (re-routed at each focus switch), so no partition's CPU reads another's keystrokes. The
 * handler runs console_input_poll() there. Without a usable interrupt the boot CPU polls
 * instead, which needs it to run no vCPU (partition_boot.c), woken at least every
 * millisecond (arm64: the event stream, asm/cpu.h CNTHCTL_EL2_BOOT). Either way one CPU at a
 * time reads: no lock.
 */
#pragma once

#include <hv/types.h>

/* The escape byte (Ctrl-]) and how many in a row switch the focus. */
#define CONSOLE_INPUT_ESCAPE 0x1d
#define CONSOLE_INPUT_ESCAPES 3

/* Put the focus on the "input-focus" partition, else the first running one, and say so
 * (with how to switch); take the console's receive interrupt when it has one. true when the
 * input is interrupt-driven, false when it must be polled (or nothing takes input). cfg:
 * the configuration (its "interrupt-cpu"), NULL for none. Boot CPU, after the partitions
 * started. */
struct hv_config;

bool console_input_start(const struct hv_config *cfg);

/* The logical CPU the console's receive interrupt goes to now (see above). Any CPU. */
unsigned int console_input_cpu(void);

/* Take every byte waiting at the console: escapes, focus switches, delivery. The polling
 * boot CPU or the receive interrupt's handler. */
void console_input_poll(void);

/* One byte, as if typed (console_input_poll() calls it for each). Same CPU as above. */
void console_input_byte(char c);

/* Index (in partitions[]) of the partition with the focus, or UINT32_MAX when none. */
unsigned int console_input_focus(void);

struct partition;

/* Whether p has the input focus (any CPU; a snapshot): its console output is then shown as it
 * comes (a shell's prompt, echoed keys), not only line by line (vcpu_console_put()). */
bool console_input_has_focus(const struct partition *p);
