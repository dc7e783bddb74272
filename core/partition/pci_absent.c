// SPDX-License-Identifier: Apache-2.0
/*
 * PCI passthrough not built (CONFIG_PCI_PASSTHROUGH=n): partitions get no PCI function
 * beyond its IOMMU domain (include/hv/pci_pt.h, the defaults of core/partition/pci.c).
 */
#include <hv/errno.h>
#include <hv/pci_pt.h>

unsigned int partition_pci_count(const struct partition *p)
{
    (void)p;
    return 0;
}

struct pci_pt_fn *partition_pci_fn(const struct partition *p, unsigned int i)
{
    (void)p;
    (void)i;
    return NULL;
}

int partition_pci_setup(struct partition *p, uint64_t base, uint64_t size)
{
    (void)p;
    (void)base;
    (void)size;
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

uint32_t partition_pci_intx(const struct partition *p, unsigned int i)
{
    (void)p;
    (void)i;
    return 0;
}

void partition_pci_reset(struct partition *p)
{
    (void)p;
}
