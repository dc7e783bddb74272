/* SPDX-License-Identifier: Apache-2.0 */
/* Two fake virtual devices (include/hv/vdev.h) that record what the partition code calls. */
#pragma once

#include <hv/config.h>

/* Guest page the first fake device emulates (clear of the test layouts' ranges). */
#define FAKE_VDEV_BASE 0x0a000000u

struct fake_vdev_state {
    unsigned int inits[HV_MAX_PARTITIONS];  /* init() calls per partition index */
    unsigned int resets[HV_MAX_PARTITIONS]; /* reset() calls per partition index */
    char order[16];                         /* hooks in call order: 'a'/'b' init, 'A'/'B' reset */
    unsigned int nr_order;
    int init_err;                      /* what the "b" device's init() returns */
    char input[HV_MAX_PARTITIONS][16]; /* console bytes "a" received, per partition index */
    unsigned int input_len[HV_MAX_PARTITIONS];
};

extern struct fake_vdev_state fake_vdev;

/* Forget every call. */
void fake_vdev_clear(void);
