// SPDX-License-Identifier: Apache-2.0
/*
 * PCI passthrough not built (CONFIG_PCI_PASSTHROUGH=n): partitions get no PCI function
 * beyond its IOMMU domain (include/hv/pci_pt.h, the defaults of core/partition/pci.c). Only
 * what code outside core/partition/pci.c calls has a default here.
 */
#include <hv/errno.h>
#include <hv/pci_pt.h>

unsigned int partition_pci_count(const struct partition *p)
{
    (void)p;
    return 0;
}

bool partition_pci_bar(const struct partition *p, unsigned int i, unsigned int bar, uint64_t *guest,
                       uint64_t *host, uint64_t *size)
{
    (void)p;
    (void)i;
    (void)bar;
    (void)guest;
    (void)host;
    (void)size;
    return false;
}

int partition_pci_map(struct partition *p, unsigned int i)
{
    (void)p;
    (void)i;
    return 0;
}

void partition_pci_unmap(struct partition *p, unsigned int i)
{
    (void)p;
    (void)i;
}

int partition_pci_route_irqs(struct partition *p)
{
    (void)p;
    return 0;
}

void partition_pci_reset(struct partition *p)
{
    (void)p;
}
