/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runtime of the x86 test guests: PVH entry (head.S), hypercalls by VMMCALL (ABI:
 * include/hv/hypercall_abi.h), console, verdicts, the hvm_start_info the hypervisor passes.
 * The first GiB is identity-mapped, so a pointer is its guest physical address.
 */
#pragma once

#include <stdarg.h>

#include <hv/compiler.h>
#include <hv/hypercall_abi.h>
#include <hv/types.h>

#define GUEST_MAX_VCPUS 4 /* stacks reserved by guest.lds */

/* Results of a hypercall: x0..x4 of the ABI (RAX, RBX, RCX, RDX, RSI). */
struct hc_res {
    uint64_t a0, a1, a2, a3, a4;
};

/* VMMCALL with function id and up to five arguments (RBX, RCX, RDX, RSI, RDI). */
static inline struct hc_res hc_call(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                    uint64_t a5)
{
    struct hc_res r;

    __asm__ __volatile__("vmmcall"
                         : "+a"(id), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
                         :
                         : "memory");
    r.a0 = id, r.a1 = a1, r.a2 = a2, r.a3 = a3, r.a4 = a4;
    return r;
}

/* What the boot information says (guest addresses). */
struct guest_info {
    const void *start_info;
    const void *dtb; /* module 0 */
    uint64_t dtb_size;
    uint64_t mem_end;    /* one past the highest RAM address in the memory map */
    uint32_t boot_count; /* /chosen/bulkhead,boot-count of the DTB */
};

/* Scenario hooks: guest_main on vCPU 0; guest_secondary on a vCPU started by guest_cpu_on()
 * (the runtime's default turns the partition's verdict to fail). */
void guest_main(struct guest_info *gi);
void guest_secondary(unsigned int vcpu);

void gprintf(const char *fmt, ...) __printf(1, 2);
__noreturn void guest_pass(void);
__noreturn void guest_fail(const char *fmt, ...) __printf(1, 2);
#define GUEST_CHECK(cond, ...)                                                                     \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            guest_fail(__VA_ARGS__);                                                               \
        }                                                                                          \
    } while (0)

/* BH_HC_SHM_INFO of id: 0 and base/size/flags, or the negative error code. */
int64_t guest_shm(const char *id, uint64_t *base, uint64_t *size, uint64_t *flags);

/* Start vCPU vcpu at head.S's secondary32 (it then calls guest_secondary(vcpu)). */
int64_t guest_cpu_on(unsigned int vcpu);

/*
 * Interrupts: guest_irq_init() loads an IDT whose vectors 0x20-0xff each count their
 * deliveries (guest_irq_count()) and call the function guest_irq_handler() set for them, if
 * any (interrupts stay off until the guest's own STI). Vectors 0-31 (exceptions) stay absent.
 */
typedef void (*guest_irq_fn)(uint32_t vec);
void guest_irq_init(void);
void guest_irq_handler(uint32_t vec, guest_irq_fn fn);
uint64_t guest_irq_count(uint32_t vec);

/* Port I/O (the partition's own devices, the virtual COM1). */
static inline uint8_t guest_inb(uint16_t port)
{
    uint8_t v;

    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void guest_outb(uint16_t port, uint8_t v)
{
    __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* Compiler barrier: x86 keeps stores in order and loads in order (APM vol. 2, 7.2). */
static inline void guest_barrier(void)
{
    __asm__ __volatile__("" ::: "memory");
}
