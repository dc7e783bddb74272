/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IVRS (I/O Virtualization Reporting Structure) parser, AMD I/O Virtualization Technology
 * (IOMMU) Specification rev 3.x, chapter 5 "IVRS". Generic, allocation-free and strict: the
 * whole table is checked (header length, checksum, every IVHD/IVMD and device entry inside
 * its parent) before the caller's visitor sees anything, so a corrupt table is rejected as a
 * whole and never half-applied.
 */
#pragma once

#include <hv/types.h>

/* Size of the ACPI header + IVinfo + reserved field that precede the first IVDB (5.2.1). */
#define IVRS_HEADER_LEN 48
/* IVHD header sizes (5.2.2.1, 5.2.2.2): type 10h has 24 bytes, types 11h and 40h have 40. */
#define IVHD10_HEADER_LEN 24
#define IVHD11_HEADER_LEN 40
/* IVMD blocks are fixed size (5.2.3). */
#define IVMD_LEN 32

/* IVDB types (5.2.2, 5.2.3). */
#define IVRS_TYPE_IVHD_10 0x10
#define IVRS_TYPE_IVHD_11 0x11
#define IVRS_TYPE_IVHD_40 0x40
#define IVRS_TYPE_IVMD_ALL 0x20
#define IVRS_TYPE_IVMD_ONE 0x21
#define IVRS_TYPE_IVMD_RANGE 0x22

/* Special-device varieties of device entry 48h (5.2.2.5, Table 97). */
#define IVRS_SPECIAL_IOAPIC 1
#define IVRS_SPECIAL_HPET 2

/* One IOMMU as an IVHD block describes it (5.2.2.1). */
struct ivrs_ivhd {
    uint8_t type;     /* 10h, 11h or 40h */
    uint16_t devid;   /* the IOMMU's own PCI requester id (bus << 8 | dev << 3 | fn) */
    uint64_t base;    /* MMIO register base (16 KiB aligned) */
    uint16_t segment; /* PCI segment group */
};

/* What a device entry says about a range of requester ids. */
enum ivrs_dev_kind {
    IVRS_DEV_RANGE,   /* types 01h-04h, 42h/43h, 46h/47h: requester ids [first, last] */
    IVRS_DEV_SPECIAL, /* type 48h: an IOAPIC or HPET and the requester id it uses */
};

/* One device entry, with start/end ranges already folded into [first, last] (5.2.2.3-5). */
struct ivrs_dev {
    enum ivrs_dev_kind kind;
    uint8_t type;    /* the entry type that opened it (02h, 03h, 42h, 43h, 46h, 47h, 48h...) */
    uint16_t first;  /* first requester id */
    uint16_t last;   /* last requester id (== first for select entries) */
    bool has_alias;  /* 42h/43h: requests of [first, last] reach the IOMMU as alias */
    uint16_t alias;  /* the requester id the IOMMU sees (and so the DTE it uses) */
    uint8_t variety; /* 48h: IVRS_SPECIAL_IOAPIC or IVRS_SPECIAL_HPET */
};

/* One IVMD block: memory the BIOS needs devices to keep reaching (5.2.3). */
struct ivrs_ivmd {
    uint8_t type;   /* 20h all devices, 21h one device, 22h a range of devices */
    uint8_t flags;  /* Unity (bit 0), IR (1), IW (2), ExclusionRange (3) */
    uint16_t first; /* requester ids the block applies to (0..0xffff for 20h) */
    uint16_t last;
    uint64_t start;  /* physical start address (4 KiB aligned) */
    uint64_t length; /* length in bytes */
};

/* The table-wide fields (5.2.1). */
struct ivrs_info {
    uint32_t ivinfo;  /* IVinfo: GVAsize, PAsize, VAsize, EFRSup, HT ATS reserved */
    uint8_t revision; /* 1: only type 10h blocks; 2: types 11h/40h may appear */
};

/*
 * Callbacks run by ivrs_parse() in table order once the whole table is known good. Any may be
 * NULL. A callback returning non-zero stops the walk and ivrs_parse() returns that value.
 * device() receives the IVHD that contains the entry.
 */
struct ivrs_visitor {
    int (*ivhd)(void *ctx, const struct ivrs_ivhd *ivhd);
    int (*device)(void *ctx, const struct ivrs_ivhd *ivhd, const struct ivrs_dev *dev);
    int (*ivmd)(void *ctx, const struct ivrs_ivmd *ivmd);
};

/*
 * Check the IVRS table tbl of len bytes (len: what the caller may read; the header's Length
 * must fit inside it) and, when it is well formed, fill *info (may be NULL) and call the
 * visitor for every IVHD, device entry and IVMD. 0; -EINVAL for any malformed table (bad
 * signature, length, checksum, block or entry outside its parent, unterminated or nested
 * range, variable-length entry type other than F0h); or a callback's non-zero value.
 * Reserved fixed-size entry types (their size follows from the type, 5.2.2.3) and ACPI HID
 * entries (F0h, skipped by their UID length) are passed over without a callback.
 */
int ivrs_parse(const void *tbl, size_t len, struct ivrs_info *info, const struct ivrs_visitor *v,
               void *ctx) __must_check;
