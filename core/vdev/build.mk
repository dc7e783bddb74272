# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_PARTITIONS) += core/vdev/vdev.o core/vdev/vmmio.o
hv-$(CONFIG_PARTITIONS) += core/vdev/console_input.o
hv-$(CONFIG_PARTITIONS) += core/vdev/doorbell.o
