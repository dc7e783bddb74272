/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Link map of the arm64 hypervisor image, at CONFIG_ARM64_LOAD_ADDR (the Image header's
 * text_offset places it there). Text, read-only data and read-write data each start on a
 * page, so the EL2 page tables can map them RX, R and RW (mmu.c); BSS and what is never
 * cleared (.noinit: the stacks, the early page tables, __noinit objects) follow the data and
 * count in the header's image_size.
 */
#include <hv/lds.h>

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
    . = CONFIG_ARM64_LOAD_ADDR;
    __image_start = .;

    .text : {
        __text_start = .;
        KEEP(*(.text.head))
        *(.text .text.*)
    }
    . = ALIGN(4096);
    __text_end = .;

    .rodata : {
        __rodata_start = .;
        *(.rodata .rodata.*)
        HV_LDS_TABLES
    }
    . = ALIGN(4096);
    __rodata_end = .;

    .data : {
        __data_start = .;
        *(.data .data.*)
    }

    .bss (NOLOAD) : {
        . = ALIGN(64);
        __bss_start = .;
        *(.bss .bss.* COMMON)
        . = ALIGN(64); /* head.S clears 64 bytes a pass */
        __bss_end = .;
    }
    .noinit (NOLOAD) : {
        *(.noinit .noinit.*) /* never cleared: stacks, __noinit objects */
    }
    . = ALIGN(4096);
    __image_end = .;
    __image_size = __image_end - __image_start;

    /DISCARD/ : {
        *(.note .note.*)
        *(.eh_frame .eh_frame_hdr)
        *(.interp .dynamic .dynsym .dynstr .hash .gnu.hash)
    }
}

/* Anything the image does not expect means a toolchain or flag problem: fail the link. */
ASSERT(SIZEOF(.text) > 0, "no text")
ASSERT(_start == CONFIG_ARM64_LOAD_ADDR, "the Image header must open the image")
ASSERT(arm64_vectors % 0x800 == 0, "VBAR_EL2 needs a 2 KiB aligned vector table")
