/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The message protocol between the Linux partition's user space (guests/linux/init.c, over
 * /dev/mem) and its bare-metal peer (guests/arm64/linux_peer.c), in the shared-memory
 * region with id LP_SHM_ID (owner: the peer; the Linux partition borrows it read-write;
 * cache-policy "nc"). arm64 Linux maps a no-map region through /dev/mem as Device memory,
 * and the bare-metal peer runs with its MMU off (Device memory too): every field is a
 * naturally aligned 32-bit word, accessed with single volatile loads and stores.
 *
 * Request/reply, one at a time: Linux writes a request (payload, length, checksum), then
 * its sequence number, then rings the region's doorbell (a 32-bit write to its doorbell
 * register page, through /dev/mem); the peer, on its doorbell interrupt, reads the sequence,
 * checks the checksum, answers with the transformed payload (lp_reply_word), its checksum
 * and the same sequence, written last, and rings back; Linux polls for the reply (its user
 * space cannot take the interrupt). The peer counts a heartbeat all along, so Linux sees it
 * kept running; LP_STOP ends the exchange (seen on the peer's next timer tick: it checks the
 * message and doorbell counts, reports its verdict and powers off). docs/partitions.md.
 */
#pragma once

#include <stdint.h>

#define LP_SHM_ID "linux-peer"
#define LP_MAGIC 0x4c50454cu /* "LEPL": the peer is ready */
#define LP_WORDS 32u         /* payload words per message */
#define LP_STOP 0x53544f50u  /* "STOP" in the command word */

/* Word offsets into the region. */
enum {
    LP_PEER_MAGIC = 0, /* peer: LP_MAGIC once it polls */
    LP_HEARTBEAT = 1,  /* peer: increments while it runs */
    LP_ANSWERED = 2,   /* peer: replies sent */
    LP_CMD = 3,        /* Linux: LP_STOP to end */
    LP_CMD_ARG = 4,    /* Linux: the number of messages it sent (with LP_STOP) */
    LP_REQ = 16,       /* request: seq, len, csum, payload[LP_WORDS] */
    LP_REPLY = 64,     /* reply: seq, len, csum, payload[LP_WORDS] */
    LP_REGION_WORDS = 128,
};

/* Fields of a message, relative to LP_REQ / LP_REPLY. */
enum { LP_SEQ = 0, LP_LEN = 1, LP_CSUM = 2, LP_PAYLOAD = 3 };

/* Checksum of a message: its sequence, length and payload words, order-sensitive. */
static inline uint32_t lp_checksum(uint32_t seq, uint32_t len, const volatile uint32_t *payload)
{
    uint32_t c = 0x811c9dc5u ^ seq;

    c = c * 16777619u ^ len;
    for (uint32_t i = 0; i < len && i < LP_WORDS; i++) {
        c = (c * 16777619u) ^ payload[i];
    }
    return c;
}

/* The request payload word i of message seq, as Linux builds it. */
static inline uint32_t lp_request_word(uint32_t seq, uint32_t i)
{
    return (seq * 0x9e3779b9u) ^ (i * 0x85ebca6bu) ^ 0x4c4e5800u;
}

/* The peer's answer to request word w at index i. */
static inline uint32_t lp_reply_word(uint32_t w, uint32_t i)
{
    return ~w + i;
}

/* Errors of lp_answer(). */
enum { LP_BAD_LENGTH = 1, LP_BAD_CHECKSUM = 2 };

/*
 * The peer's side of message seq in the region r: check the request (LP_BAD_LENGTH,
 * LP_BAD_CHECKSUM) and write the reply's payload, length and checksum, 0. The caller then
 * publishes it: a barrier, the reply's LP_SEQ last, then LP_ANSWERED.
 */
static inline int lp_answer(volatile uint32_t *r, uint32_t seq)
{
    volatile uint32_t *req = r + LP_REQ, *rep = r + LP_REPLY;
    uint32_t len = req[LP_LEN];

    if (len > LP_WORDS) {
        return LP_BAD_LENGTH;
    }
    if (lp_checksum(seq, len, req + LP_PAYLOAD) != req[LP_CSUM]) {
        return LP_BAD_CHECKSUM;
    }
    for (uint32_t i = 0; i < len; i++) {
        rep[LP_PAYLOAD + i] = lp_reply_word(req[LP_PAYLOAD + i], i);
    }
    rep[LP_LEN] = len;
    rep[LP_CSUM] = lp_checksum(seq, len, rep + LP_PAYLOAD);
    return 0;
}
