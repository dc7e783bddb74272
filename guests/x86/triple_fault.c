// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile: a triple fault. With an empty IDT, INT3 raises #GP, then #DF, then shutdown; the
 * hypervisor intercepts SHUTDOWN and stops the partition ("shutdown (triple fault)").
 */
#include "rt.h"

void guest_main(struct guest_info *gi)
{
    static const struct {
        uint16_t limit;
        uint64_t base;
    } __packed empty = {0, 0};

    (void)gi;
    gprintf("triple_fault: empty IDT, then INT3\n");
    __asm__ __volatile__("lidt %0; int3" ::"m"(empty) : "memory");
    guest_fail("survived a triple fault");
}
