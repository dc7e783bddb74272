# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_PARTITIONS) += core/vdev/vdev.o core/vdev/vmmio.o
