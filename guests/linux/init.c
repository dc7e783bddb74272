// SPDX-License-Identifier: Apache-2.0
/*
 * /init of the Linux partition's initramfs (guests/linux/build.mk): Linux user space, built
 * static against glibc with the arm64 cross compiler. It mounts /proc, /sys and /dev, then:
 *
 *   - with "bulkhead.test" on the kernel command line (tests/system/arm64_linux.sh): checks
 *     that both CPUs are online, that the architected timer's interrupt count rises on each,
 *     that the bare-metal peer answers LP_MESSAGES checksummed messages over the shared
 *     region "linux-peer" (guests/linux_peer.h, mapped through /dev/mem; each request rung
 *     through the region's doorbell register page, also mapped through /dev/mem, the reply
 *     polled for) while its heartbeat keeps counting; then the same region as the
 *     ivshmem-style PCI function on the partition's virtual PCI host (docs/pci.md): loads
 *     uio and uio_pci_generic from the initramfs, binds the function by new_id, maps BAR 0
 *     (registers) and BAR 2 (the region) through sysfs resource0/resource2 and exchanges
 *     LP_PCI_MESSAGES more messages, each rung through BAR 0's doorbell register naming the
 *     peer, each reply received as an interrupt by read() on /dev/uioN (one per message);
 *     then the passed-through virtio-blk disk (check_blk()): Linux's virtio_pci and
 *     virtio_blk modules from the initramfs, the disk the test wrote read and its checksum
 *     checked, a reply block written back and flushed, its interrupt an INTx line;
 *     prints "linux-test: PASS" or "linux-test: FAIL: <why>", tells the peer to stop and
 *     powers the partition off;
 *   - otherwise (`make run`): installs busybox's applets and runs an interactive shell on
 *     the console; a background child keeps exchanging a message with the peer every few
 *     seconds, so both partitions show progress.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../include/hv/hypercall_abi.h"
#include "../linux_peer.h"

#define LP_MESSAGES 64u
/* Messages over the PCI function, after the LP_MESSAGES over /dev/mem. */
#define LP_PCI_MESSAGES 16u
/* How long to wait for a doorbell interrupt on /dev/uioN. */
#define IRQ_WAIT_MS 10000
#define CPUS_EXPECTED "0-1"
#define TIMER_NAME "arch_timer"
/* How long to wait for the peer's magic and for each reply (generous: TCG is slow). */
#define PEER_WAIT_S 60
#define REPLY_WAIT_S 10

static char why[256];
/* The region's doorbell register page (BH_DB_*), mapped by map_region(). */
static volatile uint32_t *bell;

static bool fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record the first failure's reason; always false, for "return fail(...)". */
static bool fail(const char *fmt, ...)
{
    va_list ap;

    if (why[0] == '\0') {
        va_start(ap, fmt);
        vsnprintf(why, sizeof(why), fmt, ap);
        va_end(ap);
    }
    return false;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* The whole (small) file at path into buf, NUL-terminated; its length or -1. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t n = 0;
    ssize_t r = 0;

    if (fd < 0) {
        return -1;
    }
    while (n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0) {
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    return r < 0 ? -1 : (ssize_t)n;
}

static bool check_cpus(void)
{
    char buf[64];

    if (read_file("/sys/devices/system/cpu/online", buf, sizeof(buf)) < 0) {
        return fail("cannot read /sys/devices/system/cpu/online: %s", strerror(errno));
    }
    buf[strcspn(buf, "\n")] = '\0';
    printf("linux-test: CPUs online: %s\n", buf);
    if (strcmp(buf, CPUS_EXPECTED) != 0) {
        return fail("CPUs online are \"%s\", expected \"" CPUS_EXPECTED "\"", buf);
    }
    return true;
}

/* The per-CPU counts of the TIMER_NAME line of /proc/interrupts into count[0..1]. */
static bool timer_counts(unsigned long long count[2])
{
    static char buf[16384];
    char *line, *save = NULL;

    if (read_file("/proc/interrupts", buf, sizeof(buf)) < 0) {
        return fail("cannot read /proc/interrupts: %s", strerror(errno));
    }
    for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *p = strchr(line, ':');

        if (p == NULL || strstr(line, TIMER_NAME) == NULL) {
            continue;
        }
        for (int i = 0; i < 2; i++) {
            char *end;

            count[i] = strtoull(p + 1, &end, 10);
            if (end == p + 1) {
                return fail("/proc/interrupts: no count for CPU %d in \"%s\"", i, line);
            }
            p = end - 1;
        }
        return true;
    }
    return fail("/proc/interrupts has no " TIMER_NAME " line");
}

