// SPDX-License-Identifier: Apache-2.0
/*
 * Cost figures for tests/bench/x86_icount.sh. Under QEMU -icount shift=0 every instruction
 * advances virtual time by 1 ns and QEMU's TSC counts virtual nanoseconds, so an RDTSC delta
 * (RDTSC is not intercepted, TSC offset 0) is an instruction count. Each figure averages
 * BENCH_ROUNDS calls and subtracts the same loop around nothing.
 *   vmmcall_round_trip: VMMCALL BH_HC_PARTITION_INFO (#VMEXIT, decode of the instruction
 *     length, dispatch, VMRUN)
 *   cpuid_round_trip: CPUID 0 (an intercepted instruction emulated by the hypervisor)
 *   io_round_trip: IN of the virtual COM1's line status register (port 0x3fd, an I/O access
 *     the IOPM intercepts and arch/x86/vuart.c emulates; IOIO exits carry the next RIP, so
 *     no decode)
 */
#include "rt.h"

#define BENCH_ROUNDS 4096u
/* Timer: the work (a counted loop of about 3 instructions an iteration) and the period, in
 * TSC ticks (instructions under -icount), long enough for an interrupt to complete in it. */
#define TIMER_WORK 2000000u
#define TIMER_PERIOD 20000u
#define TIMER_VEC 0x40u
#define SOFT_VEC 0x41u
/* IA32_APIC_BASE and the x2APIC MSRs (Intel SDM vol. 3A, 11.12.1, table 11-6). */
#define MSR_APIC_BASE 0x1bu
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_EXTD (1u << 10)
#define X2APIC_EOI 0x80bu
#define X2APIC_SVR 0x80fu
#define X2APIC_LVT_TIMER 0x832u
#define X2APIC_TMICT 0x838u
#define X2APIC_TDCR 0x83eu
#define SVR_ENABLE (1u << 8)
#define LVT_PERIODIC (1u << 17)
#define LVT_MASKED (1u << 16)
#define TDCR_DIV1 0xbu

enum bench_op { OP_NONE, OP_VMMCALL, OP_CPUID, OP_IN };

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

/* An IDT entry in long mode (APM vol. 2, 4.8.4, interrupt gate type 0xe). */
struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, rsvd;
};

static struct idt_gate idt[256] __aligned(16);
static volatile uint64_t timer_count, soft_count;

