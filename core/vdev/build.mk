# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_PARTITIONS) += core/vdev/vdev.o core/vdev/vmmio.o
# The virtual PCI host and its header emulation (include/hv/vpci.h, docs/pci.md).
hv-$(CONFIG_VPCI) += core/vdev/vpci.o core/vdev/vpci_cfg.o
