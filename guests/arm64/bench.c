// SPDX-License-Identifier: Apache-2.0
/*
 * Cost figures for tests/bench/arm64_icount.sh. Under QEMU -icount shift=0 every guest or
 * hypervisor instruction advances virtual time by 1 ns, so a counter delta converts to
 * instructions: ns = ticks * 1e9 / CNTFRQ. Each figure averages BENCH_ROUNDS calls and
 * subtracts the same loop around nothing.
 *   hvc_round_trip: HVC BH_HC_PARTITION_INFO (trap to EL2, dispatch, ERET)
 *   smc_round_trip: SMC PSCI_VERSION (trapped SMC, PSCI emulation, ERET)
 * Trapped MMIO is not measured: the hypervisor emulates no device register for partitions
 * yet, and an access to an unmapped page stops the partition.
 */
#include "rt.h"

#define BENCH_ROUNDS 4096u

enum bench_op { OP_NONE, OP_HVC, OP_SMC };

static uint64_t run(enum bench_op op)
{
    uint64_t t0 = guest_counter();

    for (unsigned int i = 0; i < BENCH_ROUNDS; i++) {
        switch (op) {
        case OP_HVC:
            (void)hvc_call(BH_HC_PARTITION_INFO, 0, 0, 0, 0, 0);
            break;
        case OP_SMC:
            (void)smc_call(0x84000000u, 0, 0, 0, 0, 0);
            break;
        default:
            __asm__ __volatile__("" ::: "memory");
            break;
        }
    }
    return guest_counter() - t0;
}

/* Per-call instructions, rounded, from a counter delta over BENCH_ROUNDS calls. */
static uint64_t per_call(uint64_t ticks, uint64_t freq)
{
    return (ticks * 1000000000ull / freq + BENCH_ROUNDS / 2) / BENCH_ROUNDS;
}

void guest_main(struct guest_info *gi)
{
    uint64_t freq = guest_counter_freq();
    uint64_t base, hvc, smc;

    (void)gi;
    (void)run(OP_HVC); /* warm the translation cache */
    base = run(OP_NONE);
    hvc = run(OP_HVC);
    smc = run(OP_SMC);
    gprintf("bench: counter %llu Hz, %u rounds\n", (unsigned long long)freq, BENCH_ROUNDS);
    gprintf("bench: hvc_round_trip: %llu instructions\n",
            (unsigned long long)(per_call(hvc, freq) - per_call(base, freq)));
    gprintf("bench: smc_round_trip: %llu instructions\n",
            (unsigned long long)(per_call(smc, freq) - per_call(base, freq)));
}
