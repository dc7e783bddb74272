// SPDX-License-Identifier: Apache-2.0
/*
 * The vCPU life cycle: a CPU waiting for its vCPU, PSCI CPU_ON / CPU_OFF / AFFINITY_INFO,
 * SYSTEM_OFF, SYSTEM_RESET, fault containment and parking (design: include/hv/partition.h).
 *
 * Stopping other vCPUs without interrupts: a partition that stops loses its whole stage-2
 * mapping first (and the walker's flush invalidates the TLBs of every CPU, Arm ARM D8.13.5
 * broadcast TLB maintenance). A vCPU still running elsewhere then takes a stage-2 fault at
 * its very next instruction fetch; its trap handler sees the partition is no longer running
 * (vcpu_check_running) and parks quietly. A vCPU asleep in WFI (which the arch may not
 * trap, or wait on in the hypervisor) is woken by arch_irq_kick(), so it notices too.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/vcpu.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/page_alloc.h>
#include <hv/partition.h>
#include <hv/percpu.h>
#include <hv/vdev.h>

/* Post vCPU v's start: its CPU picks it up in vcpu_cpu_main(). */
void vcpu_post_start(struct vcpu *v, gpa_t entry, uint64_t context)
{
    v->entry = entry;
    v->context = context;
    vcpu_set_state(v, VCPU_ON_PENDING);
    arch_cpu_kick();
}

struct vcpu *vcpu_of_cpu(unsigned int cpu)
{
    return cpu < CONFIG_NR_CPUS ? per_cpu(cpu)->vcpu : NULL;
}

static void stop_locked(struct partition *p, int state, struct vcpu *self);

/*
 * vCPU 0's first start after set-up, on its own CPU: verify, scrub and load the partition
 * (partition_load(); set-up only planned it). A failure stops the partition as a failed
 * set-up would have. Returns whether v may run.
 */
static bool boot_load(struct vcpu *v)
{
    struct partition *p = v->part;
    bool ok = true;

    spin_lock(&p->lock);
    if (p->load_pending && partition_state(p) == PARTITION_RUNNING) {
        int err = partition_load(p);

        p->load_pending = false;
        if (err != 0) {
            partition_printf(p, "setup failed: %s\n", errno_name(err));
            stop_locked(p, PARTITION_FAILED, v);
            ok = false;
        } else {
            v->context = p->boot_context;
        }
    }
    spin_unlock(&p->lock);
    return ok;
}

void vcpu_cpu_main(unsigned int cpu)
{
    for (;;) {
        struct vcpu *v = vcpu_of_cpu(cpu);
        int expected = VCPU_ON_PENDING;

        if (v != NULL && __atomic_compare_exchange_n(&v->state, &expected, VCPU_ON, false,
                                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            if (partition_state(v->part) == PARTITION_RUNNING &&
                (!__atomic_load_n(&v->part->load_pending, __ATOMIC_ACQUIRE) || boot_load(v))) {
                v->traps = 0;
                arch_irq_vcpu_reset(v);
                arch_vcpu_reset(v, v->entry, v->context);
                arch_vcpu_run(v);
            }
            vcpu_set_state(v, VCPU_OFF);
            continue;
        }
        arch_cpu_wait();
        arch_irq_service(); /* the hypervisor's interrupts routed here (console input) */
    }
}

void vcpu_park(struct vcpu *v)
{
    int expected = VCPU_ON;

    /* ON -> OFF only: a vCPU that turned itself off (vcpu_off) is already OFF, and a sibling's
     * CPU_ON may have posted a start (ON_PENDING) since, which vcpu_cpu_main() must run. */
    (void)__atomic_compare_exchange_n(&v->state, &expected, VCPU_OFF, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE);
    arch_cpu_kick();
    vcpu_cpu_main(v->cpu);
}

/*
 * Interrupt the CPUs of p's vCPUs (arch_irq_kick): one asleep in WFI, in the guest or
 * waiting in the hypervisor, takes no stage-2 fault, so the unmapping alone would not
 * stop it.
 */
static void kick_vcpus(const struct partition *p)
{
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        if (p->vcpus[i].cpu != UINT32_MAX) {
            arch_irq_kick(&p->vcpus[i]);
        }
    }
}

/* Turn vCPU self (or NULL) off and cancel p's pending starts (lock held). */
static void cancel_starts(struct partition *p, struct vcpu *self)
{
    if (self != NULL) {
        vcpu_set_state(self, VCPU_OFF);
    }
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        int expected = VCPU_ON_PENDING;

        (void)__atomic_compare_exchange_n(&p->vcpus[i].state, &expected, VCPU_OFF, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    }
}

/*
 * Stop p (lock held), on behalf of vCPU self (or NULL): remove every mapping (other vCPUs
 * trap and park), cancel pending starts, report, and only then publish the final state, so
 * that the run, which ends once every partition reads as stopped, never cuts the report
 * short. Meanwhile the partition reads as RESETTING: neither running (its vCPUs
 * park) nor stopped.
 */
static void stop_locked(struct partition *p, int state, struct vcpu *self)
{
    __atomic_store_n(&p->state, PARTITION_RESETTING, __ATOMIC_RELEASE);
    partition_unmap(p);
    /* Its devices' interrupts go quiet: nobody will take them any more. */
    arch_irq_release(p);
    kick_vcpus(p);
    cancel_starts(p, self);
    partition_printf(p, "stopped\n");
    __atomic_store_n(&p->state, state, __ATOMIC_RELEASE);
    arch_cpu_kick();
    /* No CPU waits for the end of the run: the one that stops the last partition ends it. */
    partitions_stopped_check();
}

