/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest images packed into the hypervisor image at build time. A partition's "image"
 * property is a build-time path relative to the build directory (e.g.
 * "guests/arm64/ping.bin"); the build links every image the configured DTB names into a
 * read-only table (guests/build.mk generates it, core/partition/guest_images.S includes it), and
 * the partition code looks the blob up by that same path when it loads a partition.
 */
#pragma once

#include <hv/types.h>

/* One packed image: read-only, lives as long as the hypervisor. */
struct guest_image {
    const char *path;    /* the build-time path exactly as the DTB's "image" states it */
    const uint8_t *data; /* the raw image bytes (16-byte aligned) */
    size_t size;         /* in bytes; may be 0 for an empty file */
};

/* The packed image whose build-time path (the partition's "image" property) is path, or NULL. */
const struct guest_image *guest_image_find(const char *path);
