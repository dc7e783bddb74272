/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where an arm64 partition sees its virtual PCI host (include/arch/vpci.h): at the QEMU virt
 * board's own low ECAM address (bus 0 of it), with the emulated-BAR window at the top of the
 * board's 32-bit PCI memory window, below its I/O window at 0x3eff0000, and passed-through
 * PCI functions' BARs in the rest of that window below it (guest addresses the hypervisor
 * chooses; where the host placed the BARs never shows). Platform devices passed through 1:1
 * sit below 0x10000000 on this board. All claimed in every partition's configuration
 * (arch_config_vdev_range()).
 */
#pragma once

#define VPCI_GUEST_ECAM 0x3f000000u
#define VPCI_GUEST_MEM 0x3e000000u
#define VPCI_GUEST_MEM_SIZE 0x00800000u
/* Passed-through functions' BARs (include/hv/pci_pt.h): 256 MiB at guest addresses of the
 * hypervisor's choosing (independent of where the host placed the BARs), claimed in every
 * partition, between the low guest addresses Xen's static-shm examples use (0x10000000)
 * and 0x30000000, so that boards whose peripherals sit in the upper
 * half of the first GiB (the i.MX 8M Plus AIPS buses at 0x30000000) can still pass those
 * through 1:1. */
#define VPCI_GUEST_MAPPED 0x20000000u
#define VPCI_GUEST_MAPPED_SIZE 0x10000000u
