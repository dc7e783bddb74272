// SPDX-License-Identifier: Apache-2.0
/*
 * Two fake virtual devices for the host tests of the partition code: "b" registered before
 * "a" in the table but ordered after it, so the tests see the walk follow the order. "a"
 * emulates a page at FAKE_VDEV_BASE (reads 0x5a), claims the console and writes /fake-vdev
 * into the guest DT and records console input; "b" has no guest-DT or input hook.
 */
#include <hv/errno.h>
#include <hv/fdt_write.h>
#include <hv/partition.h>
#include <hv/string.h>
#include <hv/vdev.h>
#include <hv/vmmio.h>

#include "fake_vdev.h"

struct fake_vdev_state fake_vdev;

void fake_vdev_clear(void)
{
    memset(&fake_vdev, 0, sizeof(fake_vdev));
}

static void note(char c)
{
    if (fake_vdev.nr_order + 1 < sizeof(fake_vdev.order)) {
        fake_vdev.order[fake_vdev.nr_order++] = c;
    }
}

static int a_read(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t *val)
{
    (void)dev;
    (void)v;
    (void)offset;
    (void)size;
    *val = 0x5a;
    return 0;
}

static int a_write(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t val)
{
    (void)dev;
    (void)v;
    (void)offset;
    (void)size;
    (void)val;
    return 0;
}

static const struct vmmio_ops a_mmio = {.read = a_read, .write = a_write};

static int a_init(struct partition *p)
{
    note('a');
    fake_vdev.inits[p->index]++;
    vdev_set_console(p, "/fake-vdev");
    return vmmio_register(p, gpa(FAKE_VDEV_BASE), 0x1000, &a_mmio, NULL, "fake-vdev");
}

static void a_reset(struct partition *p)
{
    note('A');
    fake_vdev.resets[p->index]++;
}

static void a_guest_dt(struct fdt_writer *w, const struct partition *p)
{
    fdt_write_begin_node(w, "fake-vdev");
    fdt_write_prop_u32(w, "partition-index", p->index);
    fdt_write_end_node(w);
}

static int b_init(struct partition *p)
{
    (void)p;
    note('b');
    return fake_vdev.init_err;
}

static void b_reset(struct partition *p)
{
    (void)p;
    note('B');
}

/* Console input: kept per partition; a full buffer refuses the byte. */
static int a_console_input(struct partition *p, char c)
{
    unsigned int *len = &fake_vdev.input_len[p->index];

    if (*len + 1 >= sizeof(fake_vdev.input[0])) {
        return -ENOSPC;
    }
    fake_vdev.input[p->index][(*len)++] = c;
    return 0;
}

static const struct vdev_ops a_ops = {"fake-a", a_init, a_reset, a_guest_dt, a_console_input, NULL};
static const struct vdev_ops b_ops = {"fake-b", b_init, b_reset, NULL, NULL, NULL};

VDEV(fake_vdev_b, 20, &b_ops);
VDEV(fake_vdev_a, 10, &a_ops);
