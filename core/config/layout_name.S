/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The name of the partition layout the configuration DTB was built with
 * (CONFIG_PARTITION_LAYOUT, empty for none). LAYOUT_NAME comes from the Makefile: with the DTB
 * (core/boot/dtb_blob.S), the only object that depends on the layout.
 */
	.section .rodata.layout, "a"
	.globl hv_layout_name
hv_layout_name:
	.asciz LAYOUT_NAME

/* Not an executable-stack object (silences the linker's implied-executable-stack notice). */
	.section .note.GNU-stack, "", %progbits
