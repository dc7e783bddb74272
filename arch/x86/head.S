/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86-64 entry: the multiboot headers, the 32-bit entry from a multiboot loader (and from
 * the secondary-CPU trampoline), the switch to long mode and the boot page tables, GDT and
 * stack. AMD64 Architecture Programmer's Manual (APM) vol. 2, ch. 14 (processor
 * initialisation and long-mode activation) and ch. 5 (page translation).
 *
 * Both loaders enter in 32-bit protected mode with paging off and no usable stack:
 *   multiboot v1 (QEMU -kernel): EAX = 0x2badb002, EBX = multiboot_info (Multiboot 0.6.96 3.2)
 *   multiboot2 (GRUB):           EAX = 0x36d76289, EBX = boot information (Multiboot2 3.3)
 */
#include <asm/cpu.h>

/* Multiboot 0.6.96, 3.1.1: bit 1 = memory information wanted, bit 16 = the address fields
 * below are valid (the "a.out kludge"): QEMU's loader rejects ELF64 images otherwise. */
#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS ((1 << 1) | (1 << 16))
/* Multiboot2 3.1.1: magic, architecture 0 (32-bit protected-mode i386), length, checksum. */
#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define MB2_HEADER_LEN 24

/* Page-table entry bits (APM vol. 2, 5.4.1): present, writable, 2 MiB page, PWT + PCD = UC. */
#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PWT 0x8
#define PTE_PCD 0x10
#define PTE_PS 0x80
#define PD_ENTRIES 2048 /* 4 GiB in 2 MiB pages */
#define PD_FIRST_UC 1536 /* 3 GiB: device windows of the PC memory map */

#define BOOT_STACK_SIZE 16384

    .section .multiboot, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long MB2_HEADER_LEN
    .long -(MB2_MAGIC + MB2_ARCH_I386 + MB2_HEADER_LEN)
    /* End tag (type 0, flags 0, size 8): GRUB loads the ELF program headers. */
    .word 0, 0
    .long 8

    .balign 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)
    .long mb1_header            /* header_addr */
    .long __image_start         /* load_addr: file bytes before this header are skipped */
    .long __load_end            /* load_end_addr */
    .long __image_end           /* bss_end_addr: the loader zeroes up to here */
    .long x86_multiboot_entry   /* entry_addr */

    .section .text.boot, "ax"
    .code32
    .globl x86_multiboot_entry
x86_multiboot_entry:
    cli
    cld
    mov %eax, %ebp              /* loader magic */
    mov %ebx, %esi              /* loader information, physical address */

    /* Clear the bss ourselves: GRUB loads the ELF segments and need not zero p_memsz. */
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb

    mov $x86_boot_stack_top, %esp
    /* Our own GDT and segments: the loader's GDT may live in memory we reuse. */
    lgdt x86_gdt_ptr
    ljmp $X86_SEL_CODE32, $1f
1:  mov %ebp, %edi              /* x86_boot(magic, info) arguments, kept in EDI/ESI */
    xor %ebx, %ebx              /* EBX = 0: the boot CPU */
    jmp x86_enter_long_mode

/*
 * Secondary CPUs arrive here from the real-mode trampoline (trampoline.S) in protected mode
 * with our GDT loaded and CS = X86_SEL_CODE32.
 */
    .globl x86_ap_entry32
x86_ap_entry32:
    mov $1, %ebx                /* EBX = 1: a secondary CPU */

/* APM vol. 2, 14.6.1: enable PAE, point CR3 at the PML4, set EFER.LME, then enable paging
 * (long mode becomes active, in compatibility mode); a far jump to a 64-bit code segment
 * enters 64-bit mode. */
x86_enter_long_mode:
    mov $X86_SEL_DATA, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %eax, %fs
    mov %eax, %gs
    mov %cr4, %eax
    or $X86_CR4_PAE, %eax
    mov %eax, %cr4
    mov $x86_pml4, %eax
    mov %eax, %cr3
    mov $X86_MSR_EFER, %ecx
    rdmsr
    or $X86_EFER_LME, %eax
    wrmsr
    mov %cr0, %eax
    or $(X86_CR0_PG | X86_CR0_PE), %eax
    mov %eax, %cr0
    ljmp $X86_SEL_CODE64, $x86_long_mode

    .code64
