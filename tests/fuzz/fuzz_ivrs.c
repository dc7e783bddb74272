// SPDX-License-Identifier: Apache-2.0
/*
 * IVRS parser fuzz target. Random bytes rarely carry the right signature, length and
 * checksum, which would keep the fuzzer at the header checks; so for inputs whose first byte
 * is even the harness writes a valid signature, Length = input size and a correct checksum,
 * and the walk over IVHD/IVMD blocks and device entries gets exercised. Odd first bytes go to
 * the parser untouched. The visitor reads every field it is given.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../drivers/iommu/amd-vi/ivrs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint64_t sink;

static int on_ivhd(void *ctx, const struct ivrs_ivhd *h)
{
    (void)ctx;
    sink += h->base + h->devid + h->segment;
    return 0;
}

static int on_dev(void *ctx, const struct ivrs_ivhd *h, const struct ivrs_dev *d)
{
    (void)ctx;
    /* The parser promises ordered ranges. */
    if (d->last < d->first) {
        abort();
    }
    sink += h->type + d->first + d->last + d->alias + d->variety;
    return 0;
}

static int on_ivmd(void *ctx, const struct ivrs_ivmd *m)
{
    (void)ctx;
    if (m->last < m->first) {
        abort();
    }
    sink += m->start + m->length;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct ivrs_visitor v = {on_ivhd, on_dev, on_ivmd};
    struct ivrs_info info;
    uint8_t *t;
    uint8_t sum = 0;

    if (size == 0 || size > 65536) {
        return 0;
    }
    /* An exact-size heap copy, so ASan catches any read past the end. */
    t = malloc(size);
    if (t == NULL) {
        return 0;
    }
    memcpy(t, data, size);
    if ((data[0] & 1) == 0 && size >= IVRS_HEADER_LEN) {
        memcpy(t, "IVRS", 4);
        t[4] = (uint8_t)size;
        t[5] = (uint8_t)(size >> 8);
        t[6] = (uint8_t)(size >> 16);
        t[7] = 0;
        t[9] = 0;
        for (size_t i = 0; i < size; i++) {
            sum = (uint8_t)(sum + t[i]);
        }
        t[9] = (uint8_t)(0x100 - sum);
    }
    (void)ivrs_parse(t, size, &info, &v, NULL);
    free(t);
    return 0;
}
