/* SPDX-License-Identifier: Apache-2.0 */
/* Arch contract: how the hypervisor reaches host memory (its own RAM, partition RAM, shm). */
#pragma once

#include <hv/types.h>

/*
 * The hypervisor's pointer to size bytes of host memory at pa (its page pool, partition RAM,
 * shm), or NULL when they are not all mapped. Both arm64 and x86 identity-map RAM, so this is
 * a bounds check. Any context.
 */
void *arch_phys_to_virt(hpa_t pa, size_t size);

/* Host physical address of a hypervisor pointer (into its image or its page pool). */
hpa_t arch_virt_to_phys(const void *va);
