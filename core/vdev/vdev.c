// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual-device table (include/hv/vdev.h): every device in ascending order. The table
 * may be empty (host tests link no arch device), so its bounds are weak: an empty section
 * leaves both NULL.
 */
#include <hv/vdev.h>

extern const struct vdev_entry __start_hv_vdevs[] __attribute__((weak));
extern const struct vdev_entry __stop_hv_vdevs[] __attribute__((weak));

/* The entry with the smallest order above after (or at or above it when first), or NULL;
 * equal orders run in table order. */
static const struct vdev_entry *next_entry(const struct vdev_entry *prev)
{
    const struct vdev_entry *best = NULL;

    for (const struct vdev_entry *e = __start_hv_vdevs; e < __stop_hv_vdevs; e++) {
        bool after =
            prev == NULL || e->order > prev->order || (e->order == prev->order && e > prev);

        if (after && (best == NULL || e->order < best->order)) {
            best = e;
        }
    }
    return best;
}

int vdev_init_all(struct partition *p)
{
    for (const struct vdev_entry *e = next_entry(NULL); e != NULL; e = next_entry(e)) {
        if (e->ops->init != NULL) {
            int err = e->ops->init(p);

            if (err != 0) {
                return err;
            }
        }
    }
    return 0;
}

void vdev_reset_all(struct partition *p)
{
    for (const struct vdev_entry *e = next_entry(NULL); e != NULL; e = next_entry(e)) {
        if (e->ops->reset != NULL) {
            e->ops->reset(p);
        }
    }
}

void vdev_guest_dt_all(struct fdt_writer *w, const struct partition *p)
{
    for (const struct vdev_entry *e = next_entry(NULL); e != NULL; e = next_entry(e)) {
        if (e->ops->guest_dt != NULL) {
            e->ops->guest_dt(w, p);
        }
    }
}
