/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Freestanding formatted output. Supports the conversions the hypervisor uses:
 * %d %i %u %x %X %o %c %s %p %% with flags "-0 +#", field width and precision (also "*"),
 * and the length modifiers hh h l ll z t j. No floating point.
 */
#pragma once

#include <stdarg.h>

#include <hv/types.h>

/* Like C's vsnprintf: writes at most size bytes including the NUL and returns the length
 * the full output would have had. */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Generic sink: the formatter calls emit(ctx, chunk, len) for each piece of output. */
typedef void (*hv_emit_fn)(void *ctx, const char *s, size_t len);
int hv_vformat(hv_emit_fn emit, void *ctx, const char *fmt, va_list ap);
