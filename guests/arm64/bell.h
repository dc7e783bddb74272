/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The doorbell of a shared-memory region as the guest DT describes it (the region's node
 * under /reserved-memory: "interrupts", edge-rising SPI, and "bulkhead,doorbell"), for the
 * doorbell scenario and bench guests.
 */
#pragma once

#include <hv/string.h>

#include "rt.h"

/* Region id's doorbell interrupt (GIC INTID) and register page; the guest fails without. */
static inline void bell_find(const struct guest_info *gi, const char *want, unsigned int *irq_out,
                             uintptr_t *page_out)
{
    int rm = fdt_path(&gi->fdt, "/reserved-memory");

    GUEST_CHECK(rm >= 0, "no /reserved-memory");
    for (int n = fdt_first_child(&gi->fdt, rm); n >= 0; n = fdt_next_sibling(&gi->fdt, n)) {
        struct fdt_prop irq, db;
        const char *id;

        if (fdt_prop_string(&gi->fdt, n, "id", &id) != 0 || strcmp(id, want) != 0) {
            continue;
        }
        GUEST_CHECK(fdt_prop(&gi->fdt, n, "interrupts", &irq) == 0 && irq.len == 12 &&
                        fdt_be32((const uint8_t *)irq.data) == 0 &&
                        fdt_be32((const uint8_t *)irq.data + 8) == 1,
                    "\"%s\" has no edge-triggered SPI in its node", want);
        GUEST_CHECK(fdt_prop(&gi->fdt, n, "bulkhead,doorbell", &db) == 0 && db.len == 8,
                    "\"%s\" has no bulkhead,doorbell", want);
        *irq_out = fdt_be32((const uint8_t *)irq.data + 4) + 32;
        *page_out =
            (uintptr_t)((uint64_t)fdt_be32(db.data) << 32 | fdt_be32((const uint8_t *)db.data + 4));
        return;
    }
    guest_fail("no \"%s\" under /reserved-memory", want);
}
