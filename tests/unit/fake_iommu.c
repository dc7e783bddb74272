// SPDX-License-Identifier: Apache-2.0
/*
 * The fake IOMMU driver (tests/unit/fake_iommu.h). It implements the hardware half of
 * struct iommu_ops the way a real driver must: every device starts blocked, reload rewrites
 * and invalidates the entry of every device of the domain, iotlb_flush and assignment are
 * counted. Its table memory comes from the host heap with injectable allocation failures, so
 * the core's table handling (root, growth, map, unmap, rollback) is what is tested.
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

    /* Every table change (root, growth, map) must run under the domain's mapping lock, a
     * root or a growth under the assignment lock too (XSA-311's first bug was a missing
     * lock): counted for the tests to check. */
    if (!lockorder_held(&iommu_mapping_class)) {
        fi->allocs_unlocked++;
    }
    if (lockorder_held(&iommu_assign_class)) {
        fi->allocs_assign_held++;
    }
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

/* Heap table pages; the core adds its IOTLB flush. */
static const struct pt_mm_ops fake_mm = {
    .alloc_table = fake_alloc_table,
    .free_table = fake_free_table,
    .phys_to_virt = fake_phys_to_virt,
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

static int fake_reload(struct iommu_domain *dom)
{
    struct fake_iommu *fi = fake_iommu_of(dom);

    fi->reload_calls++;
    if (!lockorder_held(&iommu_assign_class) || !lockorder_held(&iommu_mapping_class)) {
        fi->reload_locks_ok = false;
    }
    if (fi->reload_error != 0) {
        return fi->reload_error;
    }
    for (struct iommu_device *dev = dom->devices; dev != NULL; dev = dev->next) {
        fake_write_dte(fi, dom, dev->sid);
    }
    fi->iotlb_flushes++;
    return 0;
}

static int fake_iotlb_flush(struct iommu_domain *dom, dfn_t first, size_t count)
{
    struct fake_iommu *fi = fake_iommu_of(dom);

    (void)first;
    if (!lockorder_held(&iommu_mapping_class)) {
        fi->flush_locks_ok = false;
    }
    fi->iotlb_flushes++;
    if (count == 0) {
        fi->domain_flushes++;
    }
    return fi->flush_error;
}

static int fake_assign_device(struct iommu_domain *dom, struct iommu_device *dev)
{
    struct fake_iommu *fi = container_of(dev->iommu, struct fake_iommu, unit);

    if (dev->sid >= FAKE_IOMMU_DEVICES) {
        return -ENODEV;
    }
    if (dom == NULL && !lockorder_held(&iommu_assign_class)) {
        fi->streams_disabled++; /* the core disabling a stream (outside any domain lock) */
    }
    fake_write_dte(fi, dom, dev->sid);
    return 0;
}

static const struct iommu_ops fake_iommu_ops = {
    .pt_fmt = &pt_fmt_amdvi,
    .pt_min_depth = 1,
    .pt_mm = &fake_mm,
    .init = fake_init,
    .reload = fake_reload,
    .iotlb_flush = fake_iotlb_flush,
    .assign_device = fake_assign_device,
};

static void fake_defaults(struct fake_iommu *fi)
{
    fi->dte_invalidations = 0;
    fi->iotlb_flushes = 0;
    fi->domain_flushes = 0;
    fi->reload_calls = 0;
    fi->streams_disabled = 0;
    fi->table_allocs = 0;
    fi->table_frees = 0;
    fi->allocs_unlocked = 0;
    fi->allocs_assign_held = 0;
    fi->alloc_fail_after = -1;
    fi->reload_error = 0;
    fi->flush_error = 0;
    fi->reload_locks_ok = true;
    fi->flush_locks_ok = true;
}

void fake_iommu_reset(struct fake_iommu *fi)
{
    fake_defaults(fi);
    (void)fake_init(&fi->unit);
}

int fake_iommu_register(struct fake_iommu *fi)
{
    return fake_iommu_register_depth(fi, 1);
}

int fake_iommu_register_depth(struct fake_iommu *fi, unsigned int min_depth)
{
    fi->ops = fake_iommu_ops;
    fi->ops.pt_min_depth = min_depth;
    fi->unit.ops = &fi->ops;
    fi->unit.name = "fake-iommu";
    /* AMD-Vi takes 64-bit device addresses: every 4 KiB frame number (Mode 6). */
    fi->unit.max_dfn = UINT64_MAX >> PAGE_SHIFT;
    fi->unit.max_levels = pt_fmt_amdvi.max_depth;
    fi->unit.pt_ctx = fi;
    fake_defaults(fi);
    return iommu_register(&fi->unit);
}
