/* SPDX-License-Identifier: Apache-2.0 */
/* Arch contract: how the hypervisor reaches its own RAM. */
#pragma once

#include <hv/types.h>

/*
 * The hypervisor's pointer to its own RAM at host physical address pa (inside the board's
 * hypervisor-memory reservation). Optional: the default (core/memory.c) is the identity, which
 * is how both arm64 and x86 map their RAM; an arch with another layout overrides it.
 */
void *arch_hv_virt(hpa_t pa);
