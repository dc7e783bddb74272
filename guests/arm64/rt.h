/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runtime of the arm64 test guests. A guest is entered at EL1 with the MMU off and x0 = its
 * generated DTB (Linux arm64 boot protocol); head.S sets up a stack, clears BSS and calls
 * guest_main() with what dt.c read from the DTB. With the MMU off, virtual = guest physical,
 * so a pointer can be handed to a hypercall as is, and every data access is Device-nGnRnE
 * (Arm ARM D8.2.10: stage 1 disabled), i.e. uncached and ordered: shared-memory protocols
 * still use DMB so that they stay correct once a guest enables its caches.
 */
#pragma once

#include <stdarg.h>

#include <hv/compiler.h>
#include <hv/fdt.h>
#include <hv/hypercall_abi.h>
#include <hv/types.h>

#define GUEST_MAX_VCPUS 4 /* stacks reserved by guest.lds */
#define GUEST_MAX_MEM 8
#define GUEST_MAX_SHM 8

/* SMCCC results x0..x5 (Arm DEN 0028: x0..x3, and up to x17 since SMCCC v1.2;
 * BH_HC_PARTITION_INFO returns five values). */
struct smccc_res {
    uint64_t a0, a1, a2, a3, a4, a5;
};

/* HVC #0 / SMC #0 with function id and five arguments. */
struct smccc_res hvc_call(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                          uint64_t a5);
struct smccc_res smc_call(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                          uint64_t a5);

/* PSCI 1.1 (Arm DEN 0022) function ids and return codes used by the guests. */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xC4000003u
#define PSCI_AFFINITY_INFO 0xC4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000Au
#define PSCI_SUCCESS 0
#define PSCI_E_NOT_SUPPORTED (-1)
#define PSCI_E_INVALID_PARAMS (-2)
#define PSCI_E_ALREADY_ON (-4)
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1

/* The ranges and regions the generated DTB gives the partition (guest addresses). */
struct guest_range {
    uint64_t base, size;
};

struct guest_shm {
    const char *id; /* points into the DTB */
    uint64_t base;  /* guest physical */
    uint64_t size;
    bool owner;    /* role = "owner" */
    bool writable; /* access = "rw" */
};

struct guest_info {
    struct fdt fdt;
    const void *dtb;
    uint32_t boot_count; /* /chosen/bulkhead,boot-count */
    unsigned int nmem, nshm, ncpus;
    struct guest_range mem[GUEST_MAX_MEM];
    struct guest_shm shm[GUEST_MAX_SHM];
};

/* Scenario hooks: guest_main on the boot vCPU; guest_secondary on a vCPU started by CPU_ON
 * through guest_cpu_on() (the runtime's default turns the vCPU off again). */
void guest_main(struct guest_info *gi);
void guest_secondary(unsigned int vcpu);

/* Console through BH_HC_CONSOLE_WRITE; one call per formatted message (<= 255 bytes). */
void gprintf(const char *fmt, ...) __printf(1, 2);
void gvprintf(const char *fmt, va_list ap);

/* Report the verdict (BH_HC_TEST_VERDICT) and switch the partition off (PSCI SYSTEM_OFF). */
__noreturn void guest_pass(void);
__noreturn void guest_fail(const char *fmt, ...) __printf(1, 2);
/* guest_fail() with the message when cond is false. */
#define GUEST_CHECK(cond, ...)                                                                     \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            guest_fail(__VA_ARGS__);                                                               \
        }                                                                                          \
    } while (0)

/* Start vCPU vcpu at head.S's secondary entry (it then calls guest_secondary(vcpu)). */
int64_t guest_cpu_on(unsigned int vcpu);

/* Generic timer: virtual count and its frequency (always read CNTFRQ_EL0, QEMU varies it). */
uint64_t guest_counter(void);
uint64_t guest_counter_freq(void);
/* Spin until cond() or timeout_ms of counter time; true when cond() became true. */
bool guest_wait(bool (*cond)(void *), void *arg, uint64_t timeout_ms);

/*
 * Run one instruction that may raise a synchronous exception at EL1 (an UNDEFINED system
 * register, a BRK): head.S records ESR_EL1 and resumes after it. x10 carries the value in and
 * out (write it with "msr <reg>, x10", read with "mrs x10, <reg>"). Evaluates to ESR_EL1 of
 * the exception, or 0 when there was none; *io is updated from x10.
 */
extern volatile uint64_t rt_probe_resume, rt_probe_esr;
#define GUEST_PROBE(insn, io)                                                                      \
    ({                                                                                             \
        register uint64_t __x10 __asm__("x10") = *(io);                                            \
        rt_probe_esr = 0;                                                                          \
        __asm__ __volatile__("adr x9, 1f\n\tstr x9, [%1]\n\t" insn "\n1:\tstr xzr, [%1]"           \
                             : "+r"(__x10)                                                         \
                             : "r"(&rt_probe_resume)                                               \
                             : "x9", "memory");                                                    \
        *(io) = __x10;                                                                             \
        rt_probe_esr;                                                                              \
    })

/* Barriers: DMB ISH orders the accesses of the two sides of a shared-memory protocol
 * (Arm ARM B2.3.12); a full-system DMB SY covers Device memory with the MMU off too. */
static inline void guest_dmb(void)
{
    __asm__ __volatile__("dmb sy" ::: "memory");
}

/* dt.c: read the DTB at dtb into gi; 0 or a negative errno (message printed). */
int dt_read(const void *dtb, struct guest_info *gi) __must_check;
/*
 * The decimal value of "key=<n>" among the space-separated words of /chosen/bootargs (the
 * partition's "bootargs"), or def when the word is absent or not a number.
 */
uint32_t dt_bootarg_u32(const struct guest_info *gi, const char *key, uint32_t def);
/* The shared-memory region called id, or NULL. */
const struct guest_shm *dt_shm(const struct guest_info *gi, const char *id);
/* True when [base, base + size) lies inside one guest memory range. */
bool dt_in_memory(const struct guest_info *gi, uint64_t base, uint64_t size);
/* One past the highest guest memory address. */
uint64_t dt_memory_end(const struct guest_info *gi);
/*
 * The "no host address" check: every shm region agrees with BH_HC_SHM_INFO, and no value in
 * the DTB that could be a RAM address lies outside the partition's guest ranges. 0, or the
 * number of problems found (each printed).
 */
int dt_check_guest_addresses(const struct guest_info *gi) __must_check;
/*
 * Print PARTITION_INFO and the DTB's ranges, check they agree, and run
 * dt_check_guest_addresses(): guest_fail() on any mismatch.
 */
void guest_describe(const struct guest_info *gi);
