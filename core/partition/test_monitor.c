// SPDX-License-Identifier: Apache-2.0
/*
 * The end of a run. No CPU is kept to wait for it: the boot CPU, once it has started every
 * partition, runs its own vCPU like the others, and whichever CPU stops the last partition
 * prints the per-partition state table and, in test builds (CONFIG_TEST_MONITOR), ends QEMU
 * with exit code 0 only when every partition did what its "bulkhead,test-expect" says:
 *   "pass"   verdict 0 reported (BH_HC_TEST_VERDICT), then stopped without a fault;
 *   "fault"  stopped by a fault report, no failing verdict;
 *   "off"    SYSTEM_OFF without any verdict;
 *   (none)   not faulted, and any verdict reported is a pass.
 * A partition that failed to set up never matches an expectation.
 */
#include <arch/cpu.h>
#include <arch/test.h>
#include <arch/vcpu.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/partition.h>

bool test_monitor_matches(const struct partition *p)
{
    int state = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
    bool verdict = __atomic_load_n(&p->verdict_seen, __ATOMIC_ACQUIRE);
    bool failing = verdict && p->verdict != 0;

    if (state == PARTITION_FAILED) {
        return false;
    }
    switch (p->cfg->test_expect) {
    case TEST_EXPECT_PASS:
        return verdict && !failing && (state == PARTITION_OFF || state == PARTITION_HALTED);
    case TEST_EXPECT_FAULT:
        return state == PARTITION_FAULTED && !failing;
    case TEST_EXPECT_OFF:
        return state == PARTITION_OFF && !verdict;
    case TEST_EXPECT_NONE:
    default:
        return state != PARTITION_FAULTED && !failing;
    }
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

/* Set once every partition has been started: only then can "all stopped" mean the end. */
static bool monitor_armed;
/* Set by the one CPU that ends the run. */
static bool monitor_ended;

/*
 * The end of the run, on the CPU that saw the last partition stop (with that partition's lock
 * held) or on the boot CPU when everything stopped while it was still starting partitions.
 */
static void test_monitor_end(void)
{
    bool pass = true;

    if (__atomic_exchange_n(&monitor_ended, true, __ATOMIC_ACQ_REL)) {
        return;
    }
    partition_print_states();
    if (!IS_ENABLED(CONFIG_TEST_MONITOR)) {
        hv_printf("all partitions stopped\n");
        hv_boot_verdict();
        return;
    }
    for (unsigned int i = 0; i < nr_partitions; i++) {
        bool ok = test_monitor_matches(&partitions[i]);

        if (!ok) {
            hv_printf("monitor: partition %u \"%s\" did not match its expectation\n",
                      partitions[i].cfg->id, partitions[i].cfg->label);
        }
        pass = pass && ok;
    }
    if (__atomic_load_n(&partition_audit_failed, __ATOMIC_ACQUIRE)) {
        hv_printf("monitor: a stage-2 audit failed\n");
        pass = false;
    }
    hv_printf("monitor: all partitions stopped, %s\n", pass ? "PASS" : "FAIL");
    arch_test_exit(pass ? 0 : 1);
}

void test_monitor_partition_stopped(void)
{
    if (__atomic_load_n(&monitor_armed, __ATOMIC_ACQUIRE) && all_stopped()) {
        test_monitor_end();
    }
}

void test_monitor_run(void)
{
    unsigned int cpu = arch_cpu_id();

    __atomic_store_n(&monitor_armed, true, __ATOMIC_RELEASE);
    /* Everything may have stopped while partitions were still being started. */
    if (all_stopped()) {
        test_monitor_end();
    }
    /* The hypervisor keeps no CPU: the boot CPU now waits for, and runs, its own vCPU (if
     * the configuration gives it one) exactly as the secondaries do (hv_secondary_main). */
    vcpu_cpu_main(cpu);
}
