// SPDX-License-Identifier: Apache-2.0
/*
 * CONFIG_TEST_FAULT: a deliberate page fault once every CPU has reported, so that the system
 * tests can check the unexpected-exception report (traps.c) and its exit status. The address
 * is the first byte above the identity map of head.S: its PDPT entry is not present, so the
 * read raises #PF with CR2 = that address and error code 0 (APM vol. 2, 8.4.2: a supervisor
 * read of a non-present page).
 */
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>

#define X86_TEST_FAULT_ADDR UINT64_C(0x100000000)

static int x86_test_fault(const struct fdt *fdt)
{
    (void)fdt;
    hv_printf("test-fault: reading unmapped address %#llx\n",
              (unsigned long long)X86_TEST_FAULT_ADDR);
    (void)*(volatile const uint64_t *)(uintptr_t)X86_TEST_FAULT_ADDR;
    /* Only reached when the read did not fault: the boot then fails with this unit. */
    hv_printf("test-fault: the read did not fault\n");
    return -EFAULT;
}

HV_UNIT(x86_test_fault_unit, "x86-test-fault", HV_UNIT_ORDER_LAST, x86_test_fault);
