// SPDX-License-Identifier: Apache-2.0
/* x86 answers to the partition configuration (include/arch/config.h). */
#include <arch/config.h>
#include <arch/vpci.h>
#include <hv/errno.h>
#include <asm/cpu.h>
#include <asm/hv_ports.h>

/* Four-level nested page tables translate 48-bit guest-physical addresses (AMD APM vol. 2,
 * 15.25.5, "Nested Table Walk"). */
#define NPT_GUEST_BITS 48u
/* CPUID Fn8000_0008 EAX[7:0]: PhysAddrSize (AMD APM vol. 3, E.4.7). */
#define CPUID_ADDR_SIZES 0x80000008u

/*
 * NPT leaf entries carry PAT/PCD/PWT like ordinary page tables (AMD APM vol. 2, 15.25.8
 * "Combining Guest and Host PAT"), which select write-back, write-through and uncacheable
 * memory, so every policy of binding v1 works.
 */
bool arch_cache_policy_supported(enum cache_policy policy)
{
    return policy == CACHE_POLICY_WB || policy == CACHE_POLICY_WT || policy == CACHE_POLICY_NC;
}

/* No virtual device claims guest addresses on x86 yet. */
bool arch_config_vdev_range(unsigned int k __unused, uint64_t *base __unused,
                            uint64_t *size __unused, const char **what __unused)
{
    return false;
}

bool arch_config_hv_ports(unsigned int k, uint64_t *base, uint64_t *size, const char **what)
{
    static const struct {
        uint64_t base, size;
        const char *what;
    } ports[] = X86_HV_PORTS;

    if (k >= ARRAY_SIZE(ports)) {
        return false;
    }
    *base = ports[k].base;
    *size = ports[k].size;
    *what = ports[k].what;
    return true;
}

/* x86 interrupt specifiers name an I/O APIC input (a global system interrupt) in cell 0. */
bool arch_config_shared_irq(const uint32_t *spec, unsigned int cells, uint32_t *irq)
{
    if (cells < 1) {
        return false;
    }
    *irq = spec[0];
    return true;
}

void arch_config_addr_bits(unsigned int *guest_bits, unsigned int *host_bits)
{
    uint32_t regs[4];

    *guest_bits = NPT_GUEST_BITS;
    /* Every AMD64 CPU has the leaf (SVM needs long mode); the maximum extended leaf in
     * 0x80000000 EAX is checked anyway, and without it the architectural minimum of the
     * 64-bit mode, 36 bits (PAE), is assumed. */
    x86_cpuid(0x80000000u, 0, regs);
    if (regs[0] < CPUID_ADDR_SIZES) {
        *host_bits = 36;
        return;
    }
    x86_cpuid(CPUID_ADDR_SIZES, 0, regs);
    *host_bits = regs[0] & 0xffu;
}

/* No virtual PCI host: x86 partitions have no interrupt controller to deliver INTx yet. */
int arch_vpci_layout(struct arch_vpci_layout *l __unused)
{
    return -ENODEV;
}
