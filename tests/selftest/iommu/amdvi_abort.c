// SPDX-License-Identifier: Apache-2.0
/*
 * QEMU's AMD-Vi fault sign for the IOMMU tests (edu.h, selftest_iommu_abort()). The model
 * never writes its event log (BRIEF §7); the only sign of a blocked DMA is the IOMMU
 * function's own PCI status "signaled target abort" bit, which it sets only when the DTE or a
 * PDE forbids the access (a zero entry or a leaf PTE's permissions are denied silently).
 * Test-only code.
 */
#include <hv/errno.h>
#include <hv/pci.h>

#include "edu.h"

#include "amdvi.h"

int selftest_iommu_abort(struct iommu *iommu, bool clear)
{
    for (unsigned int i = 0; amdvi_unit(i) != NULL; i++) {
        struct amdvi_unit *u = amdvi_unit(i);
        bool set;

        if (&u->iommu != iommu) {
            continue;
        }
        set = (pci_read16(u->devid, PCI_STATUS) & PCI_STATUS_SIG_TARGET_ABORT) != 0;
        if (clear) {
            /* Status error bits are write-1-to-clear (PCI 3.0, 6.2.3). */
            pci_write16(u->devid, PCI_STATUS, PCI_STATUS_SIG_TARGET_ABORT);
        }
        return set ? 1 : 0;
    }
    return -ENODEV;
}
