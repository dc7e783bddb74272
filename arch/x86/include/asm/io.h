/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 device access. MMIO goes through the identity map, whose device ranges are uncacheable
 * (arch/x86/head.S), so every access reaches the device in program order; the asm statements
 * fix the access width (one MOV of exactly that size) and act as compiler barriers. I/O
 * ports: IN/OUT (APM vol. 3).
 */
#pragma once

#include <stdint.h>

/* mmio_read<bits>() and mmio_write<bits>() with MOV suffix sfx and register constraint reg. */
#define X86_MMIO_ACCESSORS(bits, sfx, reg)                                                         \
    static inline uint##bits##_t mmio_read##bits(const volatile void *addr)                        \
    {                                                                                              \
        uint##bits##_t v;                                                                          \
                                                                                                   \
        __asm__ __volatile__("mov" sfx " %1, %0"                                                   \
                             : "=" reg(v)                                                          \
                             : "m"(*(const volatile uint##bits##_t *)addr)                         \
                             : "memory");                                                          \
        return v;                                                                                  \
    }                                                                                              \
                                                                                                   \
    static inline void mmio_write##bits(volatile void *addr, uint##bits##_t val)                   \
    {                                                                                              \
        __asm__ __volatile__("mov" sfx " %1, %0"                                                   \
                             : "=m"(*(volatile uint##bits##_t *)addr)                              \
                             : reg(val)                                                            \
                             : "memory");                                                          \
    }

X86_MMIO_ACCESSORS(8, "b", "q")
X86_MMIO_ACCESSORS(16, "w", "r")
X86_MMIO_ACCESSORS(32, "l", "r")
X86_MMIO_ACCESSORS(64, "q", "r")

static inline uint8_t pio_read8(uint16_t port)
{
    uint8_t v;

    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline void pio_write8(uint16_t port, uint8_t val)
{
    __asm__ __volatile__("outb %0, %1" ::"a"(val), "Nd"(port) : "memory");
}

static inline void pio_write16(uint16_t port, uint16_t val)
{
    __asm__ __volatile__("outw %0, %1" ::"a"(val), "Nd"(port) : "memory");
}

static inline uint32_t pio_read32(uint16_t port)
{
    uint32_t v;

    __asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline void pio_write32(uint16_t port, uint32_t val)
{
    __asm__ __volatile__("outl %0, %1" ::"a"(val), "Nd"(port) : "memory");
}

/*
 * DMA ordering (contract: include/arch/io.h). x86 stores become visible in program order,
 * also to devices, and uncached MMIO accesses are not reordered with earlier loads and stores
 * (AMD64 APM vol. 2, 7.4.2 "Memory Barrier Interaction with Memory Types"): only the compiler
 * must be kept from moving accesses across.
 */
static inline void dma_wmb(void)
{
    __asm__ __volatile__("" ::: "memory");
}

static inline void dma_rmb(void)
{
    __asm__ __volatile__("" ::: "memory");
}
