// SPDX-License-Identifier: Apache-2.0
/*
 * What the AMD-Vi self-tests (tests/selftest/iommu/amdvi*.c) and the host unit tests read of
 * the driver's state: built with CONFIG_IOMMU_SELFTEST or CONFIG_IOMMU_PARTITION_TEST only,
 * never into a product build.
 */
#include "amdvi.h"

struct amdvi_unit *amdvi_unit(unsigned int idx)
{
    return idx < amdvi_nunits ? &amdvi_units[idx] : NULL;
}
