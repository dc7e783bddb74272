# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_AMD_IOMMU) += drivers/iommu/amd-vi/amdvi.o drivers/iommu/amd-vi/amdvi_hw.o \
    drivers/iommu/amd-vi/ivrs.o
# What the self-tests (tests/selftest/build.mk: amdvi.o, amdvi_abort.o) and host unit tests read
# of the driver (test builds only).
hv-$(and $(CONFIG_AMD_IOMMU),$(if $(CONFIG_IOMMU_SELFTEST)$(CONFIG_IOMMU_PARTITION_TEST),y)) += \
    drivers/iommu/amd-vi/amdvi_test.o
