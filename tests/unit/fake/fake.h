/* SPDX-License-Identifier: Apache-2.0 */
/* Knobs of the fake arch that tests may set. */
#pragma once

#include <stdint.h>

extern unsigned int fake_cpu_id;
extern uint64_t fake_time_us;
/* Called by every arch_cpu_relax(), i.e. each turn of a driver's polling loop: a fake device
 * model (tests/unit/test_smmuv3.c) acts there, as hardware would meanwhile. NULL: none. */
extern void (*fake_relax_hook)(void);
/* Bit per enum cache_policy that arch_cache_policy_supported() accepts (default: all). */
extern unsigned int fake_cache_policies;
/* Guest page every partition's virtual devices claim (arch_config_vdev_range(); 0: none). */
extern uint64_t fake_vdev_base;
/* ECAM base arch_vpci_layout() answers (0: -ENODEV, an arch without a virtual PCI host). */
extern uint64_t fake_vpci_ecam;
/* arch_config_addr_bits(): guest (stage-2 input) and host physical address sizes. */
extern unsigned int fake_guest_bits, fake_host_bits;
/* Calls of arch_dcache_clean() so far. */
extern unsigned int fake_dcache_cleans;
