// SPDX-License-Identifier: Apache-2.0
/*
 * Cost figures for tests/bench/x86_icount.sh. Under QEMU -icount shift=0 every instruction
 * advances virtual time by 1 ns and QEMU's TSC counts virtual nanoseconds, so an RDTSC delta
 * (RDTSC is not intercepted, TSC offset 0) is an instruction count. Each figure averages
 * BENCH_ROUNDS calls and subtracts the same loop around nothing.
 *   vmmcall_round_trip: VMMCALL BH_HC_PARTITION_INFO (#VMEXIT, decode of the instruction
 *     length, dispatch, VMRUN)
 *   cpuid_round_trip: CPUID 0 (an intercepted instruction emulated by the hypervisor)
 *   io_round_trip: IN of the virtual COM1's line status register (port 0x3fd, an I/O access
 *     the IOPM intercepts and arch/x86/vuart.c emulates; IOIO exits carry the next RIP, so
 *     no decode)
 */
#include "rt.h"

#define BENCH_ROUNDS 4096u

enum bench_op { OP_NONE, OP_VMMCALL, OP_CPUID, OP_IN };

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

static uint64_t run(enum bench_op op)
{
    uint64_t t0 = rdtsc();

    for (unsigned int i = 0; i < BENCH_ROUNDS; i++) {
        switch (op) {
        case OP_VMMCALL:
            (void)hc_call(BH_HC_PARTITION_INFO, 0, 0, 0, 0, 0);
            break;
        case OP_CPUID: {
            uint32_t a = 0, b, c = 0, d;

            __asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
            break;
        }
        case OP_IN:
            (void)guest_inb(0x3fd);
            break;
        default:
            __asm__ __volatile__("" ::: "memory");
            break;
        }
    }
    return rdtsc() - t0;
}

void guest_main(struct guest_info *gi)
{
    uint64_t base, vmmcall, cpuid, io;

    (void)gi;
    (void)run(OP_VMMCALL); /* warm QEMU's translation cache */
    (void)run(OP_CPUID);
    (void)run(OP_IN);
    base = run(OP_NONE);
    vmmcall = run(OP_VMMCALL);
    cpuid = run(OP_CPUID);
    io = run(OP_IN);
    GUEST_CHECK(vmmcall > base && cpuid > base && io > base, "no time passed (is -icount on?)");
    gprintf("bench: vmmcall_round_trip: %llu instructions\n",
            (unsigned long long)((vmmcall - base + BENCH_ROUNDS / 2) / BENCH_ROUNDS));
    gprintf("bench: cpuid_round_trip: %llu instructions\n",
            (unsigned long long)((cpuid - base + BENCH_ROUNDS / 2) / BENCH_ROUNDS));
    gprintf("bench: io_round_trip: %llu instructions\n",
            (unsigned long long)((io - base + BENCH_ROUNDS / 2) / BENCH_ROUNDS));
}
