/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vector table (Arm ARM D1.3.2, "Exception vectors"): 16 slots of 0x80 bytes,
 * the table 2 KiB aligned. Groups of four (synchronous, IRQ, FIQ, SError) for: current EL
 * with SP_EL0, current EL with SP_EL2, lower EL in AArch64, lower EL in AArch32.
 *
 * Nothing is expected yet: every slot saves the general-purpose registers and hands over to
 * arm64_unexpected_exception(), which reports and stops. The partition run loop will give
 * the lower-EL slots real handlers.
 *
 * The report runs on the CPU's exception stack, which head.S keeps in SP_EL0 (selected with
 * SPSel = 0, Arm ARM C5.2.16): the interrupted SP_EL2 may be the very thing that faulted
 * (a stack overflow into its guard page), and pushing onto it would fault again forever.
 */
#include "arm64.h"

.macro vector_entry slot
	.balign 0x80
	msr	spsel, #0
	sub	sp, sp, #ARM64_REGS_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\slot
	b	vector_common
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.globl arm64_vectors
arm64_vectors:
	vector_entry 0
	vector_entry 1
	vector_entry 2
	vector_entry 3
	vector_entry 4
	vector_entry 5
	vector_entry 6
	vector_entry 7
	vector_entry 8
	vector_entry 9
	vector_entry 10
	vector_entry 11
	vector_entry 12
	vector_entry 13
	vector_entry 14
	vector_entry 15

/* x0 = slot, x0/x1 of the interrupted context already saved at [sp]. */
vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	msr	spsel, #1			/* read the interrupted SP_EL2 */
	mov	x1, sp
	msr	spsel, #0
	stp	x30, x1, [sp, #240]
	mov	x1, sp
	mov	x29, xzr			/* end the frame chain for backtraces */
	bl	arm64_unexpected_exception
1:	wfi					/* not reached: the handler never returns */
	b	1b
