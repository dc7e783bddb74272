// SPDX-License-Identifier: Apache-2.0
/*
 * Interrupts inside one partition (two vCPUs) through the virtual GIC:
 *  - the EL1 virtual timer fires and is counted on both vCPUs, each sleeping in WFI between
 *    ticks (WFI is not trapped: the virtual interrupt wakes it); then, vCPU 1 idle, on
 *    vCPU 0 re-armed already expired in its handler, so that the physical interrupt is
 *    pending again before the guest's EOI deactivates it and must be signalled then
 *    (GIC 4.1.2; a model that re-evaluates only the virtual interface loses it);
 *  - SGIs by target list both ways and by broadcast (the other vCPU only);
 *  - the passed-through UART (uart1, its SPI routed by the guest to vCPU 1) interrupts on
 *    every character sent, once per character;
 *  - the EL1 physical timer is denied: it reads as zero.
 * Every count is exact; a lost or an extra interrupt fails the scenario.
 */
#include "gic.h"

#define TICKS 20u
#define EXPIRED_TICKS 10u
#define SGI_ROUNDS 10u
#define UART_ROUNDS 10u
#define WAIT_MS 20000u
/* PL011 registers (Arm PrimeCell UART TRM): data, flag, control, interrupt mask / clear. */
#define UART_DR 0x000u
#define UART_CR 0x030u
#define UART_IMSC 0x038u
#define UART_MIS 0x040u
#define UART_ICR 0x044u
#define UART_CR_EN 0x101u /* UARTEN | TXE */
#define UART_TXI (1u << 5)

static volatile uint64_t ticks[2], tick_end[2], tick_gap[2];
static volatile uint64_t sgis[2][16], uart_irqs, uart_wrong_cpu, spurious[2];
static volatile uint64_t vcpu1_ready, done;
static uint64_t period;
static uint64_t uart_base;
static unsigned int uart_intid;

static volatile uint32_t *uart_reg(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(uart_base + off);
}

void guest_irq(unsigned int vcpu, unsigned int intid)
{
    if (intid == GIC_PPI_VTIMER) {
        ticks[vcpu]++;
        if (ticks[vcpu] < tick_end[vcpu]) {
            vtimer_arm(tick_gap[vcpu]);
        } else {
            vtimer_stop();
        }
    } else if (intid < 16) {
        sgis[vcpu][intid]++;
    } else if (intid == uart_intid) {
        if (vcpu != 1) {
            uart_wrong_cpu++;
        }
        *uart_reg(UART_ICR) = UART_TXI; /* the level drops before the EOI */
        uart_irqs++;
    } else {
        spurious[vcpu]++;
    }
}

/* n timer interrupts gap counter ticks apart on vcpu, sleeping in WFI in between. */
static void timer_ticks(unsigned int vcpu, uint64_t n, uint64_t gap)
{
    uint64_t start = guest_counter(), first = ticks[vcpu];

    tick_end[vcpu] = first + n;
    tick_gap[vcpu] = gap;
    gic_enable_private(vcpu, GIC_PPI_VTIMER, true);
    vtimer_arm(gap);
    while (ticks[vcpu] < first + n &&
           guest_counter() - start < WAIT_MS * (guest_counter_freq() / 1000)) {
        __asm__ __volatile__("wfi");
    }
    GUEST_CHECK(ticks[vcpu] == first + n, "vcpu %u: %llu timer interrupts, expected %llu", vcpu,
                (unsigned long long)(ticks[vcpu] - first), (unsigned long long)n);
}

void guest_secondary(unsigned int vcpu)
{
    gic_cpu_init(vcpu);
    for (unsigned int i = 0; i < 16; i++) {
        gic_enable_private(vcpu, i, true);
    }
    irq_mask(false);
    timer_ticks(vcpu, TICKS, period);
    gprintf("irq: vcpu %u: %u virtual timer interrupts\n", vcpu, TICKS);
    guest_dmb();
    vcpu1_ready = 1;
    while (!done) {
        __asm__ __volatile__("wfi");
    }
}

