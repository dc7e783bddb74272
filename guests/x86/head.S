/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of the x86 test guests. The PVH entry (Xen docs/misc/pvh.pandoc) starts vCPU 0 at
 * _start in 32-bit protected mode with paging off and EBX = hvm_start_info; a vCPU started
 * with BH_HC_VCPU_START enters secondary32 the same way with EBX = its index, and one started
 * by INIT/SIPI runs a copy of sipi_start (below 1 MiB) in real mode, which enters protected
 * mode and takes its index from CPUID (initial APIC id = vCPU index). All switch to
 * long mode (AMD64 APM vol. 2, 14.6.1: CR4.PAE, CR3, EFER.LME, CR0.PG) with the first GiB
 * identity-mapped in 2 MiB pages, take their stack and call C.
 */
#define STACK_SIZE 16384

    .section .text.head, "ax"
    .code32
    .globl _start
_start:
    mov %ebx, %edi              /* guest_start(start_info) */
    xor %esi, %esi              /* vCPU 0 */
    jmp 1f

    .globl secondary32
secondary32:
    xor %edi, %edi
    mov %ebx, %esi              /* vCPU index */
1:  lgdt gdt_ptr
    mov %cr4, %eax
    or $(1 << 5), %eax          /* PAE */
    mov %eax, %cr4
    mov $pml4, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx       /* EFER: LME (intercepted and emulated by the hypervisor) */
    rdmsr
    or $(1 << 8), %eax
    wrmsr
    mov %cr0, %eax
    or $0x80000000, %eax        /* PG: long mode becomes active */
    mov %eax, %cr0
    ljmp $0x08, $long64

    .code64
long64:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    lea 1(%rsi), %rax
    imul $STACK_SIZE, %rax
    lea __stack_base(%rax), %rsp
    test %esi, %esi
    jnz 2f
    /* vCPU 0: clear BSS (the hypervisor zeroes RAM, but a reset reloads only the image). */
    push %rdi
    mov $__bss_start, %rdi
    mov $__bss_end, %rcx
    sub %rdi, %rcx
    xor %eax, %eax
    rep stosb
    pop %rdi
    call guest_start
    ud2
2:  mov %esi, %edi
    call guest_secondary_start
    ud2

/* Real-mode start of a vCPU woken by INIT/SIPI: copied by the guest to a page below 1 MiB
 * (the SIPI vector's page) and addressed relative to CS, whose base is that page. */
    .section .rodata.sipi, "a"
    .code16
    .globl sipi_start, sipi_end
sipi_start:
    cli
    lgdtl %cs:(sipi_gdt_ptr - sipi_start)
    mov %cr0, %eax
    or $1, %eax                 /* PE */
    mov %eax, %cr0
    ljmpl $0x18, $sipi32
    .balign 8
sipi_gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt
sipi_end:

    .section .text
    .code32
sipi32:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov $1, %eax
    cpuid                       /* EBX[31:24]: initial APIC id = vCPU index */
    shr $24, %ebx
    jmp secondary32

    .section .data
    .balign 4096
pml4:
    .quad pdpt + 0x3            /* present, writable */
    .fill 511, 8, 0
pdpt:
    .quad pd + 0x3
    .fill 511, 8, 0
pd:
    .set addr, 0
    .rept 512
    .quad addr + 0x83           /* 2 MiB page, present, writable */
    .set addr, addr + 0x200000
    .endr

    .balign 8
gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff    /* 0x10: data */
    .quad 0x00cf9a000000ffff    /* 0x18: 32-bit code (the SIPI path) */
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

    .section .note.GNU-stack, "", %progbits
