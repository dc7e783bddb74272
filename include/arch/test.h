/* SPDX-License-Identifier: Apache-2.0 */
/* Arch contract: ending a QEMU test run (CONFIG_TEST_EXIT only). */
#pragma once

#include <hv/compiler.h>
#include <hv/types.h>

/*
 * End the emulated machine with exit status code (0 = every check passed), after the line
 * "test: exit <code>, run <nonce>". Arm: semihosting SYS_EXIT_EXTENDED; x86: isa-debug-exit at
 * port 0xf4, for which QEMU exits with (code << 1) | 1. Halts when the machine cannot be ended.
 */
__noreturn void arch_test_exit(int code);

/*
 * Read the test harness's per-run nonce into buf (at most size - 1 bytes, NUL-terminated):
 * its length, or -ENOENT when the harness passed none, -EOPNOTSUPP when the arch has no channel.
 * Arm: the semihosting file "bulkhead-nonce" in QEMU's working directory, which the harness
 * makes a FIFO it writes once: read before any partition runs, so that a guest (which QEMU
 * also lets use semihosting) finds it empty. x86: the QEMU fw_cfg file "opt/bulkhead/nonce",
 * whose I/O ports no partition is given. Boot CPU, once, early; CONFIG_TEST_EXIT only.
 */
int arch_test_nonce(char *buf, size_t size) __must_check;

/*
 * Read the nonce (arch_test_nonce()) and keep it if it is hex digits only, so that nothing the
 * harness passes can shape a console line; prints whether it came. hv_main(), first thing,
 * in test builds (core/boot/test_nonce.c).
 */
void hv_test_nonce_read(void);

/*
 * The nonce read at boot (core/boot/test_nonce.c), "" when none. arch_test_exit() prints it in its
 * last line, "test: exit <code>, run <nonce>", which only the hypervisor can write.
 */
const char *hv_test_nonce(void);