static void wrmsr(uint32_t msr, uint64_t val)
{
    __asm__ __volatile__("wrmsr" ::"c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                         : "memory");
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

/* The interrupts' C halves: the timer's completes it at the x2APIC (an intercepted WRMSR);
 * the software one (INT n) has nothing in service to complete. */
void timer_irq(void);
void timer_irq(void)
{
    timer_count++;
    wrmsr(X2APIC_EOI, 0);
}

void soft_irq(void);
void soft_irq(void)
{
    soft_count++;
}

/* The gates' entries: caller-saved registers around the C half, then IRETQ. On entry RSP is
 * 8 mod 16 (the CPU aligned it, then pushed five quadwords); nine pushes align the call. */
void timer_entry(void);
void soft_entry(void);
#define IRQ_ENTRY(entry, fn)                                                                       \
    __asm__(".text\n"                                                                              \
            ".globl " #entry "\n" #entry ":\n"                                                     \
            "    push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"                      \
            "    push %r8\n push %r9\n push %r10\n push %r11\n"                                    \
            "    cld\n"                                                                            \
            "    call " #fn "\n"                                                                   \
            "    pop %r11\n pop %r10\n pop %r9\n pop %r8\n"                                        \
            "    pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"                           \
            "    iretq\n")
IRQ_ENTRY(timer_entry, timer_irq);
IRQ_ENTRY(soft_entry, soft_irq);

static void idt_set(unsigned int vec, void (*entry)(void))
{
    uint64_t off = (uint64_t)(uintptr_t)entry;

    idt[vec] = (struct idt_gate){.off0 = (uint16_t)off,
                                 .sel = 0x08,  /* head.S's 64-bit code segment */
                                 .type = 0x8e, /* present, DPL 0, interrupt gate */
                                 .off1 = (uint16_t)(off >> 16),
                                 .off2 = (uint32_t)(off >> 32)};
}

static uint64_t traps(void)
{
    struct hc_res r = hc_call(BH_HC_TEST_TRAPS, 0, 0, 0, 0, 0);

    GUEST_CHECK(r.a0 == BH_HC_OK, "BH_HC_TEST_TRAPS: %lld", (long long)r.a0);
    return r.a1;
}

/* The fixed amount of work: TSC ticks it took. */
static uint64_t work(void)
{
    uint64_t t0 = rdtsc();

    for (unsigned int i = 0; i < TIMER_WORK; i++) {
        __asm__ __volatile__("" ::: "memory");
    }
    return rdtsc() - t0;
}

/* The guest's own cost of taking an interrupt: BENCH_ROUNDS INT n minus the empty loop. */
static uint64_t soft_cost(void)
{
    uint64_t t0, t1, t2;

    t0 = rdtsc();
    for (unsigned int i = 0; i < BENCH_ROUNDS; i++) {
        __asm__ __volatile__("" ::: "memory");
    }
    t1 = rdtsc();
    for (unsigned int i = 0; i < BENCH_ROUNDS; i++) {
        __asm__ __volatile__("int %0" ::"i"(SOFT_VEC) : "memory");
    }
    t2 = rdtsc();
    GUEST_CHECK(soft_count == BENCH_ROUNDS, "INT %#x: %llu of %u taken", SOFT_VEC,
                (unsigned long long)soft_count, BENCH_ROUNDS);
    return ((t2 - t1) - (t1 - t0) + BENCH_ROUNDS / 2) / BENCH_ROUNDS;
}

/* timer_irq: per interrupt of the periodic timer of the guest's x2APIC (arch/x86/vapic.c),
 * exits (BH_HC_TEST_TRAPS, test builds) and the hypervisor's instructions: what a fixed
 * amount of work takes with the timer running, minus the same work without it, divided by
 * the interrupts taken meanwhile, minus the guest's own share (gate, handler, IRETQ: the
 * same handler reached by INT n, not intercepted, without the EOI; the EOI's own WRMSR and
 * its operands stay in the figure). It runs first and leaves the timer masked, interrupts
 * off. */
static void timer_figure(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __packed ptr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
    uint64_t quiet, busy, tr0, tr1, c0, n, exits, guest, total;

    idt_set(TIMER_VEC, timer_entry);
    idt_set(SOFT_VEC, soft_entry);
    __asm__ __volatile__("lidt %0" : : "m"(ptr));
    /* x2APIC mode (SDM 11.12.1: EN and EXTD), software-enabled (SVR bit 8, spurious 0xff). */
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE | APIC_BASE_EXTD);
    wrmsr(X2APIC_SVR, SVR_ENABLE | 0xffu);
    __asm__ __volatile__("sti" ::: "memory");

    guest = soft_cost();
    (void)work(); /* warm QEMU's translation cache */
    tr0 = traps();
    quiet = work();
    tr1 = traps();
    GUEST_CHECK(tr1 - tr0 == 1 && timer_count == 0,
                "%llu exits and %llu interrupts without a timer",
                (unsigned long long)(tr1 - tr0 - 1), (unsigned long long)timer_count);

    wrmsr(X2APIC_TDCR, TDCR_DIV1);
    wrmsr(X2APIC_LVT_TIMER, LVT_PERIODIC | TIMER_VEC);
    wrmsr(X2APIC_TMICT, TIMER_PERIOD);
    (void)work(); /* warm the interrupt path */
    c0 = timer_count;
    tr0 = traps();
    busy = work();
    tr1 = traps();
    n = timer_count - c0;
    wrmsr(X2APIC_LVT_TIMER, LVT_MASKED | LVT_PERIODIC | TIMER_VEC);
    wrmsr(X2APIC_TMICT, 0);
    __asm__ __volatile__("cli" ::: "memory");

    /* tr1 - tr0 counts the second TEST_TRAPS call's own exit. */
    exits = tr1 - tr0 - 1;
    GUEST_CHECK(n >= 16 && busy > quiet, "%llu timer interrupts, %llu vs %llu ticks of work",
                (unsigned long long)n, (unsigned long long)busy, (unsigned long long)quiet);
    total = (busy - quiet + n / 2) / n;
    GUEST_CHECK(total > guest, "%llu per interrupt, the guest's share alone %llu",
                (unsigned long long)total, (unsigned long long)guest);
    /* Exits in hundredths: an interrupt that takes an extra exit (an early expiry of the
     * physical timer) shows instead of rounding away. */
    exits = (exits * 100 + n / 2) / n;
    gprintf("bench: timer_irq: %llu.%02llu exits, %llu instructions (%llu interrupts, %llu per "
            "interrupt with the guest's %llu)\n",
            (unsigned long long)(exits / 100), (unsigned long long)(exits % 100),
            (unsigned long long)(total - guest), (unsigned long long)n, (unsigned long long)total,
            (unsigned long long)guest);
}

static uint64_t run(enum bench_op op)
{
    uint64_t t0 = rdtsc();

    for (unsigned int i = 0; i < BENCH_ROUNDS; i++) {
        switch (op) {
        case OP_VMMCALL:
            (void)hc_call(BH_HC_PARTITION_INFO, 0, 0, 0, 0, 0);
            break;
        case OP_CPUID: {
            uint32_t a = 0, b, c = 0, d;

            __asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
            break;
        }
        case OP_IN:
            (void)guest_inb(0x3fd);
            break;
        default:
            __asm__ __volatile__("" ::: "memory");
            break;
        }
    }
    return rdtsc() - t0;
}

void guest_main(struct guest_info *gi)
{
    uint64_t base, vmmcall, cpuid, io;

    (void)gi;
    timer_figure();
    (void)run(OP_VMMCALL); /* warm QEMU's translation cache */
    (void)run(OP_CPUID);
    (void)run(OP_IN);
    base = run(OP_NONE);
    vmmcall = run(OP_VMMCALL);
    cpuid = run(OP_CPUID);
    io = run(OP_IN);
    GUEST_CHECK(vmmcall > base && cpuid > base && io > base, "no time passed (is -icount on?)");
    gprintf("bench: vmmcall_round_trip: %llu instructions\n",
            (unsigned long long)((vmmcall - base + BENCH_ROUNDS / 2) / BENCH_ROUNDS));
    gprintf("bench: cpuid_round_trip: %llu instructions\n",
            (unsigned long long)((cpuid - base + BENCH_ROUNDS / 2) / BENCH_ROUNDS));
    gprintf("bench: io_round_trip: %llu instructions\n",
            (unsigned long long)((io - base + BENCH_ROUNDS / 2) / BENCH_ROUNDS));
}
