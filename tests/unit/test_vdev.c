// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual-device table (core/vdev/vdev.c): devices registered out of order run in
 * ascending order for init, reset and guest DT; an init error stops the walk and is
 * returned; a missing hook is skipped.
 */
#include <hv/errno.h>
#include <hv/vdev.h>

#include "unit.h"

static char trace[32];
static size_t trace_len;
static int fail_b;

static void note(char c)
{
    if (trace_len + 1 < sizeof(trace)) {
        trace[trace_len++] = c;
        trace[trace_len] = '\0';
    }
}

static int init_a(struct partition *p)
{
    (void)p;
    note('a');
    return 0;
}

static int init_b(struct partition *p)
{
    (void)p;
    note('b');
    return fail_b;
}

static void reset_a(struct partition *p)
{
    (void)p;
    note('A');
}

static void dt_b(struct fdt_writer *w, const struct partition *p)
{
    (void)w;
    (void)p;
    note('B');
}

static const struct vdev_ops ops_a = {.name = "a", .init = init_a, .reset = reset_a};
static const struct vdev_ops ops_b = {.name = "b", .init = init_b, .guest_dt = dt_b};

/* Registered b first, with the higher order: a must still come first. */
VDEV(vdev_b, 20, &ops_b);
VDEV(vdev_a, 10, &ops_a);

TEST(devices_run_in_order)
{
    trace_len = 0;
    fail_b = 0;
    CHECK_EQ(vdev_init_all(NULL), 0);
    vdev_reset_all(NULL);
    vdev_guest_dt_all(NULL, NULL);
    CHECK(strcmp(trace, "abAB") == 0);
}

TEST(init_error_stops_the_walk)
{
    trace_len = 0;
    fail_b = -ENOSPC;
    CHECK_EQ(vdev_init_all(NULL), -ENOSPC);
    CHECK(strcmp(trace, "ab") == 0);
}
