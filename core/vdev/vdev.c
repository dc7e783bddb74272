// SPDX-License-Identifier: Apache-2.0
/*
 * The per-partition virtual-device table (include/hv/vdev.h): walk the VDEV() entries in
 * ascending order for setup, reset and the guest DT. The table is a handful of entries, so
 * each walk picks the next entry by scanning rather than sorting the section (which is in
 * read-only memory).
 */
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/vdev.h>
#include <hv/vmmio.h>

/* The console node path each partition's console device claimed (vdev_set_console()). */
static const char *console_path[HV_MAX_PARTITIONS];

/* The entry after prev in (order, table position), or NULL; prev NULL gives the first. */
static const struct vdev_entry *vdev_next(const struct vdev_entry *prev)
{
    const struct vdev_entry *best = NULL;

    hv_table_foreach (struct vdev_entry, hv_vdevs, d) {
        bool after =
            prev == NULL || d->order > prev->order || (d->order == prev->order && d > prev);

        if (after && (best == NULL || d->order < best->order)) {
            best = d;
        }
    }
    return best;
}

#define vdev_foreach(d)                                                                            \
    for (const struct vdev_entry *d = vdev_next(NULL); d != NULL; d = vdev_next(d))

int vdev_partition_init(struct partition *p)
{
    vmmio_partition_init(p);
    console_path[p->index] = NULL;
    vdev_foreach(d)
    {
        int err = d->ops->init(p);

        if (err != 0) {
            return err;
        }
    }
    return 0;
}

void vdev_partition_reset(struct partition *p)
{
    vdev_foreach(d)
    {
        if (d->ops->reset != NULL) {
            d->ops->reset(p);
        }
    }
}

void vdev_guest_dt(struct fdt_writer *w, const struct partition *p)
{
    vdev_foreach(d)
    {
        if (d->ops->guest_dt != NULL) {
            d->ops->guest_dt(w, p);
        }
    }
}

void vdev_chosen(struct fdt_writer *w, const struct partition *p)
{
    vdev_foreach(d)
    {
        if (d->ops->chosen != NULL) {
            d->ops->chosen(w, p);
        }
    }
}

bool vdev_has_console_input(void)
{
    vdev_foreach(d)
    {
        if (d->ops->console_input != NULL) {
            return true;
        }
    }
    return false;
}

int vdev_console_input(struct partition *p, char c)
{
    vdev_foreach(d)
    {
        if (d->ops->console_input != NULL) {
            return d->ops->console_input(p, c);
        }
    }
    return -ENODEV;
}

void vdev_set_console(const struct partition *p, const char *path)
{
    console_path[p->index] = path;
}

const char *vdev_console(const struct partition *p)
{
    return console_path[p->index];
}
