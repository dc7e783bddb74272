// SPDX-License-Identifier: Apache-2.0
/*
 * Physical CPUs (contract: include/arch/smp.h). The CPUs come from the DT /cpus node, each
 * "reg" being the MPIDR affinity (Devicetree Specification 3.8; Arm cpus binding). Each is
 * started the way its "enable-method" says:
 *  - "psci": PSCI CPU_ON (Arm DEN0022 "Power State Coordination Interface" 5.1.4) through
 *    the conduit /psci "method" names; the CPU enters arm64_secondary_entry (head.S) at EL2
 *    with the MMU off and this file's struct arm64_cpu_boot in x0;
 *  - "spin-table" (Devicetree Specification 3.8.1 "cpu-release-addr"; Linux arm64
 *    booting.rst): the CPU waits in the board's stub, in WFE, for a non-zero entry address
 *    at its 64-bit "cpu-release-addr"; it is written, cleaned to the PoC (the stub reads it
 *    with its MMU off) and announced with SEV. The stub gives no argument (x0 = 0), so the
 *    CPU enters arm64_spin_entry, which finds its struct arm64_cpu_boot by MPIDR.
 */
#include <arch/cpu.h>
#include <arch/mm.h>
#include <arch/smp.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/percpu.h>
#include <hv/string.h>

#include "arm64.h"
#include "gic.h"

/* PSCI 0.2+ function id of CPU_ON, SMC64 calling convention (DEN0022 5.1, table 5). */
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u

/* PSCI return codes (DEN0022 5.2.2) as errnos, by -code: SUCCESS, NOT_SUPPORTED,
 * INVALID_PARAMETERS, DENIED, ALREADY_ON, ON_PENDING, INTERNAL_FAILURE, NOT_PRESENT, DISABLED,
 * INVALID_ADDRESS; anything else -EIO. */
static const int psci_errnos[] = {0,      -EOPNOTSUPP, -EINVAL, -EPERM, -EBUSY,
                                  -EBUSY, -EIO,        -EIO,    -EIO,   -EFAULT};

struct arm64_cpu {
    uint64_t mpidr;   /* MPIDR_EL1 affinity fields, as in the DT "reg" */
    bool psci;        /* enable-method = "psci" */
    bool spin;        /* enable-method = "spin-table", released through release */
    uint64_t release; /* "cpu-release-addr" (physical, in RAM the hypervisor maps 1:1) */
};

/* Outside BSS (hv.lds.S .noinit): a stack needs no clearing, each CPU uses it from its top. */
uint8_t arm64_stacks[CONFIG_NR_CPUS][ARM64_STACK_SLOT] __aligned(PAGE_SIZE) __noinit;
uint8_t arm64_exc_stacks[CONFIG_NR_CPUS][ARM64_EXC_STACK_SIZE] __aligned(16) __noinit;

static struct arm64_cpu cpus[CONFIG_NR_CPUS];
static unsigned int nr_cpus;
static struct arm64_cpu_boot cpu_boot[CONFIG_NR_CPUS];
struct arm64_spin_boot arm64_spin_boot[CONFIG_NR_CPUS] __aligned(64);
static uint32_t psci_cpu_on_fn;
static bool psci_smc; /* the only conduit usable from EL2: an HVC would trap to ourselves */

/*
 * An SMC Calling Convention call (Arm DEN0028) as x[] lays it out: x0..x7 in (SMCCC v1.2,
 * 2.6), x0..x3 back into x[0..3] (the results before v1.2); x8..x17 may be clobbered by the
 * firmware (before v1.1 as well as x4..x7, which are not read back).
 */
