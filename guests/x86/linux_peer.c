// SPDX-License-Identifier: Apache-2.0
/*
 * The bare-metal peer of the x86 Linux partition (tests/system/layouts/x86_linux.dtsi):
 * owns the region "linux-peer" and answers Linux user space's checksummed messages
 * (guests/linux_peer.h; Linux writes over /dev/mem, guests/linux/init_x86.sh) by polling the
 * request's sequence number, since x86 doorbells are not there yet. A heartbeat counts all
 * along; on LP_STOP it checks the number of messages and powers its partition off.
 */
#include "../linux_peer.h"
#include "rt.h"

void guest_main(struct guest_info *gi)
{
    uint64_t base = 0, size = 0, flags = 0;
    volatile uint32_t *r;
    uint32_t last = 0, beat = 0;

    (void)gi;
    GUEST_CHECK(guest_shm(LP_SHM_ID, &base, &size, &flags) == 0 && size >= LP_REGION_WORDS * 4,
                "no shared region \"" LP_SHM_ID "\" of %u bytes", LP_REGION_WORDS * 4);
    r = (volatile uint32_t *)(uintptr_t)base;
    for (unsigned int i = 0; i < LP_REGION_WORDS; i++) {
        r[i] = 0;
    }
    guest_barrier();
    r[LP_PEER_MAGIC] = LP_MAGIC;
    gprintf("ready, polling \"" LP_SHM_ID "\" at %#llx\n", (unsigned long long)base);
    for (;;) {
        uint32_t seq = r[LP_REQ + LP_SEQ];

        r[LP_HEARTBEAT] = ++beat;
        if (seq != last) {
            int err;

            guest_barrier();
            GUEST_CHECK(seq == last + 1, "message %u after %u", seq, last);
            err = lp_answer(r, seq);
            GUEST_CHECK(err != LP_BAD_LENGTH, "message %u: length %u", seq, r[LP_REQ + LP_LEN]);
            GUEST_CHECK(err == 0, "message %u: checksum mismatch", seq);
            guest_barrier();
            r[LP_REPLY + LP_SEQ] = seq; /* last: the reply is complete */
            r[LP_ANSWERED] = r[LP_ANSWERED] + 1;
            last = seq;
        }
        if (r[LP_CMD] == LP_STOP) {
            GUEST_CHECK(r[LP_CMD_ARG] == last && r[LP_ANSWERED] == last,
                        "stop after %u messages, %u answered, Linux says %u", last, r[LP_ANSWERED],
                        r[LP_CMD_ARG]);
            gprintf("answered %u messages, checksums good\n", last);
            return;
        }
    }
}
