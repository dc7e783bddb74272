// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile hypercall arguments: every bad call must come back with its error code (ABI:
 * include/hv/hypercall_abi.h) and leave the hypervisor and the partition running.
 */
#include "rt.h"

static void expect(const char *what, int64_t want, uint64_t id, uint64_t a1, uint64_t a2,
                   uint64_t a3)
{
    int64_t got = (int64_t)hc_call(id, a1, a2, a3, 0, 0).a0;

    GUEST_CHECK(got == want, "%s: got %lld, want %lld", what, (long long)got, (long long)want);
    gprintf("hc_hostile: %s: %lld as expected\n", what, (long long)got);
}

void guest_main(struct guest_info *gi)
{
    static const char text[] = "hc_hostile: console from a good buffer\n";

    expect("console write of a buffer outside memory", BH_HC_E_FAULT, BH_HC_CONSOLE_WRITE,
           gi->mem_end + 0x1000, 16, 0);
    expect("console write of a buffer in the hypervisor's range", BH_HC_E_FAULT,
           BH_HC_CONSOLE_WRITE, 0x100000000ull, 16, 0);
    expect("console write wrapping around", BH_HC_E_FAULT, BH_HC_CONSOLE_WRITE, ~0ull - 4, 16, 0);
    expect("console write too long", BH_HC_E_INVALID, BH_HC_CONSOLE_WRITE,
           (uint64_t)(uintptr_t)text, BH_HC_CONSOLE_MAX + 1, 0);
    expect("shm info of an unknown id", BH_HC_E_NOENT, BH_HC_SHM_INFO, (uint64_t)(uintptr_t) "nope",
           4, 0);
    expect("shm info with a bad id pointer", BH_HC_E_FAULT, BH_HC_SHM_INFO, gi->mem_end, 4, 0);
    expect("vcpu start of a vCPU that does not exist", BH_HC_E_INVALID, BH_HC_VCPU_START, 7,
           0x100000, 0);
    expect("vcpu start of a huge index", BH_HC_E_INVALID, BH_HC_VCPU_START, ~0ull, 0x100000, 0);
    expect("vcpu start of the calling vCPU", BH_HC_E_INVALID, BH_HC_VCPU_START, 0, 0x100000, 0);
    expect("unknown Bulkhead function", BH_HC_E_NOT_SUPPORTED, BH_HC_BASE + 0x7f, 0, 0, 0);
    expect("function outside the Bulkhead range", BH_HC_E_NOT_SUPPORTED, 0x12345678u, 0, 0, 0);
    {
        /* COM2 (0x2f8-0x2ff) is this partition's device: its ports pass the IOPM without an
         * intercept (a denied port would stop the partition, and its verdict with it). */
        uint8_t lsr;

        __asm__ __volatile__("inb %1, %0" : "=a"(lsr) : "Nd"((uint16_t)0x2fd));
        gprintf("hc_hostile: COM2 LSR read directly: %#x\n", lsr);
    }
    expect("console write of a good buffer", (int64_t)(sizeof(text) - 1), BH_HC_CONSOLE_WRITE,
           (uint64_t)(uintptr_t)text, sizeof(text) - 1, 0);
}
