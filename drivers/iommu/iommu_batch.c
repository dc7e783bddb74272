// SPDX-License-Identifier: Apache-2.0
/*
 * Notify-then-map of a batch of ranges (include/hv/iommu.h): one iommu_notify_dfn() with the
 * highest DFN of the batch (BRIEF §5), then iommu_map_pages() per range, all or nothing.
 * Only the IOMMU self-tests (CONFIG_IOMMU_SELFTEST), the host unit tests and the bench call
 * it: the partition DMA path (core/partition/dma.c) notifies and maps through the two calls
 * itself. Built on the public calls alone, so it holds no lock of its own across them.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/iommu.h>

int iommu_map_batch(struct iommu_domain *dom, const struct iommu_map_req *reqs, size_t n)
{
    uint64_t top = 0;
    size_t i;
    int err;

    if (n == 0) {
        return -EINVAL;
    }
    /* Validate everything before touching the domain, so a malformed batch changes nothing. */
    for (i = 0; i < n; i++) {
        uint64_t first = dfn_val(reqs[i].dfn), count = reqs[i].count;

        if (count == 0 || count - 1 > UINT64_MAX - first) {
            return -EINVAL;
        }
        top = MAX(top, first + (count - 1));
    }
    err = iommu_notify_dfn(dom, dfn(top));
    if (err != 0) {
        hv_printf("iommu %s: domain %u: batch of %zu ranges not mapped\n", dom->iommu->name,
                  dom->id, n);
        return err;
    }
    for (i = 0; i < n; i++) {
        err = iommu_map_pages(dom, reqs[i].dfn, reqs[i].hpa, reqs[i].count, reqs[i].flags);
        if (err != 0) {
            break;
        }
    }
    if (err == 0) {
        return 0;
    }
    /* iommu_map_pages() undid its own part; undo the requests before it (the unmap flushes
     * the IOTLB: the device may have used the new entries already). */
    for (size_t j = 0; j < i; j++) {
        if (iommu_unmap_pages(dom, reqs[j].dfn, reqs[j].count) != 0) {
            hv_printf("iommu %s: domain %u: rollback of DFN %#llx failed\n", dom->iommu->name,
                      dom->id, (unsigned long long)dfn_val(reqs[j].dfn));
        }
    }
    spin_lock(&dom->map_lock);
    dom->stats.rollbacks++;
    spin_unlock(&dom->map_lock);
    hv_printf("iommu %s: domain %u: batch mapping failed at DFN %#llx: %s; %zu earlier "
              "ranges unmapped again\n",
              dom->iommu->name, dom->id, (unsigned long long)dfn_val(reqs[i].dfn), errno_name(err),
              i);
    return err;
}

int iommu_map_range(struct iommu_domain *dom, dfn_t first, hpa_t hpa, size_t count,
                    unsigned int flags)
{
    const struct iommu_map_req req = {first, hpa, count, flags};

    return iommu_map_batch(dom, &req, 1);
}
