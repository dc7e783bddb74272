// SPDX-License-Identifier: Apache-2.0
/*
 * Doorbells between two x86 partitions (core/partition/doorbell.c, arch/x86/irq.c). Both run
 * this image; the owner of "bell" plays "ping".
 *  - The region's node under /reserved-memory of the guest DTB names its doorbell interrupt
 *    as <vector sense>; the guest installs an interrupt gate for that vector and enables
 *    interrupts (the hypervisor injects it with SVM's virtual interrupt).
 *  - ROUNDS rounds both ways: ping writes a message and its checksum into "bell" and rings by
 *    BH_HC_DOORBELL_RING; pong takes the interrupt, checks message and checksum, answers with
 *    its own and rings back. Each side counts exactly ROUNDS interrupts.
 *  - A partition cannot ring a region it does not use: pong ringing "solo" (ping's alone)
 *    gets BH_HC_E_NOENT; ping ringing "solo" reaches nobody (0).
 *  - Flood: one side masks its interrupts (RFLAGS.IF = 0), the other rings FLOOD times; once
 *    unmasked, exactly one interrupt arrives. Then the other way round.
 */
#include <hv/fdt.h>
#include <hv/string.h>

#include "rt.h"

#define ROUNDS 20u
#define FLOOD 500u
#define MSG_LEN 48u
#define READY 0x524541445921ull
/* About 7 minutes of TSC at QEMU's 2.6 GHz: beyond the test's QEMU timeout. */
#define WAIT_TSC (UINT64_C(1) << 40)

/* One direction's message: sequence number, bytes, checksum (written last). */
struct msg {
    volatile uint64_t seq;
    volatile uint8_t data[MSG_LEN];
    volatile uint64_t sum;
};

/* At the start of "bell". */
struct bell {
    volatile uint64_t ready[2]; /* [0] ping, [1] pong: interrupt gate installed */
    struct msg msg[2];          /* [0] ping -> pong, [1] pong -> ping */
    volatile uint64_t masked[2];
    volatile uint64_t flood_done[2];
};

/* An IDT entry in long mode (APM vol. 2, 4.8.4, interrupt gate type 0xe). */
struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, rsvd;
};

static struct idt_gate idt[256] __aligned(16);
static volatile uint64_t rings;

/* The interrupt's C half: count it (there is no APIC to complete it: no EOI). */
void bell_irq(void);
void bell_irq(void)
{
    rings++;
}

/* The gate's entry: caller-saved registers around bell_irq(), then IRETQ. On entry RSP is
 * 8 mod 16 (the CPU aligned it, then pushed five quadwords); nine pushes make the call
 * aligned. */
void bell_entry(void);
__asm__(".text\n"
        ".globl bell_entry\n"
        "bell_entry:\n"
        "    push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
        "    push %r8\n push %r9\n push %r10\n push %r11\n"
        "    cld\n"
        "    call bell_irq\n"
        "    pop %r11\n pop %r10\n pop %r9\n pop %r8\n"
        "    pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"
        "    iretq\n");

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void wait_for(const volatile uint64_t *v, uint64_t want, const char *what)
{
    uint64_t start = rdtsc();

    while (*v < want) {
        GUEST_CHECK(rdtsc() - start < WAIT_TSC, "%s: %llu, waited for %llu", what,
                    (unsigned long long)*v, (unsigned long long)want);
        __asm__ __volatile__("pause" ::: "memory");
    }
}

/* Let every interrupt that is due arrive: with IF = 1, a few exits (the hypervisor loads a
 * pending virtual interrupt only before a VMRUN) and some time after each. */
static void settle(void)
{
    uint64_t base, size, flags;

    for (unsigned int n = 0; n < 4; n++) {
        (void)guest_shm("bell", &base, &size, &flags);
        for (unsigned int i = 0; i < 5000; i++) {
            __asm__ __volatile__("pause" ::: "memory");
        }
    }
}

/* The doorbell vector of region id from the guest DTB's /reserved-memory node. */
static uint32_t dt_bell_vector(const struct guest_info *gi, const char *id)
{
    struct fdt fdt;
    int node = -1;

    GUEST_CHECK(fdt_init(&fdt, gi->dtb, (size_t)gi->dtb_size) == 0, "module 0 is not a DTB");
    while ((node = fdt_find_compatible(&fdt, node, "bulkhead,shared-memory-v1")) >= 0) {
        struct fdt_prop irq;
        const char *sid;

        if (fdt_prop_string(&fdt, node, "id", &sid) != 0 || strcmp(sid, id) != 0) {
            continue;
        }
        GUEST_CHECK(fdt_prop(&fdt, node, "interrupts", &irq) == 0 && irq.len == 8,
                    "shm \"%s\": no <vector sense> interrupts in the DTB", id);
        return fdt_be32(irq.data);
    }
    guest_fail("shm \"%s\": not in the DTB", id);
}

static void idt_install(uint32_t vec)
{
    uint64_t off = (uint64_t)(uintptr_t)bell_entry;
    struct {
        uint16_t limit;
        uint64_t base;
    } __packed ptr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

    idt[vec] = (struct idt_gate){.off0 = (uint16_t)off,
                                 .sel = 0x08,  /* head.S's 64-bit code segment */
                                 .type = 0x8e, /* present, DPL 0, interrupt gate */
                                 .off1 = (uint16_t)(off >> 16),
                                 .off2 = (uint32_t)(off >> 32)};
    __asm__ __volatile__("lidt %0" : : "m"(ptr));
}

