/* SPDX-License-Identifier: Apache-2.0 */
/* Fake arch for host unit tests: "MMIO" is plain memory. */
#pragma once

#include <stdint.h>

static inline uint8_t mmio_read8(const volatile void *a)
{
    return *(const volatile uint8_t *)a;
}

static inline uint32_t mmio_read32(const volatile void *a)
{
    return *(const volatile uint32_t *)a;
}

static inline uint64_t mmio_read64(const volatile void *a)
{
    return *(const volatile uint64_t *)a;
}

static inline void mmio_write8(volatile void *a, uint8_t v)
{
    *(volatile uint8_t *)a = v;
}

static inline void mmio_write32(volatile void *a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

static inline void mmio_write64(volatile void *a, uint64_t v)
{
    *(volatile uint64_t *)a = v;
}

/* DMA ordering on the host: a full fence is more than enough for the fake devices. */
static inline void dma_wmb(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void dma_rmb(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}
