# SPDX-License-Identifier: Apache-2.0
unit-smmuv3_hw := drivers/iommu/arm-smmu-v3/smmuv3_hw.c lib/printf.c lib/string.c
