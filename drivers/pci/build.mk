# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_PCI) += drivers/pci/pci.o
hv-$(CONFIG_PCI) += drivers/pci/pci_dt.o
hv-$(CONFIG_PCI_PASSTHROUGH) += drivers/pci/pci_pt.o
