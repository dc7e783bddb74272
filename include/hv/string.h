/* SPDX-License-Identifier: Apache-2.0 */
/* The string and memory functions the hypervisor provides (lib/string.c). */
#pragma once

#include <hv/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* The little-endian value of the n bytes (at most 8) at p, at any alignment (ACPI tables,
 * ELF headers, image headers). */
uint64_t load_le(const void *p, unsigned int n);
