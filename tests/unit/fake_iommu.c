// SPDX-License-Identifier: Apache-2.0
/*
 * The fake IOMMU driver (tests/unit/fake_iommu.h). It follows the notify-before-map contract
 * of include/hv/iommu.h the way a hardware driver must: the root is allocated and the depth
 * grown only in notify_dfn, map_pages refuses DFNs out of reach, growth rewrites and
 * invalidates the entry of every device of the domain. With map_chunk_pages set, map_pages
 * maps in pieces, so an allocation failure can leave a request partly mapped, which is what
 * the core's rollback must handle.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lockorder.h>
#include <hv/printf.h>

#include "fake_iommu.h"

static struct fake_iommu *fake_of_pt(struct pgtable *pt)
{
    return pt->ctx;
}

struct fake_iommu *fake_iommu_of(const struct iommu_domain *dom)
{
    return container_of(dom->iommu, struct fake_iommu, unit);
}

static int fake_alloc_table(struct pgtable *pt, hpa_t *pa)
{
    struct fake_iommu *fi = fake_of_pt(pt);
    void *p;

    if (fi->alloc_fail_after == 0) {
        return -ENOMEM;
    }
    if (fi->alloc_fail_after > 0) {
        fi->alloc_fail_after--;
    }
    p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    if (p == NULL) {
        return -ENOMEM;
    }
    memset(p, 0, PAGE_SIZE);
    fi->table_allocs++;
    *pa = hpa((uint64_t)(uintptr_t)p);
    return 0;
}

static void fake_free_table(struct pgtable *pt, hpa_t pa)
{
    fake_of_pt(pt)->table_frees++;
    free((void *)(uintptr_t)hpa_val(pa));
}

static void *fake_phys_to_virt(struct pgtable *pt, hpa_t pa)
{
    (void)pt;
    return (void *)(uintptr_t)hpa_val(pa);
}

static void fake_walker_flush(struct pgtable *pt, uint64_t in_addr, uint64_t size)
{
    (void)in_addr;
    (void)size;
    fake_of_pt(pt)->iotlb_flushes++;
}

static const struct pt_mm_ops fake_mm = {
    .alloc_table = fake_alloc_table,
    .free_table = fake_free_table,
    .phys_to_virt = fake_phys_to_virt,
    .flush = fake_walker_flush,
};

static int fake_init(struct iommu *iommu)
{
    struct fake_iommu *fi = container_of(iommu, struct fake_iommu, unit);

    /* Every device starts blocked: a valid entry that translates nothing. */
    for (unsigned int i = 0; i < FAKE_IOMMU_DEVICES; i++) {
        fi->dte[i] = (struct fake_dte){.valid = true};
    }
    return 0;
}

static void fake_write_dte(struct fake_iommu *fi, const struct iommu_domain *dom, uint32_t sid)
{
    struct fake_dte *e = &fi->dte[sid];

    if (dom == NULL || dom->pt.depth == 0) {
        /* No domain, or a domain without a root: translate nothing. */
        *e = (struct fake_dte){.valid = true, .domain_id = dom != NULL ? dom->id : 0};
    } else {
        *e = (struct fake_dte){true, true, dom->pt.root, dom->pt.depth, dom->id};
    }
    fi->dte_invalidations++;
}

static int fake_notify_dfn(struct iommu_domain *dom, dfn_t last)
{
    struct fake_iommu *fi = fake_iommu_of(dom);
    int err;

    fi->notify_calls++;
    if (!lockorder_held(&iommu_assign_class) || !lockorder_held(&iommu_mapping_class)) {
        fi->notify_locks_ok = false;
    }
    if (fi->notify_error != 0) {
        return fi->notify_error;
    }
    if (fi->notify_no_grow) {
        /* The broken driver under test: a root of one level, never grown. */
        if (dom->pt.depth != 0) {
            return 0;
        }
        err = pt_init(&dom->pt, &pt_fmt_amdvi, &fake_mm, fi, 1);
        if (err != 0) {
            return err;
        }
        dom->stats.grows++;
    } else {
        /* A correct driver: the generic helper allocates or grows, as the real ones do. */
        err = iommu_pt_reach(dom, last, &pt_fmt_amdvi, &fake_mm, fi, 1, pt_fmt_amdvi.max_depth);
        if (err <= 0) {
            return err;
        }
    }
    for (struct iommu_device *dev = dom->devices; dev != NULL; dev = dev->next) {
        fake_write_dte(fi, dom, dev->sid);
    }
    fi->iotlb_flushes++;
    return 0;
}

