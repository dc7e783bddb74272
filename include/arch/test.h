/* SPDX-License-Identifier: Apache-2.0 */
/* Arch contract: ending a QEMU test run (CONFIG_TEST_EXIT only). */
#pragma once

#include <hv/compiler.h>

/*
 * End the emulated machine with exit status code (0 = every check passed). Arm: semihosting
 * SYS_EXIT_EXTENDED; x86: isa-debug-exit at port 0xf4, for which QEMU exits with
 * (code << 1) | 1. Halts when the machine cannot be ended.
 */
__noreturn void arch_test_exit(int code);