static uint64_t checksum(const volatile uint8_t *d, uint64_t seq)
{
    uint64_t h = 0xcbf29ce484222325ull ^ seq; /* FNV-1a */

    for (unsigned int i = 0; i < MSG_LEN; i++) {
        h = (h ^ d[i]) * 0x100000001b3ull;
    }
    return h;
}

static void send(struct msg *m, unsigned int me, unsigned int r)
{
    for (unsigned int i = 0; i < MSG_LEN; i++) {
        m->data[i] = (uint8_t)(me * 0x80 + r * 7 + i);
    }
    m->sum = checksum(m->data, r + 1);
    guest_barrier();
    m->seq = r + 1; /* last: x86 keeps stores in order (APM vol. 2, 7.2) */
    guest_barrier();
    GUEST_CHECK(
        (int64_t)hc_call(BH_HC_DOORBELL_RING, (uint64_t)(uintptr_t) "bell", 4, 0, 0, 0).a0 == 1,
        "round %u: the ring reached no partition", r);
}

static void receive(const struct msg *m, unsigned int from, unsigned int r)
{
    GUEST_CHECK(m->seq == r + 1, "round %u: message %llu after the interrupt", r,
                (unsigned long long)m->seq);
    GUEST_CHECK(m->sum == checksum(m->data, r + 1), "round %u: bad checksum", r);
    for (unsigned int i = 0; i < MSG_LEN; i++) {
        GUEST_CHECK(m->data[i] == (uint8_t)(from * 0x80 + r * 7 + i), "round %u: byte %u", r, i);
    }
}

static void flood(struct bell *b, unsigned int me, unsigned int masked_side)
{
    if (me == masked_side) {
        uint64_t before = rings;

        __asm__ __volatile__("cli" ::: "memory");
        b->masked[me] = 1;
        wait_for(&b->flood_done[me], 1, "the peer's flood");
        GUEST_CHECK(rings == before, "interrupts taken while masked");
        __asm__ __volatile__("sti" ::: "memory");
        settle();
        GUEST_CHECK(rings == before + 1, "%llu interrupts after a flood of %u rings, expected 1",
                    (unsigned long long)(rings - before), FLOOD);
        gprintf("doorbell: flood of %u rings while masked: 1 interrupt\n", FLOOD);
    } else {
        wait_for(&b->masked[masked_side], 1, "the peer masked");
        for (unsigned int i = 0; i < FLOOD; i++) {
            (void)hc_call(BH_HC_DOORBELL_RING, (uint64_t)(uintptr_t) "bell", 4, 0, 0, 0);
        }
        guest_barrier();
        b->flood_done[masked_side] = 1;
    }
}

void guest_main(struct guest_info *gi)
{
    uint64_t base, size, flags;
    unsigned int me, peer;
    uint32_t vec;
    struct bell *b;
    int64_t solo;

    GUEST_CHECK(guest_shm("bell", &base, &size, &flags) == 0, "no \"bell\" region");
    me = (flags & BH_SHM_OWNER) != 0 ? 0 : 1;
    peer = 1 - me;
    b = (struct bell *)(uintptr_t)base;
    vec = dt_bell_vector(gi, "bell");
    GUEST_CHECK(vec >= 0x20 && vec <= 0xff, "doorbell vector %#x is an exception vector", vec);
    gprintf("doorbell: \"bell\" vector %#x\n", vec);
    idt_install(vec);
    __asm__ __volatile__("sti" ::: "memory");
    b->ready[me] = READY;
    wait_for(&b->ready[peer], READY, "the peer's start");

    for (unsigned int r = 0; r < ROUNDS; r++) {
        if (me == 0) {
            send(&b->msg[0], me, r);
            wait_for(&rings, r + 1, "pong's answer");
            receive(&b->msg[1], peer, r);
        } else {
            wait_for(&rings, r + 1, "ping's ring");
            receive(&b->msg[0], peer, r);
            send(&b->msg[1], me, r);
        }
    }
    settle();
    GUEST_CHECK(rings == ROUNDS, "%llu interrupts for %u rounds", (unsigned long long)rings,
                ROUNDS);
    gprintf("doorbell: %u rounds, %u interrupts received, checksums good\n", ROUNDS, ROUNDS);

    solo = (int64_t)hc_call(BH_HC_DOORBELL_RING, (uint64_t)(uintptr_t) "solo", 4, 0, 0, 0).a0;
    if (me == 1) {
        GUEST_CHECK(solo == BH_HC_E_NOENT, "ringing \"solo\" (not ours): %lld", (long long)solo);
        gprintf("doorbell: ringing \"solo\" (not ours): BH_HC_E_NOENT\n");
    } else {
        GUEST_CHECK(solo == 0, "ringing \"solo\" (ours alone) reached %lld", (long long)solo);
    }

    flood(b, me, 1);
    flood(b, me, 0);
    __asm__ __volatile__("cli" ::: "memory");
}
