/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest images staged by the boot loader. A partition's "image" (and "initrd") is a
 * build-time path relative to the build directory; the build does not link it into the
 * hypervisor but lays it out in the board's "bulkhead,image-staging" reservation, where the
 * boot loader puts it (FIT loadable for U-Boot, QEMU -device loader), and records its host
 * address, size and SHA-256 in the configuration DTB (guests/stage.sh, struct
 * hv_config_staged). Before every load (boot and partition reset) the hypervisor checks the
 * staged copy against that digest and copies it into the partition's scrubbed RAM; the
 * staged copy itself is never written, so a reset restores the image as it was built.
 */
#pragma once

#include <hv/config.h>
#include <hv/types.h>

/* A verified staged image: read-only, stays valid as long as the staging area is untouched. */
struct guest_image {
    const char *path;    /* the build-time path exactly as the DTB states it */
    const uint8_t *data; /* the staged bytes (hypervisor virtual address) */
    size_t size;         /* in bytes */
};

/*
 * Describe the staged copy st of path in *img and, with verify, check it. Returns 0; -ENOENT
 * when the build did not stage it (st->size == 0); -EFAULT when the range is not reachable;
 * -EBADMSG (verify only) when its SHA-256 differs from the recorded one (corrupted or
 * replaced after the build). Takes no lock. With verify (partition_load(), under the
 * partition's lock) it hashes the whole image; without (the load plan) the header may be
 * read, never trusted beyond bounds-checked offsets.
 */
int guest_image_get(const char *path, const struct hv_config_staged *st, struct guest_image *img,
                    bool verify) __must_check;
