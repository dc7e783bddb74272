// SPDX-License-Identifier: Apache-2.0
/*
 * Shared-memory ping-pong of the x86 default layout (dts/partitions/qemu-x86_64-q35-default.dtsi).
 * "control" (partition 1) owns "ring0" and writes 64 checksummed messages into its second
 * MiB; "worker" (partition 2) sees that MiB read-only, verifies every message and
 * acknowledges it in "mbox", which it owns and "control" borrows read-write; "control" then
 * answers through "mbox". Addresses come from BH_HC_SHM_INFO (guest addresses, checked
 * against the boot memory map by the runtime).
 */
#include "rt.h"

#define MESSAGES 64u
#define PAYLOAD 240u
#define SPIN_LIMIT 2000000000ull
#define ANSWER 0xc0ffee42u

struct message {
    volatile uint32_t seq; /* written last */
    uint32_t sum;
    uint8_t data[PAYLOAD];
};

struct mbox {
    volatile uint32_t ack;
    volatile uint32_t answer;
};

static uint32_t checksum(const uint8_t *p, unsigned int n)
{
    uint32_t s = 0x811c9dc5u; /* FNV-1a */

    for (unsigned int i = 0; i < n; i++) {
        s = (s ^ p[i]) * 0x01000193u;
    }
    return s;
}

static void wait_u32(volatile uint32_t *p, uint32_t want, const char *what)
{
    for (uint64_t spins = 0; *p != want; spins++) {
        GUEST_CHECK(spins < SPIN_LIMIT, "timed out waiting for %s == %u (is %u)", what, want, *p);
        __asm__ __volatile__("pause");
    }
}

static void producer(void)
{
    uint64_t ring, ring_size, box, box_size, flags;
    uint32_t digest = 0;

    GUEST_CHECK(guest_shm("ring0", &ring, &ring_size, &flags) == 0, "no ring0");
    GUEST_CHECK((flags & (BH_SHM_OWNER | BH_SHM_WRITABLE)) == (BH_SHM_OWNER | BH_SHM_WRITABLE),
                "ring0 flags %#llx", (unsigned long long)flags);
    GUEST_CHECK(guest_shm("mbox", &box, &box_size, &flags) == 0, "no mbox");
    GUEST_CHECK((flags & BH_SHM_OWNER) == 0 && (flags & BH_SHM_WRITABLE) != 0, "mbox flags %#llx",
                (unsigned long long)flags);
    /* The worker's window is the second MiB of ring0. */
    struct message *m = (struct message *)(uintptr_t)(ring + ring_size / 2);
    struct mbox *mb = (struct mbox *)(uintptr_t)box;

    for (uint32_t i = 1; i <= MESSAGES; i++) {
        for (unsigned int j = 0; j < PAYLOAD; j++) {
            m->data[j] = (uint8_t)(i * 31u + j * 7u);
        }
        m->sum = checksum(m->data, PAYLOAD);
        digest ^= m->sum;
        guest_barrier();
        m->seq = i;
        wait_u32(&mb->ack, i, "ack");
    }
    gprintf("pingpong: producer: %u messages acknowledged, digest %#x matches\n", MESSAGES, digest);
    mb->answer = ANSWER;
}

static void consumer(void)
{
    uint64_t ring, ring_size, box, box_size, flags;

    GUEST_CHECK(guest_shm("ring0", &ring, &ring_size, &flags) == 0, "no ring0");
    GUEST_CHECK((flags & (BH_SHM_OWNER | BH_SHM_WRITABLE)) == 0, "ring0 flags %#llx",
                (unsigned long long)flags);
    GUEST_CHECK(guest_shm("mbox", &box, &box_size, &flags) == 0, "no mbox");
    struct message *m = (struct message *)(uintptr_t)ring;
    struct mbox *mb = (struct mbox *)(uintptr_t)box;

    for (uint32_t i = 1; i <= MESSAGES; i++) {
        wait_u32(&m->seq, i, "seq");
        guest_barrier();
        GUEST_CHECK(checksum(m->data, PAYLOAD) == m->sum, "message %u: bad checksum", i);
        for (unsigned int j = 0; j < PAYLOAD; j++) {
            GUEST_CHECK(m->data[j] == (uint8_t)(i * 31u + j * 7u), "message %u: byte %u", i, j);
        }
        mb->ack = i;
    }
    gprintf("pingpong: consumer: %u messages verified\n", MESSAGES);
    wait_u32(&mb->answer, ANSWER, "answer");
    gprintf("pingpong: consumer: answer received through mbox\n");
}

void guest_main(struct guest_info *gi)
{
    struct hc_res info = hc_call(BH_HC_PARTITION_INFO, 0, 0, 0, 0, 0);

    (void)gi;
    if (info.a1 == 1) {
        producer();
    } else {
        consumer();
    }
}
