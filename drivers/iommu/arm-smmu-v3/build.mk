# SPDX-License-Identifier: Apache-2.0
hv-$(CONFIG_ARM_SMMU_V3) += drivers/iommu/arm-smmu-v3/smmuv3.o drivers/iommu/arm-smmu-v3/smmuv3_hw.o
