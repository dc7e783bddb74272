// SPDX-License-Identifier: Apache-2.0
/* Arm64 answers to the partition configuration (include/arch/config.h). */
#include <arch/config.h>
#include <asm/vpl011.h>

/*
 * Stage-2 MemAttr (Arm ARM D8.5.5, stage 2 memory type encoding) expresses Normal
 * write-back, write-through and non-cacheable memory, so every policy of binding v1 works.
 */
bool arch_cache_policy_supported(enum cache_policy policy)
{
    return policy == CACHE_POLICY_WB || policy == CACHE_POLICY_WT || policy == CACHE_POLICY_NC;
}

/* Every partition gets the vUART page (arch/arm64/vpl011.c). */
bool arch_config_vdev_range(unsigned int k, uint64_t *base, uint64_t *size, const char **what)
{
    if (k != 0) {
        return false;
    }
    *base = VPL011_GUEST_BASE;
    *size = VPL011_SIZE;
    *what = "the virtual console UART page";
    return true;
}
