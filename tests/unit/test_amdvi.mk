# SPDX-License-Identifier: Apache-2.0
unit-amdvi := drivers/iommu/amd-vi/amdvi.c drivers/iommu/amd-vi/amdvi_test.c drivers/iommu/amd-vi/amdvi_hw.c \
    drivers/iommu/amd-vi/ivrs.c drivers/iommu/iommu.c core/mm/pgtable.c core/mm/pgtable_amdvi.c \
    core/mm/page_alloc.c core/lockorder.c core/panic.c lib/printf.c lib/string.c lib/errno.c \
    tests/unit/fake/fake_console.c tests/unit/iommu_model.c
