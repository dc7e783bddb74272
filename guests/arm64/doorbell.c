// SPDX-License-Identifier: Apache-2.0
/*
 * Doorbells between two partitions (core/partition/doorbell.c), through the guest header
 * guests/include/bulkhead/guest.h. Both run this image; the owner of "bell" plays "ping".
 *  - The region's node under /reserved-memory names its doorbell interrupt and register
 *    page; the page reads the same interrupt, one peer and the magic.
 *  - ROUNDS rounds: ping writes a sequence number into "bell" and rings, pong takes the
 *    interrupt, checks the number, answers and rings back; even rounds ring by hypercall,
 *    odd ones by the register page. Each side counts exactly ROUNDS interrupts.
 *  - A partition cannot ring a region it does not use: pong ringing "solo" (ping's alone)
 *    gets BH_HC_E_NOENT; ping ringing "solo" reaches nobody (0).
 *  - Flood: one side masks its interrupts (PSTATE.I), the other rings FLOOD times by both
 *    ways; once unmasked, exactly one interrupt arrives. Then the other way round.
 *  - Flood while the doorbell interrupt is disabled at the (virtual) distributor: still one
 *    interrupt once enabled, and the whole flood costs the masked side at most one exit (the
 *    first ring's wake-up; BH_HC_TEST_TRAPS counts them, the reading call included).
 */
#include <bulkhead/guest.h>
#include <hv/string.h>

#include "bell.h"
#include "gic.h"

#define ROUNDS 20u
#define FLOOD 500u
#define WAIT_MS 20000u
#define READY 0x524541445921ull
#define GICD_ICENABLER 0x180u

/* At the start of "bell". */
struct bell {
    volatile uint64_t ping_ready, pong_ready;
    volatile uint64_t seq_ping, seq_pong;
    volatile uint64_t masked[2];     /* [0]: ping masked, [1]: pong masked */
    volatile uint64_t flood_done[2]; /* [i]: the flood at side i is over */
    volatile uint64_t disabled, disabled_flood_done;
};

static unsigned int bell_irq;
static uintptr_t bell_page;
static volatile uint64_t rings, spurious;

void guest_irq(unsigned int vcpu, unsigned int intid)
{
    (void)vcpu;
    if (intid == bell_irq) {
        rings++;
    } else {
        spurious++;
    }
}

static bool never(void *arg)
{
    (void)arg;
    return false;
}

/* Ring the peer, round r: even by hypercall, odd by the register page. */
static void ring(unsigned int r)
{
    if (r % 2 == 0) {
        int64_t n = bh_doorbell_ring("bell");

        GUEST_CHECK(n == 1, "ring by hypercall: %lld", (long long)n);
    } else {
        bh_doorbell_ring_mmio(bell_page);
    }
}

/* Side me masks; the other floods; once unmasked, exactly one interrupt. */
static void flood(struct bell *b, unsigned int me, unsigned int masked_side)
{
    if (me == masked_side) {
        uint64_t before = rings;

        irq_mask(true);
        b->masked[me] = 1;
        guest_wait_count(&b->flood_done[me], 1, WAIT_MS, "the peer's flood");
        GUEST_CHECK(rings == before, "interrupts taken while masked");
        irq_mask(false);
        (void)guest_wait(never, NULL, 20); /* let any further one arrive */
        GUEST_CHECK(rings == before + 1, "%llu interrupts after a flood of %u rings, expected 1",
                    (unsigned long long)(rings - before), FLOOD);
        gprintf("doorbell: flood of %u rings while masked: 1 interrupt\n", FLOOD);
    } else {
        guest_wait_count(&b->masked[masked_side], 1, WAIT_MS, "the peer masked");
        for (unsigned int i = 0; i < FLOOD; i++) {
            ring(i);
        }
        guest_dmb();
        b->flood_done[masked_side] = 1;
    }
}

static uint64_t my_exits(void)
{
    struct bh_hc_result r = bh_hypercall(BH_HC_TEST_TRAPS, 0, 0, 0, 0, 0);

    GUEST_CHECK(r.r0 == BH_HC_OK, "BH_HC_TEST_TRAPS: %lld", (long long)r.r0);
    return r.r1;
}

