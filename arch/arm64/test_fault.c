// SPDX-License-Identifier: Apache-2.0
/*
 * CONFIG_TEST_FAULT: once every CPU is up, read an address that is never mapped, to show
 * that an unexpected exception is reported (tests/system/arm64_fault.sh). Runs as a late boot
 * unit so that the banner and every CPU's report come first, but before "partitions-start"
 * (order 900), which never returns: the boot CPU then runs its vCPU.
 */
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>

#include "arm64.h"

static int test_fault_init(const struct fdt *fdt)
{
    /* The last page of the EL2 VA space: above every RAM and device range this board maps. */
    uint64_t addr = arm64_va_limit() - PAGE_SIZE;

    (void)fdt;
    hv_printf("test-fault: reading unmapped address %#llx\n", (unsigned long long)addr);
    (void)READ_ONCE(*(volatile const uint64_t *)(uintptr_t)addr);
    hv_printf("test-fault: the read did not fault\n");
    return -EFAULT;
}

HV_UNIT(test_fault_unit, "test-fault", HV_UNIT_ORDER_LAST, test_fault_init);
