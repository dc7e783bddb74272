// SPDX-License-Identifier: Apache-2.0
/*
 * Console input and its focus (include/hv/console_input.h): a three-byte escape recogniser
 * in front of the focused partition's input device.
 */
#include <arch/irq.h>
#include <arch/smp.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/console_input.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/vdev.h>

static unsigned int focus = UINT32_MAX;
static unsigned int escapes; /* CONSOLE_INPUT_ESCAPE bytes held back, in a row */
/* The console's receive interrupt, when the hypervisor took it (input_irq_on). */
static uint32_t input_irq;
static bool input_irq_on;
/* The configuration's "interrupt-cpu" as a logical CPU, UINT32_MAX when it names none. */
static unsigned int named_cpu = UINT32_MAX;

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

unsigned int console_input_cpu(void)
{
    unsigned int f = console_input_focus();

    /* The configuration's choice first ("interrupt-cpu"): it may keep a CPU for this. */
    if (named_cpu != UINT32_MAX) {
        return named_cpu;
    }
    /* Else the focused partition's own CPU: its input costs no other partition's CPU. */
    if (f < nr_partitions && partitions[f].nr_vcpus > 0 &&
        partitions[f].vcpus[0].cpu != UINT32_MAX) {
        return partitions[f].vcpus[0].cpu;
    }
    return arch_cpu_id();
}

/* The console's receive interrupt, on the CPU console_input_cpu() names. */
static void input_irq_handler(uint32_t irq, void *arg __unused)
{
    static bool misrouted;
    unsigned int want = console_input_cpu();

    /* Taken elsewhere than routed: a partition's CPU may be doing another's work (reported
     * once; the system test fails on it). A re-route racing with a keystroke is harmless. */
    if (arch_cpu_id() != want && !misrouted) {
        misrouted = true;
        hv_printf("console input: interrupt %u taken on cpu%u, routed to cpu%u\n", irq,
                  arch_cpu_id(), want);
    }
    console_input_poll();
}

/* Take the console's receive interrupt when the UART and its DT have one (false: poll). */
static bool input_irq_start(void)
{
    uint32_t cells[CONSOLE_IRQ_CELLS_MAX];
    unsigned int n = console_rx_irq_spec(cells);
    int err;

    if (n == 0 || n != arch_irq_dt_cells() || arch_irq_from_dt(cells, n, &input_irq) != 0) {
        return false;
    }
    /* Level-sensitive: the UART holds it while bytes wait, the handler empties the FIFO. */
    err = arch_irq_claim(input_irq, false, console_input_cpu(), input_irq_handler, NULL);
    if (err != 0) {
        hv_printf("console input: interrupt %u not usable (%s): polled\n", input_irq,
                  errno_name(err));
        return false;
    }
    input_irq_on = true;
    console_rx_irq_enable(true);
    hv_printf("console input: interrupt %u on cpu%u\n", input_irq, console_input_cpu());
    return true;
}

/* After a focus switch: the interrupt follows the focus to its partition's CPU. */
static void input_irq_follow(void)
{
    if (input_irq_on && arch_irq_claim_cpu(input_irq, console_input_cpu()) == 0) {
        hv_printf("console input: interrupt %u on cpu%u\n", input_irq, console_input_cpu());
    }
}

bool console_input_start(const struct hv_config *cfg)
{
    named_cpu = cfg != NULL && cfg->has_interrupt_cpu ? partition_cpu_of_hwid(cfg->interrupt_cpu)
                                                      : UINT32_MAX;
    if (!vdev_has_console_input() || nr_partitions == 0) {
        return false;
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
    input_irq_on = false; /* once at boot; again in the host tests, on a fresh controller */
    return input_irq_start();
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
            input_irq_follow();
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
