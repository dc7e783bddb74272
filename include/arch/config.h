/* SPDX-License-Identifier: Apache-2.0 */
/* Arch contract: what the partition configuration (core/config/) asks the architecture. */
#pragma once

#include <hv/config.h>

/*
 * Whether shared memory with this cache policy can be given to partitions: the arch must be
 * able to express the memory type in its stage-2 / nested page tables and make the owner and
 * every borrower use the same one (Arm ARM B2.8: mismatched attributes on one physical page
 * lose coherency). Called by hv_config_parse() for each owner region, any context. The host
 * tool implements it for the target arch it validates for.
 */
bool arch_cache_policy_supported(enum cache_policy policy);

/*
 * The k-th guest-physical range that the arch's virtual devices claim in every partition
 * (arm64: the vUART page, asm/vpl011.h; x86: none), so that the configuration refuses a
 * layout mapping anything there rather than the partition failing at setup: true with *base,
 * *size and *what (how the error message names it), false once k is past the last. Called by
 * hv_config_parse() for each partition, any context. The host tool implements it for the
 * target arch it validates for.
 */
bool arch_config_vdev_range(unsigned int k, uint64_t *base, uint64_t *size, const char **what);
