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
#include "frame.inc"

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
	.irp	slot, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector_entry \slot
	.endr

/* x0 = slot, x0/x1 of the interrupted context already saved at [sp]. */
vector_common:
	store_x2_x19 sp
	store_x20_x29 sp
	msr	spsel, #1			/* read the interrupted SP_EL2 */
	mov	x1, sp
	msr	spsel, #0
	stp	x30, x1, [sp, #240]
	mov	x1, sp
	mov	x29, xzr			/* end the frame chain for backtraces */
	bl	arm64_unexpected_exception
1:	wfi					/* not reached: the handler never returns */
	b	1b