int vcpu_start(struct vcpu *v, uint64_t target, gpa_t entry, uint64_t context)
{
    struct partition *p = v->part;
    struct pt_attrs attrs;
    struct vcpu *t;
    int err = 0;

    if (target >= p->nr_vcpus) {
        return -EINVAL;
    }
    t = &p->vcpus[target];
    spin_lock(&p->lock);
    if (t->cpu == UINT32_MAX) {
        err = -EINVAL;
    } else if (vcpu_state(t) == VCPU_ON) {
        err = -EEXIST;
    } else if (vcpu_state(t) == VCPU_ON_PENDING) {
        err = -EBUSY;
    } else if (pt_lookup(&p->stage2, gpa_val(entry), NULL, &attrs, NULL) != 0 || !attrs.x) {
        err = -EFAULT;
    } else {
        vcpu_post_start(t, entry, context);
    }
    spin_unlock(&p->lock);
    return err;
}

int vcpu_affinity(struct vcpu *v, unsigned int target)
{
    if (target >= v->part->nr_vcpus) {
        return -EINVAL;
    }
    return vcpu_state(&v->part->vcpus[target]);
}

void vcpu_off(struct vcpu *v)
{
    struct partition *p = v->part;
    bool any = false;

    spin_lock(&p->lock);
    vcpu_set_state(v, VCPU_OFF);
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        any = any || vcpu_state(&p->vcpus[i]) != VCPU_OFF;
    }
    if (!any && partition_state(p) == PARTITION_RUNNING) {
        partition_printf(p, "every vCPU is off\n");
        stop_locked(p, PARTITION_HALTED, v);
    }
    spin_unlock(&p->lock);
    vcpu_park(v);
}

void partition_system_off(struct vcpu *v)
{
    struct partition *p = v->part;

    spin_lock(&p->lock);
    if (partition_state(p) == PARTITION_RUNNING) {
        hv_printf("partition %u \"%s\" vcpu %u: system off\n", p->config->id, p->config->label,
                  v->index);
        stop_locked(p, PARTITION_OFF, v);
    }
    spin_unlock(&p->lock);
    vcpu_park(v);
}

void partition_fault(struct vcpu *v, const char *what, uint64_t syndrome, gpa_t addr)
{
    struct partition *p = v->part;

    spin_lock(&p->lock);
    if (partition_state(p) == PARTITION_RUNNING) {
        hv_printf("partition %u \"%s\" vcpu %u: %s: " ARCH_SYNDROME_NAME " 0x%llx guest address "
                  "0x%llx\n",
                  p->config->id, p->config->label, v->index, what, (unsigned long long)syndrome,
                  (unsigned long long)gpa_val(addr));
        stop_locked(p, PARTITION_FAULTED, v);
    }
    spin_unlock(&p->lock);
    vcpu_park(v);
}

void partition_stop_faulted(struct partition *p, const char *what)
{
    int state;

    spin_lock(&p->lock);
    state = partition_state(p);
    /* A partition set up but not yet started owns its devices already: contained too. */
    if (state == PARTITION_RUNNING || state == PARTITION_READY) {
        partition_printf(p, "%s\n", what);
        stop_locked(p, PARTITION_FAULTED, NULL);
    }
    spin_unlock(&p->lock);
}

void partition_reset(struct vcpu *v)
{
    struct partition *p = v->part;
    int err;

    spin_lock(&p->lock);
    if (partition_state(p) != PARTITION_RUNNING) {
        spin_unlock(&p->lock);
        vcpu_park(v);
    }
    hv_printf("partition %u \"%s\" vcpu %u: system reset\n", p->config->id, p->config->label,
              v->index);
    __atomic_store_n(&p->state, PARTITION_RESETTING, __ATOMIC_RELEASE);
    partition_unmap(p);
    cancel_starts(p, v);
    spin_unlock(&p->lock);
    arch_cpu_kick();
    kick_vcpus(p);
    /* Every other vCPU traps at its next access (no mapping left) or at the kick, and parks. */
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        while (vcpu_state(&p->vcpus[i]) != VCPU_OFF) {
            arch_cpu_relax();
        }
    }
    spin_lock(&p->lock);
    p->boot_count++;
    vdev_partition_reset(p);
    /* The devices' interrupts start over disabled, as at the first boot. */
    arch_irq_release(p);
    err = partition_route_irqs(p);
    /* A line a vCPU left half-written belongs to the previous boot: drop it. */
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        p->vcpus[i].line = (struct console_line){0};
    }
    if (err == 0) {
        err = partition_map(p);
    }
    if (err == 0 && IS_ENABLED(CONFIG_TEST_EXIT)) {
        err = partition_audit(p); /* test builds: the remap holds exactly the configuration */
    }
    if (err == 0) {
        err = partition_load(p);
    }
    if (err != 0) {
        partition_printf(p, "reset failed: %s\n", errno_name(err));
        stop_locked(p, PARTITION_FAILED, v);
        spin_unlock(&p->lock);
        vcpu_park(v);
    }
    /* The pool level after each reset: a leak in unmap/remap shows as a drift (tests). */
    partition_printf(p, "reset %u done, page pool %llu pages used\n", p->boot_count,
                     (unsigned long long)page_pool_stats(&hv_page_pool).used);
    __atomic_store_n(&p->state, PARTITION_RUNNING, __ATOMIC_RELEASE);
    vcpu_post_start(&p->vcpus[0], p->image_entry, p->boot_context);
    spin_unlock(&p->lock);
    /* vCPU 0's CPU picks the start up; when that is this CPU, right away. */
    vcpu_cpu_main(v->cpu);
}
