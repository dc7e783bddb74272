/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two-partition layout of tests/unit/test_partition.c for the partition fuzz targets
 * (hypercall, vmmio): "control" (one vCPU, a UART, owns ring0, borrows mbox rw) and "worker"
 * (two vCPUs, borrows ring0 ro with a doorbell page at PART_ENV_DOORBELL, owns mbox), both
 * set up once by partition_init() on the fake arch and running. Host memory is heap memory
 * the fake arch reaches through fake_mem_add().
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <hv/partition.h>

#define PART_ENV_MIB (UINT64_C(1) << 20)
#define PART_ENV_P1_HOST 0x48000000u
#define PART_ENV_P2_HOST 0x4c000000u
#define PART_ENV_SHM_HOST 0x60000000u
#define PART_ENV_STAGE_HOST 0x42000000u
#define PART_ENV_GUEST_RAM 0x40000000u
#define PART_ENV_GUEST_SHM 0x50000000u
#define PART_ENV_UART1 0x09040000u
#define PART_ENV_DOORBELL 0x0a100000u
#define PART_ENV_RAM_SIZE (4 * PART_ENV_MIB)

extern struct hv_config part_env_cfg;
/* Heap buffers behind P1_HOST, P2_HOST and SHM_HOST (4 MiB each). */
extern uint8_t *part_env_p1, *part_env_p2, *part_env_shm;

/* Set both partitions up (first call only) and mark them running; aborts on failure. */
void part_env_setup(void);

/* True when value lies in a host range of the configuration (memory, shared memory, the
 * staged image) or in one of the heap buffers standing for them: a value a guest must never
 * see. */
bool part_env_is_host(uint64_t value);

/* abort() with a message when !ok: a broken invariant is a crash for libFuzzer. */
void part_env_check(bool ok, const char *what);