static void sgi_tests(void)
{
    for (unsigned int r = 1; r <= SGI_ROUNDS; r++) {
        gic_sgi(3, 1u << 1);
        guest_wait_count(&sgis[1][3], r, WAIT_MS, "SGI 3 to vcpu 1");
    }
    /* Broadcast: the other vCPU only, once. */
    gic_sgi_others(4);
    guest_wait_count(&sgis[1][4], 1, WAIT_MS, "broadcast SGI 4 at vcpu 1");
    /* To itself by target list. */
    gic_sgi(5, 1u << 0);
    guest_wait_count(&sgis[0][5], 1, WAIT_MS, "SGI 5 to vcpu 0");
    GUEST_CHECK(sgis[0][4] == 0, "the broadcast reached its sender");
    GUEST_CHECK(sgis[1][3] == SGI_ROUNDS && sgis[1][4] == 1 && sgis[1][5] == 0,
                "vcpu 1 SGI counts %llu %llu %llu", (unsigned long long)sgis[1][3],
                (unsigned long long)sgis[1][4], (unsigned long long)sgis[1][5]);
    gprintf("irq: SGIs: %u by target list, 1 broadcast, 1 to self, all counted once\n", SGI_ROUNDS);
}

static void uart_tests(const struct guest_info *gi)
{
    int node = fdt_path(&gi->fdt, "/serial@9040000");
    struct fdt_prop irq;
    uint64_t size;

    GUEST_CHECK(node >= 0 && fdt_reg(&gi->fdt, node, 0, &uart_base, &size) == 0 &&
                    fdt_prop(&gi->fdt, node, "interrupts", &irq) == 0 && irq.len == 12,
                "no passed-through serial@9040000 with one interrupt in the DTB");
    GUEST_CHECK(fdt_be32((const uint8_t *)irq.data) == 0, "the UART's interrupt is not an SPI");
    uart_intid = fdt_be32((const uint8_t *)irq.data + 4) + 32;
    gic_enable_spi(uart_intid, 1);
    *uart_reg(UART_ICR) = 0x7ffu;
    *uart_reg(UART_CR) = UART_CR_EN;
    *uart_reg(UART_IMSC) = UART_TXI;
    for (unsigned int r = 1; r <= UART_ROUNDS; r++) {
        *uart_reg(UART_DR) = '0' + r % 10;
        guest_wait_count(&uart_irqs, r, WAIT_MS, "UART interrupts at vcpu 1");
    }
    *uart_reg(UART_IMSC) = 0;
    GUEST_CHECK(uart_irqs == UART_ROUNDS && uart_wrong_cpu == 0,
                "%llu UART interrupts (%llu on the wrong vCPU), expected %u",
                (unsigned long long)uart_irqs, (unsigned long long)uart_wrong_cpu, UART_ROUNDS);
    gprintf("irq: passed-through SPI %u: %u interrupts at vcpu 1\n", uart_intid, UART_ROUNDS);
}

void guest_main(struct guest_info *gi)
{
    uint64_t ctl;

    guest_describe(gi);
    GUEST_CHECK(gi->ncpus >= 2, "needs 2 vCPUs");
    GUEST_CHECK(gic_init(gi) == 0, "no virtual GIC");
    GUEST_CHECK(fdt_find_compatible(&gi->fdt, -1, "arm,armv8-timer") >= 0, "no timer node");
    period = guest_counter_freq() / 1000; /* 1 ms */
    gic_cpu_init(0);
    for (unsigned int i = 0; i < 16; i++) {
        gic_enable_private(0, i, true);
    }
    irq_mask(false);
    GUEST_CHECK(guest_cpu_on(1) == PSCI_SUCCESS, "CPU_ON(1)");
    timer_ticks(0, TICKS, period);
    gprintf("irq: vcpu 0: %u virtual timer interrupts\n", TICKS);
    GUEST_CHECK(guest_wait(guest_flag_set, (void *)&vcpu1_ready, WAIT_MS),
                "vcpu 1 did not finish its ticks");
    timer_ticks(0, EXPIRED_TICKS, 0);
    gprintf("irq: vcpu 0: %u timer interrupts re-armed expired before their EOI\n", EXPIRED_TICKS);
    sgi_tests();
    uart_tests(gi);
    __asm__ __volatile__("mrs %0, cntp_ctl_el0" : "=r"(ctl));
    GUEST_CHECK(ctl == 0, "CNTP_CTL_EL0 reads %#llx", (unsigned long long)ctl);
    GUEST_CHECK(spurious[0] == 0 && spurious[1] == 0, "unexpected interrupts");
    gprintf("irq: all interrupts counted\n");
    done = 1;
    gic_sgi(6, 1u << 1); /* wake vCPU 1 so it sees done */
}
