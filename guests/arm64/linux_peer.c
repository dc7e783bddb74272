// SPDX-License-Identifier: Apache-2.0
/*
 * The bare-metal peer of the Linux partition (tests/system/arm64_linux.sh and the default
 * `make run` layout): owner of the shared region LP_SHM_ID, protocol in guests/linux_peer.h.
 * It announces itself (LP_MAGIC), then answers every request Linux user space writes into
 * the region, counting a heartbeat all the while and reporting its progress on its console
 * every few seconds, so that one sees it keep running beside Linux. On LP_STOP it checks
 * that it answered as many messages as Linux sent, reports its verdict and powers off.
 * No timeout: Linux takes tens of seconds to reach user space under emulation, and in
 * `make run` it never stops.
 */
#include <hv/string.h>

#include "../linux_peer.h"
#include "rt.h"

/* Seconds between progress lines. */
#define LP_REPORT_SECONDS 10u

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
    volatile uint32_t *req = r + LP_REQ, *rep = r + LP_REPLY;
    uint32_t len = req[LP_LEN];

    GUEST_CHECK(len <= LP_WORDS, "message %u: length %u", seq, len);
    GUEST_CHECK(lp_checksum(seq, len, req + LP_PAYLOAD) == req[LP_CSUM],
                "message %u: checksum mismatch", seq);
    for (uint32_t i = 0; i < len; i++) {
        rep[LP_PAYLOAD + i] = lp_reply_word(req[LP_PAYLOAD + i], i);
    }
    rep[LP_LEN] = len;
    rep[LP_CSUM] = lp_checksum(seq, len, rep + LP_PAYLOAD);
    guest_dmb();
    rep[LP_SEQ] = seq; /* last: the reply is complete */
    r[LP_ANSWERED] = r[LP_ANSWERED] + 1;
}

void guest_main(struct guest_info *gi)
{
    volatile uint32_t *r = region(gi);
    uint64_t freq = guest_counter_freq(), next = guest_counter() + LP_REPORT_SECONDS * freq;
    uint32_t last = 0, beat = 0;

    for (unsigned int i = 0; i < LP_REGION_WORDS; i++) {
        r[i] = 0;
    }
    guest_dmb();
    r[LP_PEER_MAGIC] = LP_MAGIC;
    gprintf("ready, polling \"" LP_SHM_ID "\"\n");
    for (;;) {
        uint32_t seq = r[LP_REQ + LP_SEQ];

        r[LP_HEARTBEAT] = ++beat;
        if (seq != last) {
            guest_dmb(); /* the request's fields after its sequence */
            GUEST_CHECK(seq == last + 1, "message %u after %u", seq, last);
            answer(r, seq);
            last = seq;
        }
        if (r[LP_CMD] == LP_STOP) {
            guest_dmb();
            GUEST_CHECK(r[LP_CMD_ARG] == last, "Linux sent %u messages, %u answered", r[LP_CMD_ARG],
                        last);
            gprintf("stop after %u messages, all checksums good\n", last);
            return;
        }
        if (guest_counter() >= next) {
            gprintf("running, %u messages answered\n", last);
            next += LP_REPORT_SECONDS * freq;
        }
    }
}
