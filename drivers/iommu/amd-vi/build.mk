# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_AMD_IOMMU) += drivers/iommu/amd-vi/amdvi.o drivers/iommu/amd-vi/amdvi_hw.o \
    drivers/iommu/amd-vi/ivrs.o
# What the self-test and host unit tests read of the driver (test builds only).
hv-$(and $(CONFIG_AMD_IOMMU),$(CONFIG_IOMMU_SELFTEST)) += drivers/iommu/amd-vi/amdvi_test.o
