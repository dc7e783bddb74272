// SPDX-License-Identifier: Apache-2.0
/*
 * A partition that is busy for LINGER_MS of counter time and then passes: it is running (in
 * the guest, no WFI) when something happens elsewhere, e.g. a DMA fault taken by interrupt on
 * its CPU (tests/system/arm64_part_dma_irq.sh). A partition that should have been stopped in
 * the meantime passes instead, and the test monitor fails the run.
 */
#include "rt.h"

#define LINGER_MS 3000u

static bool never(void *arg)
{
    (void)arg;
    return false;
}

void guest_main(struct guest_info *gi)
{
    (void)gi;
    gprintf("linger: running for %u ms\n", LINGER_MS);
    (void)guest_wait(never, NULL, LINGER_MS);
    gprintf("linger: done\n");
}
