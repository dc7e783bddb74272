// SPDX-License-Identifier: Apache-2.0
/*
 * The bare-metal peer of the Linux partition (tests/system/arm64_linux.sh and the default
 * `make run` layout): owner of the shared region LP_SHM_ID, protocol in guests/linux_peer.h.
 * It announces itself (LP_MAGIC), then sleeps in WFI until Linux rings the region's doorbell
 * (Linux user space writes the doorbell register page through /dev/mem after each request):
 * on each doorbell interrupt it answers the request and rings Linux back by hypercall. It
 * answers only after a doorbell interrupt, never on a request it merely sees, so a missing
 * ring leaves Linux without a reply. A virtual timer tick wakes it every LP_TICK_MS to count
 * the heartbeat, report its progress every few seconds (so that one sees it keep running
 * beside Linux) and notice LP_STOP: then it checks that it answered as many messages as Linux
 * sent and took exactly one doorbell interrupt per message (Linux rings message n + 1 only
 * after the reply to n, which the peer writes after acknowledging ring n: no two rings can
 * merge), reports its verdict and powers off. No timeout: Linux takes tens of seconds to
 * reach user space under emulation, and in `make run` it never stops.
 */
#include <bulkhead/guest.h>
#include <hv/string.h>

#include "../linux_peer.h"
#include "bell.h"
#include "gic.h"
#include "rt.h"

/* Seconds between progress lines. */
#define LP_REPORT_SECONDS 10u
/* Period of the heartbeat tick (virtual timer). */
#define LP_TICK_MS 100u

static unsigned int bell_irq;
static uint64_t tick_period;
static volatile uint32_t rings, ticks, others;

/* Interrupt handler (rt_irq): count; the main loop does the work after WFI. */
void guest_irq(unsigned int vcpu, unsigned int intid)
{
    (void)vcpu;
    if (intid == bell_irq) {
        rings++;
    } else if (intid == GIC_PPI_VTIMER) {
        ticks++;
        vtimer_arm(tick_period);
    } else {
        others++;
    }
}

/* Sleep until an interrupt was taken since *seen_rings / *seen_ticks were read. WFI with
 * PSTATE.I set still wakes on a pending interrupt (Arm ARM D1.6.2), so testing the counters
 * with IRQs masked and then waiting cannot miss one that arrives in between. */
static void wait_interrupt(uint32_t seen_rings, uint32_t seen_ticks)
{
    irq_mask(true);
    if (rings == seen_rings && ticks == seen_ticks) {
        __asm__ __volatile__("wfi" ::: "memory");
    }
    irq_mask(false); /* the handler runs here */
}

static volatile uint32_t *region(struct guest_info *gi)
{
    for (unsigned int i = 0; i < gi->nshm; i++) {
        if (strcmp(gi->shm[i].id, LP_SHM_ID) == 0) {
            GUEST_CHECK(gi->shm[i].owner && gi->shm[i].writable &&
                            gi->shm[i].size >= LP_REGION_WORDS * 4,
                        "\"" LP_SHM_ID "\" must be owned, writable and at least %u bytes",
                        LP_REGION_WORDS * 4);
            return (volatile uint32_t *)(uintptr_t)gi->shm[i].base;
        }
    }
    guest_fail("no shared region \"" LP_SHM_ID "\"");
}

/* Answer the request in r[LP_REQ..] (sequence seq): check it, write the reply. */
static void answer(volatile uint32_t *r, uint32_t seq)
{
    int err = lp_answer(r, seq);

    GUEST_CHECK(err != LP_BAD_LENGTH, "message %u: length %u", seq, r[LP_REQ + LP_LEN]);
    GUEST_CHECK(err == 0, "message %u: checksum mismatch", seq);
    guest_dmb();
    r[LP_REPLY + LP_SEQ] = seq; /* last: the reply is complete */
    r[LP_ANSWERED] = r[LP_ANSWERED] + 1;
}

void guest_main(struct guest_info *gi)
{
    volatile uint32_t *r = region(gi);
    uint64_t freq = guest_counter_freq(), next = guest_counter() + LP_REPORT_SECONDS * freq;
    uint32_t last = 0, beat = 0, taken = 0, rang_back = 0, seen_ticks = 0;
    uintptr_t page;

    bell_find(gi, LP_SHM_ID, &bell_irq, &page);
    GUEST_CHECK(bh_doorbell_read(page, BH_DB_MAGIC) == BH_DB_MAGIC_VALUE &&
                    bh_doorbell_read(page, BH_DB_IRQ) == bell_irq &&
                    bh_doorbell_read(page, BH_DB_PEERS) == 1,
                "doorbell page at 0x%lx: magic 0x%x irq %u peers %u", (unsigned long)page,
                bh_doorbell_read(page, BH_DB_MAGIC), bh_doorbell_read(page, BH_DB_IRQ),
                bh_doorbell_read(page, BH_DB_PEERS));
    GUEST_CHECK(gic_init(gi) == 0, "no virtual GIC");
    gic_cpu_init(0);
    gic_enable_spi(bell_irq, 0);
    gic_enable_private(0, GIC_PPI_VTIMER, true);
    tick_period = freq * LP_TICK_MS / 1000;
    vtimer_arm(tick_period);
    for (unsigned int i = 0; i < LP_REGION_WORDS; i++) {
        r[i] = 0;
    }
    guest_dmb();
    r[LP_PEER_MAGIC] = LP_MAGIC;
    gprintf("ready, waiting for doorbell interrupt %u of \"" LP_SHM_ID "\"\n", bell_irq);
    for (;;) {
        wait_interrupt(taken, seen_ticks);
        seen_ticks = ticks;
        r[LP_HEARTBEAT] = ++beat;
        if (rings != taken) {
            uint32_t seq;

            taken = rings;
            guest_dmb(); /* the request's fields after the ring */
            seq = r[LP_REQ + LP_SEQ];
            GUEST_CHECK(seq == last + 1, "doorbell %u: message %u after %u", taken, seq, last);
            answer(r, seq);
            last = seq;
            /* Ring back: Linux polls for the reply (its user space cannot take the interrupt),
             * but it is running, so exactly one partition is rung. */
            GUEST_CHECK(bh_doorbell_ring(LP_SHM_ID) == 1, "ringing Linux back reached nobody");
            rang_back++;
            if (last == 1) {
                gprintf("message 1 answered on its doorbell interrupt\n");
            }
        }
        if (r[LP_CMD] == LP_STOP) {
            guest_dmb();
            GUEST_CHECK(r[LP_CMD_ARG] == last, "Linux sent %u messages, %u answered", r[LP_CMD_ARG],
                        last);
            GUEST_CHECK(rings == last && others == 0,
                        "%u doorbell interrupts for %u messages, %u other interrupts", rings, last,
                        others);
            gprintf("stop after %u messages, all checksums good\n", last);
            gprintf("%u doorbell interrupts taken, %u rung back\n", rings, rang_back);
            return;
        }
        if (guest_counter() >= next) {
            gprintf("running, %u messages answered\n", last);
            next += LP_REPORT_SECONDS * freq;
        }
    }
}
