// SPDX-License-Identifier: Apache-2.0
/*
 * Interrupt cost figures for tests/bench/arm64_irq.sh. Under QEMU -icount shift=0 every
 * instruction advances virtual time by 1 ns, so a counter delta converts to instructions
 * (ticks * 1e9 / CNTFRQ). Exits come from BH_HC_TEST_TRAPS (test builds).
 *
 * Per interrupt, the hypervisor's share is what remains of the measured round trip after the
 * guest's own work is taken out:
 *   EL2 = total - loop - taken + call
 * total: the loop that makes the device interrupt and waits for the handler to count it;
 * loop:  the same loop with the interrupt masked at the device, the handler called directly;
 * taken: what the guest spends taking an interrupt that is already in a list register (no
 *        exit): IRQ vector, acknowledge, handler, EOI, ERET (two self-SGIs taken back to back);
 * call:  a direct call of the handler (counted in both loop and taken).
 * Distributor accesses are round trips of one load or store, minus the same empty loop.
 */
#include "gic.h"

#define ROUNDS 1024u
#define UART_DR 0x000u
#define UART_CR 0x030u
#define UART_IMSC 0x038u
#define UART_ICR 0x044u
#define UART_CR_EN 0x101u
#define UART_TXI (1u << 5)
#define GICD_ISENABLER 0x0100u
#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK 2u

static volatile uint64_t count[64];
static uint64_t uart_base;
static unsigned int uart_intid;
static uint64_t freq;

static volatile uint32_t *uart_reg(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(uart_base + off);
}

void guest_irq(unsigned int vcpu, unsigned int intid)
{
    (void)vcpu;
    if (intid == GIC_PPI_VTIMER) {
        __asm__ __volatile__("msr cntv_ctl_el0, xzr"); /* the level drops before the EOI */
    } else if (intid == uart_intid) {
        *uart_reg(UART_ICR) = UART_TXI;
    }
    count[intid & 63]++;
}

static uint64_t traps(void)
{
    return hvc_call(BH_HC_TEST_TRAPS, 0, 0, 0, 0, 0).a1;
}

/* Instructions from a counter delta. */
static uint64_t insns(uint64_t ticks)
{
    return ticks * 1000000000ull / freq;
}

static void spin_until(const volatile uint64_t *c, uint64_t want)
{
    while (*c < want) {
    }
}

enum kind { TIMER, UART };

/* The device-interrupt loop: total (interrupt taken) or loop (handler called directly). */
static uint64_t device_loop(enum kind k, bool taken)
{
    unsigned int intid = k == TIMER ? GIC_PPI_VTIMER : uart_intid;
    uint64_t c0 = count[intid & 63], t0;

    if (k == UART) {
        /* The baseline keeps the device quiet: its handler is called directly. */
        *uart_reg(UART_IMSC) = taken ? UART_TXI : 0;
    }
    t0 = guest_counter();

    for (unsigned int i = 1; i <= ROUNDS; i++) {
        if (k == TIMER) {
            uint64_t ctl = taken ? CNTV_CTL_ENABLE : CNTV_CTL_ENABLE | CNTV_CTL_IMASK;

            __asm__ __volatile__("msr cntv_tval_el0, xzr\n\tmsr cntv_ctl_el0, %0" ::"r"(ctl));
        } else {
            *uart_reg(UART_DR) = 'x';
        }
        if (!taken) {
            guest_irq(0, intid);
        }
        spin_until(&count[intid & 63], c0 + i);
    }
    return guest_counter() - t0;
}

/* Two self-SGIs made pending with interrupts masked, then taken back to back from the list
 * registers: the guest's cost of taking an interrupt, without an exit. */
static uint64_t taken_cost(uint64_t *extra_exits)
{
    uint64_t total = 0, tr = traps();

    for (unsigned int i = 0; i < ROUNDS; i++) {
        uint64_t c0 = count[14], t0;

        irq_mask(true);
        gic_sgi(14, 1u << 0);
        gic_sgi(15, 1u << 0);
        t0 = guest_counter();
        irq_mask(false);
        spin_until(&count[15], c0 + 1);
        total += guest_counter() - t0;
    }
    *extra_exits = traps() - tr - 1 - 2 * ROUNDS;
    return insns(total) / (2 * ROUNDS);
}

