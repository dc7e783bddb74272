// SPDX-License-Identifier: Apache-2.0
/*
 * Partition configuration, the image files: host-only (the host tool bulkhead-check and the
 * host tests link it), since only the build has the files; the hypervisor's parse at boot
 * has no image_size and keeps check.c's default, which checks nothing. Error policy:
 * parser.h.
 */
#include <hv/errno.h>

#include "parser.h"

/* The build-time size of path, reported at node/prop when it cannot be had. */
static bool file_size(struct parser *p, int node, const char *prop, const char *path,
                      uint64_t *size)
{
    int err = p->env->image_size(p->env->ctx, path, size);

    if (err != 0) {
        cfg_error(p, node, prop, "\"%.64s\": %s", path,
                  err == -ENOENT ? "no such file" : errno_name(err));
        return false;
    }
    return true;
}

/* "image" and "initrd": exist at build time and fit together in the first memory range. */
void config_check_images(struct parser *p)
{
    const struct hv_config *cfg = p->cfg;

    if (p->env->image_size == NULL) {
        return;
    }
    for (unsigned int idx = 0; idx < cfg->nr_partitions; idx++) {
        const struct hv_config_partition *part = &cfg->partitions[idx];
        int node = p->part_node[idx];
        uint64_t size = 0, initrd = 0;

        if (part->initrd != NULL && part->image == NULL) {
            cfg_error(p, node, "initrd", "needs an \"image\" to boot");
        }
        if (part->image == NULL || !file_size(p, node, "image", part->image, &size)) {
            continue;
        }
        if (part->initrd != NULL && !file_size(p, node, "initrd", part->initrd, &initrd)) {
            continue;
        }
        if (part->mem_count != 0 && (size > cfg->mem[part->mem_first].size ||
                                     initrd > cfg->mem[part->mem_first].size - size)) {
            cfg_error(
                p, node, "image",
                "\"%.64s\" (%llu bytes%s) does not fit in the first memory range (%llu bytes)",
                part->image, (ull)size, initrd != 0 ? ", with its initrd" : "",
                (ull)cfg->mem[part->mem_first].size);
        }
    }
}