static bool check_timer(void)
{
    unsigned long long a[2], b[2];

    if (!timer_counts(a)) {
        return false;
    }
    sleep_ms(1000);
    if (!timer_counts(b)) {
        return false;
    }
    printf("linux-test: " TIMER_NAME " interrupts: CPU0 %llu -> %llu, CPU1 %llu -> %llu\n", a[0],
           b[0], a[1], b[1]);
    for (int i = 0; i < 2; i++) {
        if (b[i] <= a[i]) {
            return fail(TIMER_NAME " count of CPU%d did not rise (%llu -> %llu)", i, a[i], b[i]);
        }
    }
    return true;
}

/* A big-endian 64-bit value from a DT property. */
static uint64_t be64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

/* A big-endian 64-bit property of /reserved-memory node name into *v. */
static bool read_prop64(const char *dir, const char *name, const char *prop, uint64_t *v)
{
    char path[512];
    unsigned char buf[8];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "%s/%s/%s", dir, name, prop);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fail("%s: %s", path, strerror(errno));
    }
    n = read(fd, buf, sizeof(buf));
    close(fd);
    if (n != (ssize_t)sizeof(buf)) {
        return fail("%s: not one 64-bit value", path);
    }
    *v = be64(buf);
    return true;
}

/* The guest range and doorbell register page of the /reserved-memory node whose "id" is
 * LP_SHM_ID. */
static bool find_region(uint64_t *base, uint64_t *size, uint64_t *doorbell)
{
    static const char dir[] = "/proc/device-tree/reserved-memory";
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL) {
        return fail("%s: %s", dir, strerror(errno));
    }
    while ((e = readdir(d)) != NULL) {
        char path[512], id[64];
        unsigned char reg[16];
        bool ok;
        int fd;

        snprintf(path, sizeof(path), "%s/%s/id", dir, e->d_name);
        if (read_file(path, id, sizeof(id)) < 0 || strcmp(id, LP_SHM_ID) != 0) {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s/reg", dir, e->d_name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || read(fd, reg, sizeof(reg)) != (ssize_t)sizeof(reg)) {
            closedir(d);
            return fail("%s: cannot read a 64-bit <address size>", path);
        }
        close(fd);
        *base = be64(reg);
        *size = be64(reg + 8);
        ok = read_prop64(dir, e->d_name, "bulkhead,doorbell", doorbell);
        closedir(d);
        return ok;
    }
    closedir(d);
    return fail("no /reserved-memory node with id \"" LP_SHM_ID "\"");
}

/* Map the peer's region and its doorbell page (into bell) through /dev/mem: Device memory
 * (O_SYNC; no-map memory and unclaimed MMIO alike), aligned 32-bit accesses only. The page
 * must read the doorbell magic and one peer. verbose: say where they are (the test's log). */
