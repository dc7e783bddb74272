/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 (FIPS 180-4, section 6.2), freestanding: the hypervisor checks each staged guest
 * image against the digest the build recorded in the configuration DTB before it copies the
 * image into a partition (core/guest_image.c). Streaming: init, update any number of times,
 * final. No allocation, no locks; a context belongs to one caller.
 */
#pragma once

#include <hv/types.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256_ctx {
    uint32_t state[8];                /* H0..H7 (FIPS 180-4 5.3.3, then 6.2.2) */
    uint64_t length;                  /* bytes hashed so far */
    uint8_t block[SHA256_BLOCK_SIZE]; /* a partial block */
    unsigned int fill;                /* bytes in block */
};

/* Start a digest. */
void sha256_init(struct sha256_ctx *ctx);
/* Hash len more bytes of data (data may be NULL when len is 0). */
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Pad (FIPS 180-4 5.1.1), finish and write the 32-byte digest; ctx must be re-initialised. */
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);
/* One-shot digest of [data, data + len). */
void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_SIZE]);
