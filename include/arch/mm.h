/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arch contract: how the hypervisor reaches host memory (its own RAM, partition RAM, shm) and
 * keeps it coherent with observers that do not snoop the CPU caches. Implemented by every
 * arch whether or not it runs partitions (the boot sequence and the IOMMU drivers use it).
 */
#pragma once

#include <hv/types.h>

struct fdt;

/*
 * The hypervisor's pointer to size bytes of host memory at pa (its page pool, partition RAM,
 * shm), or NULL when they are not all mapped. Both arm64 and x86 identity-map RAM, so this is
 * a bounds check. Any context.
 */
void *arch_phys_to_virt(hpa_t pa, size_t size);

/* Host physical address of a hypervisor pointer (into its image or its page pool). */
hpa_t arch_virt_to_phys(const void *va);

/*
 * Make size bytes the CPU just wrote at va visible to a memory observer that does not snoop
 * the CPU caches: a non-coherent device reading them by DMA (an IOMMU walking its tables or
 * queues). arm64: clean to the Point of Coherency by VA and wait (DC CVAC + DSB SY, Arm ARM
 * D7.5.9); x86: nothing (DMA is cache coherent, AMD APM vol. 2, 7.1). Any context, no lock;
 * the caller decides whether the observer needs it (e.g. an SMMU without COHACC).
 */
void arch_dcache_clean(const void *va, size_t size);

/*
 * Drop the CPU's cached copies of size bytes at va before reading what a non-coherent device
 * wrote there (arm64: DC IVAC + DSB SY; x86: nothing). Lines only partly inside the range
 * lose their other bytes' cached writes: callers align such buffers to the cache line. Any
 * context, no lock.
 */
void arch_dcache_inval(const void *va, size_t size);

/*
 * Put the guest images that the boot loader could not place at their staging addresses there
 * (include/hv/guest_image.h). x86: GRUB loads them as Multiboot2 modules wherever it likes,
 * each named by its SHA-256; each is copied to where config (the embedded configuration DTB)
 * staged that digest, checked to lie in a "bulkhead,image-staging" reservation and to have
 * the staged size (arch/x86/stage.c, docs/x86.md). arm64: the boot loaders place them
 * (FIT loadables, QEMU -device loader): nothing to do. Called once by hv_main() on the boot
 * CPU with the console up, before any other CPU starts and before the page pool exists (a
 * module may lie where the pool will be); no lock. Problems are reported on the console and
 * boot goes on: an image not in place fails its SHA-256 check when its partition loads.
 */
void arch_boot_stage_images(const struct fdt *config);
