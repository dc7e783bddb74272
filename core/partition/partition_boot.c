// SPDX-License-Identifier: Apache-2.0
/*
 * Boot units of the partition core. "partitions" (after the configuration unit) creates
 * every partition of the configuration: stage 2, image, DTB; a partition whose setup fails
 * is reported and left stopped, the others still run. "partitions-start" (last) starts each
 * partition's vCPU 0, prints the shm table, then keeps the boot CPU, which owns no
 * partition, waiting for the end of the run (core/partition/test_monitor.c).
 */
#include <arch/vcpu.h>
#include <hv/boot.h>
#include <hv/console_input.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/console_input.h>
#include <hv/errno.h>
#include <hv/partition.h>

static int partitions_init(const struct fdt *fdt)
{
    const struct hv_config *cfg = hv_boot_config();

    (void)fdt;
    if (cfg == NULL) {
        return 0;
    }
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

static bool all_stopped(void)
{
    for (unsigned int i = 0; i < nr_partitions; i++) {
        if (!partition_stopped(&partitions[i])) {
            return false;
        }
    }
    return true;
}

static int partitions_start(const struct fdt *fdt)
{
    const struct hv_config *cfg = hv_boot_config();
    unsigned int started = 0;

    (void)fdt;
    if (cfg == NULL) {
        return 0;
    }
    shm_print_table(cfg);
    for (unsigned int i = 0; i < nr_partitions; i++) {
        struct partition *p = &partitions[i];
        int err = partition_start(p);

        if (err == 0) {
            started++;
        } else if (err != -EINVAL || p->config->image != NULL) {
            hv_printf("partition %u \"%s\": not started: %s\n", p->config->id, p->config->label,
                      err == -ENODEV ? "no image or CPU" : errno_name(err));
        }
    }
    if (started == 0) {
        partition_print_states();
        return 0;
    }
    /* The boot CPU runs no vCPU: until the end of the run, which it reports, it serves the
     * console's input (include/hv/console_input.h). */
    console_input_start();
    while (!all_stopped()) {
        console_input_poll();
        arch_cpu_wait();
    }
    partition_print_states();
    if (IS_ENABLED(CONFIG_TEST_MONITOR)) {
        test_monitor_finish();
    }
    hv_printf("all partitions stopped\n");
    return 0;
}

HV_UNIT(partitions_unit, "partitions", HV_UNIT_ORDER_PARTITIONS, partitions_init);
HV_UNIT(partitions_start_unit, "partitions-start", HV_UNIT_ORDER_PARTITIONS_START,
        partitions_start);
