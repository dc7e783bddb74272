// SPDX-License-Identifier: Apache-2.0
/* Arm64 answers to the partition configuration (include/arch/config.h). */
#include <arch/config.h>
#include <arch/vpci.h>
#include <hv/pgtable.h>
#include <hv/vpci.h>
#include <asm/vpci.h>
#include <asm/vpl011.h>
#include <hv/compiler.h>

#include "arm64.h"

/* VTCR_EL2.PS (arch/arm64/vcpu.c) is 40 bits: the stage-2 output size, whatever PARange is. */
#define STAGE2_OUTPUT_BITS 40u

/*
 * Stage-2 MemAttr (Arm ARM D8.5.5, stage 2 memory type encoding) expresses Normal
 * write-back, write-through and non-cacheable memory, so every policy of binding v1 works.
 */
bool arch_cache_policy_supported(enum cache_policy policy)
{
    return policy == CACHE_POLICY_WB || policy == CACHE_POLICY_WT || policy == CACHE_POLICY_NC;
}

/* Every partition gets the vUART page (arch/arm64/vpl011.c) and the virtual PCI host's ECAM
 * and emulated-BAR window (asm/vpci.h), whether it has PCI functions or not, so that a layout
 * stays valid when a function is added. */
bool arch_config_vdev_range(unsigned int k, uint64_t *base, uint64_t *size, const char **what)
{
    static const struct {
        uint64_t base, size;
        const char *what;
    } ranges[] = {
        {VPL011_GUEST_BASE, VPL011_SIZE, "the virtual console UART page"},
        {VPCI_GUEST_ECAM, VPCI_ECAM_SIZE, "the virtual PCI host's ECAM"},
        {VPCI_GUEST_MEM, VPCI_GUEST_MEM_SIZE, "the virtual PCI BAR window"},
        {VPCI_GUEST_MAPPED, VPCI_GUEST_MAPPED_SIZE, "the passed-through PCI BAR window"},
    };

    if (k >= ARRAY_SIZE(ranges)) {
        return false;
    }
    *base = ranges[k].base;
    *size = ranges[k].size;
    *what = ranges[k].what;
    return true;
}

/* No I/O ports on arm64. */
bool arch_config_hv_ports(unsigned int k __unused, uint64_t *base __unused, uint64_t *size __unused,
                          const char **what __unused)
{
    return false;
}

/*
 * GIC interrupt specifiers (Linux binding arm,gic-v3 / arm,gic: 3 or 4 cells): cell 0 is 0
 * for an SPI and 1 for a PPI, cell 1 the number within that class. SPIs are the shared
 * lines, INTID 32 + number (GIC architecture IHI 0069, 2.2 "INTID ranges"); PPIs are banked
 * per CPU.
 */
bool arch_config_shared_irq(const uint32_t *spec, unsigned int cells, uint32_t *irq)
{
    if (cells < 3 || spec[0] != 0 || spec[1] > 987) { /* SPIs are INTIDs 32..1019 */
        return false;
    }
    *irq = spec[1] + 32;
    return true;
}

/*
 * Guest addresses: what the stage-2 tables reach (ARM64_STAGE2_DEPTH levels of the 4 KiB
 * format: 39 bits from level 1). Host addresses: the CPU's PARange, capped at the stage-2
 * output size VTCR_EL2.PS selects (Arm ARM D8.1.9: an output address above PS faults).
 */
void arch_config_addr_bits(unsigned int *guest_bits, unsigned int *host_bits)
{
    unsigned int ps;

    *guest_bits = pt_reach_bits(&pt_fmt_arm_s2_4k, ARM64_STAGE2_DEPTH);
    *host_bits = MIN(arm64_pa_range_bits(&ps), STAGE2_OUTPUT_BITS);
}

int arch_vpci_layout(struct arch_vpci_layout *l)
{
    *l = (struct arch_vpci_layout){.ecam = VPCI_GUEST_ECAM,
                                   .mem = VPCI_GUEST_MEM,
                                   .mem_size = VPCI_GUEST_MEM_SIZE,
                                   .mapped = VPCI_GUEST_MAPPED,
                                   .mapped_size = VPCI_GUEST_MAPPED_SIZE};
    return 0;
}
