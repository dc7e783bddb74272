// SPDX-License-Identifier: Apache-2.0
/*
 * PCI passthrough not built (CONFIG_PCI_PASSTHROUGH=n): partitions get no PCI function
 * beyond its IOMMU domain (include/hv/pci_pt.h, the defaults of core/partition/pci.c). Only
 * what code outside core/partition/pci.c calls has a default here.
 */
#include <hv/errno.h>
#include <hv/pci_pt.h>

bool partition_pci_bar(const struct partition *p __unused, unsigned int i __unused,
                       unsigned int bar __unused, uint64_t *guest __unused, uint64_t *host __unused,
                       uint64_t *size __unused)
{
    return false;
}

int partition_pci_map(struct partition *p __unused, unsigned int i __unused)
{
    return 0;
}

void partition_pci_unmap(struct partition *p __unused, unsigned int i __unused)
{
}

int partition_pci_route_irqs(struct partition *p __unused)
{
    return 0;
}

void partition_pci_reset(struct partition *p __unused)
{
}
