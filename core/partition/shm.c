// SPDX-License-Identifier: Apache-2.0
/*
 * Shared-memory regions at run time (BRIEF §4). The configuration already resolved every
 * shared-mem node to its owner and host range; this file maps a partition's nodes into its
 * stage-2 table and keeps, per region (indexed by the owner's configuration entry), the set
 * of partitions that currently map it and their count. A partition that stops loses its
 * windows and leaves the set; a reset partition joins again: the counts always equal what
 * the stage-2 tables hold.
 *
 * Attributes: the owner maps its whole region read-write (its "access" is the most a
 * borrower may get, not a limit on itself), a borrower its window with its own access; both
 * use the owner's cache policy (mismatched memory types on one physical page lose coherency,
 * Arm ARM B2.8) and never execute from it.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>

/* Per owner entry of hv_config.shm: which partitions (bit = partition index) map it. One
 * word per region, changed and read with atomics: no lock. */
static uint64_t shm_user_mask[HV_CONFIG_MAX_SHM];

void shm_attrs(const struct hv_config_shm *s, struct pt_attrs *attrs)
{
    /* Indexed by the policy, one of these three (core/config/parse.c parses the names). */
    static const enum pt_memtype memtype[] = {[CACHE_POLICY_WB] = PT_MEM_NORMAL_WB,
                                              [CACHE_POLICY_WT] = PT_MEM_NORMAL_WT,
                                              [CACHE_POLICY_NC] = PT_MEM_NORMAL_NC};

    *attrs = (struct pt_attrs){.r = true,
                               .w = s->role == SHM_ROLE_OWNER || s->access == SHM_ACCESS_RW,
                               .type = memtype[s->cache_policy]}; /* never executable */
}

int shm_map(struct partition *p, unsigned int i)
{
    const struct hv_config_shm *s = &p->layout->shm[p->config->shm_first + i];
    struct pt_attrs attrs;
    int err;

    shm_attrs(s, &attrs);
    err = partition_map_mem(p, s->guest, s->host, s->size, &attrs, "shared memory", s->id);
    if (err == 0) {
        __atomic_fetch_or(&shm_user_mask[s->owner], UINT64_C(1) << p->index, __ATOMIC_RELAXED);
    }
    return err;
}

void shm_unmap(struct partition *p, unsigned int i)
{
    const struct hv_config_shm *s = &p->layout->shm[p->config->shm_first + i];

    partition_unmap_mem(p, s->guest, s->size);
    __atomic_fetch_and(&shm_user_mask[s->owner], ~(UINT64_C(1) << p->index), __ATOMIC_RELAXED);
}

/* The user set of owner entry owner (none for an index out of range). */
static uint64_t users_of(unsigned int owner)
{
    return owner < HV_CONFIG_MAX_SHM ? __atomic_load_n(&shm_user_mask[owner], __ATOMIC_RELAXED) : 0;
}

unsigned int shm_users(unsigned int owner)
{
    return (unsigned int)__builtin_popcountll(users_of(owner));
}

bool shm_is_user(unsigned int owner, unsigned int partition)
{
    return partition < 64 && ((users_of(owner) >> partition) & 1);
}

void shm_reset_users(void)
{
    for (unsigned int i = 0; i < HV_CONFIG_MAX_SHM; i++) {
        __atomic_store_n(&shm_user_mask[i], 0, __ATOMIC_RELAXED);
    }
}

void shm_print_table(const struct hv_config *cfg)
{
    hv_printf("shm: %-12s %-12s %-6s %s\n", "id", "owner", "users", "borrowers (access, mapped)");
    for (unsigned int i = 0; i < cfg->nr_shm; i++) {
        const struct hv_config_shm *s = &cfg->shm[i];

        if (!shm_is_region_head(s, i)) {
            continue;
        }
        /* A Xen region no partition owns is the hypervisor's; its first borrower heads it. */
        hv_printf("shm: %-12s %-12s %-6u", s->id,
                  s->hv_owned ? "hypervisor" : cfg->partitions[s->partition].label, shm_users(i));
        for (unsigned int j = 0; j < cfg->nr_shm; j++) {
            const struct hv_config_shm *b = &cfg->shm[j];

            if (b->role == SHM_ROLE_BORROWER && b->owner == i) {
                hv_printf(" %s (%s, %s)", cfg->partitions[b->partition].label,
                          shm_access_name(b->access), shm_is_user(i, b->partition) ? "yes" : "no");
            }
        }
        hv_printf("\n");
    }
}
