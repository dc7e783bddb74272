/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86-64 image layout: linked and loaded at 1 MiB (identity-mapped, physical = virtual).
 * One PT_LOAD segment with the bss last, so that the file bytes from __image_start to
 * __load_end are one contiguous run: QEMU's multiboot v1 loader copies exactly that run
 * (the a.out kludge address fields in head.S) and GRUB's multiboot2 loader reads the ELF.
 */
#include <hv/lds.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(x86_multiboot_entry)

PHDRS
{
    image PT_LOAD FLAGS(7);
}

SECTIONS
{
    . = 0x100000;
    __image_start = .;

    /* The multiboot headers first: v1 must be in the file's first 8 KiB, v2 in 32 KiB. */
    .text : {
        KEEP(*(.multiboot))
        *(.text.boot)
        *(.text .text.*)
    } :image

    .rodata : ALIGN(64) {
        *(.rodata .rodata.*)
        HV_LDS_TABLES
    } :image

    .data : ALIGN(4096) {
        *(.data.page_aligned)
        *(.data .data.*)
    } :image
    __load_end = .;

    .bss (NOLOAD) : ALIGN(4096) {
        __bss_start = .;
        *(.bss.page_aligned)
        *(.bss .bss.* COMMON)
        . = ALIGN(8);
        __bss_end = .;
    } :image
    .noinit (NOLOAD) : {
        *(.noinit .noinit.*) /* never cleared: __noinit objects */
    } :image
    __image_end = .;

    /DISCARD/ : {
        *(.note .note.*)
        *(.comment)
        *(.eh_frame .eh_frame_hdr)
    }
}