x86_long_mode:
    xor %eax, %eax
    mov %eax, %fs               /* null selectors: bases come from the MSRs (GS: per CPU) */
    mov %eax, %gs
    xor %ebp, %ebp              /* terminates frame-pointer walks */
    test %ebx, %ebx
    jnz 2f
    /* APM vol. 2, 14.6.3: the upper halves of the GPRs are undefined after the switch. */
    mov %edi, %edi
    mov %esi, %esi
    mov $x86_boot_stack_top, %rsp
    call x86_boot
    jmp x86_halt_loop
2:  mov x86_ap_stack_top(%rip), %rsp
    call x86_ap_boot
x86_halt_loop:
    cli
    hlt
    jmp x86_halt_loop

/* The GDT (APM vol. 2, 4.8): flat segments; only the 64-bit code segment runs C. */
    .section .data, "aw"
    .balign 16
    .globl x86_gdt
x86_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08 X86_SEL_CODE64: present, DPL 0, L = 1 */
    .quad 0x00cf92000000ffff    /* 0x10 X86_SEL_DATA: flat 4 GiB, writable */
    .quad 0x00cf9a000000ffff    /* 0x18 X86_SEL_CODE32: flat 4 GiB, D = 1 */
    /* 0x20 X86_SEL_TSS(0)...: one 16-byte TSS descriptor per CPU, filled by traps.c. */
    .fill 2 * CONFIG_NR_CPUS, 8, 0
x86_gdt_end:
    .balign 8
    .globl x86_gdt_ptr
x86_gdt_ptr:                    /* LGDT operand: 16-bit limit, base (32-bit read outside long mode) */
    .word x86_gdt_end - x86_gdt - 1
    .quad x86_gdt

/*
 * Boot page tables, shared by every CPU: the low 4 GiB identity-mapped with 2 MiB pages
 * (APM vol. 2, 5.3.4: PML4 -> PDPT -> PD with PS = 1). RAM is write-back; the top GiB
 * (0xc0000000-0xffffffff: PCI windows, IOAPIC 0xfec00000, HPET, AMD-Vi 0xfed80000, local
 * APIC 0xfee00000, BIOS flash) is uncacheable, as device registers require (APM vol. 2,
 * 7.4). q35 never places RAM there. This matches the MTRRs SeaBIOS leaves (default WB,
 * variable range 0 = 0xc0000000/1 GiB UC; the effective type combines MTRR and PAT, APM
 * vol. 2, 7.8.2), so device windows below 3 GiB (q35's PCIe ECAM at 0xb0000000) are
 * write-back in both: arch_iomap() hands out this identity map unchanged.
 */
    .section .data.page_aligned, "aw"
    .balign 4096
    .globl x86_pml4
x86_pml4:
    .quad x86_pdpt + (PTE_P | PTE_RW)
    .fill 511, 8, 0
x86_pdpt:                       /* four page directories, one per GiB */
    .set i, 0
    .rept PD_ENTRIES / 512
    .quad x86_pd + (i << 12) + (PTE_P | PTE_RW)
    .set i, i + 1
    .endr
    .fill 512 - PD_ENTRIES / 512, 8, 0
x86_pd:
    .set i, 0
    .rept PD_ENTRIES
    .quad (i << 21) | (PTE_P | PTE_RW | PTE_PS) | ((i >= PD_FIRST_UC) & (PTE_PCD | PTE_PWT))
    .set i, i + 1
    .endr

    .section .bss.page_aligned, "aw", @nobits
    .balign 4096
x86_boot_stack:
    .skip BOOT_STACK_SIZE
x86_boot_stack_top:

/* No executable stack (GNU-stack note). */
    .section .note.GNU-stack, "", @progbits
