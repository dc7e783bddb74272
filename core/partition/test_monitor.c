// SPDX-License-Identifier: Apache-2.0
/*
 * The test monitor, linked only into test builds (CONFIG_TEST_MONITOR): the verdict hypercall
 * (BH_HC_TEST_VERDICT) and the end of a test run. Once the CPU that stopped the last
 * partition has seen every partition stop (core/partition/partition_boot.c), it ends QEMU with exit
 * code 0 only when every partition did what its "bulkhead,test-expect" says
 * (core/config/test_props.c): "pass"   verdict 0 reported (BH_HC_TEST_VERDICT), then stopped
 * without a fault; "fault"  stopped by a fault report, no failing verdict; "off"    SYSTEM_OFF
 * without any verdict; (none)   not faulted, and any verdict reported is a pass. A partition that
 * failed to set up never matches an expectation.
 */
#include <arch/cpu.h>
#include <arch/test.h>
#include <arch/vcpu.h>
#include <hv/console.h>
#include <hv/hypercall_abi.h>
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

void test_monitor_verdict(struct vcpu *v, struct hypercall *hc)
{
    struct partition *p = v->part;

    /* The first verdict counts: a partition cannot turn a failure into a pass later. Two vCPUs
     * may report at once: check and set under the partition lock. */
    spin_lock(&p->lock);
    if (!p->verdict_seen) {
        p->verdict = hc->arg[0];
        __atomic_store_n(&p->verdict_seen, true, __ATOMIC_RELEASE);
        hv_printf("partition %u \"%s\": test verdict %s (%llu)\n", p->config->id, p->config->label,
                  hc->arg[0] == 0 ? "pass" : "fail", (unsigned long long)hc->arg[0]);
    }
    spin_unlock(&p->lock);
    hc->ret[0] = BH_HC_OK;
}

void test_monitor_traps(struct vcpu *v, struct hypercall *hc)
{
    hc->ret[0] = BH_HC_OK;
    hc->ret[1] = __atomic_load_n(&v->traps, __ATOMIC_RELAXED);
}

void test_monitor_finish(void)
{
    bool pass = true;

    for (unsigned int i = 0; i < nr_partitions; i++) {
        bool ok = test_monitor_matches(&partitions[i]);

        if (!ok) {
            hv_printf("monitor: partition %u \"%s\" did not match its expectation\n",
                      partitions[i].config->id, partitions[i].config->label);
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