static volatile uint32_t *map_region(bool verbose)
{
    uint64_t base, size, doorbell;
    void *va, *db;
    int fd;

    if (!find_region(&base, &size, &doorbell)) {
        return NULL;
    }
    if (size < LP_REGION_WORDS * 4) {
        fail("region \"" LP_SHM_ID "\" is %llu bytes, need %u", (unsigned long long)size,
             LP_REGION_WORDS * 4);
        return NULL;
    }
    fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
    if (fd < 0) {
        fail("/dev/mem: %s", strerror(errno));
        return NULL;
    }
    va = mmap(NULL, LP_REGION_WORDS * 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
    db = mmap(NULL, BH_DB_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)doorbell);
    close(fd);
    if (va == MAP_FAILED || db == MAP_FAILED) {
        fail("mmap of /dev/mem at 0x%llx or 0x%llx: %s", (unsigned long long)base,
             (unsigned long long)doorbell, strerror(errno));
        return NULL;
    }
    bell = db;
    if (bell[BH_DB_MAGIC / 4] != BH_DB_MAGIC_VALUE || bell[BH_DB_PEERS / 4] != 1) {
        fail("doorbell page at 0x%llx: magic 0x%08x, %u peers", (unsigned long long)doorbell,
             bell[BH_DB_MAGIC / 4], bell[BH_DB_PEERS / 4]);
        return NULL;
    }
    if (verbose) {
        printf("linux-test: region \"" LP_SHM_ID "\" at guest 0x%llx, %llu bytes, doorbell page "
               "0x%llx (interrupt %u)\n",
               (unsigned long long)base, (unsigned long long)size, (unsigned long long)doorbell,
               bell[BH_DB_IRQ / 4]);
    }
    return va;
}

static void barrier(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Wait until r[word] == want, up to secs seconds. */
static bool wait_word(volatile uint32_t *r, unsigned int word, uint32_t want, int secs)
{
    double end = now() + secs;

    while (r[word] != want) {
        if (now() > end) {
            return false;
        }
        sleep_ms(1);
    }
    barrier();
    return true;
}

/* Write request seq (1 + seq % LP_WORDS payload words and their checksum), then publish it
 * by its sequence number. Returns its length. */
static uint32_t post_request(volatile uint32_t *r, uint32_t seq)
{
    volatile uint32_t *req = r + LP_REQ;
    uint32_t len = 1 + seq % LP_WORDS;

    for (uint32_t i = 0; i < len; i++) {
        req[LP_PAYLOAD + i] = lp_request_word(seq, i);
    }
    req[LP_LEN] = len;
    req[LP_CSUM] = lp_checksum(seq, len, req + LP_PAYLOAD);
    barrier();
    req[LP_SEQ] = seq;
    return len;
}

/* Whether the len payload words of the reply to seq are the peer's answer to the request's. */
static bool reply_words_ok(volatile uint32_t *rep, uint32_t seq, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (rep[LP_PAYLOAD + i] != lp_reply_word(lp_request_word(seq, i), i)) {
            return fail("message %u: reply word %u is 0x%08x", seq, i, rep[LP_PAYLOAD + i]);
        }
    }
    return true;
}

/* Send message seq and check the peer's reply. */
static bool exchange(volatile uint32_t *r, uint32_t seq)
{
    volatile uint32_t *rep = r + LP_REPLY;
    uint32_t len = post_request(r, seq);

    /* Ring the peer: it answers only on its doorbell interrupt. The barrier orders the
     * request before the ring (both are Device memory here, but the page is a trap). */
    barrier();
    bell[BH_DB_RING / 4] = 1;
    if (!wait_word(r, LP_REPLY + LP_SEQ, seq, REPLY_WAIT_S)) {
        return fail("message %u: no reply in %d s", seq, REPLY_WAIT_S);
    }
    if (rep[LP_LEN] != len || lp_checksum(seq, len, rep + LP_PAYLOAD) != rep[LP_CSUM]) {
        return fail("message %u: reply length or checksum wrong", seq);
    }
    return reply_words_ok(rep, seq, len);
}

