/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arm64 MMIO accessors (contract: include/arch/io.h). Each is a single load or store of
 * exactly the given width through a register operand, so the compiler can neither split,
 * merge nor elide it (Arm ARM B2.8: device accesses must not be repeated or merged; Device
 * memory is only accessed by these functions). Ordering between two accesses to Device-nGnRE
 * memory is kept by the architecture; ordering against Normal memory (e.g. a DMA buffer
 * written before a doorbell) is the driver's job with dmb/dsb barriers, as the contract says
 * "ordered against other MMIO accesses" only.
 */
#pragma once

#include <stdint.h>

static inline uint8_t mmio_read8(const volatile void *addr)
{
    uint8_t v;

    __asm__ __volatile__("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

static inline uint16_t mmio_read16(const volatile void *addr)
{
    uint16_t v;

    __asm__ __volatile__("ldrh %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

static inline uint32_t mmio_read32(const volatile void *addr)
{
    uint32_t v;

    __asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

static inline uint64_t mmio_read64(const volatile void *addr)
{
    uint64_t v;

    __asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

static inline void mmio_write8(volatile void *addr, uint8_t val)
{
    __asm__ __volatile__("strb %w0, [%1]" ::"rZ"(val), "r"(addr) : "memory");
}

static inline void mmio_write16(volatile void *addr, uint16_t val)
{
    __asm__ __volatile__("strh %w0, [%1]" ::"rZ"(val), "r"(addr) : "memory");
}

static inline void mmio_write32(volatile void *addr, uint32_t val)
{
    __asm__ __volatile__("str %w0, [%1]" ::"rZ"(val), "r"(addr) : "memory");
}

static inline void mmio_write64(volatile void *addr, uint64_t val)
{
    __asm__ __volatile__("str %x0, [%1]" ::"rZ"(val), "r"(addr) : "memory");
}

/*
 * DMA ordering (contract: include/arch/io.h). Devices observe memory in the Outer Shareable
 * domain, so the barriers must reach it: DMB OSHST / OSHLD (Arm ARM B2.3.12, "Memory
 * barriers"); a DMB ISH would only order the writes for other CPUs.
 */
static inline void dma_wmb(void)
{
    __asm__ __volatile__("dmb oshst" ::: "memory");
}

static inline void dma_rmb(void)
{
    __asm__ __volatile__("dmb oshld" ::: "memory");
}
