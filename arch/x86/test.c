// SPDX-License-Identifier: Apache-2.0
/*
 * Ending a QEMU test run (contract: include/arch/test.h). Test builds only
 * (CONFIG_TEST_EXIT, arch/x86/build.mk).
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/test.h>
#include <hv/errno.h>

/* isa-debug-exit (QEMU -device isa-debug-exit,iobase=0xf4,iosize=0x04). */
#define X86_DEBUG_EXIT_PORT 0xf4

int arch_test_nonce(char *buf, size_t size)
{
    /* No channel yet (QEMU's fw_cfg would be one); x86 runs no partitions yet either. */
    (void)buf;
    (void)size;
    return -EOPNOTSUPP;
}

void arch_test_exit(int code)
{
    /* QEMU exits with status (code << 1) | 1. */
    pio_write32(X86_DEBUG_EXIT_PORT, (uint32_t)code);
    arch_halt();
}
