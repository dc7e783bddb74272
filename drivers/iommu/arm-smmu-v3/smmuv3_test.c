// SPDX-License-Identifier: Apache-2.0
/*
 * What the SMMUv3 self-test (tests/selftest/iommu/smmuv3.c) and the host unit tests read of
 * the driver's state: built with CONFIG_IOMMU_SELFTEST only, never into a product build.
 */
#include <hv/errno.h>

#include "smmuv3.h"

struct smmuv3_unit *smmuv3_unit(unsigned int idx)
{
    return idx < smmuv3_nunits ? &smmuv3_units[idx] : NULL;
}

int smmuv3_read_ste(struct smmuv3_unit *u, uint32_t sid, struct smmuv3_ste *ste)
{
    const struct smmuv3_ste *e;
    int err = -ENOENT;

    spin_lock(&u->hw_lock);
    e = smmuv3_ste_slot(u, sid);
    if (e != NULL) {
        *ste = *e;
        err = 0;
    }
    spin_unlock(&u->hw_lock);
    return err;
}
