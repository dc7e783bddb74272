/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bulkhead for bare-metal and RTOS guests: the hypercalls, shared-memory information and
 * doorbells of a partition, as static inline functions with no dependency beyond a C11
 * freestanding compiler. Add guests/include to the include path and #include
 * <bulkhead/guest.h>; the ABI itself (ids, error codes, the doorbell page layout) is
 * include/hv/hypercall_abi.h, included from here.
 *
 * Conduit: arm64 HVC #0 (SMC Calling Convention: id in x0, arguments x1..x5, results
 * x0..x4); x86-64 VMMCALL (id in rax, arguments rbx, rcx, rdx, rsi, rdi). Every address
 * passed or returned is guest physical: a guest that runs with its MMU on passes the
 * physical address of its buffers (identity-mapped guests, like the project's own test
 * guests, pass pointers as they are).
 *
 * Doorbells. Each shared-memory region a partition uses has a doorbell interrupt, named by
 * the "interrupts" of the region's node under /reserved-memory in the partition's device
 * tree (docs/partitions.md). bh_doorbell_ring() rings every other partition using the region
 * by hypercall; bh_doorbell_ring_mmio() does the same through the region's doorbell register
 * page (its "bulkhead,doorbell" address in the device tree), for code that cannot make
 * hypercalls. A ring while the peer's previous one is still pending is merged into it: a
 * receiver must treat one interrupt as "at least one ring since the last one", and look at
 * the shared memory for what changed.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../../../include/hv/hypercall_abi.h"

/* Results of one hypercall: r0 is BH_HC_OK (0), a count, or a negative BH_HC_E_* code. */
struct bh_hc_result {
    int64_t r0;
    uint64_t r1, r2, r3, r4;
};

/* One hypercall: id fn with arguments a1..a5. */
static inline struct bh_hc_result bh_hypercall(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3,
                                               uint64_t a4, uint64_t a5)
{
    struct bh_hc_result r;
#if defined(__aarch64__)
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x4 __asm__("x4") = a4;
    register uint64_t x5 __asm__("x5") = a5;

    /* SMCCC v1.1: x0..x17 may be clobbered by the call; x4..x17 beyond the results. */
    __asm__ __volatile__("hvc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                         :
                         : "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
                           "x17", "memory");
    r = (struct bh_hc_result){(int64_t)x0, x1, x2, x3, x4};
#elif defined(__x86_64__)
    uint64_t rax = fn, rbx = a1, rcx = a2, rdx = a3;

    __asm__ __volatile__("vmmcall"
                         : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx)
                         : "S"(a4), "D"(a5)
                         : "memory");
    r = (struct bh_hc_result){(int64_t)rax, rbx, rcx, rdx, 0};
#else
#error "bulkhead/guest.h: unsupported architecture"
#endif
    return r;
}

static inline size_t bh_strlen(const char *s)
{
    size_t n = 0;

    while (s[n] != '\0') {
        n++;
    }
    return n;
}

/* Print len bytes on the hypervisor console as "<label>: <line>" (whole lines). Bytes
 * written, or a negative BH_HC_E_* code. */
static inline int64_t bh_console_write(const char *s, size_t len)
{
    return bh_hypercall(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)s, len, 0, 0, 0).r0;
}

/* The calling partition. */
struct bh_partition_info {
    uint32_t id;       /* the partition's id ("reg" of its node) */
    uint32_t nr_vcpus; /* its vCPUs */
    uint32_t vcpu;     /* the calling vCPU's index */
    uint32_t nr_shm;   /* shared-memory regions it uses */
};

static inline int64_t bh_partition_info(struct bh_partition_info *out)
{
    struct bh_hc_result r = bh_hypercall(BH_HC_PARTITION_INFO, 0, 0, 0, 0, 0);

    if (r.r0 == BH_HC_OK) {
        *out = (struct bh_partition_info){(uint32_t)r.r1, (uint32_t)r.r2, (uint32_t)r.r3,
                                          (uint32_t)r.r4};
    }
    return r.r0;
}

/* One shared-memory region of the partition. */
struct bh_shm {
    uint64_t base;  /* guest physical */
    uint64_t size;  /* bytes */
    uint32_t flags; /* BH_SHM_WRITABLE, BH_SHM_OWNER, cache policy (BH_SHM_CACHE_*) */
};

/* Region id's base, size and flags: BH_HC_OK, or BH_HC_E_NOENT when the partition does not
 * use it (or another BH_HC_E_* code). */
static inline int64_t bh_shm_info(const char *id, struct bh_shm *out)
{
    struct bh_hc_result r =
        bh_hypercall(BH_HC_SHM_INFO, (uint64_t)(uintptr_t)id, bh_strlen(id), 0, 0, 0);

    if (r.r0 == BH_HC_OK) {
        *out = (struct bh_shm){r.r1, r.r2, (uint32_t)r.r3};
    }
    return r.r0;
}

/* Ring region id's other users: how many were rung (those that run), or BH_HC_E_NOENT when
 * the partition does not use the region. */
static inline int64_t bh_doorbell_ring(const char *id)
{
    return bh_hypercall(BH_HC_DOORBELL_RING, (uint64_t)(uintptr_t)id, bh_strlen(id), 0, 0, 0).r0;
}

/* The same through the region's doorbell register page at page (its "bulkhead,doorbell"). */
static inline void bh_doorbell_ring_mmio(uintptr_t page)
{
    /* Make the shared-memory writes the ring announces visible before it (the page is
     * Device memory, the region Normal: a full barrier orders both). */
    __asm__ __volatile__(
#if defined(__aarch64__)
        "dsb sy"
#else
        "mfence"
#endif
        ::
            : "memory");
    *(volatile uint32_t *)(page + BH_DB_RING) = 1;
}

/* A register of the doorbell page (BH_DB_IRQ, BH_DB_PEERS, BH_DB_MAGIC). */
static inline uint32_t bh_doorbell_read(uintptr_t page, uint32_t reg)
{
    return *(volatile const uint32_t *)(page + reg);
}
