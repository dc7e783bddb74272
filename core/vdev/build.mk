# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_PARTITIONS) += core/vdev/vmmio.o core/vdev/vuart.o core/vdev/vdev.o
