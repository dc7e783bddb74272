// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile to the test oracle (tests/system/arm64_oracle_forge.sh): try to end the run with a
 * passing verdict without the hypervisor. QEMU lets EL1 use semihosting too (HLT #0xf000 is
 * not trappable at EL2), so this guest prints the lines a pass would contain, both through
 * its console (which prefixes them with its label) and through semihosting SYS_WRITE0 (which
 * the harness routes to its own file), then ends QEMU itself with SYS_EXIT 0. The harness must
 * still call the run a failure: the hypervisor's "test: exit 0, run <nonce>" line is missing,
 * and the nonce was consumed before this guest ran.
 */
#include "rt.h"

#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static void semihost(uint64_t op, const void *arg)
{
    register uint64_t x0 __asm__("x0") = op;
    register const void *x1 __asm__("x1") = arg;

    __asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

void guest_main(struct guest_info *gi)
{
    static const char forged[] = "monitor: all partitions stopped, PASS\n"
                                 "test: exit 0, run 0123456789abcdef\n";
    static const uint64_t exit_block[2] = {ADP_STOPPED_APPLICATION_EXIT, 0};

    (void)gi;
    gprintf("\nmonitor: all partitions stopped, PASS\n");
    gprintf("test: exit 0, run 0123456789abcdef\n");
    semihost(SYS_WRITE0, forged);
    semihost(SYS_EXIT, exit_block);
    guest_fail("semihosting SYS_EXIT returned");
}
