/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Filling a partition's RAM before its boot (include/arch/vcpu.h: arch_guest_mem_zero,
 * arch_guest_mem_copy), run by the partition's own boot CPU (core/partition/partition.c).
 *
 * A guest starts with its MMU and caches off (Linux arm64 boot protocol), so its data
 * accesses are Non-cacheable until it turns them on, and it may keep Non-cacheable aliases
 * afterwards. What the hypervisor writes through its cacheable mapping therefore has to reach
 * the Point of Coherency, line by line, before the guest runs (Arm ARM D7.5.9, data cache
 * maintenance by VA; B2.16 mismatched memory attributes): a dirty line left in a cache would
 * hide the zeros from a Non-cacheable read, which would then see what was in memory before
 * (what the firmware or the previous run left), and its later eviction would overwrite what
 * the guest wrote with its caches off. So every line is cleaned, zeros included; x86 needs
 * none of this (coherent caches).
 *
 * Zeroing uses DC ZVA (C5.3 "DC ZVA"; DCZID_EL0: DZP = bit 4 prohibits it, BS = bits 3:0
 * the log2 of the block size in words): one instruction per block, no data registers. The
 * line used for cleaning is CTR_EL0.DminLine (bits 19:16, log2 words), the smallest data
 * cache line of the system, so that every line of every level is reached. The loop for the
 * common geometry (64-byte ZVA blocks and lines: Cortex-A53/A57/A72, QEMU's models) does a
 * whole 4 KiB page per iteration, the three instructions a line needs (zero, clean, next
 * address) and two per page; anything else takes the generic loops.
 *
 * Copying moves 64 bytes per SIMD load / store pair. The hypervisor itself is built without
 * FP/SIMD (-mgeneral-regs-only) and never keeps state there; CPTR_EL2.TFP is clear (head.S),
 * and the registers used here are zeroed on the way out, so the guest never finds image
 * bytes in them.
 */
#include "arm64.h"

	.text

/* x0 = va, x1 = size (both multiples of 4 KiB): zero and clean to the PoC. */
	.globl arch_guest_mem_zero
	.type arch_guest_mem_zero, %function
arch_guest_mem_zero:
	add	x1, x0, x1			/* end */
	mrs	x2, dczid_el0
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x4, #4
	lsl	x3, x4, x3			/* cache line in bytes */
	and	x5, x2, #0xf
	lsl	x5, x4, x5			/* ZVA block in bytes */
	tbnz	x2, #4, 3f			/* DC ZVA prohibited */
	cmp	x3, #64
	b.ne	2f
	cmp	x5, #64
	b.ne	2f
1:	.rept	64				/* one 4 KiB page */
	dc	zva, x0
	dc	cvac, x0
	add	x0, x0, #64
	.endr
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
	/* Other geometries: zero by ZVA block (at most 2 KiB, so a page is whole blocks). */
2:	mov	x6, x0
21:	dc	zva, x6
	add	x6, x6, x5
	cmp	x6, x1
	b.lo	21b
	b	4f
	/* No DC ZVA: pairs of zero stores. */
3:	mov	x6, x0
31:	stp	xzr, xzr, [x6], #16
	cmp	x6, x1
	b.lo	31b
4:	dc	cvac, x0
	add	x0, x0, x3
	cmp	x0, x1
	b.lo	4b
	dsb	sy
	ret
	.size arch_guest_mem_zero, . - arch_guest_mem_zero

/*
 * x0 = dst, x1 = src, x2 = size: copy, clean dst to the PoC, invalidate the instruction
 * cache (the copy is code the guest runs, D7.4.4 / D7.5.9). With 64-byte lines the clean
 * is fused into the copy, 1 KiB per iteration: each line is cleaned right after its store,
 * the four instructions 64 bytes need (load, store, clean, next address). A dst that is not
 * line aligned stores into two lines at a time; the second is cleaned with the next store
 * or, for the last, by the clean of the rest below, which starts at the line x9 is in.
 */
	.globl arch_guest_mem_copy
	.type arch_guest_mem_copy, %function
arch_guest_mem_copy:
	mov	x9, x0				/* cleaned up to here */
	add	x10, x0, x2			/* end */
	mrs	x4, ctr_el0
	ubfx	x4, x4, #16, #4
	mov	x11, #4
	lsl	x11, x11, x4			/* cache line in bytes (CTR_EL0.DminLine) */
	cmp	x11, #64
	b.ne	2f
	and	x3, x2, #~0x3ff
	add	x3, x0, x3
	cmp	x0, x3
	b.hs	2f
1:	.rept	16
	ld1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x1], #64
	st1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x0]
	dc	cvac, x0
	add	x0, x0, #64
	.endr
	cmp	x0, x3
	b.lo	1b
	mov	x9, x0
2:	sub	x3, x10, x0			/* then 64 bytes at a time */
	cmp	x3, #64
	b.lo	22f
	ld1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x1], #64
	st1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x0], #64
	b	2b
22:	cbz	x3, 3f				/* and the last x3 bytes: */
	cmp	x2, #64
	b.lo	23f
	sub	x1, x1, #64			/* the last 64 bytes of the image again (a copy */
	add	x1, x1, x3			/* of at least 64), rather than byte by byte */
	sub	x0, x10, #64
	ld1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x1]
	st1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x0]
	b	3f
23:	ldrb	w4, [x1], #1
	strb	w4, [x0], #1
	cmp	x0, x10
	b.lo	23b
3:	movi	v0.16b, #0
	movi	v1.16b, #0
	movi	v2.16b, #0
	movi	v3.16b, #0
	/* Clean by line what the loop above did not, from the line x9 is in. */
	sub	x4, x11, #1
	bic	x9, x9, x4
4:	cmp	x9, x10
	b.hs	5f
	.rept	8
	dc	cvac, x9
	add	x9, x9, x11
	.endr
	b	4b
5:	dsb	sy
	ic	ialluis
	dsb	ish
	isb
	ret
	.size arch_guest_mem_copy, . - arch_guest_mem_copy
