/* SPDX-License-Identifier: Apache-2.0 */
/* Arch contract: what the partition configuration (core/config.c) asks the architecture. */
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
