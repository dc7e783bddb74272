// SPDX-License-Identifier: Apache-2.0
/*
 * Hypervisor memory (issue 4 item 1): the hypervisor page pool (include/hv/page_alloc.h)
 * gets the part of the board's "bulkhead,hypervisor-memory" reservation behind the
 * hypervisor image: stage-2 tables, IOMMU tables and queues come from there. Runs first, so
 * every later unit finds the pool ready. Both arch linker scripts define __image_end (the
 * end of the loaded image including BSS and the boot stacks).
 */
#include <arch/vcpu.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/page_alloc.h>

#define HV_MEMORY_UNIT_ORDER 5

extern char __image_end[];

static int hv_memory_init(const struct fdt *fdt)
{
    int node = fdt_find_compatible(fdt, -1, "bulkhead,hypervisor-memory");
    uint64_t base, size, start, end;
    void *va;
    int err;

    if (page_pool_stats(&hv_page_pool).total != 0) {
        return 0;
    }
    if (node < 0 || fdt_reg(fdt, node, 0, &base, &size) != 0) {
        hv_printf("memory: no bulkhead,hypervisor-memory reservation: no page pool\n");
        return 0;
    }
    start = ALIGN_UP(hpa_val(arch_virt_to_phys(__image_end)), PAGE_SIZE);
    end = base + size;
    if (start < base || start >= end) {
        hv_printf("memory: the image ends outside its reservation: no page pool\n");
        return 0;
    }
    va = arch_phys_to_virt(hpa(start), (size_t)(end - start));
    if (va == NULL) {
        return -EFAULT;
    }
    err = page_pool_init(&hv_page_pool, hpa(start), hpa(end), va);
    if (err == 0) {
        hv_printf("memory: page pool %#llx-%#llx, %llu pages\n", (unsigned long long)start,
                  (unsigned long long)end,
                  (unsigned long long)page_pool_stats(&hv_page_pool).total);
    }
    return err;
}

HV_UNIT(hv_memory_unit, "memory", HV_MEMORY_UNIT_ORDER, hv_memory_init);
