// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz the configuration parser (core/config/) and the table printer on arbitrary blobs: no
 * crash, no sanitizer report, every message well formed, and whatever is accepted satisfies
 * the invariants the mapping code will rely on (ranges inside their owners, limits kept).
 * The last input byte, when the blob leaves room, picks the size the image callback reports.
 *
 * The blob is parsed as hv_main() parses the embedded one: after fdt_init_index() with the
 * same capacity (core/boot/boot.c), so that parents and phandles come from the index and a
 * tree of more nodes than that falls back to walking, exactly as at boot. Without the index
 * every fdt_parent() and phandle lookup walked from the root, and they took most of the time
 * (the target did about 1,200 inputs per second).
 */
#include <stdlib.h>
#include <string.h>

#include <hv/config.h>
#include <hv/errno.h>
#include <hv/fdt.h>

/* core/boot/boot.c's config_index[]. */
#define BOOT_INDEX_ENTRIES 512

static struct hv_config cfg;
static struct fdt_index_entry fdt_index[BOOT_INDEX_ENTRIES];
static uint64_t image_bytes;

static void check(bool ok)
{
    if (!ok) {
        abort();
    }
}

/* Every report names an absolute node path, a property and a reason. */
static void report(void *ctx, const char *path, const char *prop, const char *reason)
{
    (void)ctx;
    check(path != NULL && path[0] == '/');
    check(prop != NULL && prop[0] != '\0');
    check(reason != NULL && reason[0] != '\0');
}

static int image_size(void *ctx, const char *path, uint64_t *size)
{
    (void)ctx;
    check(path != NULL && path[0] != '\0');
    *size = image_bytes;
    return image_bytes == 0 ? -ENOENT : 0;
}

static void sink(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    (void)s;
    (void)len;
}

/* What a successful parse guarantees. */
static void check_valid(void)
{
    check(cfg.nr_partitions >= 1 && cfg.nr_partitions <= HV_MAX_PARTITIONS);
    for (unsigned int i = 0; i < cfg.nr_partitions; i++) {
        const struct hv_config_partition *p = &cfg.partitions[i];

        check(p->id >= 1 && p->id <= HV_MAX_PARTITIONS);
        check(p->cpu_count >= 1 && p->mem_count >= 1);
        check(p->cpu_first + p->cpu_count <= cfg.nr_cpus);
        check(p->mem_first + p->mem_count <= cfg.nr_mem);
        check(p->shm_first + p->shm_count <= cfg.nr_shm);
        check(p->dev_first + p->dev_count <= cfg.nr_devices);
    }
    for (unsigned int i = 0; i < cfg.nr_mem; i++) {
        check(cfg.mem[i].size != 0 && (cfg.mem[i].size & (PAGE_SIZE - 1)) == 0);
    }
    for (unsigned int i = 0; i < cfg.nr_shm; i++) {
        const struct hv_config_shm *s = &cfg.shm[i];
        const struct hv_config_shm *o = &cfg.shm[s->owner];

        /* Every entry points at its region's head: the owner or, for a Xen region no
         * partition owns, its first entry (the hypervisor's). */
        check(s->owner < cfg.nr_shm && shm_is_region_head(o, s->owner));
        check(o->hv_owned == s->hv_owned && o->xen == s->xen);
        check(s->access <= o->access && s->cache_policy == o->cache_policy);
        /* The borrower's window lies inside the owner's region. */
        check(hpa_val(s->host) >= hpa_val(o->host));
        check(hpa_val(s->host) - hpa_val(o->host) == s->offset);
        check(s->offset < o->size && s->size <= o->size - s->offset);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct hv_config_env env = {report, image_size, NULL};
    struct fdt fdt;
    uint8_t *copy;

    if (size == 0) {
        return 0;
    }
    image_bytes = (uint64_t)data[size - 1] << 12;
    /* An exact-size heap copy, so that ASan catches any read past the blob. */
    copy = malloc(size);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size);
    if (fdt_init(&fdt, copy, size) == 0) {
        int err = fdt_init_index(&fdt, copy, size, fdt_index, BOOT_INDEX_ENTRIES);

        /* fdt_init() accepted the tree: the only failure is a tree too large for it. */
        check(err == 0 || err == -ENOSPC);
        err = hv_config_parse(&fdt, &env, &cfg);

        check(err == 0 || err == -EINVAL);
        if (err == 0) {
            check_valid();
            hv_config_print(&cfg, sink, NULL);
        }
    }
    free(copy);
    return 0;
}
