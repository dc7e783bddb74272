// SPDX-License-Identifier: Apache-2.0
/*
 * Traps from AArch32 EL0. A partition's EL1 is AArch64, but its EL0 may run AArch32 code
 * (a Linux guest's 32-bit processes). Such code reaches the hypervisor through the "lower EL
 * AArch32, synchronous" vector: WFI (HCR_EL2.TWI, once SCTLR_EL1.nTWI lets EL0 run it, as
 * Linux does) and loads or stores to emulated MMIO. Both must be handled like their AArch64
 * twins, with the instruction's own length (ESR_EL2.IL: 2 for a 16-bit T32 instruction) and
 * the IT state advanced past a trapped instruction in an IT block (Arm ARM, ITAdvance()),
 * never by stopping the partition.
 *
 * The guest enters EL0 (MMU off) at a small A32 and a small T32 sequence with eret; each
 * ends in SVC, which brings it back to EL1 through this file's own vector table. A trapped
 * WFI waits for an interrupt of the vCPU, so the virtual timer is armed first.
 */
#include "gic.h"
#include "stdout_uart.h"

/* SPSR_EL1 for the EL0 entry: AArch32 User mode (M[4] = 1, M[3:0] = 0), A, I, F masked,
 * and T (bit 5) for T32. */
#define SPSR_A32_USR 0x1d0u
#define SPSR_T32_USR 0x1f0u
/* SCTLR_EL1.nTWI (16) and nTWE (18): EL0 may execute WFI/WFE without trapping to EL1. */
#define SCTLR_NTWI (1u << 16)
#define SCTLR_NTWE (1u << 18)
/* ESR_EL1.EC of an SVC from AArch32 (Arm ARM D17.2.37). */
#define EC_SVC32 0x11u
#define UART_FR_RXFE 0x10u

/*
 * A32: wfi; ldr r0, [r1] (UARTFR of the virtual UART, trapped MMIO); str r0, [r2]; svc #0.
 */
static const uint32_t a32_code[] __attribute__((aligned(8))) = {
    0xe320f003u, /* wfi */
    0xe5910000u, /* ldr r0, [r1] */
    0xe5820000u, /* str r0, [r2] */
    0xef000000u, /* svc #0 */
};

/*
 * T32, 16-bit instructions (two per word, the first in the low half); r2 = UARTFR:
 *   movs r0, #0      Z = 1
 *   ite eq
 *   ldreq r1, [r2]   (EQ: executes, trapped MMIO, length 2)
 *   addne r0, #1     (NE: skipped)
 *   adds r0, #2      (after the block)
 *   adds r0, #8
 *   wfi              (traps, length 2)
 *   adds r0, #4
 *   adds r0, r0, r1  (+ UARTFR)
 *   svc #0
 * Done right, r0 = 2 + 8 + 4 + UARTFR = 0x9e. Stepping 4 bytes over 16-bit instructions
 * without advancing the IT state gives 0x92, stepping 2 bytes without advancing it 0x9d.
 * The IT block holds the load, not the WFI: QEMU (10.0) reports the IT state after a trapped
 * T32 WFI already advanced, unlike the architecture (the trapped instruction's own state),
 * while a data abort reports it as the architecture says.
 */
static const uint32_t t32_code[] __attribute__((aligned(8))) = {
    0xbf0c2000u, /* movs r0, #0 ; ite eq */
    0x30016811u, /* ldreq r1, [r2] ; addne r0, #1 */
    0x30083002u, /* adds r0, #2 ; adds r0, #8 */
    0x3004bf30u, /* wfi ; adds r0, #4 */
    0xdf001840u, /* adds r0, r0, r1 ; svc #0 */
};

/* Filled by el0_back: EL0's x0 (r0) when it came back. */
uint64_t el0_r0;
uint64_t el0_saved_sp, el0_saved_vbar;
static volatile uint32_t a32_stored;

/*
 * uint64_t el0_run(uint64_t pc (x0), uint64_t spsr (x1), uint64_t r1 (x2), uint64_t r2 (x3)):
 * run EL0 at pc with r0 = 0, r1, r2 until it takes an exception to EL1 from AArch32; returns
 * ESR_EL1 with el0_r0 set. Any other exception goes to the runtime's rt_exception (fail).
 */
