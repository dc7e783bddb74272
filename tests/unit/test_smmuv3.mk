# SPDX-License-Identifier: Apache-2.0
unit-smmuv3 := drivers/iommu/arm-smmu-v3/smmuv3.c drivers/iommu/arm-smmu-v3/smmuv3_hw.c \
    drivers/iommu/arm-smmu-v3/smmuv3_test.c \
    drivers/iommu/iommu.c core/mm/pgtable.c core/mm/pgtable_arm_s2.c core/mm/pgtable_arm_s1.c core/mm/page_alloc.c \
    core/lockorder.c core/panic.c lib/fdt.c lib/fdt_write.c lib/printf.c lib/string.c \
    lib/errno.c tests/unit/fake/fake_console.c tests/unit/iommu_model.c
