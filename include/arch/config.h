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

/*
 * The k-th I/O-port range the hypervisor keeps for itself whatever the board DT describes
 * (x86: the 8259s, the PIT, port B, PCI configuration mechanism #1, asm/hv_ports.h; arm64:
 * none, it has no I/O ports), so that no partition's device is given one: true with *base,
 * *size and *what (how the error message names it), false once k is past the last. Called
 * by hv_config_parse() for each I/O-port range of a device, any context. The host tool
 * implements it for the target arch it validates for.
 */
bool arch_config_hv_ports(unsigned int k, uint64_t *base, uint64_t *size, const char **what);

/*
 * Decode one interrupt specifier spec[0..cells) of the root interrupt controller (its
 * #interrupt-cells, from the board DT): true with *irq, the controller's number for it, when
 * it names a line that a device could share with another partition (arm64 GIC: an SPI;
 * x86: an I/O APIC input); false for a per-CPU interrupt (a GIC PPI or SGI) or a specifier
 * the arch does not know. Called by hv_config_parse() to keep each line in one partition,
 * any context. The host tool implements it for the target arch it validates for.
 */
bool arch_config_shared_irq(const uint32_t *spec, unsigned int cells, uint32_t *irq);

/*
 * The address sizes a configuration must fit: *guest_bits, the guest-physical size the
 * hypervisor's stage-2 / nested tables translate (arm64: 39 bits; x86: 48-bit NPT), and
 * *host_bits, the physical address size of this machine (arm64: ID_AA64MMFR0_EL1.PARange,
 * capped at the stage-2 output size; x86: CPUID 0x80000008 EAX[7:0]). Every guest range must
 * end at or below 2^guest_bits and every host range at or below 2^host_bits. Called by
 * hv_config_parse() once per parse, any context. The host tool answers for the target arch
 * with the board's physical address size from Kconfig (CONFIG_BOARD_PA_BITS, --pa-bits).
 */
void arch_config_addr_bits(unsigned int *guest_bits, unsigned int *host_bits);
