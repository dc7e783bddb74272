// SPDX-License-Identifier: Apache-2.0
/*
 * Exceptions: the IDT for vectors 0-31 and the report of an unexpected exception. The
 * hypervisor takes no exceptions by design, so every one is fatal: it reports vector, RIP,
 * error code and CR2 and stops the CPU (in test builds it ends QEMU with a non-zero status).
 */
#include <arch/cpu.h>
#include <arch/test.h>
#include <hv/console.h>

#include "x86.h"

#define X86_NR_EXCEPTIONS 32

/* 64-bit interrupt gate descriptor (APM vol. 2, 4.8.4 and figure 4-24). */
struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr; /* P = 1, DPL = 0, type 0xe: 64-bit interrupt gate (IF cleared) */
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __packed;

#define IDT_INTERRUPT_GATE 0x8e

/*
 * 64-bit TSS (APM vol. 2, 12.2.5): only the interrupt-stack table is used. NMI, #DF and #MC
 * switch to IST 1, a stack of their own, so that they are reported even when the interrupted
 * code's RSP is bad (APM vol. 2, 8.9.4); every other exception stays on the current stack.
 */
struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base; /* past the limit: no I/O permission bitmap */
} __packed;

#define X86_VEC_NMI 2
#define X86_VEC_DF 8
#define X86_VEC_MC 18
#define IST_STACK_SIZE 8192
#define TSS_TYPE_AVAILABLE 0x9 /* 64-bit TSS, available (APM vol. 2, table 4-6) */
#define DESC_PRESENT (UINT64_C(1) << 47)

/* Every vector: exceptions, the device interrupts (one per I/O APIC input, x86.h), the kick
 * IPI and the spurious vector are present, the rest not (an unexpected interrupt then raises
 * #NP, which is reported). */
#define X86_NR_VECTORS 256
static struct idt_gate idt[X86_NR_VECTORS] __aligned(16);
static struct tss64 tss[CONFIG_NR_CPUS] __aligned(16);
static uint8_t ist_stacks[CONFIG_NR_CPUS][IST_STACK_SIZE] __aligned(16);

extern uint64_t x86_gdt[];

extern const uint64_t x86_exception_stubs[X86_NR_EXCEPTIONS];
extern const char x86_kick_stub[], x86_spurious_stub[];

/* Written by x86_kick_stub, which every build installs, read by vapic.c (x86.h). */
bool x86_kicked[CONFIG_NR_CPUS];

static struct idt_gate idt_gate(uint64_t off, uint8_t ist)
{
    return (struct idt_gate){
        .offset_lo = (uint16_t)off,
        .selector = X86_SEL_CODE64,
        .ist = ist,
        .type_attr = IDT_INTERRUPT_GATE,
        .offset_mid = (uint16_t)(off >> 16),
        .offset_hi = (uint32_t)(off >> 32),
    };
}

/* Mnemonics of APM vol. 2, table 8-1. */
static const char *const exception_names[X86_NR_EXCEPTIONS] = {
    [0] = "#DE divide error",
    [1] = "#DB debug",
    [2] = "NMI",
    [3] = "#BP breakpoint",
    [4] = "#OF overflow",
    [5] = "#BR bound range",
    [6] = "#UD invalid opcode",
    [7] = "#NM device not available",
    [8] = "#DF double fault",
    [10] = "#TS invalid TSS",
    [11] = "#NP segment not present",
    [12] = "#SS stack fault",
    [13] = "#GP general protection",
    [14] = "#PF page fault",
    [16] = "#MF x87 floating point",
    [17] = "#AC alignment check",
    [18] = "#MC machine check",
    [19] = "#XF SIMD floating point",
    [21] = "#CP control protection",
    [28] = "#HV hypervisor injection",
    [29] = "#VC VMM communication",
    [30] = "#SX security",
};

void x86_idt_init(void)
{
    for (unsigned int v = 0; v < X86_NR_EXCEPTIONS; v++) {
        idt[v] = idt_gate(x86_exception_stubs[v],
                          (v == X86_VEC_NMI || v == X86_VEC_DF || v == X86_VEC_MC) ? 1 : 0);
    }
    for (unsigned int gsi = 0; gsi < X86_NR_GSI; gsi++) {
        idt[X86_VEC_IRQ_BASE + gsi] = idt_gate(x86_irq_stubs[gsi], 0);
    }
    idt[X86_VEC_KICK] = idt_gate((uint64_t)(uintptr_t)x86_kick_stub, 0);
    idt[X86_VEC_SPURIOUS] = idt_gate((uint64_t)(uintptr_t)x86_spurious_stub, 0);
}

/* Install logical CPU cpu's TSS in its GDT slot and load it (APM vol. 2, 4.8.3, 12.2.5),
 * then the IDT. */
void x86_traps_cpu_init(unsigned int cpu)
{
    struct tss64 *t = &tss[cpu];
    uint64_t base = (uint64_t)(uintptr_t)t;
    uint64_t limit = sizeof(*t) - 1;
    uint64_t *desc = &x86_gdt[X86_SEL_TSS(cpu) / 8];
    struct {
        uint16_t limit;
        uint64_t base;
    } __packed idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

    t->ist[0] = (uint64_t)(uintptr_t)&ist_stacks[cpu][IST_STACK_SIZE];
    t->iomap_base = sizeof(*t);
    desc[0] = (limit & 0xffff) | (base & 0xffffff) << 16 | (uint64_t)TSS_TYPE_AVAILABLE << 40 |
              DESC_PRESENT | ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    desc[1] = base >> 32;
    /* Secondary CPUs come from the trampoline with a GDTR that ends before the TSS slots. */
    __asm__ __volatile__("lgdt x86_gdt_ptr" ::: "memory");
    __asm__ __volatile__("ltr %w0" ::"r"((uint16_t)X86_SEL_TSS(cpu)) : "memory");
    __asm__ __volatile__("lidt %0" ::"m"(idtr) : "memory");
}

void x86_exception(struct x86_exc_frame *f)
{
    struct x86_percpu *self = x86_this_cpu();
    uint64_t cr2 = x86_read_cr2();
    const char *name = f->vector < X86_NR_EXCEPTIONS ? exception_names[f->vector] : NULL;

    /* Reported once: when the report itself faulted (or the console is wedged), the CPU
     * stops without printing. */
    if (self != NULL && !self->in_exception) {
        self->in_exception = true;
        hv_printf("EXCEPTION: cpu%u: vector %llu (%s) rip %#llx error %#llx cr2 %#llx\n",
                  arch_cpu_id(), (unsigned long long)f->vector, name != NULL ? name : "reserved",
                  (unsigned long long)f->rip, (unsigned long long)f->error,
                  (unsigned long long)cr2);
        hv_printf(
            "  rsp %#llx rflags %#llx cs %#llx cr3 %#llx\n"
            "  rax %#llx rbx %#llx rcx %#llx rdx %#llx\n"
            "  rsi %#llx rdi %#llx rbp %#llx\n",
            (unsigned long long)f->rsp, (unsigned long long)f->rflags, (unsigned long long)f->cs,
            (unsigned long long)x86_read_cr3(), (unsigned long long)f->rax,
            (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx,
            (unsigned long long)f->rsi, (unsigned long long)f->rdi, (unsigned long long)f->rbp);
    }
    if (IS_ENABLED(CONFIG_TEST_EXIT)) {
        arch_test_exit(X86_EXCEPTION_EXIT_CODE);
    }
    arch_halt();
}