/* The exchange of the test: LP_MESSAGES messages, the peer's heartbeat rising. */
static bool check_peer(volatile uint32_t *r, uint32_t *sent)
{
    uint32_t beat;

    if (!wait_word(r, LP_PEER_MAGIC, LP_MAGIC, PEER_WAIT_S)) {
        return fail("the peer never announced itself in \"" LP_SHM_ID "\"");
    }
    beat = r[LP_HEARTBEAT];
    for (uint32_t seq = 1; seq <= LP_MESSAGES; seq++) {
        if (!exchange(r, seq)) {
            return false;
        }
        *sent = seq;
    }
    printf("linux-test: %u messages exchanged with the peer, checksums good\n", *sent);
    if (r[LP_HEARTBEAT] == beat) {
        return fail("the peer's heartbeat stood still at %u", beat);
    }
    printf("linux-test: peer heartbeat %u -> %u\n", beat, r[LP_HEARTBEAT]);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* The region as a PCI function, with Debian's uio_pci_generic                                */

/* Load a kernel module from the initramfs (finit_module(2); already loaded is fine). */
static bool load_module(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    long r;

    if (fd < 0) {
        return fail("%s: %s", path, strerror(errno));
    }
    r = syscall(SYS_finit_module, fd, "", 0);
    close(fd);
    if (r != 0 && errno != EEXIST) {
        return fail("loading %s: %s", path, strerror(errno));
    }
    return true;
}

static bool write_file(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0) {
        return fail("%s: %s", path, strerror(errno));
    }
    n = write(fd, s, strlen(s));
    close(fd);
    return n == (ssize_t)strlen(s) ? true : fail("writing %s: %s", path, strerror(errno));
}

/* The sysfs directory of the function BH_IVSHMEM_VENDOR:BH_IVSHMEM_DEVICE, into dir. */
static bool find_function(char *dir, size_t size)
{
    DIR *d = opendir("/sys/bus/pci/devices");
    struct dirent *e;
    char path[320], v[16], dv[16];
    bool found = false;

    if (d == NULL) {
        return fail("/sys/bus/pci/devices: %s (no PCI host?)", strerror(errno));
    }
    while (!found && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", e->d_name);
        if (read_file(path, v, sizeof(v)) < 0) {
            continue;
        }
        snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", e->d_name);
        if (read_file(path, dv, sizeof(dv)) < 0) {
            continue;
        }
        if (strtoul(v, NULL, 16) == BH_IVSHMEM_VENDOR &&
            strtoul(dv, NULL, 16) == BH_IVSHMEM_DEVICE) {
            snprintf(dir, size, "/sys/bus/pci/devices/%s", e->d_name);
            found = true;
        }
    }
    closedir(d);
    return found ? true : fail("no PCI function %04x:%04x", BH_IVSHMEM_VENDOR, BH_IVSHMEM_DEVICE);
}

/* mmap sysfs resource file idx of dir, len bytes (Device memory: uncached, like the peer). */
static volatile uint32_t *map_bar(const char *dir, unsigned int idx, size_t len)
{
    char path[340];
    void *va;
    int fd;

    snprintf(path, sizeof(path), "%s/resource%u", dir, idx);
    fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
    if (fd < 0) {
        fail("%s: %s", path, strerror(errno));
        return NULL;
    }
    va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (va == MAP_FAILED) {
        fail("mmap %s: %s", path, strerror(errno));
        return NULL;
    }
    return va;
}

/* The /dev/uioN the driver made for the function. */
static int open_uio(const char *dir)
{
    char path[340];
    DIR *d;
    struct dirent *e;
    int fd = -1;

    snprintf(path, sizeof(path), "%s/uio", dir);
    d = opendir(path);
    if (d == NULL) {
        fail("%s: %s (uio_pci_generic did not bind)", path, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "uio", 3) == 0) {
            snprintf(path, sizeof(path), "/dev/%s", e->d_name);
            fd = open(path, O_RDWR | O_CLOEXEC);
            if (fd < 0) {
                fail("%s: %s", path, strerror(errno));
            }
            break;
        }
    }
    closedir(d);
    if (fd < 0 && why[0] == '\0') {
        fail("%s/uio has no uioN", dir);
    }
    return fd;
}

