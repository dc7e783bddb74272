# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_AMD_IOMMU) += drivers/iommu/amd-vi/amdvi.o drivers/iommu/amd-vi/amdvi_hw.o \
    drivers/iommu/amd-vi/ivrs.o
