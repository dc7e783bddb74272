# SPDX-License-Identifier: Apache-2.0
# PCI passthrough's physical half and configuration-space filter (drivers/pci/pci_pt.c)
# against a fake configuration space (the test defines pci_read*/pci_write*).
unit-pci_pt := drivers/pci/pci_pt.c core/vdev/vpci_cfg.c lib/string.c
