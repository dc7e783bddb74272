// SPDX-License-Identifier: Apache-2.0
/*
 * Ending a QEMU test run and reading its nonce through semihosting (contract:
 * include/arch/test.h). Test builds only (CONFIG_TEST_EXIT, arch/arm64/build.mk).
 */
#include <arch/cpu.h>
#include <arch/test.h>
#include <hv/console.h>
#include <hv/errno.h>

#include "arm64.h"

/* Semihosting operations (Arm semihosting spec 6.1-6.5) and SYS_EXIT's AArch64 reason code. */
#define SEMIHOSTING_SYS_OPEN 0x01
#define SEMIHOSTING_SYS_CLOSE 0x02
#define SEMIHOSTING_SYS_READ 0x06
#define SEMIHOSTING_SYS_EXIT 0x18
#define SEMIHOSTING_OPEN_R 0 /* fopen mode "r" */
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

/*
 * AArch64 semihosting: HLT #0xF000 with the operation in w0 and a parameter pointer in x1.
 * For SYS_EXIT on AArch64, x1 points to {reason, exit code}, so QEMU (with
 * -semihosting-config enable=on) ends with that status.
 */
/* One semihosting call: operation op, parameter block at block; the result from x0. */
static int64_t semihost(uint64_t op, const void *block)
{
    register uint64_t x0 __asm__("x0") = op;
    register const void *x1 __asm__("x1") = block;

    __asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return (int64_t)x0;
}

int arch_test_nonce(char *buf, size_t size)
{
    static const char name[] = "bulkhead-nonce";
    uint64_t open_block[3] = {(uint64_t)(uintptr_t)name, SEMIHOSTING_OPEN_R, sizeof(name) - 1};
    uint64_t io_block[3];
    int64_t handle, left;

    if (size < 2) {
        return -EINVAL;
    }
    handle = semihost(SEMIHOSTING_SYS_OPEN, open_block);
    if (handle < 0) {
        return -ENOENT;
    }
    /* SYS_READ returns the number of bytes NOT read (6.10). */
    io_block[0] = (uint64_t)handle;
    io_block[1] = (uint64_t)(uintptr_t)buf;
    io_block[2] = size - 1;
    left = semihost(SEMIHOSTING_SYS_READ, io_block);
    (void)semihost(SEMIHOSTING_SYS_CLOSE, io_block);
    if (left < 0 || (uint64_t)left > size - 1) {
        return -EIO;
    }
    buf[size - 1 - (size_t)left] = '\0';
    return (int)(size - 1 - (size_t)left);
}

void arch_test_exit(int code)
{
    static uint64_t block[2];
    bool was_exiting;

    /* Exclusives need cacheable memory (Arm ARM B2.9.5); with the MMU off (an exception
     * during early boot) only this CPU runs, so a plain access is enough. */
    if (read_sysreg(sctlr_el2) & SCTLR_EL2_M) {
        was_exiting = __atomic_exchange_n(&arm64_test_exiting, true, __ATOMIC_ACQ_REL);
    } else {
        was_exiting = arm64_test_exiting;
        arm64_test_exiting = true;
    }
    if (!was_exiting) {
        /* The verdict's hypervisor-only line: the exit code with the run's nonce. */
        hv_printf("test: exit %d, run %s\n", code, hv_test_nonce());
        block[0] = ADP_STOPPED_APPLICATION_EXIT;
        block[1] = (uint64_t)(int64_t)code;
        (void)semihost(SEMIHOSTING_SYS_EXIT, block);
    }
    /* Semihosting off (real hardware), or another CPU is already ending the machine. */
    arch_halt();
}
