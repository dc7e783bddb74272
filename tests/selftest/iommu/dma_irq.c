// SPDX-License-Identifier: Apache-2.0
/*
 * IOMMU fault interrupts while every CPU runs a partition (CONFIG_IOMMU_IRQ_TEST,
 * tests/system/arm64_part_dma_irq.sh). Test-only. The configuration assigns QEMU's edu to
 * "worker" and gives every CPU to a partition, so no CPU is left to poll the SMMU. Just
 * before the partitions start, this unit makes edu begin one 4 KiB DMA write to a guest
 * address beyond worker's RAM, as worker's driver might, and returns without waiting: QEMU
 * performs the DMA 100 ms later, while the partitions run, and writes one event record per
 * 4 bytes (1024). The SMMU's event interrupt, claimed on worker's CPU
 * (partition_dma_irq_start()), must drain them there: worker is contained by the first
 * fault, the stream is disabled once its records pass IOMMU_STREAM_FAULT_LIMIT, and
 * "control" keeps running and passes. The test monitor and the console decide.
 */
#include <arch/smp.h>
#include <arch/test.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>

#include "edu.h"

/* Beyond the RAM of the partition: nothing is mapped there (a translation fault). */
#define BEYOND_RAM 0x37f00000u

static int dma_irq_test(const struct fdt *fdt)
{
    struct partition *p = NULL;
    const struct hv_config_mem *m;
    volatile uint8_t *edu;
    uint64_t bar, iova;
    uint16_t bdf;

    for (unsigned int i = 0; i < nr_partitions && p == NULL; i++) {
        if (partitions[i].dma.nr_devs != 0 && partitions[i].dma.up) {
            p = &partitions[i];
        }
    }
    if (p == NULL || edu_find_dt(fdt, &bdf, &bar, &edu) != 0 || p->dma.devs[0].sid != bdf) {
        hv_printf("iommu-irq-test: needs edu assigned to a partition with a domain\n");
        arch_test_exit(1);
    }
    m = &p->layout->mem[p->config->mem_first];
    iova = gpa_val(m->guest) + m->size + BEYOND_RAM;
    /* Started, not awaited (edu_dma_len() would wait): the write lands once partitions run. */
    edu_dma_start(edu, iova, PAGE_SIZE, true);
    hv_printf("iommu-irq-test: edu %02x:%02x.%x DMA write of %u bytes to guest %#llx of "
              "partition %u \"%s\" started on cpu%u, not awaited\n",
              bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, (unsigned int)PAGE_SIZE,
              (unsigned long long)iova, p->config->id, p->config->label, arch_cpu_id());
    return 0;
}

HV_UNIT(dma_irq_test_unit, "iommu-irq-test", HV_UNIT_ORDER_SELFTEST_KICK, dma_irq_test);