uint64_t el0_run(uint64_t pc, uint64_t spsr, uint64_t r1, uint64_t r2);
__asm__(".text\n"
        ".globl el0_run\n"
        "el0_run:\n"
        "	stp	x29, x30, [sp, #-96]!\n"
        "	stp	x19, x20, [sp, #16]\n"
        "	stp	x21, x22, [sp, #32]\n"
        "	stp	x23, x24, [sp, #48]\n"
        "	stp	x25, x26, [sp, #64]\n"
        "	stp	x27, x28, [sp, #80]\n"
        "	adrp	x4, el0_saved_sp\n"
        "	mov	x5, sp\n"
        "	str	x5, [x4, :lo12:el0_saved_sp]\n"
        "	adrp	x4, el0_saved_vbar\n"
        "	mrs	x5, vbar_el1\n"
        "	str	x5, [x4, :lo12:el0_saved_vbar]\n"
        "	adrp	x4, el0_vectors\n"
        "	add	x4, x4, :lo12:el0_vectors\n"
        "	msr	vbar_el1, x4\n"
        "	msr	elr_el1, x0\n"
        "	msr	spsr_el1, x1\n"
        "	mov	x1, x2\n"
        "	mov	x2, x3\n"
        "	mov	x0, xzr\n"
        "	isb\n"
        "	eret\n"
        "el0_back:\n"
        "	adrp	x4, el0_r0\n"
        "	str	x0, [x4, :lo12:el0_r0]\n"
        "	adrp	x4, el0_saved_vbar\n"
        "	ldr	x5, [x4, :lo12:el0_saved_vbar]\n"
        "	msr	vbar_el1, x5\n"
        "	adrp	x4, el0_saved_sp\n"
        "	ldr	x5, [x4, :lo12:el0_saved_sp]\n"
        "	mov	sp, x5\n"
        "	isb\n"
        "	ldp	x19, x20, [sp, #16]\n"
        "	ldp	x21, x22, [sp, #32]\n"
        "	ldp	x23, x24, [sp, #48]\n"
        "	ldp	x25, x26, [sp, #64]\n"
        "	ldp	x27, x28, [sp, #80]\n"
        "	ldp	x29, x30, [sp], #96\n"
        "	mrs	x0, esr_el1\n"
        "	ret\n"
        ".macro el0_vector kind\n"
        "	.balign	0x80\n"
        "	.if \\kind == 12\n"
        "	b	el0_back\n"
        "	.else\n"
        "	mov	x0, #\\kind\n"
        "	mrs	x1, esr_el1\n"
        "	mrs	x2, elr_el1\n"
        "	mrs	x3, far_el1\n"
        "	b	rt_exception\n"
        "	.endif\n"
        ".endm\n"
        "	.balign	0x800\n"
        "el0_vectors:\n"
        "	el0_vector 0\n	el0_vector 1\n	el0_vector 2\n	el0_vector 3\n"
        "	el0_vector 4\n	el0_vector 5\n	el0_vector 6\n	el0_vector 7\n"
        "	el0_vector 8\n	el0_vector 9\n	el0_vector 10\n	el0_vector 11\n"
        "	el0_vector 12\n	el0_vector 13\n	el0_vector 14\n	el0_vector 15\n");

static unsigned int esr_ec(uint64_t esr)
{
    return (unsigned int)(esr >> 26) & 0x3fu;
}

void guest_main(struct guest_info *gi)
{
    uint64_t pfr0, sctlr, uart, size, esr;
    uint32_t r0;

    guest_describe(gi);
    __asm__ __volatile__("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
    if ((pfr0 & 0xf) != 2) {
        gprintf("el0_a32: this CPU has no AArch32 EL0 (ID_AA64PFR0_EL1 0x%llx), nothing to do\n",
                (unsigned long long)pfr0);
        return;
    }
    GUEST_CHECK(stdout_uart(gi, &uart, &size) == 0, "no virtual UART in /chosen stdout-path");
    __asm__ __volatile__("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr |= SCTLR_NTWI | SCTLR_NTWE;
    __asm__ __volatile__("msr sctlr_el1, %0\n\tisb" ::"r"(sctlr) : "memory");

    /* A trapped WFI really waits for an interrupt now: the virtual timer provides one (it
     * stays masked here; the WFI only needs something pending). */
    vtimer_arm(guest_counter_freq() / 1000);
    esr = el0_run((uint64_t)(uintptr_t)a32_code, SPSR_A32_USR, uart + UART_FR,
                  (uint64_t)(uintptr_t)&a32_stored);
    r0 = (uint32_t)el0_r0;
    GUEST_CHECK(esr_ec(esr) == EC_SVC32, "A32: came back with ESR_EL1 0x%llx, not an SVC",
                (unsigned long long)esr);
    GUEST_CHECK(r0 == (UART_FR_TXFE | UART_FR_RXFE) && a32_stored == r0,
                "A32: UARTFR load gave r0 0x%x, stored 0x%x", r0, a32_stored);
    gprintf("el0_a32: A32 WFI and UARTFR load from EL0 handled\n");

    esr = el0_run((uint64_t)(uintptr_t)t32_code, SPSR_T32_USR, 0, uart + UART_FR);
    r0 = (uint32_t)el0_r0;
    GUEST_CHECK(esr_ec(esr) == EC_SVC32, "T32: came back with ESR_EL1 0x%llx, not an SVC",
                (unsigned long long)esr);
    GUEST_CHECK(r0 == 14 + (UART_FR_TXFE | UART_FR_RXFE), "T32: r0 = 0x%x, want 0x9e", r0);
    gprintf("el0_a32: T32 load in an IT block and WFI (16-bit) stepped over exactly\n");
}
