// SPDX-License-Identifier: Apache-2.0
/*
 * iommu_unassign_device() (include/hv/iommu.h): one device taken out of its domain. Only the
 * IOMMU self-tests (CONFIG_IOMMU_SELFTEST) and the host unit tests do that; partitions give
 * their devices up with the whole domain (iommu_domain_destroy()).
 */
#include <hv/console.h>
#include <hv/errno.h>

#include "iommu_core.h"

int iommu_unassign_device(struct iommu_device *dev)
{
    struct iommu_domain *dom;
    int err = 0;

    spin_lock(&iommu_assign_lock);
    dom = dev->domain;
    if (dom != NULL) {
        err = dev->iommu->ops->assign_device(NULL, dev);
        /* A device that could not be blocked still reaches the domain: keep it listed, so
         * that growth keeps its entry up to date. */
        if (err == 0) {
            struct iommu_device **pp = &dom->devices;

            while (*pp != dev) {
                pp = &(*pp)->next;
            }
            *pp = dev->next;
            dev->next = NULL;
            dev->domain = NULL;
            iommu_remember_former(dev, dom);
        }
    }
    spin_unlock(&iommu_assign_lock);
    if (err != 0) {
        hv_printf("iommu %s: blocking device %#x failed: %s\n", dev->iommu->name, dev->sid,
                  errno_name(err));
    }
    return err;
}
