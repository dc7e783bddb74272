/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Basic types. Host physical, guest physical and device-frame addresses are distinct
 * structure types so that passing one where another is expected does not compile: a guest
 * must never see a host address, and the type system is the first line of that defence.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hv/compiler.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (UINT64_C(1) << PAGE_SHIFT)

/* Host physical address. */
typedef struct {
    uint64_t v;
} hpa_t;

/* Guest physical address (Arm: IPA; x86: GPA). */
typedef struct {
    uint64_t v;
} gpa_t;

/* Device frame number: an IOMMU input address divided by the 4 KiB page size. */
typedef struct {
    uint64_t v;
} dfn_t;

static inline hpa_t hpa(uint64_t v)
{
    return (hpa_t){v};
}

static inline gpa_t gpa(uint64_t v)
{
    return (gpa_t){v};
}

static inline dfn_t dfn(uint64_t v)
{
    return (dfn_t){v};
}

static inline uint64_t hpa_val(hpa_t a)
{
    return a.v;
}

static inline uint64_t gpa_val(gpa_t a)
{
    return a.v;
}

static inline uint64_t dfn_val(dfn_t f)
{
    return f.v;
}
