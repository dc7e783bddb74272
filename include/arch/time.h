/* SPDX-License-Identifier: Apache-2.0 */
/* Arch contract: time. */
#pragma once

#include <hv/types.h>

/* Monotonic microseconds since an arbitrary point at boot. Any CPU, any context. */
uint64_t arch_time_us(void);
