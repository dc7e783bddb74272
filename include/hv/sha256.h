/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 (FIPS 180-4, section 6.2), freestanding: the hypervisor checks each staged guest
 * image against the digest the build recorded in the configuration DTB before it copies the
 * image into a partition (core/partition/guest_image.c). One shot: the image is whole in
 * memory. No allocation, no locks.
 */
#pragma once

#include <hv/types.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

/* The digest of [data, data + len). */
void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_SIZE]);
