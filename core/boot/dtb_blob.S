/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The configuration DTB, embedded in the image, and the name of the partition layout it was
 * built with (CONFIG_PARTITION_LAYOUT, empty for none). DTB_PATH and LAYOUT_NAME come from the
 * Makefile: this is the one object that depends on the layout.
 */
	.section .rodata.dtb, "a"
	.balign 8
	.globl __dtb_start
__dtb_start:
	.incbin DTB_PATH
	.globl __dtb_end
__dtb_end:
	.balign 8

	.section .rodata.layout, "a"
	.globl hv_layout_name
hv_layout_name:
	.asciz LAYOUT_NAME

/* Not an executable-stack object (silences the linker's implied-executable-stack notice). */
	.section .note.GNU-stack, "", %progbits
