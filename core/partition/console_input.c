// SPDX-License-Identifier: Apache-2.0
/*
 * Console input routing (include/hv/console_input.h): the input focus is one partition
 * index, changed only by the boot CPU; a byte for a partition that is not running, or whose
 * device refuses it (full FIFO), is dropped, as a UART overrun would drop it.
 */
#include <hv/console.h>
#include <hv/console_input.h>
#include <hv/partition.h>
#include <hv/printf.h>
#include <hv/vdev.h>

/* Index of the partition with the focus, or -1 (none has a console device). */
static int focus = -1;

/* The next partition after index from (circular) with a console device, or -1. */
static int next_console(int from)
{
    for (unsigned int i = 1; i <= nr_partitions; i++) {
        unsigned int idx = (unsigned int)(from + (int)i) % nr_partitions;

        if (vdev_console(&partitions[idx]) != NULL) {
            return (int)idx;
        }
    }
    return -1;
}

static void announce(void)
{
    const struct partition *p = &partitions[focus];

    hv_printf("console: input goes to partition %u \"%s\" (Ctrl-] switches)\n", p->config->id,
              p->config->label);
}

void console_input_start(void)
{
    int first = nr_partitions == 0 ? -1 : next_console((int)nr_partitions - 1);

    __atomic_store_n(&focus, first, __ATOMIC_RELEASE);
    if (first >= 0) {
        announce();
    }
}

void console_input_byte(char c)
{
    int f = __atomic_load_n(&focus, __ATOMIC_ACQUIRE);

    if (f < 0) {
        return;
    }
    if (c == CONSOLE_FOCUS_KEY) {
        __atomic_store_n(&focus, next_console(f), __ATOMIC_RELEASE);
        announce();
        return;
    }
    if (partition_state(&partitions[f]) == PARTITION_RUNNING) {
        (void)vdev_console_input(&partitions[f], c);
    }
}

void console_input_poll(void)
{
    int c;

    while ((c = console_getc()) >= 0) {
        console_input_byte((char)c);
    }
}

bool console_input_has_focus(const struct partition *p)
{
    int f = __atomic_load_n(&focus, __ATOMIC_ACQUIRE);

    return f >= 0 && (unsigned int)f < nr_partitions && &partitions[f] == p;
}
