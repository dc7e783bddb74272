// SPDX-License-Identifier: Apache-2.0
/*
 * Console input and its focus (include/hv/console_input.h): a three-byte escape recogniser
 * in front of the focused partition's input device.
 */
#include <hv/console.h>
#include <hv/console_input.h>
#include <hv/partition.h>
#include <hv/vdev.h>

static unsigned int focus = UINT32_MAX;
static unsigned int escapes; /* CONSOLE_INPUT_ESCAPE bytes held back, in a row */

/* A partition that can read: it runs (a reset in progress still counts). */
static bool focusable(const struct partition *p)
{
    int state = partition_state(p);

    return state == PARTITION_RUNNING || state == PARTITION_RESETTING;
}

static void announce(void)
{
    if (focus == UINT32_MAX) {
        hv_printf("input focus: none\n");
    } else {
        hv_printf("input focus: partition %u \"%s\"\n", partitions[focus].config->id,
                  partitions[focus].config->label);
    }
}

/* The next focusable partition after index from (wrapping round; from itself last). */
static unsigned int next_focus(unsigned int from)
{
    for (unsigned int k = 1; k <= nr_partitions; k++) {
        unsigned int i = (from == UINT32_MAX ? k - 1 : from + k) % nr_partitions;

        if (focusable(&partitions[i])) {
            return i;
        }
    }
    return UINT32_MAX;
}

void console_input_start(void)
{
    if (!vdev_has_console_input() || nr_partitions == 0) {
        return;
    }
    focus = next_focus(UINT32_MAX);
    escapes = 0;
    for (unsigned int i = 0; i < nr_partitions; i++) {
        if (partitions[i].config->input_focus && focusable(&partitions[i])) {
            focus = i; /* the configuration's choice ("input-focus") */
        }
    }
    if (focus != UINT32_MAX) {
        hv_printf("input focus: partition %u \"%s\" (Ctrl-] %u times switches)\n",
                  partitions[focus].config->id, partitions[focus].config->label,
                  CONSOLE_INPUT_ESCAPES);
    }
}

unsigned int console_input_focus(void)
{
    return __atomic_load_n(&focus, __ATOMIC_ACQUIRE);
}

bool console_input_has_focus(const struct partition *p)
{
    unsigned int f = console_input_focus();

    return f < nr_partitions && &partitions[f] == p;
}

static void deliver(char c)
{
    if (focus != UINT32_MAX && focusable(&partitions[focus])) {
        /* A full receive buffer drops the byte, as a UART's full FIFO would. */
        (void)vdev_console_input(&partitions[focus], c);
    }
}

void console_input_byte(char c)
{
    if (!vdev_has_console_input() || nr_partitions == 0) {
        return;
    }
    if ((uint8_t)c == CONSOLE_INPUT_ESCAPE) {
        if (++escapes == CONSOLE_INPUT_ESCAPES) {
            escapes = 0;
            __atomic_store_n(&focus, next_focus(focus), __ATOMIC_RELEASE);
            announce();
        }
        return;
    }
    /* Escapes that did not make a switch were meant for the guest. */
    for (; escapes > 0; escapes--) {
        deliver((char)CONSOLE_INPUT_ESCAPE);
    }
    deliver(c);
}

void console_input_poll(void)
{
    int c;

    while ((c = console_getc()) >= 0) {
        console_input_byte((char)c);
    }
}
