/* SPDX-License-Identifier: Apache-2.0 */
/* Knobs of the fake arch that tests may set. */
#pragma once

#include <stdint.h>

extern unsigned int fake_cpu_id;
extern uint64_t fake_time_us;
