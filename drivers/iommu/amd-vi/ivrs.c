// SPDX-License-Identifier: Apache-2.0
/*
 * IVRS parser (AMD IOMMU Specification rev 3.x, chapter 5). The table is walked twice: a
 * checking pass without callbacks, then the visiting pass; the walker is the same code, so
 * the visitor only ever sees a table that passed every check.
 */
#include <hv/errno.h>
#include <hv/string.h>

#include "ivrs.h"

/* Device entry types (5.2.2.3, Table 95 and following). */
#define DEV_PAD 0x00
#define DEV_ALL 0x01
#define DEV_SELECT 0x02
#define DEV_START 0x03
#define DEV_END 0x04
#define DEV_ALIAS_SELECT 0x42
#define DEV_ALIAS_START 0x43
#define DEV_EXT_SELECT 0x46
#define DEV_EXT_START 0x47
#define DEV_SPECIAL 0x48
#define DEV_ACPI_HID 0xf0
/* ACPI HID entry: fixed part before the UID, and where its UID length byte sits (5.2.2.6). */
#define ACPI_HID_FIXED_LEN 22
#define ACPI_HID_UIDLEN_OFF 21

/* Walk state shared by the device entries of one IVHD. */
struct ivrs_walk {
    const struct ivrs_visitor *v; /* NULL in the checking pass */
    void *ctx;
};

/*
 * Size of the device entry at p, of which avail bytes remain in the IVHD; 0 when the entry
 * does not fit or its size cannot be known. Types below 80h encode their size in bits 7:6
 * (00b: 4 bytes, 01b: 8 bytes, 5.2.2.3); F0h carries a UID length.
 */
static size_t dev_entry_len(const uint8_t *p, size_t avail)
{
    size_t n;

    if (p[0] < 0x80) {
        n = (size_t)4 << (p[0] >> 6);
    } else if (p[0] == DEV_ACPI_HID) {
        if (avail < ACPI_HID_FIXED_LEN) {
            return 0;
        }
        n = ACPI_HID_FIXED_LEN + p[ACPI_HID_UIDLEN_OFF];
    } else {
        return 0;
    }
    return n <= avail ? n : 0;
}

/* The device entries of one IVHD: bytes [p, p + len). */
static int walk_devices(const struct ivrs_walk *w, const struct ivrs_ivhd *ivhd, const uint8_t *p,
                        size_t len)
{
    struct ivrs_dev open = {0}; /* the range a start entry opened, until its end entry */
    bool in_range = false;
    size_t off = 0;

    while (off < len) {
        const uint8_t *e = p + off;
        size_t n = dev_entry_len(e, len - off);
        /* The DTE setting bytes (data byte, extended data, special handle) are not used. */
        struct ivrs_dev dev = {.kind = IVRS_DEV_RANGE, .type = e[0]};
        bool emit = true;

        if (n == 0) {
            return -EINVAL;
        }
        /* Inside a range only its end entry may follow (5.2.2.3: ranges do not nest). */
        if (in_range && e[0] != DEV_END) {
            return -EINVAL;
        }
        switch (e[0]) {
        case DEV_ALL:
            dev.last = 0xffff;
            break;
        case DEV_SELECT:
        case DEV_ALIAS_SELECT:
        case DEV_EXT_SELECT:
        case DEV_START:
        case DEV_ALIAS_START:
        case DEV_EXT_START:
            /* Each start type is its select type + 1, with the same layout. */
            dev.first = dev.last = load_le(e + 1, 2);
            dev.has_alias = (e[0] & ~1u) == DEV_ALIAS_SELECT;
            dev.alias = dev.has_alias ? load_le(e + 5, 2) : 0;
            if (e[0] & 1u) {
                open = dev;
                in_range = true;
                emit = false;
            }
            break;
        case DEV_END:
            if (!in_range || load_le(e + 1, 2) < open.first) {
                return -EINVAL;
            }
            dev = open;
            dev.last = load_le(e + 1, 2);
            in_range = false;
            break;
        case DEV_SPECIAL:
            dev.kind = IVRS_DEV_SPECIAL;
            dev.first = dev.last = load_le(e + 5, 2);
            dev.variety = e[7];
            if (dev.variety != IVRS_SPECIAL_IOAPIC && dev.variety != IVRS_SPECIAL_HPET) {
                return -EINVAL;
            }
            break;
        default:
            /* Padding (00h), ACPI HID devices (F0h, not PCI: nothing to isolate by requester
             * id) and reserved types, whose size is known, are skipped. */
            emit = false;
            break;
        }
        if (emit && w->v != NULL && w->v->device != NULL) {
            int err = w->v->device(w->ctx, ivhd, &dev);

            if (err != 0) {
                return err;
            }
        }
        off += n;
    }
    return in_range ? -EINVAL : 0;
}

