# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_SERIAL_PL011) += drivers/serial/pl011.o
hv-$(CONFIG_SERIAL_NS16550) += drivers/serial/ns16550.o
include $(srctree)/drivers/iommu/build.mk
hv-y += drivers/acpi/absent.o
include $(srctree)/drivers/pci/build.mk
