/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where an arm64 partition sees its virtual PCI host (include/arch/vpci.h): at the QEMU virt
 * board's own low ECAM address (bus 0 of it), with the emulated-BAR window at the top of the
 * board's 32-bit PCI memory window, below its I/O window at 0x3eff0000. Passed-through
 * devices keep their addresses 1:1, and firmware assigns physical BARs from the bottom of
 * that window, so these stay clear of both. Claimed in every partition's configuration
 * (arch_config_vdev_range()).
 */
#pragma once

#define VPCI_GUEST_ECAM 0x3f000000u
#define VPCI_GUEST_MEM 0x3e000000u
#define VPCI_GUEST_MEM_SIZE 0x00800000u
