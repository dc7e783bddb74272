// SPDX-License-Identifier: Apache-2.0
/*
 * String and memory functions for the freestanding hypervisor. The compiler may emit calls to
 * memcpy/memmove/memset/memcmp on its own (C11 5.1.2.1 leaves them to the environment), so
 * these must exist under their standard names. Byte loops: with -mstrict-align on Arm and no
 * hot copies in the hypervisor, simplicity wins over speed.
 */
#include <hv/string.h>

/* Four bytes a step: the boot copies names and formatted text a few bytes at a time, at any
 * alignment (so bytes, not words, with -mstrict-align). */
__no_libcall_loops void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    for (; n >= 4; n -= 4, d += 4, s += 4) {
        d[0] = s[0];
        d[1] = s[1];
        d[2] = s[2];
        d[3] = s[3];
    }
    while (n-- != 0) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d < s) {
        while (n-- != 0) {
            *d++ = *s++;
        }
    } else {
        while (n != 0) {
            n--;
            d[n] = s[n];
        }
    }
    return dst;
}

/* A word that may alias any object, for the word-wide part of memset. */
typedef uint64_t __attribute__((may_alias)) mem_word_t;

/* Word-wide in the middle: partitions' RAM is cleared with it before each boot. */
__no_libcall_loops void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    mem_word_t word = (unsigned char)c * UINT64_C(0x0101010101010101);

    while (n != 0 && ((uintptr_t)d & (sizeof(word) - 1)) != 0) {
        *d++ = (unsigned char)c;
        n--;
    }
    /* 256 bytes a pass, then 64: the pages and tables cleared at boot (a few hundred KiB) take
     * one loop step per 32 word stores. */
    for (; n >= 32 * sizeof(word); n -= 32 * sizeof(word), d += 32 * sizeof(word)) {
        mem_word_t *w = (mem_word_t *)(void *)d;

        w[0] = w[1] = w[2] = w[3] = w[4] = w[5] = w[6] = w[7] = word;
        w[8] = w[9] = w[10] = w[11] = w[12] = w[13] = w[14] = w[15] = word;
        w[16] = w[17] = w[18] = w[19] = w[20] = w[21] = w[22] = w[23] = word;
        w[24] = w[25] = w[26] = w[27] = w[28] = w[29] = w[30] = w[31] = word;
    }
    for (; n >= 8 * sizeof(word); n -= 8 * sizeof(word), d += 8 * sizeof(word)) {
        mem_word_t *w = (mem_word_t *)(void *)d; /* a 64-byte line a pass: less loop overhead */

        w[0] = w[1] = w[2] = w[3] = w[4] = w[5] = w[6] = w[7] = word;
    }
    for (; n >= sizeof(word); n -= sizeof(word), d += sizeof(word)) {
        *(mem_word_t *)(void *)d = word; /* aligned: fine with -mstrict-align too */
    }
    while (n-- != 0) {
        *d++ = (unsigned char)c;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n] != '\0') {
        n++;
    }
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n] != '\0') {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    unsigned char ca, cb;
    size_t i = 0;

    do {
        ca = (unsigned char)a[i];
        cb = (unsigned char)b[i++];
    } while (ca == cb && ca != '\0');
    return ca - cb;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n != 0; n--, a++, b++) {
        if (*a != *b || *a == '\0') {
            return (unsigned char)*a - (unsigned char)*b;
        }
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c) {
            return (char *)s;
        }
        if (*s == '\0') {
            return NULL;
        }
    }
}

uint64_t load_le(const void *p, unsigned int n)
{
    const uint8_t *b = p;
    uint64_t v = 0;

    while (n-- > 0) {
        v = v << 8 | b[n];
    }
    return v;
}
