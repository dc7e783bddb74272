# SPDX-License-Identifier: Apache-2.0
# The generic IOMMU layer; hardware drivers live in subdirectories with their own build.mk.
hv-y += drivers/iommu/iommu.o
-include $(wildcard $(srctree)/drivers/iommu/*/build.mk)
