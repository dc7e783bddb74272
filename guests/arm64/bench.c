// SPDX-License-Identifier: Apache-2.0
/*
 * Cost figures for tests/bench/arm64_icount.sh. Under QEMU -icount shift=0 every guest or
 * hypervisor instruction advances virtual time by 1 ns, so a counter delta converts to
 * instructions: ns = ticks * 1e9 / CNTFRQ. Each figure averages BENCH_ROUNDS calls and
 * subtracts the same loop around nothing.
 *   hvc_round_trip: HVC BH_HC_PARTITION_INFO (trap to EL2, dispatch, ERET)
 *   smc_round_trip: SMC PSCI_VERSION (trapped SMC, PSCI emulation, ERET)
 *   mmio_round_trip: a 32-bit load of the virtual UART's UARTFR (stage-2 data abort,
 *     syndrome decode, core/vdev/vmmio.c dispatch, arch/arm64/vpl011.c register read, ERET)
 */
#include "stdout_uart.h"

#define BENCH_ROUNDS 4096u

enum bench_op { OP_NONE, OP_HVC, OP_SMC, OP_MMIO };

/* The stdout-path UART (the hypervisor's virtual PL011). */
static uint64_t uart_base;

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
        case OP_MMIO:
            (void)uart_read(uart_base, UART_FR);
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
    uint64_t base, hvc, smc, mmio, size;

    GUEST_CHECK(stdout_uart(gi, &uart_base, &size) == 0, "no UART at /chosen stdout-path");
    (void)run(OP_HVC); /* warm the translation cache */
    (void)run(OP_MMIO);
    base = run(OP_NONE);
    hvc = run(OP_HVC);
    smc = run(OP_SMC);
    mmio = run(OP_MMIO);
    gprintf("bench: counter %llu Hz, %u rounds\n", (unsigned long long)freq, BENCH_ROUNDS);
    gprintf("bench: hvc_round_trip: %llu instructions\n",
            (unsigned long long)(per_call(hvc, freq) - per_call(base, freq)));
    gprintf("bench: smc_round_trip: %llu instructions\n",
            (unsigned long long)(per_call(smc, freq) - per_call(base, freq)));
    gprintf("bench: mmio_round_trip: %llu instructions\n",
            (unsigned long long)(per_call(mmio, freq) - per_call(base, freq)));
}
