/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <hv/compiler.h>

/*
 * Print "PANIC: <message>" and stop the machine (the calling CPU halts; in TEST_EXIT builds
 * QEMU ends with a failure code). Only for invalid configuration or broken invariants at
 * boot: run-time faults of a partition stop that partition, never the hypervisor.
 */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(cond)                                                                               \
    do {                                                                                           \
        if (unlikely(cond)) {                                                                      \
            panic("BUG: %s:%d: %s", __FILE__, __LINE__, #cond);                                    \
        }                                                                                          \
    } while (0)
