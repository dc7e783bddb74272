// SPDX-License-Identifier: Apache-2.0
/*
 * Shared set-up of the partition fuzz targets (part_env.h): the layout of
 * tests/unit/test_partition.c (tests/unit/part_layout.c), built once per process.
 */
#include <stdio.h>
#include <stdlib.h>

#include <hv/panic.h>

#include "../unit/fake/fake_irq.h"
#include "part_env.h"

struct hv_config part_env_cfg;

void part_env_check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz: invariant broken: %s\n", what);
        abort();
    }
}

/* core/panic.c is not linked: a panic is a crash. */
void panic(const char *fmt, ...)
{
    fprintf(stderr, "panic: %s\n", fmt);
    abort();
}

void part_env_setup(void)
{
    static bool done;

    if (done) {
        return;
    }
    part_layout_reset(&part_env_cfg);
    part_env_cfg.shm[2].has_doorbell = true;
    part_env_cfg.shm[2].doorbell = gpa(PART_ENV_DOORBELL);
    fake_irq.guest_phandle = 0x8001;
    for (unsigned int i = 0; i < 2; i++) {
        part_env_check(partition_init(&partitions[i], &part_env_cfg, i, &part_mm) == 0,
                       "partition_init");
        nr_partitions = i + 1;
        partitions[i].state = PARTITION_RUNNING;
    }
    done = true;
}

static bool in(uint64_t v, uint64_t base, uint64_t size)
{
    return v - base < size;
}

bool part_env_is_host(uint64_t v)
{
    const struct hv_config *cfg = &part_env_cfg;

    for (unsigned int i = 0; i < cfg->nr_mem; i++) {
        if (in(v, hpa_val(cfg->mem[i].host), cfg->mem[i].size)) {
            return true;
        }
    }
    for (unsigned int i = 0; i < cfg->nr_shm; i++) {
        if (in(v, hpa_val(cfg->shm[i].host), cfg->shm[i].size)) {
            return true;
        }
    }
    return in(v, PART_STAGE_HOST, 4096) || in(v, (uint64_t)(uintptr_t)part_p1, PART_RAM_SIZE) ||
           in(v, (uint64_t)(uintptr_t)part_p2, PART_RAM_SIZE) ||
           in(v, (uint64_t)(uintptr_t)part_shm, 4 * PART_MIB) ||
           in(v, (uint64_t)(uintptr_t)part_stage, 4096);
}
