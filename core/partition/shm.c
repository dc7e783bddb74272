// SPDX-License-Identifier: Apache-2.0
/*
 * Shared-memory regions at run time (BRIEF §4). The configuration already resolved every
 * shared-mem node to its owner and host range; this file maps a partition's nodes into its
 * stage-2 table. A region's users (the partitions that currently map it) are not kept apart:
 * a partition maps all of its entries or none (partition_map()), so they are the partitions
 * mapped now with an entry of the region. p->mapped becomes true only at the end of
 * partition_map() and false at the start of partition_unmap(), so every user holds all its
 * windows, but a partition part-way through either may hold some without being a user.
 *
 * Attributes: the owner maps its whole region read-write (its "access" is the most a
 * borrower may get, not a limit on itself), a borrower its window with its own access; both
 * use the owner's cache policy (mismatched memory types on one physical page lose coherency,
 * Arm ARM B2.8) and never execute from it.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>

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

    shm_attrs(s, &attrs);
    return partition_map_mem(p, s->guest, s->host, s->size, &attrs, "shared memory", s->id);
}

void shm_unmap(struct partition *p, unsigned int i)
{
    const struct hv_config_shm *s = &p->layout->shm[p->config->shm_first + i];

    partition_unmap_mem(p, s->guest, s->size);
}

bool shm_is_user(unsigned int owner, unsigned int partition)
{
    const struct partition *q = partition < nr_partitions ? &partitions[partition] : NULL;

    /* A snapshot: mapped changes under q->lock, not taken; acquire pairs with its stores. */
    if (q == NULL || !__atomic_load_n(&q->mapped, __ATOMIC_ACQUIRE)) {
        return false;
    }
    for (unsigned int k = 0; k < q->config->shm_count; k++) {
        if (q->layout->shm[q->config->shm_first + k].owner == owner) {
            return true;
        }
    }
    return false;
}

unsigned int shm_users(unsigned int owner)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < nr_partitions; i++) {
        n += shm_is_user(owner, i);
    }
    return n;
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