static int walk_ivhd(const struct ivrs_walk *w, const uint8_t *b, size_t len)
{
    size_t hlen = b[0] == IVRS_TYPE_IVHD_10 ? IVHD10_HEADER_LEN : IVHD11_HEADER_LEN;
    struct ivrs_ivhd ivhd;
    int err;

    if (len < hlen) {
        return -EINVAL;
    }
    /* The header's flags, capability offset, info, attributes and EFR image are not used:
     * the driver reads the IOMMU's own registers. */
    ivhd = (struct ivrs_ivhd){
        .type = b[0],
        .devid = load_le(b + 4, 2),
        .base = load_le(b + 8, 8),
        .segment = load_le(b + 16, 2),
    };
    if (w->v != NULL && w->v->ivhd != NULL) {
        err = w->v->ivhd(w->ctx, &ivhd);
        if (err != 0) {
            return err;
        }
    }
    return walk_devices(w, &ivhd, b + hlen, len - hlen);
}

static int walk_ivmd(const struct ivrs_walk *w, const uint8_t *b, size_t len)
{
    struct ivrs_ivmd ivmd;

    if (len != IVMD_LEN) {
        return -EINVAL;
    }
    ivmd = (struct ivrs_ivmd){
        .type = b[0],
        .flags = b[1],
        .first = load_le(b + 4, 2),
        .last = load_le(b + 4, 2),
        .start = load_le(b + 16, 8),
        .length = load_le(b + 24, 8),
    };
    if (b[0] == IVRS_TYPE_IVMD_ALL) {
        ivmd.first = 0;
        ivmd.last = 0xffff;
    } else if (b[0] == IVRS_TYPE_IVMD_RANGE) {
        /* 22h: DeviceID is the first of the range, Auxiliary Data its last (5.2.3). */
        ivmd.last = load_le(b + 6, 2);
        if (ivmd.last < ivmd.first) {
            return -EINVAL;
        }
    }
    if (ivmd.length != 0 && ivmd.start + ivmd.length - 1 < ivmd.start) {
        return -EINVAL;
    }
    if (w->v != NULL && w->v->ivmd != NULL) {
        return w->v->ivmd(w->ctx, &ivmd);
    }
    return 0;
}

/* One pass over the blocks of a table whose header was checked: [IVRS_HEADER_LEN, len). */
static int walk_blocks(const struct ivrs_walk *w, const uint8_t *t, size_t len)
{
    size_t off = IVRS_HEADER_LEN;

    while (off < len) {
        const uint8_t *b = t + off;
        size_t blen;
        int err;

        /* Every IVDB starts with Type, Flags and a 16-bit Length (5.2.2, 5.2.3). */
        if (len - off < 4) {
            return -EINVAL;
        }
        blen = load_le(b + 2, 2);
        if (blen < 4 || blen > len - off) {
            return -EINVAL;
        }
        switch (b[0]) {
        case IVRS_TYPE_IVHD_10:
        case IVRS_TYPE_IVHD_11:
        case IVRS_TYPE_IVHD_40:
            err = walk_ivhd(w, b, blen);
            break;
        case IVRS_TYPE_IVMD_ALL:
        case IVRS_TYPE_IVMD_ONE:
        case IVRS_TYPE_IVMD_RANGE:
            err = walk_ivmd(w, b, blen);
            break;
        default:
            /* A block type from a later revision: its Length still lets us step over it. */
            err = 0;
            break;
        }
        if (err != 0) {
            return err;
        }
        off += blen;
    }
    return 0;
}

int ivrs_parse(const void *tbl, size_t len, struct ivrs_info *info, const struct ivrs_visitor *v,
               void *ctx)
{
    const uint8_t *t = tbl;
    struct ivrs_walk w = {NULL, ctx};
    uint32_t tlen;
    uint8_t sum = 0;
    int err;

    if (t == NULL || len < IVRS_HEADER_LEN || memcmp(t, "IVRS", 4) != 0) {
        return -EINVAL;
    }
    tlen = load_le(t + 4, 4);
    if (tlen < IVRS_HEADER_LEN || tlen > len) {
        return -EINVAL;
    }
    /* ACPI 6.5 5.2.6: the whole table, checksum byte included, sums to zero. */
    for (uint32_t i = 0; i < tlen; i++) {
        sum = (uint8_t)(sum + t[i]);
    }
    if (sum != 0) {
        return -EINVAL;
    }
    err = walk_blocks(&w, t, tlen);
    if (err != 0) {
        return err;
    }
    if (info != NULL) {
        info->ivinfo = load_le(t + 36, 4);
        info->revision = t[8];
    }
    if (v == NULL) {
        return 0;
    }
    w.v = v;
    return walk_blocks(&w, t, tlen);
}
