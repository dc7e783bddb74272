/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arch contract: device access. MMIO accessors are inline in <asm/io.h>:
 *   uint8_t  mmio_read8(const volatile void *addr);   void mmio_write8(volatile void *, uint8_t);
 *   uint16_t mmio_read16(...);  uint32_t mmio_read32(...);  uint64_t mmio_read64(...);
 *   void mmio_write16/32/64(volatile void *addr, uintN_t val);
 * each a single access of exactly that width, ordered against other MMIO accesses.
 * With CONFIG_HAS_PIO, <asm/io.h> also provides pio_read8/pio_write8(uint16_t port, ...).
 *
 * Ordering against devices that read or write Normal memory by DMA (IOMMU command queues,
 * device and stream tables, page tables, event queues, DMA buffers), also inline in <asm/io.h>:
 *   void dma_wmb(void);  this CPU's earlier writes to Normal memory are observed by devices
 *                        before its later writes, to memory or to device registers (e.g. a
 *                        command before the doorbell that announces it);
 *   void dma_rmb(void);  this CPU's earlier reads (e.g. a producer index in a device register)
 *                        complete before its later reads of Normal memory a device wrote, and
 *                        before its later writes (e.g. a consumer index that frees a slot).
 */
#pragma once

#include <asm/io.h>
#include <hv/types.h>

/*
 * Make size bytes of device registers at host physical base reachable by the hypervisor as
 * uncached device memory; returns the address to use, or NULL (with a console message) when
 * it cannot. Boot CPU, before secondaries start or with the caller holding no lock.
 */
void *arch_iomap(hpa_t base, size_t size);

#ifndef CONFIG_HAS_PIO
/* No I/O space on this arch: declared so that code under IS_ENABLED(CONFIG_HAS_PIO) still
 * type-checks; never defined, so a call that survives optimisation fails to link. */
uint8_t pio_read8(uint16_t port);
void pio_write8(uint16_t port, uint8_t val);
#endif
