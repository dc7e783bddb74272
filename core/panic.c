// SPDX-License-Identifier: Apache-2.0
#include <arch/cpu.h>
#include <arch/test.h>
#include <hv/console.h>
#include <hv/panic.h>
#include <hv/printf.h>

/* Exit code of a test run that ended in a panic, distinct from a plain check failure (1). */
#define PANIC_EXIT_CODE 3

void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    hv_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    hv_printf("PANIC: cpu%u: %s\n", arch_cpu_id(), msg);
    if (IS_ENABLED(CONFIG_TEST_EXIT)) {
        arch_test_exit(PANIC_EXIT_CODE);
    }
    arch_halt();
}
