/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry points of the hypervisor image: the arm64 Image header (Linux
 * Documentation/arch/arm64/booting.rst, "Call the kernel image"), the boot CPU's entry with
 * its EL2 set-up, the secondary CPUs' entries (PSCI CPU_ON, spin table), and the MMU switch
 * they use.
 *
 * Boot protocol on entry: MMU and D-cache off, x0 = the loader's DTB (unused: the
 * configuration DTB is embedded), interrupts masked, at EL2 when virtualization is on.
 */
#include <asm/cpu.h>

#include "arm64.h"

/* The Image header places the image at (2 MiB-aligned RAM base) + text_offset; with RAM at
 * 0x40000000 that is CONFIG_ARM64_LOAD_ADDR, which the start code checks at run time. */
#define ARM64_TEXT_OFFSET 0x400000
/* flags: little-endian (bit 0 = 0), 4 KiB pages (bits 2:1 = 1), placed relative to the
 * RAM base (bit 3 = 0). */
#define ARM64_IMAGE_FLAGS 0x2

/*
 * The early console UART for the bad-entry message (Kconfig EARLY_CONSOLE_*_BASE): its base,
 * data register, status register and the status bit that says "transmit FIFO full", and
 * the register write(s) that enable its transmitter (QEMU's models start with it off).
 *   PL011 TRM 3.3: UARTDR 0x00, UARTFR 0x18 TXFF bit 5; UARTCR 0x30 UARTEN|TXE|RXE.
 *   Cadence (UG1087 UART): TX_RX_FIFO0 0x30, Channel_sts_reg0 0x2c TXFULL bit 4;
 *     Control_reg0 0x00 = RXEN|TXEN (a write: RXDIS/TXDIS, set at reset, must go).
 *   i.MX (IMX8MPRM UART): UTXD 0x40, UTS 0xb4 TXFULL bit 4; UCR1 0x80 |= UARTEN,
 *     UCR2 0x84 |= SRST|RXEN|TXEN|WS|IRTS.
 */
