/* SPDX-License-Identifier: Apache-2.0 */
/* Private interfaces between the pieces of arch/x86. */
#pragma once

#include <asm/cpu.h>
#include <hv/types.h>

/* Multiboot magic values in EAX at entry (Multiboot 0.6.96 3.2; Multiboot2 3.3). */
#define X86_MB1_BOOT_MAGIC 0x2badb002u
#define X86_MB2_BOOT_MAGIC 0x36d76289u

/* Exit code of a test run stopped by an unexpected exception (panic uses 3). */
#define X86_EXCEPTION_EXIT_CODE 4

/*
 * QEMU's fw_cfg I/O ports (QEMU docs/specs/fw_cfg.rst): selector 0x510, data 0x511, DMA
 * address 0x514-0x51b. The test builds read the run nonce through them (setup.c); no
 * partition may have them (svm.c).
 */
#define X86_FW_CFG_PORT_SEL 0x510
#define X86_FW_CFG_PORT_DATA 0x511
#define X86_FW_CFG_PORTS_END 0x51c
#define X86_FW_CFG_SIGNATURE 0x0000
#define X86_FW_CFG_FILE_DIR 0x0019
#define X86_FW_CFG_NAME_SIZE 56

struct partition;
struct hv_config_device;
struct hv_config_dev_reg;

/* Test builds (test.c): whether I/O register reg of device d of p covers a fw_cfg port, which
 * carries the run's nonce (reported; the partition must not get it). */
bool x86_test_ports_taken(const struct partition *p, const struct hv_config_device *d,
                          const struct hv_config_dev_reg *reg);

/* Per-CPU data, reached through the GS base. cpu must stay the first member (arch_cpu_id). */
struct x86_percpu {
    unsigned int cpu;  /* logical id */
    uint32_t apic_id;  /* local APIC id */
    bool in_exception; /* an exception report is under way: a nested one just stops */
};

/* The register frame built by entry.S; the CPU-pushed part starts at rip. */
struct x86_exc_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/* Boot CPU entry from head.S, in long mode on the boot stack. */
__noreturn void x86_boot(uint32_t magic, uint32_t info);

/* Secondary CPU entry from head.S, on the stack in x86_ap_stack_top. */
__noreturn void x86_ap_boot(void);

/* Exception report (entry.S). */
__noreturn void x86_exception(struct x86_exc_frame *frame);

/* The calling CPU's per-CPU data (NULL before x86_cpu_init()). */
struct x86_percpu *x86_this_cpu(void);

/* Make the calling CPU logical cpu with local APIC apic_id: per-CPU data and IDT. */
void x86_cpu_init(unsigned int cpu, uint32_t apic_id);

/* Fill the IDT (boot CPU, once). */
void x86_idt_init(void);

/* Give the calling CPU, logical cpu, its TSS (the NMI/#DF/#MC stack) and the IDT. */
void x86_traps_cpu_init(unsigned int cpu);

/* Calibrate the TSC (boot CPU, once, before arch_time_us() is used). */
void x86_time_init(void);

/* The TSC frequency in Hz and how it was found (for the boot report). */
uint64_t x86_tsc_hz(const char **source);

/* The Multiboot2 boot information when a Multiboot2 loader started the hypervisor, else NULL. */
const uint8_t *x86_mb2_info(void);

/* The loader that started the hypervisor ("multiboot", "multiboot2" or "unknown"). */
const char *x86_loader_name(void);

/* The loader's Multiboot2 ACPI RSDP tag was present but corrupt (the BIOS areas are scanned). */
extern bool x86_rsdp_tag_bad;

/*
 * The one interrupt the hypervisor takes: a fixed IPI that only makes a CPU running a guest
 * leave it (#VMEXIT for INTR), so that it sees a stop or reset of its partition and flushes
 * its nested TLB (svm.c). Its handler (entry.S) only signals EOI. Spurious interrupts of the
 * local APIC (LAPIC_SVR vector) are ignored.
 */
#define X86_VEC_KICK 0xf0
#define X86_VEC_SPURIOUS 0xff

/*
 * Device interrupts (I/O APIC inputs, arch/x86/ioapic.c and irq.c): GSI n arrives at the
 * hypervisor on vector X86_VEC_IRQ_BASE + n (asm/cpu.h); its stub (entry.S) calls
 * x86_irq_handle() with the vector, which runs the claim's handler or injects the interrupt
 * into the owning partition, then signals EOI.
 */
/* The IDT stubs of the device vectors, by GSI (entry.S; unsized: the host unit tests that
 * include this header see the fake arch's asm/cpu.h). */
extern const uint64_t x86_irq_stubs[]; /* X86_NR_GSI entries */

/* A device interrupt taken on vector vec (entry.S, interrupts masked). */
void x86_irq_handle(uint64_t vec);

/* Take the I/O APICs and ISA overrides of the MADT m, mask every input (boot CPU, once). */
struct acpi_madt;
void x86_ioapic_init(const struct acpi_madt *m);

/* The GSI ISA IRQ irq arrives on (the MADT's override, else irq); irq >= 16: irq itself. */
uint32_t x86_ioapic_isa_gsi(uint32_t irq);

/* Whether an I/O APIC has input gsi. */
bool x86_ioapic_has(uint32_t gsi);

/* Whether input gsi is level-triggered, and (*active_low, when not NULL) its polarity, as the
 * firmware states (ISA: MADT override or edge/high; others: level/low). */