/* Pong disables the doorbell at its distributor, ping floods: one interrupt, no exit per ring. */
static void flood_disabled(struct bell *b, unsigned int me)
{
    if (me == 1) {
        uint64_t before = rings, e0, e1;

        *gic_dist_reg(GICD_ICENABLER + bell_irq / 32 * 4) = 1u << (bell_irq % 32);
        e0 = my_exits();
        b->disabled = 1;
        guest_wait_count(&b->disabled_flood_done, 1, WAIT_MS, "the peer's flood");
        e1 = my_exits();
        GUEST_CHECK(rings == before, "interrupts taken while disabled");
        gic_enable_spi(bell_irq, 0);
        (void)guest_wait(never, NULL, 20);
        GUEST_CHECK(rings == before + 1, "%llu interrupts after a flood of %u rings, expected 1",
                    (unsigned long long)(rings - before), FLOOD);
        /* e1 - e0: the first ring's wake-up and the reading call itself. */
        GUEST_CHECK(e1 - e0 <= 2, "%llu exits during a flood of %u rings while disabled",
                    (unsigned long long)(e1 - e0 - 1), FLOOD);
        gprintf("doorbell: flood of %u rings while disabled: 1 interrupt, %llu exit(s)\n", FLOOD,
                (unsigned long long)(e1 - e0 - 1));
    } else {
        guest_wait_count(&b->disabled, 1, WAIT_MS, "the peer disabled");
        for (unsigned int i = 0; i < FLOOD; i++) {
            ring(i);
        }
        guest_dmb();
        b->disabled_flood_done = 1;
    }
}

void guest_main(struct guest_info *gi)
{
    struct bh_shm shm;
    struct bell *b;
    unsigned int me;

    GUEST_CHECK(bh_shm_info("bell", &shm) == BH_HC_OK && (shm.flags & BH_SHM_WRITABLE) != 0,
                "no writable \"bell\"");
    me = (shm.flags & BH_SHM_OWNER) != 0 ? 0 : 1;
    b = (struct bell *)(uintptr_t)shm.base;
    bell_find(gi, "bell", &bell_irq, &bell_page);
    GUEST_CHECK(bh_doorbell_read(bell_page, BH_DB_MAGIC) == BH_DB_MAGIC_VALUE &&
                    bh_doorbell_read(bell_page, BH_DB_IRQ) == bell_irq &&
                    bh_doorbell_read(bell_page, BH_DB_PEERS) == 1,
                "doorbell page at 0x%lx: magic 0x%x irq %u peers %u", (unsigned long)bell_page,
                bh_doorbell_read(bell_page, BH_DB_MAGIC), bh_doorbell_read(bell_page, BH_DB_IRQ),
                bh_doorbell_read(bell_page, BH_DB_PEERS));
    gprintf("doorbell: \"bell\" interrupt %u, page 0x%lx\n", bell_irq, (unsigned long)bell_page);
    GUEST_CHECK(gic_init(gi) == 0, "no virtual GIC");
    gic_cpu_init(0);
    gic_enable_spi(bell_irq, 0);
    irq_mask(false);

    /* Meet: ping initialises the block, pong answers. */
    if (me == 0) {
        memset((void *)b, 0, sizeof(*b));
        guest_dmb();
        b->ping_ready = READY;
        guest_wait_count(&b->pong_ready, READY, WAIT_MS, "pong ready");
    } else {
        guest_wait_count(&b->ping_ready, READY, WAIT_MS, "ping ready");
        b->pong_ready = READY;
    }

    for (unsigned int r = 1; r <= ROUNDS; r++) {
        if (me == 0) {
            b->seq_ping = r;
            ring(r);
            guest_wait_count(&rings, r, WAIT_MS, "pong's ring");
            GUEST_CHECK(b->seq_pong == r, "round %u: pong answered %llu", r,
                        (unsigned long long)b->seq_pong);
        } else {
            guest_wait_count(&rings, r, WAIT_MS, "ping's ring");
            GUEST_CHECK(b->seq_ping == r, "round %u: ping sent %llu", r,
                        (unsigned long long)b->seq_ping);
            b->seq_pong = r;
            ring(r + 1);
        }
    }
    (void)guest_wait(never, NULL, 20);
    GUEST_CHECK(rings == ROUNDS && spurious == 0,
                "%llu doorbell interrupts (expected %u), %llu others", (unsigned long long)rings,
                ROUNDS, (unsigned long long)spurious);
    gprintf("doorbell: %u rounds, %llu interrupts received\n", ROUNDS, (unsigned long long)rings);

    /* Only users ring: pong does not use "solo"; ping is its only user. */
    if (me == 1) {
        int64_t e = bh_doorbell_ring("solo");

        GUEST_CHECK(e == BH_HC_E_NOENT, "ringing a region it does not use: %lld", (long long)e);
        gprintf("doorbell: ringing \"solo\" (not ours): BH_HC_E_NOENT\n");
    } else {
        GUEST_CHECK(bh_doorbell_ring("solo") == 0, "\"solo\" reached someone");
    }

    flood(b, me, 1);
    flood(b, me, 0);
    flood_disabled(b, me);
}
