/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entering and resuming a guest at EL1 (Arm ARM D1.11 exception return). A vCPU is entered
 * with arm64_guest_enter() on a fresh hypervisor stack; each trap from it arrives through
 * arm64_guest_vectors below, which saves the guest's registers in a struct arm64_regs frame
 * on that stack, calls arm64_guest_trap() (traps.c) and, when the trap is handled, resumes
 * the guest through arm64_guest_resume(). The frequent synchronous traps take shorter paths
 * that save only what their C handler may clobber: data aborts (arm64_guest_dabt()) and
 * HVC #0 / SMC #0 with a Bulkhead or PSCI function id (arm64_hypercall_fast()). The stack is
 * reset to its top at every entry, so handlers that never return (a vCPU parked, a partition
 * reset) leak nothing.
 */
#include <asm/vcpu.h>

#include "arm64.h"
#include "frame.inc"

/* Load x2..x19, or x2..x30, from a struct arm64_regs / struct vcpu_arch layout at base (same
 * offsets). */
.macro load_x2_x19 base
	ldp	x2, x3, [\base, #16]
	ldp	x4, x5, [\base, #32]
	ldp	x6, x7, [\base, #48]
	ldp	x8, x9, [\base, #64]
	ldp	x10, x11, [\base, #80]
	ldp	x12, x13, [\base, #96]
	ldp	x14, x15, [\base, #112]
	ldp	x16, x17, [\base, #128]
	ldp	x18, x19, [\base, #144]
.endm

.macro load_x2_x30 base
	load_x2_x19 \base
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

/*
 * Slot 8, synchronous from the guest: the fast paths first, told apart by the syndrome alone
 * (Arm ARM D23.2.41 ESR_EL2) with only x0 and x1 saved. A data abort from a lower EL, the
 * most frequent trap of a running guest (its UART, its GIC), is EC 0x24 (dabt_fast); HVC #0
 * from AArch64 has ESR_EL2 = EC 0x16 | IL, ISS = imm16 = 0, exactly 0x5a000000; a trapped
 * SMC #0 (HCR_EL2.TSC, EC 0x17) exactly 0x5e000000. Anything else takes the full path.
 */
.macro sync_slot
	.balign 0x80
	sub	sp, sp, #ARM64_REGS_SIZE
	stp	x0, x1, [sp, #0]
	mrs	x1, esr_el2
	lsr	x0, x1, #26
	cmp	x0, #0x24
	b.eq	dabt_fast
	movz	x0, #0x5a00, lsl #16
	cmp	x1, x0
	b.eq	hvc_conduit
	movz	x0, #0x5e00, lsl #16
	cmp	x1, x0
	b.eq	smc_conduit
sync_full:
	mov	x0, #8
	b	guest_trap_common
	.org	arm64_guest_vectors + 9 * 0x80	/* fails to assemble if the slot overflows */
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.globl arm64_guest_vectors
arm64_guest_vectors:
	.irp	slot, 0, 1, 2, 3, 4, 5, 6, 7
	el2_slot \slot
	.endr
	sync_slot
	.irp	slot, 9, 10, 11, 12, 13, 14, 15
	guest_slot \slot
	.endr

/*
 * The conduit's function id (x0 as the guest left it, in the frame) picks the handler, x1:
 * a Bulkhead id (x0 bits 63:24 = 0xc6, include/hv/hypercall_abi.h) below
 * HYPERCALL_TABLE_SIZE takes its hypercall_table entry (NULL included: not supported); a
 * PSCI id (psci_guest_id(), psci_guest.h: 0x84000000..0x8400001f or its SMC64 twin, bit 30)
 * takes psci_guest_call. Then \fast; anything else (the board's firmware calls, other
 * services) the full path.
 */
.macro conduit_check fast
	ldr	x0, [sp, #0]
	lsr	x1, x0, #24
	cmp	x1, #0xc6
	b.ne	1f
	and	x1, x0, #0xffffff
	cmp	x1, #HYPERCALL_TABLE_SIZE
	b.hs	sync_full
	adrp	x0, hypercall_table
	add	x0, x0, :lo12:hypercall_table
	ldr	x1, [x0, x1, lsl #3]
	b	\fast
1:	and	x0, x0, #0xffffffffbfffffff
	movz	x1, #0x8400, lsl #16
	sub	x0, x0, x1
	cmp	x0, #0x20
	b.hs	sync_full
	adrp	x1, psci_guest_call
	add	x1, x1, :lo12:psci_guest_call
	b	\fast
.endm

hvc_conduit:
	conduit_check hvc_fast

/* A trapped SMC leaves ELR_EL2 at the SMC itself (Arm ARM D1.10.2, HCR_EL2.TSC), unlike HVC:
 * step over it (4 bytes: EC 0x17 is an SMC from AArch64 state) once the fast path is sure. */
smc_conduit:
	conduit_check smc_fast
smc_fast:
	mrs	x0, elr_el2
	add	x0, x0, #4
	msr	elr_el2, x0
	b	hvc_fast


guest_trap_common:
	store_x2_x19 sp
	store_x20_x29 sp
	mrs	x1, sp_el0
	stp	x30, x1, [sp, #240]
	ldr	x2, [sp, #ARM64_REGS_SIZE]	/* the hypervisor's SP_EL0 */
	msr	sp_el0, x2
	mov	x1, sp
	mov	x29, xzr
	bl	arm64_guest_trap
	b	arm64_guest_resume

/*
 * x1 = the handler. Saves what the C calling convention does not preserve and the guest
 * must keep (SMCCC v1.1+: everything but the results x0..x4), with the call laid out as a
 * struct hypercall on the frame: fn and the arguments are x0..x5 where they stand (offsets
 * 0..47), the results follow (48..87), the saved registers after them (HC_SAVE). x19..x28
 * are the callee's to preserve (AAPCS64). SP_EL0 is swapped as on the full path.
 */
#define HC_RET 48
#define HC_SAVE 88
hvc_fast:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #HC_SAVE]
	stp	x8, x9, [sp, #HC_SAVE + 16]
	stp	x10, x11, [sp, #HC_SAVE + 32]
	stp	x12, x13, [sp, #HC_SAVE + 48]
	stp	x14, x15, [sp, #HC_SAVE + 64]
	stp	x16, x17, [sp, #HC_SAVE + 80]
	stp	x18, x29, [sp, #HC_SAVE + 96]
	mrs	x2, sp_el0
	stp	x30, x2, [sp, #HC_SAVE + 112]
	ldr	x2, [sp, #ARM64_REGS_SIZE]	/* the hypervisor's SP_EL0 */
	msr	sp_el0, x2
	mov	x2, x1
	mov	x1, sp
	mrs	x0, tpidr_el2			/* this CPU's struct percpu: vcpu first */
	ldr	x0, [x0]
	mov	x29, xzr
	bl	arm64_hypercall_fast
	ldp	x30, x2, [sp, #HC_SAVE + 112]
	msr	sp_el0, x2
	ldp	x0, x1, [sp, #HC_RET]
	ldp	x2, x3, [sp, #HC_RET + 16]
	ldr	x4, [sp, #HC_RET + 32]
	ldr	x5, [sp, #40]
	ldp	x6, x7, [sp, #HC_SAVE]
	ldp	x8, x9, [sp, #HC_SAVE + 16]
	ldp	x10, x11, [sp, #HC_SAVE + 32]
	ldp	x12, x13, [sp, #HC_SAVE + 48]
	ldp	x14, x15, [sp, #HC_SAVE + 64]
	ldp	x16, x17, [sp, #HC_SAVE + 80]
	ldp	x18, x29, [sp, #HC_SAVE + 96]
	add	sp, sp, #ARM64_REGS_SIZE
	eret

/*
 * x1 = ESR_EL2 of a data abort from the guest (EC 0x24). Most are loads and stores of an
 * emulated device's registers (core/vdev/vmmio.c): arm64_guest_dabt() (traps.c) decodes and
 * emulates them, or stops the partition. It gets a struct arm64_regs frame holding what the
 * C calling convention does not preserve (x0..x18, x30) and x19, which shares a store with
 * x18; the callee-saved x20..x29 stay in their registers, the guest's x29 included (the C
 * code's frame chain ends in it: nothing here walks the chain), unless the access's register
 * (ISS.SRT, bits 20:16, D17.2.40; 0 when ISV = 0) is one of x20..x28: then they are saved
 * too and the guest resumes from the whole frame.
 */
dabt_fast:
	store_x2_x19 sp
	mrs	x2, sp_el0
	stp	x30, x2, [sp, #240]
	ldr	x2, [sp, #ARM64_REGS_SIZE]	/* the hypervisor's SP_EL0 */
	msr	sp_el0, x2
	ubfx	x0, x1, #16, #5
	sub	x0, x0, #20
	cmp	x0, #8
	b.ls	1f
	mov	x2, sp
	mrs	x0, tpidr_el2			/* this CPU's struct percpu: vcpu first */
	ldr	x0, [x0]
	bl	arm64_guest_dabt
	ldp	x30, x1, [sp, #240]
	msr	sp_el0, x1
	ldp	x0, x1, [sp, #0]
	load_x2_x19 sp
	add	sp, sp, #ARM64_REGS_SIZE
	eret
1:	store_x20_x29 sp
	mov	x2, sp
	mrs	x0, tpidr_el2
	ldr	x0, [x0]
	mov	x29, xzr
	bl	arm64_guest_dabt
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
	ldp	x2, x3, [x0, #VCPU_ARCH_PC]	/* pstate follows pc (VCPU_ARCH_PSTATE) */
	msr	elr_el2, x2
	msr	spsr_el2, x3
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
