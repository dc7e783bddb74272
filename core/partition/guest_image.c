// SPDX-License-Identifier: Apache-2.0
/*
 * Staged guest images (include/hv/guest_image.h): reach the copy the boot loader left in the
 * staging reservation and check it against the SHA-256 the build recorded. The configuration
 * parser already checked that the range lies inside a "bulkhead,image-staging" reservation,
 * which no partition maps, so only the hypervisor can have changed it, or whatever wrote
 * memory before it started (a boot loader that placed the wrong file, a corrupted medium).
 */
#include <arch/mm.h>
#include <hv/errno.h>
#include <hv/guest_image.h>
#include <hv/sha256.h>
#include <hv/string.h>

int guest_image_get(const char *path, const struct hv_config_staged *st, struct guest_image *img,
                    bool verify)
{
    uint8_t digest[SHA256_DIGEST_SIZE];

    if (st->size == 0) {
        return -ENOENT;
    }
    img->data = arch_phys_to_virt(st->base, (size_t)st->size);
    if (img->data == NULL) {
        return -EFAULT;
    }
    img->path = path;
    img->size = (size_t)st->size;
    if (verify) {
        sha256(img->data, img->size, digest);
    }
    return verify && memcmp(digest, st->sha256, sizeof(digest)) != 0 ? -EBADMSG : 0;
}
