/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's own memory. The board reserves it with a /reserved-memory child
 * `compatible = "bulkhead,hypervisor-memory"`; the image must lie inside it, and the part after
 * the image becomes hv_page_pool (page tables, IOMMU tables and queues, generated guest DTBs).
 * The configuration validator keeps partition memory and shared regions out of every
 * /reserved-memory range, so nothing else can ever be placed there.
 */
#pragma once

#include <hv/fdt.h>
#include <hv/types.h>

/* Linker-script symbols of both arches: the first and one-past-last byte of the image
 * (text, data and BSS, with the boot stacks). */
extern const uint8_t __image_start[], __image_end[];

/* The compatible of the board's hypervisor-memory reservation. */
#define HV_MEMORY_COMPATIBLE "bulkhead,hypervisor-memory"

/*
 * Find the hypervisor-memory reservation in fdt, check that [image_start, image_end) lies in
 * it, and hand the rest (from image_end rounded up to a page) to hv_page_pool, reached through
 * hpa_to_virt (arch_phys_to_virt() at boot). Reports on the console: 0, -ENOENT (no reservation),
 * -ERANGE (the image is not inside it), -EINVAL (malformed reg), or page_pool_init()'s error.
 * Separate from the boot sequence, with the image bounds as arguments, so host tests can drive it.
 */
int hv_memory_init(const struct fdt *fdt, uint64_t image_start, uint64_t image_end,
                   void *(*hpa_to_virt)(hpa_t pa, size_t size)) __must_check;
