# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_ARM_SMMU_V3) += drivers/iommu/arm-smmu-v3/smmuv3.o drivers/iommu/arm-smmu-v3/smmuv3_hw.o
# What the self-test and host unit tests read of the driver (test builds only).
hv-$(and $(CONFIG_ARM_SMMU_V3),$(CONFIG_IOMMU_SELFTEST)) += drivers/iommu/arm-smmu-v3/smmuv3_test.o
