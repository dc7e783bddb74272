// SPDX-License-Identifier: Apache-2.0
/*
 * Shared-memory ping-pong between two partitions (the default layout and
 * tests/system/layouts/pingpong.dtsi):
 *   producer: owner of "ring0" (rw) and read-write borrower of "mbox";
 *   consumer: read-only borrower of "ring0" (the owner's second MiB) and owner of "mbox".
 * The image is the same for both; the roles follow from the DTB.
 *
 * Protocol. The ring lives at owner offset PP_RING_OFFSET, which is the start of the
 * consumer's window. The producer publishes a header (magic last) with a fresh session
 * number, then PP_MESSAGES messages in PP_SLOTS slots: payload, length and checksum first,
 * DMB, then the slot's sequence number. The consumer polls a slot's sequence, DMB, reads and
 * verifies the message (checksum over payload, sequence and session; payload recomputed),
 * then acknowledges through "mbox": running digest, DMB, ack = sequence. The producer reuses
 * a slot only after its acknowledgement (flow control), checks the final digest, and answers
 * through "mbox" as its read-write borrower: done = session. Every field is naturally
 * aligned (the MMU is off: Device memory faults on unaligned accesses) and written once per
 * step with a volatile access.
 */
#include <hv/string.h>

#include "rt.h"

#define PP_MAGIC 0x474e4950504b4842ull /* "BHKPPING" little-endian */
#define PP_RING_OFFSET 0x100000u
#define PP_SLOTS 16u
#define PP_MESSAGES 64u
#define PP_PAYLOAD 40u
#define PP_TIMEOUT_MS 20000u

struct pp_slot {
    uint64_t seq; /* 1..PP_MESSAGES, written last */
    uint64_t session;
    uint32_t len;
    uint32_t csum;
    uint8_t payload[PP_PAYLOAD];
};

struct pp_ring {
    uint64_t magic; /* PP_MAGIC once the header is valid, written last */
    uint64_t session;
    uint64_t nslots;
    uint64_t count;
    struct pp_slot slot[PP_SLOTS];
};

struct pp_mbox {
    uint64_t session; /* consumer: the session it follows, written after ack/digest reset */
    uint64_t ack;     /* consumer: last sequence verified */
    uint64_t digest;  /* consumer: running digest of the verified checksums */
    uint64_t done;    /* producer: = session after the last acknowledgement */
};

_Static_assert(sizeof(struct pp_slot) == 64, "slots are one 64-byte line");

static uint8_t payload_byte(uint64_t session, uint64_t seq, unsigned int i)
{
    return (uint8_t)((session >> (8 * (i % 8))) + seq * 7 + i);
}

static unsigned int payload_len(uint64_t seq)
{
    return 8 + (unsigned int)(seq % (PP_PAYLOAD - 7));
}