#if defined(CONFIG_EARLY_CONSOLE_PL011_BASE) && CONFIG_EARLY_CONSOLE_PL011_BASE != 0
#define EARLY_UART_BASE CONFIG_EARLY_CONSOLE_PL011_BASE
#define EARLY_UART_DATA 0x00
#define EARLY_UART_STATUS 0x18
#define EARLY_UART_FULL_BIT 5
.macro early_uart_enable base, tmp, tmp2
	ldr	\tmp, [\base, #0x30]
	mov	\tmp2, #0x301
	orr	\tmp, \tmp, \tmp2
	str	\tmp, [\base, #0x30]
.endm
#elif defined(CONFIG_EARLY_CONSOLE_CADENCE_BASE) && CONFIG_EARLY_CONSOLE_CADENCE_BASE != 0
#define EARLY_UART_BASE CONFIG_EARLY_CONSOLE_CADENCE_BASE
#define EARLY_UART_DATA 0x30
#define EARLY_UART_STATUS 0x2c
#define EARLY_UART_FULL_BIT 4
.macro early_uart_enable base, tmp, tmp2
	mov	\tmp, #0x14
	str	\tmp, [\base, #0x00]
.endm
#elif defined(CONFIG_EARLY_CONSOLE_IMX_BASE) && CONFIG_EARLY_CONSOLE_IMX_BASE != 0
#define EARLY_UART_BASE CONFIG_EARLY_CONSOLE_IMX_BASE
#define EARLY_UART_DATA 0x40
#define EARLY_UART_STATUS 0xb4
#define EARLY_UART_FULL_BIT 4
.macro early_uart_enable base, tmp, tmp2
	ldr	\tmp, [\base, #0x80]
	orr	\tmp, \tmp, #1
	str	\tmp, [\base, #0x80]
	ldr	\tmp, [\base, #0x84]
	mov	\tmp2, #0x4027
	orr	\tmp, \tmp, \tmp2
	str	\tmp, [\base, #0x84]
.endm
#endif

	.section .text.head, "ax"
	.globl _start
_start:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	ARM64_TEXT_OFFSET		/* text_offset */
	.quad	__image_size			/* image_size, including BSS */
	.quad	ARM64_IMAGE_FLAGS		/* flags */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 (no PE/COFF header) */

	.text

/* Write the EL2 control registers every CPU starts from, whatever firmware left there, once
 * sure to be at EL2 (CurrentEL bits 3:2, Arm ARM D23.2.34: only EL2 can run a hypervisor).
 * What the boot loader left is kept in x20..x22 first, for the boot log (arm64_boot_main's
 * arguments; unused on secondaries). A CPU without FEAT_E2H0 keeps HCR_EL2.E2H at 1 (VHE):
 * the E2H = 0 register layouts Bulkhead programs would not apply (Arm ARM D23.2.56). */
.macro el2_setup tmp
	mrs	\tmp, CurrentEL
	cmp	\tmp, #(2 << 2)
	b.ne	bad_el
	mrs	x20, hcr_el2
	mrs	x21, cptr_el2
	mrs	x22, sctlr_el2
	ldr	\tmp, =HCR_EL2_BOOT
	msr	hcr_el2, \tmp
	ldr	\tmp, =CPTR_EL2_BOOT
	msr	cptr_el2, \tmp
	ldr	\tmp, =SCTLR_EL2_BOOT
	msr	sctlr_el2, \tmp
	mov	\tmp, #CNTHCTL_EL2_BOOT
	msr	cnthctl_el2, \tmp
	msr	cntvoff_el2, xzr
	msr	daifset, #0xf
	adrp	\tmp, arm64_vectors
	add	\tmp, \tmp, :lo12:arm64_vectors
	msr	vbar_el2, \tmp
	isb
	mrs	\tmp, hcr_el2
	tbnz	\tmp, #HCR_EL2_E2H_BIT, bad_e2h
.endm

primary_entry:
	el2_setup x1
	/* The code is linked for CONFIG_ARM64_LOAD_ADDR and not position independent. */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	bad_addr
	adrp	x1, hv_percpu			/* logical CPU 0's struct percpu (cpu.c) */
	add	x1, x1, :lo12:hv_percpu
	msr	tpidr_el2, x1
	/* The exception stack first: from here on an unexpected exception can be reported. */
	adrp	x1, arm64_exc_stacks + ARM64_EXC_STACK_SIZE
	add	x1, x1, :lo12:(arm64_exc_stacks + ARM64_EXC_STACK_SIZE)
	msr	sp_el0, x1

	/* Clear BSS (64-byte aligned and sized by the linker script), 64 bytes a pass: it is
	 * over a MiB. The MMU is off: every access is Device-nGnRnE, so only aligned stores
	 * (Arm ARM B2.8.1), and no DC ZVA (an Alignment fault on Device memory, Arm ARM DC ZVA). */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1]
	stp	xzr, xzr, [x1, #16]
	stp	xzr, xzr, [x1, #32]
	stp	xzr, xzr, [x1, #48]
	add	x1, x1, #64
	b	1b
2:
	adrp	x1, arm64_stacks + ARM64_STACK_SLOT
	add	x1, x1, :lo12:(arm64_stacks + ARM64_STACK_SLOT)
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x20
	mov	x1, x21
	mov	x2, x22
	bl	arm64_boot_main
	b	halt

/*
 * Secondary CPUs, started by PSCI CPU_ON at EL2 with the MMU off; x0 = context_id = this
 * CPU's struct arm64_cpu_boot, cleaned to the PoC by the boot CPU, so the non-cacheable
 * loads below see it.
 */
	.globl arm64_secondary_entry
arm64_secondary_entry:
	el2_setup x1
	mov	x19, x0
	ldr	x1, [x19, #CPU_BOOT_PERCPU]
	msr	tpidr_el2, x1
	ldr	x1, [x19, #CPU_BOOT_EXC_STACK]
	msr	sp_el0, x1
	ldr	x1, [x19, #CPU_BOOT_STACK]
	mov	sp, x1
	add	x0, x19, #CPU_BOOT_MMU
	bl	arm64_mmu_enable
	ldr	x0, [x19, #CPU_BOOT_CPU]
	mov	x29, xzr
	mov	x30, xzr
	bl	arm64_secondary_main
	b	halt

/*
 * Secondary CPUs started by spin table (smp.c; Linux arm64 booting.rst, "spin-table"): the
 * board's stub (the Pi's armstub, QEMU's raspi stub) branches here at EL2 with the MMU off
 * and x0 = 0. Find this CPU's struct arm64_cpu_boot by its MPIDR affinity in
 * arm64_spin_boot ({mpidr, boot} pairs, CONFIG_NR_CPUS of them, cleaned to the PoC by the
 * boot CPU before the release), then continue as a PSCI-started CPU. A CPU with no entry
 * was not asked to start: it halts.
 */
	.globl arm64_spin_entry
arm64_spin_entry:
	mrs	x1, mpidr_el1
	ldr	x2, =MPIDR_AFF_MASK
	and	x1, x1, x2
	adrp	x2, arm64_spin_boot
	add	x2, x2, :lo12:arm64_spin_boot
	mov	x3, #CONFIG_NR_CPUS
1:	ldp	x4, x0, [x2], #16
	cbz	x0, 2f				/* free slot */
	cmp	x4, x1
	b.eq	arm64_secondary_entry
2:	subs	x3, x3, #1
	b.ne	1b
	b	halt

/*
 * void arm64_mmu_enable(const struct arm64_mmu_regs *regs). Arm ARM D8.2 / D8.13: program
 * the translation registers, make them visible (isb), drop any TLB entries and stale
 * instructions left by the boot loader, then set SCTLR_EL2.{M,C,I}. A leaf function that
 * uses no stack, so secondaries may call it before any memory is cacheable.
 */
	.globl arm64_mmu_enable
arm64_mmu_enable:
	ldr	x1, [x0, #MMU_REGS_MAIR]
	msr	mair_el2, x1
	ldr	x1, [x0, #MMU_REGS_TCR]
	msr	tcr_el2, x1
	ldr	x1, [x0, #MMU_REGS_TTBR0]
	msr	ttbr0_el2, x1
	ldr	x2, [x0, #MMU_REGS_SCTLR]
	isb
	tlbi	alle2
	ic	iallu
	dsb	nsh
	isb
	msr	sctlr_el2, x2
	isb
	ret

/*
 * Wrong exception level or wrong load address: nothing can run. Say so on the early UART
 * (if configured) and stop; TEST_EXIT builds end QEMU through semihosting. Kept in
 * assembly so that it needs neither stack nor MMU nor any particular EL.
 */
bad_el:
	adr	x0, msg_bad_el
	b	bad_entry
bad_e2h:
	adr	x0, msg_bad_e2h
	b	bad_entry
bad_addr:
	adr	x0, msg_bad_addr
	/* adr (not adrp): PC-relative within +-1 MiB, right even when loaded elsewhere. */
bad_entry:
#ifdef EARLY_UART_BASE
	ldr	x1, =EARLY_UART_BASE
	early_uart_enable x1, w3, w4
1:	ldrb	w2, [x0], #1
	cbz	w2, 3f
2:	ldr	w3, [x1, #EARLY_UART_STATUS]
	tbnz	w3, #EARLY_UART_FULL_BIT, 2b	/* transmit FIFO full */
	str	w2, [x1, #EARLY_UART_DATA]
	b	1b
3:
#endif
#ifdef CONFIG_TEST_EXIT
	adr	x1, bad_entry_exit_block	/* {reason, exit code} */
	mov	x0, #0x18			/* SYS_EXIT */
	hlt	#0xf000
#endif
halt:
	msr	daifset, #0xf
1:	wfi
	b	1b

	/* In .text so that adr reaches it: these run before anything else is known. */
	.balign 8
bad_entry_exit_block:
	.quad	0x20026				/* ADP_Stopped_ApplicationExit */
	.quad	ARM64_BAD_ENTRY_EXIT_CODE
msg_bad_el:
	.asciz	"\r\nBulkhead: not entered at EL2; the hypervisor needs EL2 (virtualization=on, a boot loader that stays at EL2)\r\n"
msg_bad_e2h:
	.asciz	"\r\nBulkhead: HCR_EL2.E2H is fixed at 1 (no FEAT_E2H0); VHE-only CPUs are not supported\r\n"
msg_bad_addr:
	.asciz	"\r\nBulkhead: image not at its link address CONFIG_ARM64_LOAD_ADDR; load it as an arm64 Image (text_offset)\r\n"
