// SPDX-License-Identifier: Apache-2.0
/*
 * The end of a run: the boot CPU waits until every partition has stopped, prints the
 * per-partition state table and, in test builds (CONFIG_TEST_MONITOR), ends QEMU with exit
 * code 0 only when every partition did what its "bulkhead,test-expect" says:
 *   "pass"   verdict 0 reported (BH_HC_TEST_VERDICT), then stopped without a fault;
 *   "fault"  stopped by a fault report, no failing verdict;
 *   "off"    SYSTEM_OFF without any verdict;
 *   (none)   not faulted, and any verdict reported is a pass.
 * A partition that failed to set up never matches an expectation.
 */
#include <arch/cpu.h>
#include <arch/test.h>
#include <arch/vcpu.h>
#include <hv/console.h>
#include <hv/console_input.h>
#include <hv/partition.h>

bool test_monitor_matches(const struct partition *p)
{
    int state = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
    bool verdict = __atomic_load_n(&p->verdict_seen, __ATOMIC_ACQUIRE);
    bool failing = verdict && p->verdict != 0;

    if (state == PARTITION_FAILED) {
        return false;
    }
    switch (p->config->test_expect) {
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

void test_monitor_run(void)
{
    bool pass = true;

    /* Meanwhile the console's keyboard input goes to the partitions: poll it. Under
     * emulation WFE does not sleep anyway; on hardware the boot CPU is the hypervisor's own. */
    console_input_start();
    while (!all_stopped()) {
        console_input_poll();
        arch_cpu_relax();
    }
    partition_print_states();
    if (!IS_ENABLED(CONFIG_TEST_MONITOR)) {
        hv_printf("all partitions stopped\n");
        return;
    }
    for (unsigned int i = 0; i < nr_partitions; i++) {
        bool ok = test_monitor_matches(&partitions[i]);

        if (!ok) {
            hv_printf("monitor: partition %u \"%s\" did not match its expectation\n",
                      partitions[i].config->id, partitions[i].config->label);
        }
        pass = pass && ok;
    }
    hv_printf("monitor: all partitions stopped, %s\n", pass ? "PASS" : "FAIL");
    arch_test_exit(pass ? 0 : 1);
}
