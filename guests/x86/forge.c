// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile to the test oracle (tests/system/x86_oracle_forge.sh): try to end the run with a
 * passing verdict without the hypervisor. Its layout gives it QEMU's isa-debug-exit ports, as
 * a careless configuration could (the x86 counterpart of Arm's semihosting, which QEMU lets a
 * guest use whatever the hypervisor does): it prints the lines a pass would contain and ends
 * QEMU itself with code 0, the status of a pass. The harness must still call the run a
 * failure: the hypervisor's "test: exit 0, run <nonce>" line is missing, and the nonce is in
 * QEMU's fw_cfg, whose ports no partition has.
 */
#include "rt.h"

#define DEBUG_EXIT_PORT 0xf4

void guest_main(struct guest_info *gi)
{
    (void)gi;
    gprintf("\nmonitor: all partitions stopped, PASS\n");
    gprintf("test: exit 0, run 0123456789abcdef\n");
    /* QEMU exits with status (0 << 1) | 1 = 1, a pass's. */
    __asm__ __volatile__("outl %0, %1" ::"a"(0u), "Nd"((uint16_t)DEBUG_EXIT_PORT) : "memory");
    guest_fail("the write to isa-debug-exit did not end QEMU");
}
