// SPDX-License-Identifier: Apache-2.0
/*
 * Trapped-MMIO dispatch (design: include/hv/vmmio.h). The arch decodes the trap; this file
 * only checks the access against the partition's table of emulated regions and calls the
 * device's handler. An emulated region is never in the stage-2 table, which is what makes
 * every access to it trap, so a region must not overlap anything the partition maps: that
 * is checked here when the table is built, against the configuration (memory, shared-memory
 * windows, device ranges), not against the live stage-2 table, so the answer does not depend
 * on when the check runs.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/range.h>
#include <hv/string.h>
#include <hv/vmmio.h>

/* Report a refused region: "<partition node path>: emulated <name> at ...: <why>"; -EEXIST. */
static int report_clash(const struct partition *p, const char *name, uint64_t base, uint64_t size,
                        const char *why, uint64_t obase, uint64_t osize)
{
    /* The configuration requires a partition node's unit address to equal its "reg" when
     * it has one (core/config/), so this is the node's path in every layout. */
    hv_printf("/hypervisor/partition@%x: emulated %s at %#llx+%#llx overlaps %s at %#llx+%#llx\n",
              p->config->id, name, (unsigned long long)base, (unsigned long long)size, why,
              (unsigned long long)obase, (unsigned long long)osize);
    return -EEXIST;
}

/* -EEXIST (reported) when [base, base + size) overlaps a guest range p's configuration maps
 * or one of its emulated regions; 0 otherwise. */
static int check_clash(const struct partition *p, const char *name, uint64_t base, uint64_t size)
{
    const struct hv_config *cfg = p->layout;
    const struct hv_config_partition *pc = p->config;

    for (unsigned int i = 0; i < pc->mem_count; i++) {
        const struct hv_config_mem *m = &cfg->mem[pc->mem_first + i];

        if (ranges_overlap(base, size, gpa_val(m->guest), m->size)) {
            return report_clash(p, name, base, size, "memory", gpa_val(m->guest), m->size);
        }
    }
    for (unsigned int i = 0; i < pc->shm_count; i++) {
        const struct hv_config_shm *s = &cfg->shm[pc->shm_first + i];

        if (ranges_overlap(base, size, gpa_val(s->guest), s->size)) {
            return report_clash(p, name, base, size, "shared memory", gpa_val(s->guest), s->size);
        }
    }
    for (unsigned int i = 0; i < pc->dev_count; i++) {
        const struct hv_config_device *d = &cfg->devices[pc->dev_first + i];

        for (unsigned int r = 0; r < d->nr_regs; r++) {
            /* Devices are passed through 1:1: their host range is their guest range. I/O
             * port ranges are another address space. */
            if (!d->regs[r].pio && ranges_overlap(base, size, d->regs[r].base, d->regs[r].size)) {
                return report_clash(p, name, base, size, d->path, d->regs[r].base, d->regs[r].size);
            }
        }
    }
    for (unsigned int i = 0; i < p->vmmio.count; i++) {
        const struct vmmio_region *r = &p->vmmio.regions[i];

        if (ranges_overlap(base, size, gpa_val(r->base), r->size)) {
            return report_clash(p, name, base, size, r->name, gpa_val(r->base), r->size);
        }
    }
    return 0;
}

int vmmio_register(struct partition *p, gpa_t base, uint64_t size, const struct vmmio_ops *ops,
                   void *dev, const char *name)
{
    uint64_t b = gpa_val(base);
    struct vmmio_region *r;
    int err;

    if (size == 0 || b + size < b) {
        hv_printf("/hypervisor/partition@%x: emulated %s at %#llx+%#llx: empty or wraps\n",
                  p->config->id, name, (unsigned long long)b, (unsigned long long)size);
        return -EINVAL;
    }
    err = check_clash(p, name, b, size);
    if (err != 0) {
        return err;
    }
    if (p->vmmio.count == VMMIO_MAX_REGIONS) {
        hv_printf("/hypervisor/partition@%x: emulated %s: more than %d emulated regions\n",
                  p->config->id, name, VMMIO_MAX_REGIONS);
        return -ENOSPC;
    }
    r = &p->vmmio.regions[p->vmmio.count];
    r->base = base;
    r->size = size;
    r->ops = ops;
    r->dev = dev;
    r->name = name;
    /* The table is filled before the partition runs and read without a lock afterwards:
     * publish the entry before the count that makes it visible. */
    __atomic_store_n(&p->vmmio.count, p->vmmio.count + 1, __ATOMIC_RELEASE);
    return 0;
}

void vmmio_partition_init(struct partition *p)
{
    /* Entries past the count stay zero-sized, so a vCPU's hint (vmmio_dispatch()) can only
     * ever match an entry of the table. */
    memset(&p->vmmio, 0, sizeof(p->vmmio));
    for (unsigned int i = 0; i < PARTITION_MAX_VCPUS; i++) {
        p->vcpus[i].vmmio_hit = &p->vmmio.regions[0];
    }
}

/* The region of table t containing addr, or NULL. */
const struct vmmio_region *vmmio_find(const struct partition *p, gpa_t addr)
{
    unsigned int n = __atomic_load_n(&p->vmmio.count, __ATOMIC_ACQUIRE);

    for (unsigned int i = 0; i < n; i++) {
        const struct vmmio_region *r = &p->vmmio.regions[i];

        /* a - base < size: no overflow for any a (unsigned wrap makes a < base fail). */
        if (gpa_val(addr) - gpa_val(r->base) < r->size) {
            return r;
        }
    }
    return NULL;
}

const struct vmmio_region *vmmio_lookup(struct vcpu *v, const struct vmmio_region **hint,
                                        uint64_t addr)
{
    const struct vmmio_region *r = vmmio_find(v->part, gpa(addr));

    if (r != NULL) {
        *hint = r;
    }
    return r;
}
