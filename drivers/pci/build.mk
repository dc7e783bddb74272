# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_PCI) += drivers/pci/pci.o
hv-$(CONFIG_PCI) += drivers/pci/pci_dt.o
hv-$(and $(CONFIG_PCI),$(CONFIG_HAS_ACPI)) += drivers/pci/pci_acpi.o
hv-$(CONFIG_PCI_PASSTHROUGH) += drivers/pci/pci_pt.o
