// SPDX-License-Identifier: Apache-2.0
/*
 * Boot units of the partition core. "partitions" (after the configuration unit) creates
 * every partition of the configuration: stage 2, image, DTB; a partition whose setup fails
 * is reported and left stopped, the others still run. "partitions-start" (last) starts each
 * partition's vCPU 0, prints the shm table, starts the console input (by interrupt where
 * the UART has one), then sends the boot CPU into its own vCPU loop like every other CPU,
 * or, when the configuration gives it no vCPU, keeps it serving the hypervisor's interrupts
 * and polling what has none (console input without an interrupt, the IOMMUs' fault queues);
 * the CPU that stops the last partition ends the run
 * (core/partition/test_monitor.c).
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/vcpu.h>
#include <hv/boot.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/console_input.h>
#include <hv/errno.h>
#include <hv/iommu.h>
#include <hv/page_alloc.h>
#include <hv/partition.h>

static int partitions_init(const struct fdt *fdt)
{
    const struct hv_config *cfg = hv_boot_config();

    (void)fdt;
    if (cfg == NULL) {
        return 0;
    }
    /* A DMA fault stops the partition that owns the device, like a CPU fault. */
    iommu_set_fault_callback(partition_dma_fault);
    for (unsigned int i = 0; i < cfg->nr_partitions; i++) {
        /* Failures are reported and contained: the partition stays FAILED, the others run. */
        if (partition_init(&partitions[i], cfg, i, &partition_stage2_mm) != 0) {
            hv_printf("partition %u \"%s\": not started\n", cfg->partitions[i].id,
                      cfg->partitions[i].label);
        }
        nr_partitions = i + 1;
    }
    return 0;
}

/* Set once every partition has been started: only then can "all stopped" mean the end. */
static bool run_armed;
/* Set by the one CPU that ends the run. */
static bool run_ended;

void partitions_stopped_check(void)
{
    if (!__atomic_load_n(&run_armed, __ATOMIC_ACQUIRE)) {
        return;
    }
    for (unsigned int i = 0; i < nr_partitions; i++) {
        if (!partition_stopped(&partitions[i])) {
            return;
        }
    }
    if (__atomic_exchange_n(&run_ended, true, __ATOMIC_ACQ_REL)) {
        return;
    }
    iommu_poll_faults(true); /* the last DMA faults of a burst, before the verdict */
    partition_print_states();
    if (IS_ENABLED(CONFIG_TEST_MONITOR)) {
        test_monitor_finish();
    }
    hv_printf("all partitions stopped\n");
    hv_boot_verdict();
}

static int partitions_start(const struct fdt *fdt)
{
    const struct hv_config *cfg = hv_boot_config();
    unsigned int started = 0;
    bool input_by_irq, faults_by_irq;

    (void)fdt;
    if (cfg == NULL) {
        return 0;
    }
    shm_print_table(cfg);
    if (IS_ENABLED(CONFIG_TEST_EXIT)) {
        partitions_audit(); /* test builds: each stage 2 holds exactly the configuration */
    }
    for (unsigned int i = 0; i < nr_partitions; i++) {
        /* Stage-2 shape (make bench): table pages, and the share of what is mapped (memory,
         * shared regions, device MMIO) that uses blocks / large pages rather than 4 KiB. */
        const struct pgtable *s2 = &partitions[i].stage2;
        uint64_t total = pt_mapped_total(s2), pages = pt_mapped_bytes(s2, 0);

        if (partitions[i].mapped && total != 0) {
            hv_printf("stage 2: partition %u \"%s\": %llu table pages, %llu %% of %llu KiB in "
                      "blocks\n",
                      partitions[i].config->id, partitions[i].config->label,
                      (unsigned long long)pt_table_pages(s2),
                      (unsigned long long)((total - pages) * 100 / total),
                      (unsigned long long)(total >> 10));
        }
    }
    /* The reference for the per-reset pool levels partition_reset() prints. */
    hv_printf("partitions: page pool %llu pages used before start\n",
              (unsigned long long)page_pool_stats(&hv_page_pool).used);
    /* IOMMU faults by interrupt where the units have them wired, on the CPU of the partition
     * behind each unit (or the configured "interrupt-cpu"); the others are polled below. */
    faults_by_irq = partition_dma_irq_start(cfg);
    for (unsigned int i = 0; i < nr_partitions; i++) {
        struct partition *p = &partitions[i];
        int err = partition_start(p);

        if (err == 0) {
            started++;
        } else if (err != -EINVAL || p->config->image != NULL) {
            partition_printf(p, "not started: %s\n",
                             err == -ENODEV ? "no image or CPU" : errno_name(err));
        }
    }
    if (started == 0) {
        partition_print_states();
        return 0;
    }
    /* No CPU waits for the end of the run: the one that stops the last partition ends it;
     * the boot CPU checks once itself, in case everything stopped while it was starting. */
    __atomic_store_n(&run_armed, true, __ATOMIC_RELEASE);
    partitions_stopped_check();
    /* Console input by interrupt where the UART has one, on the focused partition's CPU or
     * the configured "interrupt-cpu" (include/hv/console_input.h); else polled below. */
    input_by_irq = console_input_start(cfg);
    if (vcpu_of_cpu(arch_cpu_id()) == NULL) {
        /* The configuration leaves the boot CPU to the hypervisor: it takes the hypervisor's
         * interrupts routed to it, polls the console's input when the UART has no usable
         * interrupt, and reads the fault queues of the IOMMUs whose interrupts are not taken
         * (iommu_poll_faults(false) skips the others). It looks at every wake-up, and
         * arch_cpu_wait() returns at least every millisecond (include/arch/vcpu.h). */
        for (;;) {
            if (!input_by_irq) {
                console_input_poll();
            }
            if (!faults_by_irq) {
                iommu_poll_faults(false);
            }
            arch_cpu_wait();
            arch_irq_service();
        }
    }
    if (!input_by_irq) {
        hv_printf("console input: the boot CPU runs a vCPU and the console has no usable "
                  "interrupt: no console input\n");
    }
    if (!faults_by_irq) {
        hv_printf("iommu: the boot CPU runs a vCPU: faults of polled IOMMUs are read when the "
                  "partitions stop\n");
    }
    /* The hypervisor keeps no CPU: the boot CPU now waits for, and runs, its own vCPU
     * exactly as the secondaries do (hv_secondary_main). */
    vcpu_cpu_main(arch_cpu_id());
}

HV_UNIT(partitions_unit, "partitions", HV_UNIT_ORDER_PARTITIONS, partitions_init);
HV_UNIT(partitions_start_unit, "partitions-start", HV_UNIT_ORDER_PARTITIONS_START,
        partitions_start);
