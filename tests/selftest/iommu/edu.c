// SPDX-License-Identifier: Apache-2.0
/* Shared pieces of the IOMMU self-tests (tests/selftest/iommu/edu.h). */
#include <arch/io.h>
#include <arch/time.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/pci.h>

#include "edu.h"

/* edu's DMA engine (edu.rst): source, destination, count, command (bit 0 start, bit 1
 * direction: 1 = buffer to RAM); its 4 KiB buffer sits at device address 0x40000. Each
 * transfer takes 100 ms of virtual time. */
#define EDU_IDENT 0x00    /* 0xRRrr00ed: version and the 0xed signature */
#define EDU_LIVENESS 0x04 /* reads back the complement of what was written */
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_START 1u
#define EDU_DMA_TO_RAM 2u
#define EDU_BUFFER 0x40000
#define EDU_DMA_TIMEOUT_US 3000000u

int edu_pci_find(uint16_t *bdf)
{
    /* Functions outside the ECAM window read as all ones, like absent ones. */
    for (unsigned int bus = 0; bus <= 0xff; bus++) {
        for (unsigned int dev = 0; dev < 32; dev++) {
            for (unsigned int fn = 0; fn < 8; fn++) {
                uint16_t id = pci_bdf(bus, dev, fn);
                uint32_t v = pci_read32(id, PCI_VENDOR_ID);

                if (v == ((uint32_t)EDU_DEVICE << 16 | EDU_VENDOR)) {
                    *bdf = id;
                    return 0;
                }
                /* No function 0, or a single-function device: skip the other functions. */
                if (fn == 0 && ((v & 0xffff) == 0xffff ||
                                !(pci_read32(id, PCI_HEADER_TYPE & ~3u) >> 16 & 0x80))) {
                    break;
                }
            }
        }
    }
    return -ENOENT;
}

int edu_bar0(uint16_t bdf, uint64_t *bar)
{
    uint64_t addr = pci_read32(bdf, PCI_BAR0) & ~UINT32_C(0xf);

    if (addr == 0) {
        return -ENODEV;
    }
    *bar = addr;
    return 0;
}

void selftest_check(struct selftest_tally *t, bool ok, const char *name, const char *why)
{
    t->checks++;
    if (ok) {
        hv_printf("iommu-selftest: ok %s\n", name);
    } else {
        t->failures++;
        hv_printf("iommu-selftest: FAIL %s: %s\n", name, why);
    }
}

void selftest_fill(uint8_t *page, uint8_t seed)
{
    for (size_t i = 0; i < PAGE_SIZE; i++) {
        page[i] = (uint8_t)(seed + i * 7);
    }
}

bool selftest_holds(const uint8_t *page, uint8_t seed)
{
    for (size_t i = 0; i < PAGE_SIZE; i++) {
        if (page[i] != (uint8_t)(seed + i * 7)) {
            return false;
        }
    }
    return true;
}

int edu_open(uint16_t bdf, uint64_t bar, volatile uint8_t **regs)
{
    volatile uint8_t *edu = arch_iomap(hpa(bar), EDU_BAR_SIZE);
    uint32_t ident;

    if (edu == NULL) {
        return -ENODEV;
    }
    pci_write16(bdf, PCI_COMMAND,
                pci_read16(bdf, PCI_COMMAND) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    ident = mmio_read32(edu + EDU_IDENT);
    mmio_write32(edu + EDU_LIVENESS, 0x12345678);
    if ((ident & 0xff) != 0xed || mmio_read32(edu + EDU_LIVENESS) != ~UINT32_C(0x12345678)) {
        hv_printf("iommu-selftest: edu at %#llx does not answer (ident %#x)\n",
                  (unsigned long long)bar, ident);
        return -ENODEV;
    }
    *regs = edu;
    return 0;
}

int edu_dma(volatile uint8_t *edu, uint64_t iova, bool to_ram)
{
    return edu_dma_len(edu, iova, PAGE_SIZE, to_ram);
}

void edu_dma_start(volatile uint8_t *edu, uint64_t iova, uint32_t len, bool to_ram)
{
    dma_wmb(); /* the page's contents before the engine starts reading it */
    mmio_write64(edu + EDU_DMA_SRC, to_ram ? EDU_BUFFER : iova);
    mmio_write64(edu + EDU_DMA_DST, to_ram ? iova : EDU_BUFFER);
    mmio_write64(edu + EDU_DMA_COUNT, len);
    mmio_write64(edu + EDU_DMA_CMD, EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0));
}

int edu_dma_len(volatile uint8_t *edu, uint64_t iova, uint32_t len, bool to_ram)
{
    uint64_t start = arch_time_us();

    edu_dma_start(edu, iova, len, to_ram);
    while (mmio_read64(edu + EDU_DMA_CMD) & EDU_DMA_START) {
        if (arch_time_us() - start > EDU_DMA_TIMEOUT_US) {
            hv_printf("iommu-selftest: edu DMA to %#llx did not finish\n",
                      (unsigned long long)iova);
            return -ETIMEDOUT;
        }
    }
    dma_rmb(); /* the status read above before reading what the DMA wrote */
    return 0;
}

/* Units that report faults through their queue have no other sign (edu.h). */
__weak int selftest_iommu_abort(struct iommu *iommu, bool clear)
{
    (void)iommu;
    (void)clear;
    return -ENODEV;
}

int edu_find_dt(const struct fdt *fdt, uint16_t *bdf, uint64_t *bar, volatile uint8_t **regs)
{
    uint64_t win, win_size;
    int err = pci_ecam_init_dt(fdt);

    if (err == -ENOENT && IS_ENABLED(CONFIG_HAS_ACPI)) {
        err = pci_ecam_init_acpi(); /* x86: the board DT's host bridge is not generic ECAM */
    }
    if (err == 0) {
        err = edu_pci_find(bdf);
    }
    if (err != 0) {
        hv_printf("iommu-selftest: no edu device (run QEMU with -device edu,...): %s\n",
                  errno_name(err));
        return err;
    }
    err = edu_bar0(*bdf, bar);
    if (err == -ENODEV) {
        /* No firmware ran: BAR0 (32-bit, 1 MiB) at the start of the memory window. */
        err = pci_mem32_window(&win, &win_size);
        if (err == 0 && win_size < EDU_BAR_SIZE) {
            err = -ENOSPC;
        }
        if (err == 0) {
            pci_write32(*bdf, PCI_BAR0, (uint32_t)ALIGN_UP(win, EDU_BAR_SIZE));
            err = edu_bar0(*bdf, bar);
        }
    }
    if (err != 0) {
        hv_printf("iommu-selftest: edu BAR0 unusable: %s\n", errno_name(err));
        return err;
    }
    return edu_open(*bdf, *bar, regs);
}
