// SPDX-License-Identifier: Apache-2.0
/*
 * The generic boot sequence. The arch entry code hands over with a stack, a clear BSS and
 * the MMU on; from here the boot CPU checks the embedded configuration, brings up the
 * console, prints the banner, starts every other CPU and waits until each has reported, then
 * runs the boot units in order.
 */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/test.h>
#include <arch/time.h>
#include <hv/boot.h>
#include <hv/config.h>
#include <hv/console.h>
#include <arch/mm.h>
#include <hv/errno.h>
#include <hv/memory.h>
#include <hv/panic.h>
#include <hv/string.h>

#ifndef BULKHEAD_VERSION
#define BULKHEAD_VERSION "unknown"
#endif

/* How long a started CPU may take to report. Generous: TCG starts CPUs slowly. */
#define CPU_REPORT_TIMEOUT_US 5000000u

static struct fdt config_fdt;
/* Never cleared: fdt_init_index() writes every entry it reports (fdt->index_len). */
static struct fdt_index_entry config_index[512] __noinit;
static bool config_fdt_built;
static int config_fdt_err;

int hv_boot_fdt(const struct fdt **fdt)
{
    /* Parents and phandles from an index built in the checking walk: the configuration
     * parser asks for them per node and per reference, which would otherwise walk from the
     * root each time. A larger tree than the index just keeps walking. */
    if (!config_fdt_built) {
        config_fdt_err = fdt_init_index(&config_fdt, __dtb_start, (size_t)(__dtb_end - __dtb_start),
                                        config_index, ARRAY_SIZE(config_index));
        config_fdt_built = true;
    }
    *fdt = &config_fdt;
    return config_fdt_err;
}

static void cpu_report(unsigned int cpu)
{
    hv_printf("cpu%u: online (hwid %#llx)%s\n", cpu, (unsigned long long)arch_cpu_hwid(cpu),
              cpu == 0 ? ", boot CPU" : "");
    hv_cpu_set_online();
}

/* Sum of the /memory nodes' ranges (device_type "memory", Devicetree Specification 3.4). */
static uint64_t ram_bytes(const struct fdt *fdt)
{
    uint64_t total = 0;
    int depth = 0;

    for (int node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        const char *type;
        uint64_t base, size;

        if (depth != 1 || fdt_prop_string(fdt, node, "device_type", &type) != 0 ||
            strcmp(type, "memory") != 0) {
            continue;
        }
        for (unsigned int i = 0; fdt_reg(fdt, node, i, &base, &size) == 0; i++) {
            total += size;
        }
    }
    return total;
}

static void banner(const struct fdt *fdt, int ncpus)
{
    hv_printf("\nBulkhead %s (%s, %s%s%s)\n", BULKHEAD_VERSION, CONFIG_BOARD, CONFIG_ARCH,
              IS_ENABLED(CONFIG_DEBUG) ? ", debug" : "",
              IS_ENABLED(CONFIG_TEST_EXIT) ? ", test-exit" : "");
    hv_printf("  CPUs: %d   RAM: %llu MiB   layout: %s\n", ncpus,
              (unsigned long long)(ram_bytes(fdt) >> 20),
              hv_layout_name[0] != '\0' ? hv_layout_name : "(none)");
}

/*
 * Wait until n CPUs are online, at most CPU_REPORT_TIMEOUT_US; false on time-out. A function
 * of its own, never inlined: make bench counts the boot CPU's time here as idle, not as boot
 * work (tests/bench/arm64_boot.sh).
 */
static __attribute__((noinline)) bool smp_wait_report(unsigned int n)
{
    uint64_t start = arch_time_us();

    while (hv_cpus_online() < n) {
        if (arch_time_us() - start > CPU_REPORT_TIMEOUT_US) {
            return false;
        }
        arch_cpu_relax();
    }
    return true;
}

/* Start every secondary CPU and wait for each to report; returns how many reported. */
static unsigned int smp_boot(unsigned int n)
{
    unsigned int started = 1;

    for (unsigned int cpu = 1; cpu < n; cpu++) {
        int err = arch_cpu_start(cpu);

        if (err != 0) {
            hv_printf("cpu%u: start failed: %s\n", cpu, errno_name(err));
            continue;
        }
        started++;
        /* One at a time keeps the reports in order and the start path simple. */
        if (!smp_wait_report(started)) {
            hv_printf("cpu%u: did not report within %u ms\n", cpu, CPU_REPORT_TIMEOUT_US / 1000);
            started--;
        }
    }
    return hv_cpus_online();
}

static void run_units(const struct fdt *fdt)
{
    /* Few units: each pass runs those of one order and finds the next order up, rather than
     * sorting the section. */
    for (unsigned int order = 0, next; order != UINT32_MAX; order = next) {
        next = UINT32_MAX;
        hv_table_foreach (struct hv_unit, hv_units, u) {
            if (u->order == order) {
                int err = u->init(fdt);

                if (err != 0) {
                    panic("%s: initialisation failed: %s", u->name, errno_name(err));
                }
            } else if (u->order > order && u->order < next) {
                next = u->order;
            }
        }
    }
}

void hv_main(void)
{
    const struct fdt *fdt;
    int err;
    int ncpus;
    unsigned int online, cpus_present;

    /* Before anything that may fail: the Kconfig UART, so that every failure below prints. */
    console_early_init();
    if (IS_ENABLED(CONFIG_TEST_EXIT)) {
        hv_test_nonce_read();
    }
    /* Built already if the arch's early code asked for it. */
    err = hv_boot_fdt(&fdt);
    if (err == -ENOSPC) {
        hv_printf("config: more than %zu nodes: parents and phandles by walking the tree\n",
                  ARRAY_SIZE(config_index));
    } else if (err != 0) {
        panic("embedded configuration DTB is malformed: %s", errno_name(err));
    }
    err = console_init(fdt);
    if (err != 0) {
        panic("no console: %s", errno_name(err));
    }
    arch_boot_stage_images(fdt);
    ncpus = arch_smp_init(fdt);
    if (ncpus <= 0) {
        banner(fdt, 0);
        panic("no CPUs found: %s", errno_name(ncpus));
    }
    cpus_present = (unsigned int)ncpus;
    hv_cpus_set_present(cpus_present);
    banner(fdt, ncpus);
    cpu_report(0);
    online = smp_boot(cpus_present);
    hv_printf("%u of %u CPUs online\n", online, cpus_present);
    err = hv_memory_init(fdt, hpa_val(arch_virt_to_phys(__image_start)),
                         hpa_val(arch_virt_to_phys(__image_end)), arch_phys_to_virt);
    if (err != 0) {
        panic("/reserved-memory: no usable hypervisor memory: %s", errno_name(err));
    }
    /* With partitions running, the last unit does not return: the boot CPU runs its vCPU. */
    run_units(fdt);
    hv_boot_verdict();
    arch_halt();
}

void hv_secondary_main(unsigned int cpu)
{
    cpu_report(cpu);
    if (IS_ENABLED(CONFIG_PARTITIONS)) {
        /* Owned by a partition: wait for its vCPU to start (core/partition/partition.c). */
        vcpu_cpu_main(cpu);
    }
    arch_halt();
}
