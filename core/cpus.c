// SPDX-License-Identifier: Apache-2.0
/*
 * Which CPUs have come online (include/hv/boot.h). Kept apart from the boot sequence
 * (core/boot/) because the partitions read it too, and the boot sequence calls into the
 * partitions: the count sits below both.
 */
#include <arch/test.h>
#include <hv/boot.h>
#include <hv/console.h>

static unsigned int cpus_online;
static unsigned int cpus_present;

unsigned int hv_cpus_online(void)
{
    return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
}

void hv_cpu_set_online(void)
{
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
}

void hv_cpus_set_present(unsigned int n)
{
    __atomic_store_n(&cpus_present, n, __ATOMIC_RELEASE);
}

/* Here rather than in core/boot/ for the same reason: the partitions end the run with it. */
void hv_boot_verdict(void)
{
    bool ok = hv_cpus_online() == __atomic_load_n(&cpus_present, __ATOMIC_ACQUIRE);

    if (IS_ENABLED(CONFIG_TEST_EXIT)) {
        hv_printf("test: boot %s\n", ok ? "passed" : "FAILED");
        arch_test_exit(ok ? 0 : 1);
    }
}
