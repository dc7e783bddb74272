// SPDX-License-Identifier: Apache-2.0
/*
 * Doorbell cost for tests/bench/arm64_doorbell.sh (layout bench_doorbell.dtsi). Under QEMU
 * -icount shift=0 every instruction of any CPU advances virtual time by 1 ns, so a counter
 * delta converts to instructions. "ping" rings "pong", whose interrupt handler rings back;
 * ping waits in WFI (trapped: the hypervisor waits for its interrupts) for its own handler.
 * One round trip is two doorbells, each from the ring to the peer's handler, both guests'
 * interrupt entry and handler included (they are part of "ring to peer's handler").
 *   doorbell_hvc:  rings by BH_HC_DOORBELL_RING
 *   doorbell_mmio: rings by a write to the doorbell register page
 * Exits: ping counts its own (BH_HC_TEST_TRAPS) over the round trips; per round trip that is
 * one ring (its trap) and one receipt (waiting in WFI and woken), i.e. by symmetry the exits
 * of one doorbell, ringer and receiver together.
 */
#include <bulkhead/guest.h>

#include "bell.h"
#include "gic.h"

#define ROUNDS 1024u
#define WARM 32u
#define READY 0x524541445921ull

struct bench_bell {
    volatile uint64_t ping_ready, pong_ready;
    volatile uint64_t mmio; /* how pong rings back */
    volatile uint64_t done;
};

static unsigned int bell_irq;
static uintptr_t bell_page;
static unsigned int me;
static struct bench_bell *b;
static volatile uint64_t rings;

static void ring(bool mmio)
{
    if (mmio) {
        bh_doorbell_ring_mmio(bell_page);
    } else {
        (void)bh_doorbell_ring("bell");
    }
}

void guest_irq(unsigned int vcpu, unsigned int intid)
{
    (void)vcpu;
    if (intid != bell_irq) {
        return;
    }
    rings++;
    if (me == 1) {
        ring(b->mmio != 0);
    }
}

static uint64_t exits(void)
{
    return bh_hypercall(BH_HC_TEST_TRAPS, 0, 0, 0, 0, 0).r1;
}

/* rounds round trips by mmio or hypercall: counter ticks, and ping's exits. */
static uint64_t round_trips(bool mmio, unsigned int rounds, uint64_t *ex)
{
    uint64_t t0, t1, e0;

    b->mmio = mmio;
    guest_dmb();
    e0 = exits();
    t0 = guest_counter();
    for (unsigned int i = 0; i < rounds; i++) {
        uint64_t before = rings;

        ring(mmio);
        while (rings == before) {
            __asm__ __volatile__("wfi");
        }
    }
    t1 = guest_counter();
    *ex = exits() - e0 - 1; /* the second reading call is not a doorbell's */
    return t1 - t0;
}

/* Instructions per doorbell (half a round trip), rounded. */
static uint64_t per_doorbell(uint64_t ticks, uint64_t freq)
{
    return (ticks * 1000000000ull / freq + ROUNDS) / (2 * ROUNDS);
}

void guest_main(struct guest_info *gi)
{
    uint64_t freq = guest_counter_freq(), hvc, mmio, ex_hvc, ex_mmio, ex;
    struct bh_shm shm;

    GUEST_CHECK(bh_shm_info("bell", &shm) == BH_HC_OK, "no \"bell\"");
    me = (shm.flags & BH_SHM_OWNER) != 0 ? 0 : 1;
    b = (struct bench_bell *)(uintptr_t)shm.base;
    bell_find(gi, "bell", &bell_irq, &bell_page);
    GUEST_CHECK(gic_init(gi) == 0, "no virtual GIC");
    gic_cpu_init(0);
    gic_enable_spi(bell_irq, 0);
    irq_mask(false);
    if (me == 1) {
        while (b->ping_ready != READY) {
        }
        b->pong_ready = READY;
        while (b->done == 0) {
            __asm__ __volatile__("wfi");
        }
        return;
    }
    memset((void *)b, 0, sizeof(*b));
    guest_dmb();
    b->ping_ready = READY;
    while (b->pong_ready != READY) {
    }
    (void)round_trips(false, WARM, &ex); /* warm the translation cache */
    (void)round_trips(true, WARM, &ex);
    hvc = round_trips(false, ROUNDS, &ex_hvc);
    mmio = round_trips(true, ROUNDS, &ex_mmio);
    GUEST_CHECK(rings == 2 * WARM + 2 * ROUNDS, "%llu doorbells received",
                (unsigned long long)rings);
    b->done = 1;
    ring(false); /* wake pong to see done */
    gprintf("bench: counter %llu Hz, %u round trips\n", (unsigned long long)freq, ROUNDS);
    gprintf("bench: doorbell_hvc: %llu instructions, %llu.%02llu exits per doorbell\n",
            (unsigned long long)per_doorbell(hvc, freq), (unsigned long long)(ex_hvc / ROUNDS),
            (unsigned long long)(ex_hvc % ROUNDS * 100 / ROUNDS));
    gprintf("bench: doorbell_mmio: %llu instructions, %llu.%02llu exits per doorbell\n",
            (unsigned long long)per_doorbell(mmio, freq), (unsigned long long)(ex_mmio / ROUNDS),
            (unsigned long long)(ex_mmio % ROUNDS * 100 / ROUNDS));
}
