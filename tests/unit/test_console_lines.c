// SPDX-License-Identifier: Apache-2.0
/*
 * Guest console lines (core/partition/hypercall.c vcpu_console_put(), the path of the console
 * hypercall and both virtual UARTs) through the real core/console.c: a partition's line is
 * never split by another writer's output, also when that writer takes the console lock on
 * another CPU while the partition's line is being continued; a line broken for length is
 * marked as continued. Two host threads play two CPUs; the spinlock's waiting loop
 * (arch_cpu_relax(), the fake arch's relax hook) says when one waits for the other.
 */
#include <hv/console.h>
#include <hv/console_input.h>
#include <hv/doorbell.h>
#include <hv/partition.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../fdt/dtc.h"
#include "fake.h"
#include "unit.h"

/* What the UART sent, newlines as they came (no CR: the fake UART adds none). */
static char sent[512];
static size_t nsent;
static pthread_mutex_t sent_mutex = PTHREAD_MUTEX_INITIALIZER;

/* The peer thread stops in the UART's write, holding the console lock, until released. */
static pthread_t peer_thread;
static volatile bool peer_in_write, release_peer, hold_peer;
/* The vCPU thread waited for the console lock (set by its spinning loop). */
static volatile bool vcpu_waited;

static void wait_for(volatile bool *flag)
{
    struct timespec start, now;

    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 10) {
            fprintf(stderr, "test_console_lines: stuck waiting\n");
            abort();
        }
    }
}

static int fake_uart_init(struct serial_port *port)
{
    (void)port;
    return 0;
}

static void fake_uart_write(struct serial_port *port, const char *s, size_t len)
{
    (void)port;
    if (hold_peer && pthread_equal(pthread_self(), peer_thread)) {
        __atomic_store_n(&peer_in_write, true, __ATOMIC_RELEASE);
        wait_for(&release_peer);
    }
    pthread_mutex_lock(&sent_mutex);
    for (size_t i = 0; i < len && nsent < sizeof(sent) - 1; i++) {
        sent[nsent++] = s[i];
    }
    sent[nsent] = '\0';
    pthread_mutex_unlock(&sent_mutex);
}

SERIAL_DRIVER(fake_uart) = {
    .compatible = "test,uart",
    .init = fake_uart_init,
    .write = fake_uart_write,
};

/* hypercall.c's other calls, not reached by these tests. */
bool console_input_has_focus(const struct partition *p)
{
    return p->config->id == 1; /* "linux" shows its partial lines, "peer" does not */
}

int partition_read_guest(struct partition *p, gpa_t addr, void *buf, size_t len)
{
    (void)p, (void)addr, (void)buf, (void)len;
    return -1;
}

int doorbell_find(const struct partition *p, const char *id, size_t len)
{
    (void)p, (void)id, (void)len;
    return -1;
}

unsigned int doorbell_ring_to(struct partition *from, unsigned int shm, unsigned int target)
{
    (void)from, (void)shm, (void)target;
    return 0;
}

static struct hv_config_partition cfg_linux = {.id = 1, .label = "linux"};
static struct hv_config_partition cfg_peer = {.id = 2, .label = "peer"};
static struct partition linux_part = {.config = &cfg_linux};
static struct partition peer_part = {.config = &cfg_peer};
static struct vcpu linux_vcpu = {.part = &linux_part};
static struct vcpu peer_vcpu = {.part = &peer_part};

static uint8_t *blob;

static bool console_up(void)
{
    static const char board[] =
        "/dts-v1/;\n"
        "/ {\n"
        "  #address-cells = <1>; #size-cells = <1>;\n"
        "  chosen { stdout-path = \"/uart@1000\"; };\n"
        "  uart@1000 { compatible = \"test,uart\"; reg = <0x1000 0x100>; };\n"
        "};\n";
    struct fdt f;
    size_t size;

    free(blob);
    blob = dtc_compile_text(board, &size);
    if (blob == NULL || fdt_init(&f, blob, size) != 0) {
        return false;
    }
    nsent = 0;
    sent[0] = '\0';
    linux_vcpu.line = peer_vcpu.line = (struct console_line){0};
    return console_init(&f) == 0;
}

static void put(struct vcpu *v, const char *s)
{
    vcpu_console_put(v, s, strlen(s));
}

static void *peer_prints(void *arg)
{
    (void)arg;
    hv_printf("partition 2 \"peer\": stopped\n");
    return NULL;
}

static void vcpu_waits(void)
{
    __atomic_store_n(&vcpu_waited, true, __ATOMIC_RELEASE);
    /* The peer may go on: it holds the lock the vCPU now waits for. */
    __atomic_store_n(&release_peer, true, __ATOMIC_RELEASE);
}

/*
 * The focused partition's line is half shown ("linux: l") when another CPU takes the console
 * lock to print a line of its own; while that CPU is still in the UART, the partition writes
 * the next character and waits for the lock. The other line ends the partial one, so the
 * partition's line must come out again whole, label first: a continuation without its label
 * ("i" alone on a line) is the split the x86_linux test saw under load.
 */
TEST(line_resumed_after_a_racing_writer_keeps_its_label)
{
    REQUIRE(console_up());
    put(&linux_vcpu, "l");
    CHECK_STR(sent, "linux: l");

    peer_in_write = release_peer = vcpu_waited = false;
    hold_peer = true;
    REQUIRE(pthread_create(&peer_thread, NULL, peer_prints, NULL) == 0);
    wait_for(&peer_in_write); /* the peer holds the console lock, in the UART */
    fake_relax_hook = vcpu_waits;
    put(&linux_vcpu, "i"); /* waits for the lock, then prints */
    fake_relax_hook = NULL;
    pthread_join(peer_thread, NULL);
    hold_peer = false;
    CHECK(vcpu_waited);
    put(&linux_vcpu, "nux-test: PASS\n");
    CHECK_STR(sent, "linux: l\npartition 2 \"peer\": stopped\nlinux: linux-test: PASS\n");
    free(blob);
    blob = NULL;
}

/* Unfocused partitions print whole lines; lines of two partitions never share a line. */
TEST(lines_of_two_partitions_do_not_interleave)
{
    REQUIRE(console_up());
    put(&peer_vcpu, "peer: gue");
    put(&linux_vcpu, "linux-te");
    put(&peer_vcpu, "st: PASS\n");
    put(&linux_vcpu, "st: PASS\n");
    CHECK_STR(sent, "linux: linux-te\npeer: peer: guest: PASS\nlinux: linux-test: PASS\n");
    free(blob);
    blob = NULL;
}

/* A line longer than the vCPU's buffer is broken there; the rest is marked "<label>+ ". A
 * line that just fills the buffer is one line. */
TEST(long_line_is_marked_as_continued)
{
    char want[3 * VCPU_CONSOLE_LINE + 64];
    char line[VCPU_CONSOLE_LINE + 8];
    int n;

    REQUIRE(console_up());
    memset(line, 'x', VCPU_CONSOLE_LINE);
    memcpy(line + VCPU_CONSOLE_LINE, "yz\n", 4);
    put(&peer_vcpu, line);
    put(&peer_vcpu, "next\n");
    memcpy(line + VCPU_CONSOLE_LINE, "\n", 2);
    put(&peer_vcpu, line);
    n = snprintf(want, sizeof(want), "peer: %.*s\npeer+ yz\npeer: next\npeer: %s",
                 (int)VCPU_CONSOLE_LINE, line, line);
    REQUIRE(n > 0 && (size_t)n < sizeof(want));
    CHECK_STR(sent, want);
    free(blob);
    blob = NULL;
}