void arm64_smc(uint64_t x[8])
{
    register uint64_t x0 __asm__("x0") = x[0];
    register uint64_t x1 __asm__("x1") = x[1];
    register uint64_t x2 __asm__("x2") = x[2];
    register uint64_t x3 __asm__("x3") = x[3];
    register uint64_t x4 __asm__("x4") = x[4];
    register uint64_t x5 __asm__("x5") = x[5];
    register uint64_t x6 __asm__("x6") = x[6];
    register uint64_t x7 __asm__("x7") = x[7];

    __asm__ __volatile__(
        "smc #0"
        : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
        :
        : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    x[0] = x0;
    x[1] = x1;
    x[2] = x2;
    x[3] = x3;
}

/* /psci: the conduit and the CPU_ON function id (PSCI 0.1 names its own ids). */
static void psci_init(const struct fdt *fdt)
{
    struct fdt_prop compat;
    const char *method;
    int node = fdt_path(fdt, "/psci");

    if (node < 0 || fdt_prop(fdt, node, "compatible", &compat) != 0) {
        hv_printf("psci: no /psci node: secondary CPUs cannot be started\n");
        return;
    }
    if (fdt_prop_string(fdt, node, "method", &method) != 0 || strcmp(method, "smc") != 0) {
        hv_printf("psci: /psci: method: \"smc\" required at EL2 (HVC would trap to EL2 itself)\n");
        return;
    }
    if (fdt_stringlist_contains(&compat, "arm,psci-1.0") ||
        fdt_stringlist_contains(&compat, "arm,psci-0.2")) {
        psci_cpu_on_fn = PSCI_0_2_FN64_CPU_ON;
    } else if (fdt_prop_u32(fdt, node, "cpu_on", &psci_cpu_on_fn) != 0) {
        hv_printf("psci: /psci: cpu_on: missing for PSCI 0.1\n");
        return;
    }
    psci_smc = true;
}

/* Record one /cpus child as the next logical CPU, unless CONFIG_NR_CPUS are taken. */
static void add_cpu(const struct fdt *fdt, int node, uint64_t mpidr)
{
    const char *method;

    if (nr_cpus == CONFIG_NR_CPUS) {
        hv_printf("cpus: /cpus/%s left off: CONFIG_NR_CPUS is %u\n", fdt_node_name(fdt, node),
                  CONFIG_NR_CPUS);
        return;
    }
    cpus[nr_cpus].mpidr = mpidr;
    if (fdt_prop_string(fdt, node, "enable-method", &method) != 0) {
        method = "";
    }
    cpus[nr_cpus].psci = strcmp(method, "psci") == 0;
    if (strcmp(method, "spin-table") == 0) {
        struct fdt_prop rel;

        /* cpu-release-addr: always two cells (a 64-bit address), whatever #address-cells. */
        if (fdt_prop(fdt, node, "cpu-release-addr", &rel) == 0 && rel.len == 8) {
            cpus[nr_cpus].release = fdt_read_cells(rel.data, 2);
            cpus[nr_cpus].spin = cpus[nr_cpus].release != 0 && (cpus[nr_cpus].release & 7) == 0;
        }
        if (!cpus[nr_cpus].spin) {
            hv_printf("cpus: /cpus/%s: cpu-release-addr: missing or not an aligned 64-bit "
                      "address\n",
                      fdt_node_name(fdt, node));
        }
    }
    nr_cpus++;
}

int arch_smp_init(const struct fdt *fdt)
{
    uint64_t self = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
    int cpus_node = fdt_path(fdt, "/cpus");

    arm64_mmu_report(); /* the first arch hook with a console: report the boot map */
    if (cpus_node < 0) {
        hv_printf("cpus: no /cpus node\n");
        return -ENOENT;
    }
    psci_init(fdt);
    if (gic_init(fdt) != 0) {
        hv_printf("gic: not usable: partitions get no interrupt controller\n");
    }
    /* Two passes: the boot CPU (found by its MPIDR) is logical CPU 0, then DT order. */
    for (int pass = 0; pass < 2; pass++) {
        for (int node = fdt_first_child(fdt, cpus_node); node >= 0;
             node = fdt_next_sibling(fdt, node)) {
            const char *type;
            uint64_t reg, size;

            if (fdt_prop_string(fdt, node, "device_type", &type) != 0 || strcmp(type, "cpu") != 0) {
                continue;
            }
            if (fdt_reg(fdt, node, 0, &reg, &size) != 0 || (reg & ~MPIDR_AFF_MASK) != 0) {
                if (pass == 0) {
                    hv_printf("cpus: /cpus/%s: reg: not an MPIDR affinity value\n",
                              fdt_node_name(fdt, node));
                }
                continue;
            }
            if ((pass == 0) == (reg == self)) {
                add_cpu(fdt, node, reg);
            }
        }
        if (nr_cpus == 0) {
            hv_printf("cpus: the boot CPU (MPIDR %#llx) is not in /cpus\n",
                      (unsigned long long)self);
            return -ENODEV;
        }
    }
    return (int)nr_cpus;
}

uint64_t arch_cpu_hwid(unsigned int cpu)
{
    return cpu < nr_cpus ? cpus[cpu].mpidr : UINT64_MAX;
}

/*
 * Release a spin-table CPU: its slot in arm64_spin_boot first (for arm64_spin_entry), then
 * the entry address at its release address, each cleaned to the PoC before the next becomes
 * visible (the CPU reads both with its MMU off), then SEV to end its WFE. There is no reply:
 * the core notices a CPU that never reports.
 */
static int spin_table_start(unsigned int cpu, struct arm64_cpu_boot *boot)
{
    volatile uint64_t *release = (volatile uint64_t *)(uintptr_t)cpus[cpu].release;

    if (*release != 0) {
        return -EBUSY; /* released before (by us or a boot loader): it is not waiting */
    }
    arm64_spin_boot[cpu].mpidr = cpus[cpu].mpidr;
    arm64_spin_boot[cpu].boot = boot;
    arch_dcache_clean(&arm64_spin_boot[cpu], sizeof(arm64_spin_boot[cpu]));
    dsb(sy);
    *release = (uint64_t)(uintptr_t)arm64_spin_entry;
    arch_dcache_clean((const void *)release, sizeof(*release));
    dsb(sy);
    __asm__ __volatile__("sev" ::: "memory");
    return 0;
}

int arch_cpu_start(unsigned int cpu)
{
    struct arm64_cpu_boot *boot;
    int64_t ret;

    /* Range first: nr_cpus <= CONFIG_NR_CPUS (add_cpu), so cpu then indexes cpu_boot[]. */
    if (cpu == 0 || cpu >= nr_cpus) {
        return -EINVAL;
    }
    boot = &cpu_boot[cpu];
    if (!(cpus[cpu].psci && psci_smc) && !cpus[cpu].spin) {
        return -EOPNOTSUPP;
    }
    boot->stack_top = arm64_stack_top(cpu);
    boot->exc_stack_top = (uint64_t)(uintptr_t)(arm64_exc_stacks[cpu] + ARM64_EXC_STACK_SIZE);
    boot->cpu = cpu;
    boot->percpu = (uint64_t)(uintptr_t)per_cpu(cpu);
    boot->mmu = arm64_el2_mmu;
    /* The new CPU reads this with its MMU (so its caches) off: push it to the PoC. */
    arch_dcache_clean(boot, sizeof(*boot));
    if (cpus[cpu].spin) {
        return spin_table_start(cpu, boot);
    }
    uint64_t x[8] = {psci_cpu_on_fn, cpus[cpu].mpidr, (uint64_t)(uintptr_t)arm64_secondary_entry,
                     (uint64_t)(uintptr_t)boot};

    arm64_smc(x);
    ret = (int64_t)x[0];
    if (ret != 0) {
        hv_printf("cpu%u: PSCI CPU_ON(%#llx) returned %lld\n", cpu,
                  (unsigned long long)cpus[cpu].mpidr, (long long)ret);
    }
    return ret <= 0 && ret > -(int64_t)ARRAY_SIZE(psci_errnos) ? psci_errnos[-ret] : -EIO;
}
