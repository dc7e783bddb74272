/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the IOMMU self-tests (CONFIG_IOMMU_SELFTEST; drivers/iommu/<driver>/selftest.c) share:
 * QEMU's "edu" PCI device (QEMU docs/specs/edu.rst) as the DMA master, the check tally that
 * prints "iommu-selftest: ok|FAIL <name>" markers, and page patterns. Test-only code.
 */
#pragma once

#include <hv/types.h>

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_BAR_SIZE 0x100000

/* Checks done and failed, for the final verdict. */
struct selftest_tally {
    unsigned int checks, failures;
};

/* Count a check and print "iommu-selftest: ok <name>" or "... FAIL <name>: <why>". */
void selftest_check(struct selftest_tally *t, bool ok, const char *name, const char *why);

/* Fill a page with a pattern derived from seed; whether a page still holds it. */
void selftest_fill(uint8_t *page, uint8_t seed);
bool selftest_holds(const uint8_t *page, uint8_t seed);

/*
 * The first PCI function (bus, device, function order) that is QEMU's edu, and the address
 * firmware gave its BAR0 (32-bit memory BAR, PCI 3.0 6.2.5.1): 0 and *bdf / *bar; -ENOENT
 * when there is no edu, -ENODEV when BAR0 is unassigned.
 */
int edu_pci_find(uint16_t *bdf) __must_check;
int edu_bar0(uint16_t bdf, uint64_t *bar) __must_check;

/*
 * Bring up the edu device at PCI bdf whose BAR0 is at bar: map its registers into *regs,
 * enable memory decoding and bus mastering, and check that it answers (identification and
 * liveness registers). 0, or -ENODEV (reported) when it cannot be reached.
 */
int edu_open(uint16_t bdf, uint64_t bar, volatile uint8_t **regs) __must_check;

/*
 * One edu DMA of a page between device address iova and edu's internal buffer (to_ram: from
 * the buffer to iova), with the DMA ordering barriers on both sides; waits for the engine to
 * finish. 0, or -ETIMEDOUT (reported) when it does not within 3 s.
 */
int edu_dma(volatile uint8_t *edu, uint64_t iova, bool to_ram);

/* edu_dma() of len bytes (a blocked DMA raises one SMMU event per 4 bytes on QEMU). */
int edu_dma_len(volatile uint8_t *edu, uint64_t iova, uint32_t len, bool to_ram);

/* Start the same DMA and return at once: QEMU's edu performs it 100 ms (virtual) later. */
void edu_dma_start(volatile uint8_t *edu, uint64_t iova, uint32_t len, bool to_ram);

struct fdt;
struct iommu;

/*
 * The IOMMU-specific fault sign of unit iommu besides its fault queue, for a model that
 * reports no faults there (QEMU's AMD-Vi: the IOMMU's PCI status "signaled target abort",
 * tests/selftest/iommu/amdvi_abort.c): 1 set, 0 clear (then cleared when clear), -ENODEV when
 * the unit has no such sign and reports faults through its queue (the __weak default).
 */
int selftest_iommu_abort(struct iommu *iommu, bool clear);

/*
 * Find edu through the DT's ECAM (pci-host-ecam-generic) or, when the DT names none, the ACPI
 * MCFG, give its BAR0 an address at the
 * start of the 32-bit memory window when no firmware did, and edu_open() it. 0 with *bdf,
 * *bar and *regs, or the error (reported).
 */
int edu_find_dt(const struct fdt *fdt, uint16_t *bdf, uint64_t *bar, volatile uint8_t **regs);
