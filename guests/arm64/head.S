/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of the arm64 test guests (linked at 0x40000000, guest.lds). The boot vCPU arrives at
 * _start at EL1 with the MMU off and x0 = the guest DTB (Linux arm64 booting.rst); vCPUs
 * started with PSCI CPU_ON arrive at guest_secondary_entry with x0 = the context id, which
 * guest_cpu_on() sets to the vCPU index. Each vCPU gets its own 16 KiB stack above the
 * image; an exception taken to EL1 is unexpected in these guests and ends in
 * rt_exception() (a fail verdict), except a synchronous one during a GUEST_PROBE() (rt.h),
 * which is recorded and skipped.
 */
#define STACK_SHIFT 14 /* 16 KiB per vCPU, GUEST_MAX_VCPUS of them in guest.lds */

	.section .text.head, "ax"
	.globl _start
_start:
	mov	x19, x0
	adr	x1, guest_vectors
	msr	vbar_el1, x1
	isb
	/* vCPU 0's stack: the first slot, growing down from its top. */
	adrp	x1, __stack_base
	add	x1, x1, :lo12:__stack_base
	add	sp, x1, #(1 << STACK_SHIFT)
	/* BSS: 16-byte aligned bounds (guest.lds), 8-byte aligned stores (Device memory). */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x0, x19
	bl	rt_start
	b	rt_halt

	.text
	.globl guest_secondary_entry
guest_secondary_entry:
	mov	x19, x0
	adr	x1, guest_vectors
	msr	vbar_el1, x1
	isb
	/* The context id is the vCPU index; anything out of range stops here. */
	cmp	x19, #4
	b.hs	rt_halt
	adrp	x1, __stack_base
	add	x1, x1, :lo12:__stack_base
	add	x2, x19, #1
	lsl	x2, x2, #STACK_SHIFT
	add	sp, x1, x2
	mov	x0, x19
	bl	rt_secondary
	.globl rt_halt
rt_halt:
	wfi
	b	rt_halt

/* EL1 vector table (Arm ARM D1.3.1): 16 entries of 128 bytes, 2 KiB aligned. */
.macro vector kind
	.balign 0x80
	mov	x0, #\kind
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	rt_exception
.endm

/* IRQ at EL1 with SP_EL1 (slot 5): the guest's virtual interrupts (gic.c). Saves the
 * registers a C call may clobber, plus ELR/SPSR so that a handler may unmask and nest. */
.macro irq_vector
	.balign 0x80
	sub	sp, sp, #192
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	b	irq_common
.endm

	.balign 0x800
guest_vectors:
	vector 0
	vector 1
	vector 2
	vector 3
	.balign 0x80
	b	rt_probe_sync
	irq_vector
	vector 6
	vector 7
	vector 8
	vector 9
	vector 10
	vector 11
	vector 12
	vector 13
	vector 14
	vector 15

irq_common:
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #160]
	str	x1, [sp, #176]
	bl	rt_irq
	ldr	x1, [sp, #176]
	ldp	x30, x0, [sp, #160]
	msr	spsr_el1, x1
	msr	elr_el1, x0
	ldp	x18, x29, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #192
	eret

/*
 * Synchronous exception from EL1h: during a GUEST_PROBE() (rt_probe_resume != 0) record
 * ESR_EL1 in rt_probe_esr and resume at rt_probe_resume; otherwise rt_exception().
 */
rt_probe_sync:
	stp	x0, x1, [sp, #-16]!
	adrp	x0, rt_probe_resume
	ldr	x1, [x0, :lo12:rt_probe_resume]
	cbz	x1, 1f
	msr	elr_el1, x1
	str	xzr, [x0, :lo12:rt_probe_resume]
	mrs	x1, esr_el1
	adrp	x0, rt_probe_esr
	str	x1, [x0, :lo12:rt_probe_esr]
	ldp	x0, x1, [sp], #16
	eret
1:	ldp	x0, x1, [sp], #16
	mov	x0, #4
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	rt_exception
