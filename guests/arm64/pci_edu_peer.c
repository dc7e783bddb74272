// SPDX-License-Identifier: Apache-2.0
/*
 * "control" of tests/system/arm64_part_pci_edu.sh (protocol: pci_edu.h): plants a pattern
 * in every place worker's blocked DMA would overwrite were it not blocked (its own RAM at the
 * host address worker uses as a device address, and the page of "ring0" worker sees
 * read-only), says so in "mbox", waits for worker to announce the DMA, gives it time to land
 * (edu takes 100 ms of virtual time per DMA), checks every pattern and passes: the peer of a
 * partition contained for a DMA fault keeps running and its memory is intact.
 */
#include "pci_edu.h"
#include "rt.h"

#define WAIT_MS 60000u
#define LAND_MS 3000u

static void plant(uint64_t addr)
{
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)addr;

    for (unsigned int i = 0; i < PCI_EDU_DMA_BYTES / 8; i++) {
        p[i] = PCI_EDU_PATTERN | i;
    }
}

static void check(uint64_t addr, const char *what)
{
    const volatile uint64_t *p = (const volatile uint64_t *)(uintptr_t)addr;

    for (unsigned int i = 0; i < PCI_EDU_DMA_BYTES / 8; i++) {
        GUEST_CHECK(p[i] == (PCI_EDU_PATTERN | i), "%s at %#llx: word %u is %#llx", what,
                    (unsigned long long)addr, i, (unsigned long long)p[i]);
    }
    gprintf("pci-edu-peer: ok %s intact\n", what);
}

static bool announced(void *arg)
{
    (void)arg;
    return (((volatile uint32_t *)(uintptr_t)PCI_EDU_MBOX)[1] & ~0xffu) == PCI_EDU_BLOCKED;
}

void guest_main(struct guest_info *gi)
{
    volatile uint32_t *mbox = (volatile uint32_t *)(uintptr_t)PCI_EDU_MBOX;
    uint64_t start;

    guest_describe(gi);
    GUEST_CHECK(dt_in_memory(gi, PCI_EDU_PEER_CONTROL, PCI_EDU_DMA_BYTES),
                "%#x is not in control's RAM", PCI_EDU_PEER_CONTROL);
    plant(PCI_EDU_PEER_CONTROL);
    plant(PCI_EDU_RO_CONTROL);
    guest_dmb();
    mbox[0] = PCI_EDU_READY;
    gprintf("pci-edu-peer: patterns planted (mode %u)\n",
            *(volatile uint32_t *)(uintptr_t)PCI_EDU_MODE_CONTROL);
    GUEST_CHECK(guest_wait(announced, NULL, WAIT_MS), "worker never announced its blocked DMA");
    gprintf("pci-edu-peer: worker announced mode %u\n", mbox[1] & 0xffu);
    start = guest_counter();
    while (guest_counter() - start < LAND_MS * (guest_counter_freq() / 1000)) {
    }
    guest_dmb();
    check(PCI_EDU_PEER_CONTROL, "own RAM");
    check(PCI_EDU_RO_CONTROL, "ring0 page worker sees read-only");
}
