// SPDX-License-Identifier: Apache-2.0
/*
 * Shared set-up of the partition fuzz targets (part_env.h): the layout and the stage-2
 * callbacks of tests/unit/test_partition.c, built once per process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/irq.h>
#include <arch/vcpu.h>
#include <hv/errno.h>
#include <hv/panic.h>
#include <hv/sha256.h>

#include "../unit/fake/fake_irq.h"
#include "../unit/fake/fake_vcpu.h"
#include "../unit/fake/fake_vdev.h"
#include "part_env.h"

struct hv_config part_env_cfg;
uint8_t *part_env_p1, *part_env_p2, *part_env_shm;
static uint8_t *stage;
static const uint8_t image_bytes[64] = "fuzz image";

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

static int t_alloc(struct pgtable *pt, hpa_t *pa)
{
    void *p = aligned_alloc(4096, 4096);

    (void)pt;
    if (p == NULL) {
        return -ENOMEM;
    }
    memset(p, 0, 4096);
    *pa = hpa((uint64_t)(uintptr_t)p);
    return 0;
}

static void t_free(struct pgtable *pt, hpa_t pa)
{
    (void)pt;
    free((void *)(uintptr_t)hpa_val(pa));
}

static void *t_virt(struct pgtable *pt, hpa_t pa)
{
    (void)pt;
    return (void *)(uintptr_t)hpa_val(pa);
}

static void t_flush(struct pgtable *pt, uint64_t in, uint64_t size)
{
    (void)in;
    (void)size;
    arch_stage2_flush(container_of(pt, struct partition, stage2));
}

static const struct pt_mm_ops t_mm = {
    .alloc_table = t_alloc, .free_table = t_free, .phys_to_virt = t_virt, .flush = t_flush};

static struct hv_config_shm shm(const char *id, uint8_t part, enum shm_role role,
                                enum shm_access access, enum cache_policy cache, uint64_t guest,
                                uint64_t host, uint64_t size, uint64_t offset, uint8_t owner,
                                uint8_t users)
{
    struct hv_config_shm s;

    memset(&s, 0, sizeof(s));
    strcpy(s.id, id);
    s.partition = part;
    s.role = role;
    s.access = access;
    s.cache_policy = cache;
    s.guest = gpa(guest);
    s.host = hpa(host);
    s.size = size;
    s.offset = offset;
    s.owner = owner;
    s.users = users;
    return s;
}

static void layout(void)
{
    struct hv_config *cfg = &part_env_cfg;
    static const char compat[] = "arm,pl011\0arm,primecell";
    struct hv_config_staged st = {hpa(PART_ENV_STAGE_HOST), sizeof(image_bytes), {0}};

    sha256(image_bytes, sizeof(image_bytes), st.sha256);
    memset(cfg, 0, sizeof(*cfg));
    cfg->nr_partitions = 2;
    cfg->partitions[0] = (struct hv_config_partition){.id = 1,
                                                      .label = "control",
                                                      .image = "guests/test.bin",
                                                      .image_staged = st,
                                                      .cpu_count = 1,
                                                      .mem_count = 1,
                                                      .dev_count = 1,
                                                      .shm_count = 2};
    cfg->partitions[1] = (struct hv_config_partition){.id = 2,
                                                      .label = "worker",
                                                      .bootargs = "quiet",
                                                      .image = "guests/test.bin",
                                                      .image_staged = st,
                                                      .cpu_first = 1,
                                                      .cpu_count = 2,
                                                      .mem_first = 1,
                                                      .mem_count = 1,
                                                      .shm_first = 2,
                                                      .shm_count = 2};
    cfg->nr_cpus = 3;
    cfg->cpus[0] = (struct hv_config_cpu){"cpu@1", 1, 0};
    cfg->cpus[1] = (struct hv_config_cpu){"cpu@2", 2, 1};
    cfg->cpus[2] = (struct hv_config_cpu){"cpu@3", 3, 1};
    cfg->nr_mem = 2;
    cfg->mem[0] =
        (struct hv_config_mem){gpa(PART_ENV_GUEST_RAM), hpa(PART_ENV_P1_HOST), PART_ENV_RAM_SIZE};
    cfg->mem[1] =
        (struct hv_config_mem){gpa(PART_ENV_GUEST_RAM), hpa(PART_ENV_P2_HOST), PART_ENV_RAM_SIZE};
    cfg->nr_devices = 1;
    strcpy(cfg->devices[0].path, "/pl011@9040000");
    cfg->devices[0].nr_regs = 1;
    cfg->devices[0].regs[0] = (struct hv_config_dev_reg){PART_ENV_UART1, 0x1000, false};
    cfg->devices[0].compatible = compat;
    cfg->devices[0].compatible_len = sizeof(compat);
    cfg->nr_shm = 4;
    cfg->shm[0] = shm("ring0", 0, SHM_ROLE_OWNER, SHM_ACCESS_RW, CACHE_POLICY_WB,
                      PART_ENV_GUEST_SHM, PART_ENV_SHM_HOST, 2 * PART_ENV_MIB, 0, 0, 2);
    cfg->shm[1] = shm("mbox", 0, SHM_ROLE_BORROWER, SHM_ACCESS_RW, CACHE_POLICY_NC,
                      PART_ENV_GUEST_SHM + 2 * PART_ENV_MIB, PART_ENV_SHM_HOST + 2 * PART_ENV_MIB,
                      2 * PART_ENV_MIB, 0, 3, 0);
    cfg->shm[2] =
        shm("ring0", 1, SHM_ROLE_BORROWER, SHM_ACCESS_RO, CACHE_POLICY_WB, PART_ENV_GUEST_SHM,
            PART_ENV_SHM_HOST + PART_ENV_MIB, PART_ENV_MIB, PART_ENV_MIB, 0, 0);
    cfg->shm[2].has_doorbell = true;
    cfg->shm[2].doorbell = gpa(PART_ENV_DOORBELL);
    cfg->shm[3] = shm("mbox", 1, SHM_ROLE_OWNER, SHM_ACCESS_RW, CACHE_POLICY_NC,
                      PART_ENV_GUEST_SHM + 2 * PART_ENV_MIB, PART_ENV_SHM_HOST + 2 * PART_ENV_MIB,
                      2 * PART_ENV_MIB, 0, 3, 2);
}

void part_env_setup(void)
{
    static bool done;

    if (done) {
        return;
    }
    part_env_p1 = aligned_alloc(4096, PART_ENV_RAM_SIZE);
    part_env_p2 = aligned_alloc(4096, PART_ENV_RAM_SIZE);
    part_env_shm = aligned_alloc(4096, 4 * PART_ENV_MIB);
    stage = aligned_alloc(4096, 4096);
    part_env_check(part_env_p1 != NULL && part_env_p2 != NULL && part_env_shm != NULL &&
                       stage != NULL,
                   "host memory");
    memset(part_env_p1, 0, PART_ENV_RAM_SIZE);
    memset(part_env_p2, 0, PART_ENV_RAM_SIZE);
    memset(part_env_shm, 0, 4 * PART_ENV_MIB);
    memset(stage, 0, 4096);
    memcpy(stage, image_bytes, sizeof(image_bytes));
    fake_mem_clear();
    fake_mem_add(PART_ENV_P1_HOST, PART_ENV_RAM_SIZE, part_env_p1);
    fake_mem_add(PART_ENV_P2_HOST, PART_ENV_RAM_SIZE, part_env_p2);
    fake_mem_add(PART_ENV_SHM_HOST, 4 * PART_ENV_MIB, part_env_shm);
    fake_mem_add(PART_ENV_STAGE_HOST, 4096, stage);
    layout();
    shm_reset_users();
    fake_vcpu.cpus_online = 4;
    fake_vdev_clear();
    memset(&fake_irq, 0, sizeof(fake_irq));
    fake_irq.guest_phandle = 0x8001;
    for (unsigned int i = 0; i < 2; i++) {
        part_env_check(partition_init(&partitions[i], &part_env_cfg, i, &t_mm) == 0,
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
    return in(v, PART_ENV_STAGE_HOST, 4096) ||
           in(v, (uint64_t)(uintptr_t)part_env_p1, PART_ENV_RAM_SIZE) ||
           in(v, (uint64_t)(uintptr_t)part_env_p2, PART_ENV_RAM_SIZE) ||
           in(v, (uint64_t)(uintptr_t)part_env_shm, 4 * PART_ENV_MIB) ||
           in(v, (uint64_t)(uintptr_t)stage, 4096);
}
