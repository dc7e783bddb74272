// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile: an I/O port the partition was not given. 0xf4 is QEMU's isa-debug-exit in the test
 * machine: if the IOPM let the write through, QEMU would end at once with exit status
 * (0x3f << 1) | 1 = 127 and the test would fail on the status. The partition must be stopped
 * instead ("OUT of I/O port 0xf4 denied").
 */
#include "rt.h"

void guest_main(struct guest_info *gi)
{
    (void)gi;
    gprintf("io_hostile: writing the debug-exit port 0xf4\n");
    __asm__ __volatile__("outl %0, %1" ::"a"(0x3fu), "Nd"((uint16_t)0xf4) : "memory");
    guest_fail("the write to I/O port 0xf4 went through");
}