/* FNV-1a over the payload, bound to sequence and session so a stale slot cannot pass. */
static uint32_t checksum(const volatile uint8_t *p, unsigned int len, uint64_t seq,
                         uint64_t session)
{
    uint32_t h = 0x811c9dc5u;

    for (unsigned int i = 0; i < len; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h ^ (uint32_t)(seq * 0x9e3779b97f4a7c15ull) ^ (uint32_t)(session >> 32);
}

static uint64_t digest_step(uint64_t digest, uint32_t csum)
{
    return (digest ^ csum) * 0x100000001b3ull;
}

struct wait_u64 {
    const volatile uint64_t *p;
    uint64_t want;
    const volatile uint64_t *guard; /* optional second field that must equal guard_want */
    uint64_t guard_want;
};

static bool reached(void *arg)
{
    struct wait_u64 *w = arg;

    if (w->guard != NULL && *w->guard != w->guard_want) {
        return false;
    }
    return *w->p >= w->want;
}

static bool equals(void *arg)
{
    struct wait_u64 *w = arg;

    return *w->p == w->want;
}

static void producer(const struct guest_shm *ring0, const struct guest_shm *mbox)
{
    volatile struct pp_ring *ring = (void *)(uintptr_t)(ring0->base + PP_RING_OFFSET);
    volatile struct pp_mbox *mb = (void *)(uintptr_t)mbox->base;
    uint64_t session = guest_counter() | 1, digest = 0;

    GUEST_CHECK(ring0->writable && mbox->writable && !mbox->owner,
                "producer needs ring0 rw (owner) and mbox rw (borrower)");
    GUEST_CHECK(ring0->size >= PP_RING_OFFSET + sizeof(*ring), "ring0 too small");
    gprintf("pingpong: producer: session 0x%llx, %u messages in %u slots at 0x%llx\n",
            (unsigned long long)session, PP_MESSAGES, PP_SLOTS,
            (unsigned long long)(uintptr_t)ring);

    /* Unpublish, reset, then publish the header with the magic last. */
    ring->magic = 0;
    guest_dmb();
    for (unsigned int i = 0; i < PP_SLOTS; i++) {
        ring->slot[i].seq = 0;
    }
    ring->session = session;
    ring->nslots = PP_SLOTS;
    ring->count = PP_MESSAGES;
    guest_dmb();
    ring->magic = PP_MAGIC;
    guest_dmb();

    for (uint64_t seq = 1; seq <= PP_MESSAGES; seq++) {
        volatile struct pp_slot *s = &ring->slot[(seq - 1) % PP_SLOTS];
        unsigned int len = payload_len(seq);

        /* Slot free once the consumer acknowledged the message PP_SLOTS before. */
        if (seq > PP_SLOTS) {
            struct wait_u64 w = {&mb->ack, seq - PP_SLOTS, &mb->session, session};

            GUEST_CHECK(guest_wait(reached, &w, PP_TIMEOUT_MS),
                        "producer: no acknowledgement of %llu (ack %llu)",
                        (unsigned long long)(seq - PP_SLOTS), (unsigned long long)mb->ack);
            guest_dmb(); /* the consumer's reads of the slot happen before our writes */
        }
        for (unsigned int i = 0; i < len; i++) {
            s->payload[i] = payload_byte(session, seq, i);
        }
        s->len = len;
        s->csum = checksum(s->payload, len, seq, session);
        s->session = session;
        digest = digest_step(digest, s->csum);
        guest_dmb(); /* message before its sequence number */
        s->seq = seq;
    }

    struct wait_u64 last = {&mb->ack, PP_MESSAGES, &mb->session, session};
    GUEST_CHECK(guest_wait(reached, &last, PP_TIMEOUT_MS), "producer: last ack missing (%llu)",
                (unsigned long long)mb->ack);
    guest_dmb();
    GUEST_CHECK(mb->digest == digest, "producer: digest 0x%llx, consumer says 0x%llx",
                (unsigned long long)digest, (unsigned long long)mb->digest);
    gprintf("pingpong: producer: %u messages acknowledged, digest 0x%llx matches\n", PP_MESSAGES,
            (unsigned long long)digest);
    /* The read-write borrower answers through "mbox". */
    mb->done = session;
    guest_dmb();
    gprintf("pingpong: producer: done\n");
}

static void consumer(const struct guest_shm *ring0, const struct guest_shm *mbox)
{
    volatile struct pp_ring *ring = (void *)(uintptr_t)ring0->base;
    volatile struct pp_mbox *mb = (void *)(uintptr_t)mbox->base;
    uint64_t session, digest = 0;

    GUEST_CHECK(!ring0->owner && !ring0->writable, "consumer expects ring0 read-only borrowed");
    GUEST_CHECK(mbox->owner && mbox->writable, "consumer expects to own mbox");
    mb->session = 0;
    mb->ack = 0;
    mb->digest = 0;
    mb->done = 0;
    guest_dmb();

    struct wait_u64 hdr = {&ring->magic, PP_MAGIC, NULL, 0};
    GUEST_CHECK(guest_wait(equals, &hdr, PP_TIMEOUT_MS), "consumer: no ring header (magic 0x%llx)",
                (unsigned long long)ring->magic);
    guest_dmb(); /* header fields after the magic */
    session = ring->session;
    GUEST_CHECK(ring->nslots == PP_SLOTS && ring->count == PP_MESSAGES,
                "consumer: ring of %llu slots, %llu messages", (unsigned long long)ring->nslots,
                (unsigned long long)ring->count);
    gprintf("pingpong: consumer: session 0x%llx\n", (unsigned long long)session);
    mb->session = session;
    guest_dmb();

    for (uint64_t seq = 1; seq <= PP_MESSAGES; seq++) {
        volatile struct pp_slot *s = &ring->slot[(seq - 1) % PP_SLOTS];
        struct wait_u64 w = {&s->seq, seq, NULL, 0};
        unsigned int len;

        GUEST_CHECK(guest_wait(equals, &w, PP_TIMEOUT_MS), "consumer: message %llu missing",
                    (unsigned long long)seq);
        guest_dmb(); /* sequence number before the message */
        len = s->len;
        GUEST_CHECK(s->session == session && len == payload_len(seq),
                    "consumer: message %llu: session 0x%llx, length %u", (unsigned long long)seq,
                    (unsigned long long)s->session, len);
        GUEST_CHECK(s->csum == checksum(s->payload, len, seq, session),
                    "consumer: message %llu: bad checksum", (unsigned long long)seq);
        for (unsigned int i = 0; i < len; i++) {
            GUEST_CHECK(s->payload[i] == payload_byte(session, seq, i),
                        "consumer: message %llu: byte %u wrong", (unsigned long long)seq, i);
        }
        digest = digest_step(digest, s->csum);
        mb->digest = digest;
        guest_dmb(); /* reads of the slot and the digest before the acknowledgement */
        mb->ack = seq;
    }
    gprintf("pingpong: consumer: %u messages verified\n", PP_MESSAGES);

    struct wait_u64 done = {&mb->done, session, NULL, 0};
    GUEST_CHECK(guest_wait(equals, &done, PP_TIMEOUT_MS), "consumer: no answer in mbox");
    gprintf("pingpong: consumer: answer received through mbox\n");
}

void guest_main(struct guest_info *gi)
{
    const struct guest_shm *ring0 = dt_shm(gi, "ring0"), *mbox = dt_shm(gi, "mbox");

    guest_describe(gi);
    GUEST_CHECK(ring0 != NULL && mbox != NULL, "pingpong needs shm \"ring0\" and \"mbox\"");
    if (ring0->owner) {
        producer(ring0, mbox);
    } else {
        consumer(ring0, mbox);
    }
}
