/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two-partition layout of tests/unit/test_partition.c for the partition fuzz targets
 * (hypercall, vmmio): "control" (one vCPU, a UART, owns ring0, borrows mbox rw) and "worker"
 * (two vCPUs, borrows ring0 ro with a doorbell page at PART_ENV_DOORBELL, owns mbox), both
 * set up once by partition_init() on the fake arch and running. Host memory is heap memory
 * the fake arch reaches through fake_mem_add() (part_p1, part_p2, part_shm of
 * tests/unit/part_layout.h).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <hv/partition.h>

#include "../unit/part_layout.h"

#define PART_ENV_DOORBELL 0x0a100000u

extern struct hv_config part_env_cfg;

/* Set both partitions up (first call only) and mark them running; aborts on failure. */
void part_env_setup(void);

/* True when value lies in a host range of the configuration (memory, shared memory, the
 * staged image) or in one of the heap buffers standing for them: a value a guest must never
 * see. */
bool part_env_is_host(uint64_t value);

/* abort() with a message when !ok: a broken invariant is a crash for libFuzzer. */
void part_env_check(bool ok, const char *what);