bool x86_ioapic_level(uint32_t gsi, bool *active_low);

/* Program input gsi, which x86_ioapic_has() (the caller checked): fixed delivery of vector
 * X86_VEC_IRQ_BASE + gsi to the local APIC apic_id (physical mode), the firmware's trigger
 * and polarity, unmasked. Any CPU. */
void x86_ioapic_route(uint32_t gsi, uint32_t apic_id);

/* Mask input gsi (nothing when no I/O APIC has it). Any CPU. */
void x86_ioapic_mask(uint32_t gsi);

/* The local APIC's EOI register (smp.c), written by the kick handler. */
extern volatile uint32_t *x86_lapic_eoi;

/* Software-enable the calling CPU's local APIC so that it receives the kick (smp.c). */
void x86_lapic_enable(void);

/* Send a fixed IPI with vector vec to logical CPU cpu (smp.c): the kick (X86_VEC_KICK), or a
 * device interrupt forwarded to the CPU it is routed to now (irq.c). Any CPU once
 * arch_smp_init() ran. */
void x86_send_vector(unsigned int cpu, uint8_t vec);

/* Make the calling CPU's local APIC timer interrupt it (kick vector) at or soon after TSC
 * value tsc; 0 disarms it. */
void x86_lapic_timer_arm(uint64_t tsc);
/* Set by the kick vector's stub (entry.S) on the CPU that took it, cleared by that CPU's
 * vCPU before it arms the timer again (vapic.c): the timer may have expired since. */
extern bool x86_kicked[CONFIG_NR_CPUS];

/* Top of the stack of secondary logical CPU cpu (smp.c): where each vCPU run starts afresh. */
uint64_t x86_stack_top(unsigned int cpu);

/* Stack top and logical id handed to the next secondary CPU (smp.c, read by head.S). */
extern uint64_t x86_ap_stack_top;
extern volatile unsigned int x86_ap_cpu;

/* The boot page tables and GDT (head.S), the trampoline bounds (trampoline.S). */
extern uint64_t x86_pml4[];
extern const uint8_t x86_trampoline_start[], x86_trampoline_end[];

/* The image's bounds (hv.lds.S). */
extern uint8_t __image_start[], __image_end[];

struct partition;

/* Bytes x86_guest_acpi_build() writes for p (an upper bound, arch/x86/guest_acpi.c). */
size_t x86_guest_acpi_size(const struct partition *p);

/* Write p's ACPI tables (RSDP, XSDT, FADT, MADT, DSDT) at buf, which the guest sees at
 * base_gpa (8-byte aligned); returns the RSDP's guest address. */
uint64_t x86_guest_acpi_build(const struct partition *p, uint8_t *buf, uint64_t base_gpa);

struct vcpu;

/* The partition's ACPI sleep control and status registers (FADT, arch/x86/guest_acpi.c;
 * emulated by arch/x86/vio.c) and the SLP_TYP of its \_S5 (soft off). Writing SLP_EN with
 * that type to the control register powers the partition off (ACPI 6.5, 4.8.3.7). */
#define X86_VIO_SLEEP_CONTROL 0x600u
#define X86_VIO_SLEEP_STATUS 0x601u
#define X86_ACPI_SLP_TYP_S5 5u

/* An IN or OUT of size bytes (1, 2, 4) at port, emulated for v's partition
 * (arch/x86/vio.c): true when the port is part of the emulated legacy platform (*val is
 * the value read, or the value to write), false when it stays denied. */
bool x86_vio_access(struct vcpu *v, uint16_t port, bool in, unsigned int size, uint32_t *val);

/*
 * An IN or OUT of size bytes at port from v (x86_vio_access()): true when it is a register of
 * the partition's virtual console UART, COM1 (vuart.c), *val the byte read or to write; false
 * for any other port or size.
 */
bool x86_vuart_access(struct vcpu *v, uint16_t port, bool in, unsigned int size, uint32_t *val);

/* The virtual local APIC (arch/x86/vapic.c). x86_vapic_msr(): whether msr is one of its
 * MSRs; x86_vapic_rdmsr(): false for a register that cannot be read; x86_vapic_wrmsr(): 0,
 * -EPERM for an IPI outside the partition, -EINVAL for a register that cannot be written. */
bool x86_vapic_msr(uint32_t msr);
bool x86_vapic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
int x86_vapic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);
/* IA32_APIC_BASE (APM vol. 2, 16.3.1; x2APIC: Intel SDM vol. 3A, 11.12.1). */
#define APIC_BASE_DEFAULT UINT64_C(0xfee00000)
#define APIC_BASE_ENABLE (UINT64_C(1) << 11)
#define APIC_BASE_EXTD (UINT64_C(1) << 10)
#define APIC_BASE_BSP (UINT64_C(1) << 8)

/* Before each VMRUN on v's CPU: expire the timer, arm the physical one, inject. */
void x86_vapic_prepare(struct vcpu *v);
/* Whether v has an interrupt (or NMI) to take (HLT returns at once then); expires its timer. */
bool x86_vapic_pending(struct vcpu *v);
/* Request vector vec on t's virtual local APIC (any CPU, atomic): the one path of every
 * interrupt a guest takes (IPIs, its timer, the hypervisor's virtual devices). True when it
 * was not requested yet (the caller kicks t's CPU then); a second request merges. */
bool x86_vapic_request(struct vcpu *t, uint8_t vec);
