# SPDX-License-Identifier: Apache-2.0
unit-iommu := drivers/iommu/iommu.c drivers/iommu/iommu_batch.c drivers/iommu/iommu_unassign.c core/lockorder.c core/mm/pgtable.c \
    core/mm/pgtable_amdvi.c core/panic.c lib/printf.c \
    lib/errno.c tests/unit/fake_iommu.c tests/unit/fake/fake_console.c
