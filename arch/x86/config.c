// SPDX-License-Identifier: Apache-2.0
/* x86 answers to the partition configuration (include/arch/config.h). */
#include <arch/config.h>

/*
 * NPT leaf entries carry PAT/PCD/PWT like ordinary page tables (AMD APM vol. 2, 15.25.8
 * "Combining Guest and Host PAT"), which select write-back, write-through and uncacheable
 * memory, so every policy of binding v1 works.
 */
bool arch_cache_policy_supported(enum cache_policy policy)
{
    return policy == CACHE_POLICY_WB || policy == CACHE_POLICY_WT || policy == CACHE_POLICY_NC;
}

/* No virtual device claims guest addresses on x86 yet. */
bool arch_config_vdev_range(unsigned int k, uint64_t *base, uint64_t *size, const char **what)
{
    (void)k;
    (void)base;
    (void)size;
    (void)what;
    return false;
}
