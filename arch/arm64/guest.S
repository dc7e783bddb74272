/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entering and resuming a guest at EL1 (Arm ARM D1.11 exception return). A vCPU is entered
 * with arm64_guest_enter() on a fresh hypervisor stack; each trap from it arrives through
 * arm64_guest_vectors below, which saves the guest's registers in a struct arm64_regs frame
 * on that stack, calls arm64_guest_trap() (traps.c) and, when the trap is handled, resumes
 * the guest through arm64_guest_resume(). The stack is reset to its top at every entry, so handlers that
 * never return (a vCPU parked, a partition reset) leak nothing.
 */
#include <asm/vcpu.h>

#include "arm64.h"

/* Load x2..x30 from a struct arm64_regs / struct vcpu_arch layout at base (same offsets). */
.macro load_x2_x30 base
	ldp	x2, x3, [\base, #16]
	ldp	x4, x5, [\base, #32]
	ldp	x6, x7, [\base, #48]
	ldp	x8, x9, [\base, #64]
	ldp	x10, x11, [\base, #80]
	ldp	x12, x13, [\base, #96]
	ldp	x14, x15, [\base, #112]
	ldp	x16, x17, [\base, #128]
	ldp	x18, x19, [\base, #144]
	ldp	x20, x21, [\base, #160]
	ldp	x22, x23, [\base, #176]
	ldp	x24, x25, [\base, #192]
	ldp	x26, x27, [\base, #208]
	ldp	x28, x29, [\base, #224]
	ldr	x30, [\base, #240]
.endm

/* Slots below the frame: the hypervisor's SP_EL0, kept at the stack top while a guest runs. */
#define GUEST_STACK_RESERVE 16

/*
 * The vector table of a CPU that runs a vCPU (VBAR_EL2 while in a guest, Arm ARM D1.3.2).
 * EL2's own exceptions (slots 0..7) go to the hypervisor's table, vectors.S. Traps from the
 * guest (slots 8..15) save x0..x30 and the guest's SP_EL0 in a struct arm64_regs frame on
 * SP_EL2 and reload the hypervisor's SP_EL0 (the guest owns SP_EL0 while it runs: Linux keeps
 * its current task there), then call arm64_guest_trap(slot, frame).
 */
.macro el2_slot slot
	.balign 0x80
	b	arm64_vectors + \slot * 0x80
.endm

.macro guest_slot slot
	.balign 0x80
	sub	sp, sp, #ARM64_REGS_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\slot
	b	guest_trap_common
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.globl arm64_guest_vectors
arm64_guest_vectors:
	el2_slot 0
	el2_slot 1
	el2_slot 2
	el2_slot 3
	el2_slot 4
	el2_slot 5
	el2_slot 6
	el2_slot 7
	guest_slot 8
	guest_slot 9
	guest_slot 10
	guest_slot 11
	guest_slot 12
	guest_slot 13
	guest_slot 14
	guest_slot 15

guest_trap_common:
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
	mrs	x1, sp_el0
	stp	x30, x1, [sp, #240]
	ldr	x2, [sp, #ARM64_REGS_SIZE]	/* the hypervisor's SP_EL0 */
	msr	sp_el0, x2
	mov	x1, sp
	mov	x29, xzr
	bl	arm64_guest_trap
	b	arm64_guest_resume

	.text

/*
 * void arm64_guest_enter(const struct vcpu_arch *regs (x0), uint64_t stack_top (x1)):
 * reset SP_EL2 to the top of this CPU's stack, keep the hypervisor's SP_EL0 there, load the
 * guest's registers and ERET to it (SPSR_EL2 = its PSTATE, ELR_EL2 = its PC).
 */
	.globl arm64_guest_enter
arm64_guest_enter:
	sub	sp, x1, #GUEST_STACK_RESERVE
	mrs	x2, sp_el0
	str	x2, [sp]
	msr	sp_el0, xzr
	ldr	x2, [x0, #VCPU_ARCH_PC]
	msr	elr_el2, x2
	ldr	x2, [x0, #VCPU_ARCH_PSTATE]
	msr	spsr_el2, x2
	load_x2_x30 x0
	ldp	x0, x1, [x0, #0]
	eret

/* Resume the guest from the struct arm64_regs frame at sp (its SP_EL0 in the frame's sp). */
	.globl arm64_guest_resume
arm64_guest_resume:
	ldr	x1, [sp, #248]
	msr	sp_el0, x1
	load_x2_x30 sp
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #ARM64_REGS_SIZE
	eret
