/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 device access. MMIO goes through the identity map, whose device ranges are uncacheable
 * (arch/x86/head.S), so every access reaches the device in program order; the asm statements
 * fix the access width and act as compiler barriers. I/O ports: IN/OUT (APM vol. 3).
 */
#pragma once

#include <stdint.h>

static inline uint8_t mmio_read8(const volatile void *addr)
{
    uint8_t v;

    __asm__ __volatile__("movb %1, %0" : "=q"(v) : "m"(*(const volatile uint8_t *)addr) : "memory");
    return v;
}

static inline uint16_t mmio_read16(const volatile void *addr)
{
    uint16_t v;

    __asm__ __volatile__("movw %1, %0"
                         : "=r"(v)
                         : "m"(*(const volatile uint16_t *)addr)
                         : "memory");
    return v;
}

static inline uint32_t mmio_read32(const volatile void *addr)
{
    uint32_t v;

    __asm__ __volatile__("movl %1, %0"
                         : "=r"(v)
                         : "m"(*(const volatile uint32_t *)addr)
                         : "memory");
    return v;
}

static inline uint64_t mmio_read64(const volatile void *addr)
{
    uint64_t v;

    __asm__ __volatile__("movq %1, %0"
                         : "=r"(v)
                         : "m"(*(const volatile uint64_t *)addr)
                         : "memory");
    return v;
}

static inline void mmio_write8(volatile void *addr, uint8_t val)
{
    __asm__ __volatile__("movb %1, %0" : "=m"(*(volatile uint8_t *)addr) : "q"(val) : "memory");
}

static inline void mmio_write16(volatile void *addr, uint16_t val)
{
    __asm__ __volatile__("movw %1, %0" : "=m"(*(volatile uint16_t *)addr) : "r"(val) : "memory");
}

static inline void mmio_write32(volatile void *addr, uint32_t val)
{
    __asm__ __volatile__("movl %1, %0" : "=m"(*(volatile uint32_t *)addr) : "r"(val) : "memory");
}

static inline void mmio_write64(volatile void *addr, uint64_t val)
{
    __asm__ __volatile__("movq %1, %0" : "=m"(*(volatile uint64_t *)addr) : "r"(val) : "memory");
}

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