static int fake_map_pages(struct iommu_domain *dom, dfn_t first, hpa_t out, size_t count,
                          unsigned int flags, size_t *mapped)
{
    struct fake_iommu *fi = fake_iommu_of(dom);
    const struct pt_attrs attrs = {
        .r = (flags & IOMMU_READ) != 0,
        .w = (flags & IOMMU_WRITE) != 0,
        .type = PT_MEM_NORMAL_WB,
    };
    size_t done = 0;

    fi->map_calls++;
    if (!lockorder_held(&iommu_mapping_class) || lockorder_held(&iommu_assign_class)) {
        fi->map_locks_ok = false;
    }
    *mapped = 0;
    /* Never allocate a root or grow here: without a root nothing is in reach. */
    if (dom->pt.depth == 0 ||
        !pt_covers(&dom->pt, ((dfn_val(first) + count - 1) << PAGE_SHIFT) | (PAGE_SIZE - 1))) {
        return -ERANGE;
    }
    while (done < count) {
        uint64_t d = dfn_val(first) + done;
        size_t chunk = fi->map_chunk_pages;
        size_t n = chunk == 0 ? count : MIN(count - done, (size_t)(chunk - d % chunk));
        int err = pt_map(&dom->pt, d << PAGE_SHIFT, hpa(hpa_val(out) + (done << PAGE_SHIFT)),
                         (uint64_t)n << PAGE_SHIFT, &attrs);

        if (err != 0) {
            *mapped = done;
            return err;
        }
        done += n;
    }
    *mapped = done;
    return 0;
}

static int fake_unmap_pages(struct iommu_domain *dom, dfn_t first, size_t count)
{
    return iommu_pt_unmap(dom, first, count);
}

static int fake_iotlb_flush(struct iommu_domain *dom, dfn_t first, size_t count)
{
    (void)first;
    (void)count;
    fake_iommu_of(dom)->iotlb_flushes++;
    return 0;
}

static int fake_assign_device(struct iommu_domain *dom, struct iommu_device *dev)
{
    struct fake_iommu *fi = container_of(dev->iommu, struct fake_iommu, unit);

    if (dev->sid >= FAKE_IOMMU_DEVICES) {
        return -ENODEV;
    }
    fake_write_dte(fi, dom, dev->sid);
    return 0;
}

static void fake_domain_destroy(struct iommu_domain *dom)
{
    if (dom->pt.depth != 0) {
        pt_destroy(&dom->pt);
    }
    fake_iommu_of(dom)->iotlb_flushes++;
}

static const struct iommu_ops fake_iommu_ops = {
    .init = fake_init,
    .notify_dfn = fake_notify_dfn,
    .map_pages = fake_map_pages,
    .unmap_pages = fake_unmap_pages,
    .iotlb_flush = fake_iotlb_flush,
    .assign_device = fake_assign_device,
    .domain_destroy = fake_domain_destroy,
};

static void fake_defaults(struct fake_iommu *fi)
{
    fi->dte_invalidations = 0;
    fi->iotlb_flushes = 0;
    fi->notify_calls = 0;
    fi->map_calls = 0;
    fi->table_allocs = 0;
    fi->table_frees = 0;
    fi->alloc_fail_after = -1;
    fi->notify_error = 0;
    fi->notify_no_grow = false;
    fi->map_chunk_pages = 0;
    fi->notify_locks_ok = true;
    fi->map_locks_ok = true;
}

void fake_iommu_reset(struct fake_iommu *fi)
{
    fake_defaults(fi);
    (void)fake_init(&fi->unit);
}

int fake_iommu_register(struct fake_iommu *fi)
{
    fi->unit.ops = &fake_iommu_ops;
    fi->unit.name = "fake-iommu";
    /* AMD-Vi takes 64-bit device addresses: every 4 KiB frame number (Mode 6). */
    fi->unit.max_dfn = UINT64_MAX >> PAGE_SHIFT;
    fi->unit.max_levels = pt_fmt_amdvi.max_depth;
    fake_defaults(fi);
    return iommu_register(&fi->unit);
}
