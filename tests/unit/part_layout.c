// SPDX-License-Identifier: Apache-2.0
/*
 * The two-partition test layout (part_layout.h), shared by tests/unit/test_partition.c and
 * the partition fuzz targets.
 */
#include <stdlib.h>
#include <string.h>

#include <arch/irq.h>
#include <arch/vcpu.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/sha256.h>

#include "fake_irq.h"
#include "fake_vcpu.h"
#include "fake_vdev.h"
#include "part_layout.h"

uint8_t *part_p1, *part_p2, *part_shm, *part_stage;
const uint8_t part_image[64] = "test image";
unsigned int part_allocs, part_fail_at;

static int t_alloc(struct pgtable *pt, hpa_t *pa)
{
    void *p;

    (void)pt;
    if (part_fail_at != 0 && ++part_allocs == part_fail_at) {
        return -ENOMEM;
    }
    p = aligned_alloc(4096, 4096);
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

static int t_flush(struct pgtable *pt, uint64_t in, uint64_t size)
{
    (void)in;
    (void)size;
    arch_stage2_flush(container_of(pt, struct partition, stage2));
    return 0;
}

const struct pt_mm_ops part_mm = {
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

void part_layout(struct hv_config *cfg)
{
    static const char compat[] = "arm,pl011\0arm,primecell";
    struct hv_config_staged st = {hpa(PART_STAGE_HOST), sizeof(part_image), {0}};

    sha256(part_image, sizeof(part_image), st.sha256);
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
    cfg->mem[0] = (struct hv_config_mem){gpa(PART_GUEST_RAM), hpa(PART_P1_HOST), PART_RAM_SIZE};
    cfg->mem[1] = (struct hv_config_mem){gpa(PART_GUEST_RAM), hpa(PART_P2_HOST), PART_RAM_SIZE};
    cfg->nr_devices = 1;
    strcpy(cfg->devices[0].path, "/pl011@9040000");
    cfg->devices[0].nr_regs = 1;
    cfg->devices[0].regs[0] = (struct hv_config_dev_reg){PART_UART1, 0x1000, false};
    cfg->devices[0].compatible = compat;
    cfg->devices[0].compatible_len = sizeof(compat);
    cfg->nr_shm = 4;
    cfg->shm[0] = shm("ring0", 0, SHM_ROLE_OWNER, SHM_ACCESS_RW, CACHE_POLICY_WB, PART_GUEST_SHM,
                      PART_SHM_HOST, 2 * PART_MIB, 0, 0, 2);
    cfg->shm[1] =
        shm("mbox", 0, SHM_ROLE_BORROWER, SHM_ACCESS_RW, CACHE_POLICY_NC,
            PART_GUEST_SHM + 2 * PART_MIB, PART_SHM_HOST + 2 * PART_MIB, 2 * PART_MIB, 0, 3, 0);
    cfg->shm[2] = shm("ring0", 1, SHM_ROLE_BORROWER, SHM_ACCESS_RO, CACHE_POLICY_WB, PART_GUEST_SHM,
                      PART_SHM_HOST + PART_MIB, PART_MIB, PART_MIB, 0, 0);
    cfg->shm[3] =
        shm("mbox", 1, SHM_ROLE_OWNER, SHM_ACCESS_RW, CACHE_POLICY_NC,
            PART_GUEST_SHM + 2 * PART_MIB, PART_SHM_HOST + 2 * PART_MIB, 2 * PART_MIB, 0, 3, 2);
}

void part_layout_reset(struct hv_config *cfg)
{
    if (part_p1 == NULL) {
        part_p1 = aligned_alloc(4096, PART_RAM_SIZE);
        part_p2 = aligned_alloc(4096, PART_RAM_SIZE);
        part_shm = aligned_alloc(4096, 4 * PART_MIB);
        part_stage = aligned_alloc(4096, 4096);
        if (part_p1 == NULL || part_p2 == NULL || part_shm == NULL || part_stage == NULL) {
            abort();
        }
    }
    memset(part_stage, 0, 4096);
    memcpy(part_stage, part_image, sizeof(part_image));
    memset(part_p1, 0, PART_RAM_SIZE);
    memset(part_p2, 0, PART_RAM_SIZE);
    memset(part_shm, 0, 4 * PART_MIB);
    fake_mem_clear();
    fake_mem_add(PART_P1_HOST, PART_RAM_SIZE, part_p1);
    fake_mem_add(PART_P2_HOST, PART_RAM_SIZE, part_p2);
    fake_mem_add(PART_SHM_HOST, 4 * PART_MIB, part_shm);
    fake_mem_add(PART_STAGE_HOST, 4096, part_stage);
    part_layout(cfg);
    fake_vcpu.cpus_online = 4;
    fake_vdev_clear();
    memset(&fake_irq, 0, sizeof(fake_irq));
    part_allocs = 0;
    part_fail_at = 0;
}
