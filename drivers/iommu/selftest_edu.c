// SPDX-License-Identifier: Apache-2.0
/* Shared pieces of the IOMMU self-tests (drivers/iommu/selftest_edu.h). */
#include <arch/io.h>
#include <arch/time.h>
#include <hv/console.h>
#include <hv/errno.h>

#include "selftest_edu.h"

/* edu's DMA engine (edu.rst): source, destination, count, command (bit 0 start, bit 1
 * direction: 1 = buffer to RAM); its 4 KiB buffer sits at device address 0x40000. Each
 * transfer takes 100 ms of virtual time. */
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_START 1u
#define EDU_DMA_TO_RAM 2u
#define EDU_BUFFER 0x40000
#define EDU_DMA_TIMEOUT_US 3000000u

void selftest_check(struct selftest_tally *t, bool ok, const char *name, const char *why)
{
    t->checks++;
    if (ok) {
        hv_printf("iommu-selftest: ok %s\n", name);
    } else {
        t->failures++;
        hv_printf("iommu-selftest: FAIL %s: %s\n", name, why);
    }
}

void selftest_fill(uint8_t *page, uint8_t seed)
{
    for (size_t i = 0; i < PAGE_SIZE; i++) {
        page[i] = (uint8_t)(seed + i * 7);
    }
}

bool selftest_holds(const uint8_t *page, uint8_t seed)
{
    for (size_t i = 0; i < PAGE_SIZE; i++) {
        if (page[i] != (uint8_t)(seed + i * 7)) {
            return false;
        }
    }
    return true;
}

int edu_dma(volatile uint8_t *edu, uint64_t iova, bool to_ram)
{
    uint64_t start = arch_time_us();

    dma_wmb(); /* the page's contents before the engine starts reading it */
    mmio_write64(edu + EDU_DMA_SRC, to_ram ? EDU_BUFFER : iova);
    mmio_write64(edu + EDU_DMA_DST, to_ram ? iova : EDU_BUFFER);
    mmio_write64(edu + EDU_DMA_COUNT, PAGE_SIZE);
    mmio_write64(edu + EDU_DMA_CMD, EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0));
    while (mmio_read64(edu + EDU_DMA_CMD) & EDU_DMA_START) {
        if (arch_time_us() - start > EDU_DMA_TIMEOUT_US) {
            hv_printf("iommu-selftest: edu DMA to %#llx did not finish\n",
                      (unsigned long long)iova);
            return -ETIMEDOUT;
        }
    }
    dma_rmb(); /* the status read above before reading what the DMA wrote */
    return 0;
}
