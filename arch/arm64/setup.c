// SPDX-License-Identifier: Apache-2.0
/*
 * C entry of the boot CPU. head.S has put the EL2 registers in a known state, cleared BSS
 * and set up CPU 0's stacks; the MMU is still off. Turn on the MMU, then hand over to the
 * generic boot sequence.
 */
#include <arch/cpu.h>
#include <hv/boot.h>
#include <hv/console.h>

#include "arm64.h"
#include "gic.h"

/* The EL2 controls as the boot loader left them (Debian U-Boot: HCR_EL2 0x20, CPTR_EL2
 * 0x33ff), reported once the console works. */
static uint64_t fw_hcr_el2, fw_cptr_el2, fw_sctlr_el2;

void arm64_boot_main(uint64_t fw_hcr, uint64_t fw_cptr, uint64_t fw_sctlr)
{
    fw_hcr_el2 = fw_hcr;
    fw_cptr_el2 = fw_cptr;
    fw_sctlr_el2 = fw_sctlr;
    arm64_mmu_init();
    hv_main();
}

void arm64_secondary_main(unsigned int cpu)
{
    gic_cpu_init();
    hv_secondary_main(cpu);
}

/* A boot unit, so that it follows the banner: where and how the hypervisor was entered. */
static int arm64_boot_info(const struct fdt *fdt)
{
    (void)fdt;
    hv_printf("arm64: entered at EL%llu; the boot loader left HCR_EL2 %#llx, CPTR_EL2 %#llx, "
              "SCTLR_EL2 %#llx\n",
              (unsigned long long)(read_sysreg(CurrentEL) >> 2) & 3, (unsigned long long)fw_hcr_el2,
              (unsigned long long)fw_cptr_el2, (unsigned long long)fw_sctlr_el2);
    /* The counter frequency is whatever the firmware programmed (8 MHz on the i.MX 8M Plus,
     * 62.5 MHz or 1 GHz on QEMU's models): every time base reads it, none assumes one. */
    hv_printf("arm64: generic timer: %llu Hz (CNTFRQ_EL0)\n",
              (unsigned long long)(read_sysreg(cntfrq_el0) & 0xffffffffu));
    return 0;
}

HV_UNIT(arm64_boot_unit, "arm64-boot", HV_UNIT_ORDER_ARCH_REPORT, arm64_boot_info);