/* Wait for the next interrupt on the uio fd: true when one came within IRQ_WAIT_MS, with
 * the driver's running count in *count. */
static bool wait_irq(int fd, uint32_t *count)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    if (poll(&p, 1, IRQ_WAIT_MS) != 1) {
        return false;
    }
    return read(fd, count, sizeof(*count)) == (ssize_t)sizeof(*count);
}

/* Re-enable INTx after the driver's handler masked it: uio_pci_generic has no irqcontrol,
 * user space clears COMMAND.Interrupt-Disable (bit 10: bit 2 of the byte at offset 5)
 * through the function's sysfs config file (Linux's uio-howto, "uio_pci_generic"). */
static bool irq_on(int cfg)
{
    uint8_t hi;

    if (pread(cfg, &hi, 1, 5) != 1) {
        return fail("config read: %s", strerror(errno));
    }
    hi &= (uint8_t) ~(1u << 2);
    return pwrite(cfg, &hi, 1, 5) == 1 ? true : fail("config write: %s", strerror(errno));
}

static bool check_pci(uint32_t *sent)
{
    char dir[300];
    volatile uint32_t *regs, *r;
    uint32_t count = 0, prev, peer = 0;
    struct pollfd p;
    int fd, cfg;

    if (!find_function(dir, sizeof(dir)) || !load_module("/lib/modules/uio.ko") ||
        !load_module("/lib/modules/uio_pci_generic.ko")) {
        return false;
    }
    {
        char id[32];

        snprintf(id, sizeof(id), "%04x %04x", BH_IVSHMEM_VENDOR, BH_IVSHMEM_DEVICE);
        if (!write_file("/sys/bus/pci/drivers/uio_pci_generic/new_id", id)) {
            return false;
        }
    }
    fd = open_uio(dir);
    regs = map_bar(dir, 0, BH_IVSHMEM_REGS_SIZE);
    r = map_bar(dir, 2, LP_REGION_WORDS * 4);
    {
        char path[320];

        snprintf(path, sizeof(path), "%s/config", dir);
        cfg = open(path, O_RDWR | O_CLOEXEC);
        if (cfg < 0) {
            return fail("%s: %s", path, strerror(errno));
        }
    }
    if (fd < 0 || regs == NULL || r == NULL) {
        return false;
    }
    if (regs[BH_IVSHMEM_MAGIC / 4] != BH_IVSHMEM_MAGIC_VALUE || regs[BH_IVSHMEM_PEERS / 4] != 1) {
        return fail("BAR 0: magic 0x%08x, %u peers", regs[BH_IVSHMEM_MAGIC / 4],
                    regs[BH_IVSHMEM_PEERS / 4]);
    }
    /* BAR 2 is the region: the /dev/mem exchange left its last reply there. */
    if (r[LP_PEER_MAGIC] != LP_MAGIC || r[LP_REPLY + LP_SEQ] != *sent) {
        return fail("BAR 2 is not the region: magic 0x%08x, last reply %u", r[LP_PEER_MAGIC],
                    r[LP_REPLY + LP_SEQ]);
    }
    /* The peer rang back after every message so far with the mask clear: the status shows
     * it, and no interrupt came. */
    p = (struct pollfd){.fd = fd, .events = POLLIN};
    if (regs[BH_IVSHMEM_ISTATUS / 4] != 1 || poll(&p, 1, 0) != 0) {
        return fail("masked doorbells: status %u, interrupt %s", regs[BH_IVSHMEM_ISTATUS / 4],
                    poll(&p, 1, 0) != 0 ? "taken" : "none");
    }
    printf("linux-test: PCI function %s (%04x:%04x) bound to uio_pci_generic, partition %u\n",
           strrchr(dir, '/') + 1, BH_IVSHMEM_VENDOR, BH_IVSHMEM_DEVICE, regs[BH_IVSHMEM_ID / 4]);
    regs[BH_IVSHMEM_ISTATUS / 4] = 1; /* RW1C */
    regs[BH_IVSHMEM_IMASK / 4] = 1;
    if (!irq_on(cfg)) {
        return false;
    }
    /* The peer's partition id: the only other user; 2 in the test layout. Ringing a partition
     * that does not use the region reaches nobody, so a wrong id shows as a missing reply. */
    peer = 2;
    prev = 0;
    for (uint32_t seq = *sent + 1, last = *sent + LP_PCI_MESSAGES; seq <= last; seq++) {
        volatile uint32_t *rep = r + LP_REPLY;
        uint32_t len = post_request(r, seq);

        barrier();
        regs[BH_IVSHMEM_DOORBELL / 4] = peer;
        if (!wait_irq(fd, &count)) {
            return fail("message %u: no interrupt on the uio device in %d ms (reply %s)", seq,
                        IRQ_WAIT_MS, rep[LP_SEQ] == seq ? "there" : "missing");
        }
        barrier();
        /* The interrupt came after the reply: no waiting for it. */
        if (rep[LP_SEQ] != seq || rep[LP_LEN] != len ||
            lp_checksum(seq, len, rep + LP_PAYLOAD) != rep[LP_CSUM]) {
            return fail("message %u: interrupt without its reply (seq %u)", seq, rep[LP_SEQ]);
        }
        if (!reply_words_ok(rep, seq, len)) {
            return false;
        }
        if (prev != 0 && count != prev + 1) {
            return fail("message %u: interrupt count %u after %u", seq, count, prev);
        }
        prev = count;
        regs[BH_IVSHMEM_ISTATUS / 4] = 1;
        if (!irq_on(cfg)) {
            return false;
        }
        *sent = seq;
    }
    printf("linux-test: %u messages over the PCI function, one uio interrupt each, checksums "
           "good\n",
           LP_PCI_MESSAGES);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* A passed-through virtio-blk disk behind the SMMU (tests/system/arm64_linux.sh writes it)   */

/*
 * The disk the test writes: sector 0 a text header "bulkhead-blk v1 sectors=N fnv=H
 * reply=R", sectors 1..N random data whose FNV-1a 64 is H, and BLK_REPLY_BYTES of zeros at
 * sector R, where Linux writes "bulkhead-blk reply fnv=<what it computed> sectors=N" for
 * the test to read on the host after QEMU exits. Linux's own drivers (virtio_pci modern,
 * virtio_blk, modules from the initramfs) drive the device; its DMA goes through the
 * partition's IOMMU domain (guest addresses as device addresses) and its interrupt is the
 * function's INTx, MSI-X being hidden by the hypervisor's configuration-space filter.
 */
#define BLK_DEV "/dev/vda"
#define BLK_SECTOR 512u
#define BLK_MAX_SECTORS 8192u
#define BLK_REPLY_BYTES 4096u
#define BLK_WAIT_S 60

static const char *const blk_modules[] = {
    "/lib/modules/virtio_pci_modern_dev.ko", "/lib/modules/virtio_pci_legacy_dev.ko",
    "/lib/modules/virtio_pci.ko", "/lib/modules/virtio_blk.ko"};

static uint64_t fnv1a64(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

/* Read exactly n bytes at off. */
static bool blk_pread(int fd, void *buf, size_t n, off_t off)
{
    size_t done = 0;

    while (done < n) {
        ssize_t r = pread(fd, (char *)buf + done, n - done, off + (off_t)done);

        if (r <= 0) {
            return fail("%s: read at %lld: %s", BLK_DEV, (long long)(off + (off_t)done),
                        r < 0 ? strerror(errno) : "end of device");
        }
        done += (size_t)r;
    }
    return true;
}

/* The disk's interrupt in /proc/interrupts: a GIC line named "virtioN" (INTx; MSI-X
 * vectors would be "virtioN-config" / "virtioN-req.0" on an ITS or MSI controller). */
static bool blk_irq(unsigned long long *count, char *line, size_t size)
{
    static char buf[16384];
    char *save = NULL;

    if (read_file("/proc/interrupts", buf, sizeof(buf)) < 0) {
        return fail("/proc/interrupts: %s", strerror(errno));
    }
    for (char *l = strtok_r(buf, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
        char *name = strrchr(l, ' ');
        char *p;

        if (name == NULL || strncmp(name + 1, "virtio", 6) != 0) {
            continue;
        }
        if (strchr(name + 1, '-') != NULL || strstr(l, "GIC") == NULL) {
            return fail("the disk's interrupt is not an INTx line of the GIC: %s", l);
        }
        *count = 0;
        p = strchr(l, ':');
        for (p = p != NULL ? p + 1 : l;;) {
            char *end;
            unsigned long long c = strtoull(p, &end, 10);

            if (end == p) {
                break;
            }
            *count += c;
            p = end;
        }
        snprintf(line, size, "%s", l);
        return true;
    }
    return fail("no virtio interrupt in /proc/interrupts");
}

static bool check_blk(void)
{
    static unsigned char data[BLK_MAX_SECTORS * BLK_SECTOR];
    unsigned char reply[BLK_REPLY_BYTES] = {0};
    char hdr[BLK_SECTOR + 1] = "", path[PATH_MAX], irq_line[256];
    unsigned int sectors = 0, reply_at = 0;
    bool ok = false;
    unsigned long long want = 0, irqs = 0;
    uint64_t got;
    double t0;
    int fd;

    /* Boards without a PCIe host (the ZCU102 model) pass no disk; the test then expects none. */
    if (access("/sys/bus/pci/devices/0000:00:02.0", F_OK) != 0) {
        printf("linux-test: virtio-blk: no disk passed to this partition, skipped\n");
        return true;
    }
    for (size_t i = 0; i < sizeof(blk_modules) / sizeof(blk_modules[0]); i++) {
        if (!load_module(blk_modules[i])) {
            return false;
        }
    }
    /* virtio_blk probes asynchronously; devtmpfs makes the node when the disk is added. */
    for (t0 = now(); (fd = open(BLK_DEV, O_RDWR | O_CLOEXEC)) < 0 && now() - t0 < BLK_WAIT_S;) {
        sleep_ms(100);
    }
    if (fd < 0) {
        return fail("%s did not appear in %d s: %s", BLK_DEV, BLK_WAIT_S, strerror(errno));
    }
    if (realpath("/sys/block/vda", path) != NULL) {
        printf("linux-test: virtio-blk: %s is %s\n", BLK_DEV, path);
    }
    if (!blk_pread(fd, hdr, BLK_SECTOR, 0)) {
        goto out;
    }
    hdr[BLK_SECTOR] = '\0';
    if (sscanf(hdr, "bulkhead-blk v1 sectors=%u fnv=%llx reply=%u", &sectors, &want, &reply_at) !=
            3 ||
        sectors == 0 || sectors > BLK_MAX_SECTORS || reply_at <= sectors) {
        fail("%s: no bulkhead-blk v1 header in sector 0", BLK_DEV);
        goto out;
    }
    if (!blk_pread(fd, data, (size_t)sectors * BLK_SECTOR, BLK_SECTOR)) {
        goto out;
    }
    got = fnv1a64(0xcbf29ce484222325ull, data, (size_t)sectors * BLK_SECTOR);
    if (got != want) {
        fail("%s: %u data sectors read with FNV-1a %016llx, the header says %016llx", BLK_DEV,
             sectors, (unsigned long long)got, want);
        goto out;
    }
    printf("linux-test: virtio-blk: %u data sectors read, FNV-1a %016llx as the header says\n",
           sectors, (unsigned long long)got);
    snprintf((char *)reply, sizeof(reply), "bulkhead-blk reply fnv=%016llx sectors=%u\n",
             (unsigned long long)got, sectors);
    if (pwrite(fd, reply, sizeof(reply), (off_t)reply_at * BLK_SECTOR) != (ssize_t)sizeof(reply) ||
        fsync(fd) != 0) {
        fail("%s: writing the reply at sector %u: %s", BLK_DEV, reply_at, strerror(errno));
        goto out;
    }
    printf("linux-test: virtio-blk: reply written at sector %u and flushed\n", reply_at);
    if (blk_irq(&irqs, irq_line, sizeof(irq_line))) {
        if (irqs == 0) {
            fail("the disk's INTx line never fired: %s", irq_line);
        } else {
            printf("linux-test: virtio-blk: INTx, %llu interrupts: %s\n", irqs, irq_line);
            ok = true;
        }
    }
out:
    close(fd);
    return ok;
}

static void stop_peer(volatile uint32_t *r, uint32_t sent)
{
    r[LP_CMD_ARG] = sent;
    barrier();
    r[LP_CMD] = LP_STOP;
}

static int run_test(void)
{
    volatile uint32_t *r;
    uint32_t sent = 0;
    bool ok;

    printf("linux-test: start (%s)\n", "Bulkhead Linux partition");
    ok = check_cpus() && check_timer();
    r = map_region(true);
    ok = r != NULL && check_peer(r, &sent) && ok;
    ok = ok && check_pci(&sent);
    ok = check_blk() && ok;
    /* Again after the exchange: the timers kept ticking on both CPUs meanwhile. */
    ok = check_timer() && ok;
    if (r != NULL) {
        stop_peer(r, sent);
    }
    if (ok) {
        printf("linux-test: PASS\n");
    } else {
        printf("linux-test: FAIL: %s\n", why);
    }
    fflush(stdout);
    return ok ? 0 : 1;
}

/* `make run`: one message every few seconds, quietly, for as long as the partition runs. */
static void background_exchange(void)
{
    volatile uint32_t *r;
    pid_t pid = fork();

    if (pid != 0) {
        return;
    }
    r = map_region(false);
    if (r != NULL && wait_word(r, LP_PEER_MAGIC, LP_MAGIC, PEER_WAIT_S)) {
        for (uint32_t seq = 1; exchange(r, seq); seq++) {
            sleep(3);
        }
    }
    _exit(0);
}

static void run_shell(void)
{
    pid_t pid = fork();

    if (pid == 0) {
        execl("/bin/busybox", "busybox", "--install", "-s", "/bin", (char *)NULL);
        _exit(127);
    }
    if (pid > 0) {
        waitpid(pid, NULL, 0);
    }
    background_exchange();
    printf("\nBulkhead: Linux is up in this partition; its peer answers over shared memory.\n"
           "Try: cat /proc/interrupts; cat /sys/devices/system/cpu/online; echo $((6*7))\n\n");
    fflush(stdout);
    setenv("PATH", "/bin", 1);
    setenv("HOME", "/root", 1);
    setenv("PS1", "linux# ", 1);
    /* The console is the controlling terminal: job control and Ctrl-C work. */
    execl("/bin/busybox", "sh", "-c", "exec setsid cttyhack sh -l", (char *)NULL);
    perror("exec /bin/busybox sh");
}

int main(void)
{
    char cmdline[1024] = "";

    (void)mount("proc", "/proc", "proc", 0, NULL);
    (void)mount("sysfs", "/sys", "sysfs", 0, NULL);
    (void)mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);
    (void)read_file("/proc/cmdline", cmdline, sizeof(cmdline));
    if (strstr(cmdline, "bulkhead.test") != NULL) {
        (void)run_test();
        sync();
        sleep_ms(200);
        reboot(RB_POWER_OFF);
    } else {
        run_shell();
    }
    /* PID 1 must not exit (the kernel would panic): idle. */
    for (;;) {
        pause();
    }
}
