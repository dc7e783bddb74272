# SPDX-License-Identifier: Apache-2.0
# The generic IOMMU layer; hardware drivers live in subdirectories with their own build.mk.
hv-y += drivers/iommu/iommu.o
# Batched notify-then-map: only the IOMMU self-tests call it (the partitions map through dma.c).
hv-$(CONFIG_IOMMU_SELFTEST) += drivers/iommu/iommu_batch.o
# Unassigning one device: only the self-tests do (partitions destroy the whole domain).
hv-$(CONFIG_IOMMU_SELFTEST) += drivers/iommu/iommu_unassign.o
-include $(wildcard $(srctree)/drivers/iommu/*/build.mk)
