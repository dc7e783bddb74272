// SPDX-License-Identifier: Apache-2.0
/*
 * Boot-time set-up of the hypervisor page pool from the board's hypervisor-memory
 * reservation (include/hv/memory.h).
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/memory.h>
#include <hv/page_alloc.h>

/* The hypervisor-memory node: the first with its compatible that is a direct child of
 * /reserved-memory (Devicetree Spec 3.5). */
static int hv_memory_node(const struct fdt *fdt)
{
    int rsv = fdt_path(fdt, "/reserved-memory");
    int node = fdt_find_compatible(fdt, -1, HV_MEMORY_COMPATIBLE);

    while (node >= 0 && (rsv < 0 || fdt_parent(fdt, node) != rsv)) {
        node = fdt_find_compatible(fdt, node, HV_MEMORY_COMPATIBLE);
    }
    return node;
}

int hv_memory_init(const struct fdt *fdt, uint64_t image_start, uint64_t image_end,
                   void *(*hpa_to_virt)(hpa_t pa, size_t size))
{
    int node = hv_memory_node(fdt);
    uint64_t base, size, pool_start;
    void *virt;
    int err;

    if (node < 0) {
        hv_printf("memory: no /reserved-memory node with compatible \"%s\"\n",
                  HV_MEMORY_COMPATIBLE);
        return -ENOENT;
    }
    err = fdt_reg(fdt, node, 0, &base, &size);
    if (err != 0 || size == 0 || base + size < base) {
        hv_printf("memory: /reserved-memory/%s: reg: malformed\n", fdt_node_name(fdt, node));
        return -EINVAL;
    }
    if (image_start < base || image_end > base + size || image_end < image_start) {
        hv_printf("memory: /reserved-memory/%s: reg: image [%#llx, %#llx) is not inside "
                  "[%#llx, %#llx)\n",
                  fdt_node_name(fdt, node), (unsigned long long)image_start,
                  (unsigned long long)image_end, (unsigned long long)base,
                  (unsigned long long)(base + size));
        return -ERANGE;
    }
    pool_start = ALIGN_UP(image_end, PAGE_SIZE);
    virt = pool_start < base + size
               ? hpa_to_virt(hpa(pool_start), (size_t)(base + size - pool_start))
               : NULL;
    err = page_pool_init(&hv_page_pool, hpa(pool_start), hpa(base + size), virt);
    if (err != 0) {
        hv_printf("memory: page pool [%#llx, %#llx): %s\n", (unsigned long long)pool_start,
                  (unsigned long long)(base + size), errno_name(err));
        return err;
    }
    hv_printf("memory: hypervisor [%#llx, %#llx), image %llu KiB, page pool %llu KiB\n",
              (unsigned long long)base, (unsigned long long)(base + size),
              (unsigned long long)((image_end - image_start) >> 10),
              (unsigned long long)(page_pool_stats(&hv_page_pool).total * PAGE_SIZE >> 10));
    return 0;
}
