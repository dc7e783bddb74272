/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration DTB, embedded in the image. DTB_PATH comes from the Makefile. */
	.section .rodata.dtb, "a"
	.balign 8
	.globl __dtb_start
__dtb_start:
	.incbin DTB_PATH
	.globl __dtb_end
__dtb_end:
	.balign 8

/* Not an executable-stack object (silences the linker's implied-executable-stack notice). */
	.section .note.GNU-stack, "", %progbits
