/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the generic IOMMU layer (iommu.c) shares with its test-build-only parts
 * (iommu_unassign.c). Nothing else includes this.
 */
#pragma once

#include <hv/iommu.h>
#include <hv/spinlock.h>

/* The device-assignment lock (iommu.c: why it is global). */
extern spinlock_t iommu_assign_lock;

/* Remember that dev left dom, for the fault reports still in flight. Assignment lock held. */
void iommu_remember_former(const struct iommu_device *dev, struct iommu_domain *dom);
