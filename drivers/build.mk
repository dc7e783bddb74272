# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_SERIAL_PL011) += drivers/serial/pl011.o
hv-$(CONFIG_SERIAL_NS16550) += drivers/serial/ns16550.o
hv-$(CONFIG_SERIAL_CADENCE) += drivers/serial/cadence.o
hv-$(CONFIG_SERIAL_IMX) += drivers/serial/imx.o
include $(srctree)/drivers/iommu/build.mk
include $(srctree)/drivers/pci/build.mk