static uint64_t call_cost(void)
{
    uint64_t t0 = guest_counter();

    for (unsigned int i = 0; i < ROUNDS; i++) {
        guest_irq(0, 13);
    }
    return insns(guest_counter() - t0) / ROUNDS;
}

static void device_figure(enum kind k, const char *name, uint64_t taken, uint64_t call)
{
    uint64_t tr = traps();
    uint64_t total = device_loop(k, true);
    uint64_t exits = traps() - tr - 1;
    uint64_t loop = device_loop(k, false);
    uint64_t el2 = (insns(total) - insns(loop)) / ROUNDS - taken + call;

    gprintf("irqbench: %s: %llu exits, %llu instructions\n", name,
            (unsigned long long)((exits + ROUNDS / 2) / ROUNDS), (unsigned long long)el2);
}

static uint64_t gicd_round_trip(bool write)
{
    volatile uint32_t *reg = gic_dist_reg(GICD_ISENABLER + 4 * (uart_intid / 32));
    uint32_t bit = 1u << (uart_intid % 32);
    uint64_t t0 = guest_counter(), t1, t2;

    for (unsigned int i = 0; i < ROUNDS; i++) {
        __asm__ __volatile__("" ::: "memory");
    }
    t1 = guest_counter();
    for (unsigned int i = 0; i < ROUNDS; i++) {
        if (write) {
            *reg = bit;
        } else {
            (void)*reg;
        }
    }
    t2 = guest_counter();
    return (insns(t2 - t1) - insns(t1 - t0)) / ROUNDS;
}

void guest_main(struct guest_info *gi)
{
    int node = fdt_path(&gi->fdt, "/serial@9040000");
    struct fdt_prop irq;
    uint64_t size, taken, call, extra, tr, rd, wr;

    freq = guest_counter_freq();
    GUEST_CHECK(gic_init(gi) == 0, "no virtual GIC");
    GUEST_CHECK(node >= 0 && fdt_reg(&gi->fdt, node, 0, &uart_base, &size) == 0 &&
                    fdt_prop(&gi->fdt, node, "interrupts", &irq) == 0 && irq.len == 12,
                "no passed-through serial@9040000 with one interrupt");
    uart_intid = fdt_be32((const uint8_t *)irq.data + 4) + 32;
    gic_cpu_init(0);
    gic_enable_private(0, 14, true);
    gic_enable_private(0, 15, true);
    gic_enable_private(0, GIC_PPI_VTIMER, true);
    gic_enable_spi(uart_intid, 0);
    *uart_reg(UART_ICR) = 0x7ffu;
    *uart_reg(UART_CR) = UART_CR_EN;
    irq_mask(false);
    (void)taken_cost(&extra); /* warm the translation cache */
    taken = taken_cost(&extra);
    GUEST_CHECK(extra == 0, "%llu exits while taking interrupts from the list registers",
                (unsigned long long)extra);
    call = call_cost();
    gprintf("irqbench: counter %llu Hz, %u rounds; guest takes an interrupt in %llu "
            "instructions, calls its handler in %llu\n",
            (unsigned long long)freq, ROUNDS, (unsigned long long)taken, (unsigned long long)call);
    (void)device_loop(TIMER, true);
    device_figure(TIMER, "vtimer_irq", taken, call);
    (void)device_loop(UART, true);
    device_figure(UART, "passthrough_irq", taken, call);
    *uart_reg(UART_IMSC) = 0;
    tr = traps();
    rd = gicd_round_trip(false);
    wr = gicd_round_trip(true);
    gprintf("irqbench: gicd_read: %llu exits, %llu instructions\n",
            (unsigned long long)((traps() - tr - 1 + ROUNDS) / (2 * ROUNDS)),
            (unsigned long long)rd);
    gprintf("irqbench: gicd_write: %llu exits, %llu instructions\n",
            (unsigned long long)((traps() - tr - 1 + ROUNDS) / (2 * ROUNDS)),
            (unsigned long long)wr);
}
