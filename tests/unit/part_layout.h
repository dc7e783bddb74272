/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two-partition test layout shared by tests/unit/test_partition.c and the partition fuzz
 * targets (tests/fuzz/part_env.c): the default layout shrunk to 4 MiB partitions, "control"
 * (cpu1, uart1, owns ring0 and borrows mbox rw) and "worker" (cpu2, cpu3, borrows the second
 * MiB of ring0 ro, owns mbox nc), its host memory (heap buffers the fake arch reaches through
 * fake_mem_add()) and the stage-2 table callbacks.
 */
#pragma once

#include <stdint.h>

#include <hv/config.h>
#include <hv/pgtable.h>

#define PART_MIB (UINT64_C(1) << 20)

/* Host memory of the layout, and where the guests see it. */
#define PART_P1_HOST 0x48000000u
#define PART_P2_HOST 0x4c000000u
#define PART_SHM_HOST 0x60000000u
#define PART_STAGE_HOST 0x42000000u
#define PART_GUEST_RAM 0x40000000u
#define PART_GUEST_SHM 0x50000000u
#define PART_UART1 0x09040000u
#define PART_RAM_SIZE (4 * PART_MIB)

/* Heap buffers behind PART_P1_HOST, PART_P2_HOST, PART_SHM_HOST (4 MiB each) and
 * PART_STAGE_HOST (one page: the 64-byte test image part_image, staged as the boot loader
 * would; core/guest_image.c verifies it against the digest in the configuration). */
extern uint8_t *part_p1, *part_p2, *part_shm, *part_stage;
extern const uint8_t part_image[64];

/* Table pages from malloc, failing the part_fail_at-th allocation (0: never) counted in
 * part_allocs; freed to the heap; flushes reach arch_stage2_flush(). */
extern const struct pt_mm_ops part_mm;
extern unsigned int part_allocs, part_fail_at;

/* The layout, into cfg (nothing else changes). */
void part_layout(struct hv_config *cfg);

/* Fresh state: the layout in cfg, the host memory zeroed (buffers allocated on the first
 * call) with the image staged, shared-memory users, online CPUs, fake devices and
 * interrupts reset, no allocation failure; partitions not yet created. */
void part_layout_reset(struct hv_config *cfg);
