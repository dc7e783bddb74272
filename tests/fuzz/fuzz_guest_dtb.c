// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz the guest-DT writer (core/partition/guest_dtb.c) with the virtual devices behind it
 * (the doorbells of core/partition/doorbell.c, the fake devices of tests/unit/fake/): the
 * input is read as a partition's configuration (memory ranges, vCPUs, boot count, initrd,
 * label, bootargs, shared-memory entries of both bindings with or without a doorbell page,
 * passed-through devices with reg, I/O ports, interrupts and compatible, an interrupt
 * controller phandle) and a buffer size, the partition's virtual devices are set up and
 * guest_dtb_build() writes into an exact-size heap buffer (AddressSanitizer catches a write
 * past it). Invariants: the result is the blob's length, at most the buffer, or a negative
 * errno; an accepted blob passes the project's FDT reader (fdt_init() and a walk of every
 * node and property); and no host address of the configuration's
 * memory or shared memory appears in it at any byte offset, as either 32-bit half (the oracle
 * of tests/unit/test_partition.c). To make that oracle exact, host addresses are marker values
 * containing the byte 0xde, and no fuzzed number or string the writer copies contains it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/vdev.h>

#include <hv/fdt.h>
#include "../unit/fake/fake_irq.h"
#include "../unit/fake/fake_vdev.h"
#include "part_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MARK 0xdeu

struct in {
    const uint8_t *p;
    size_t n;
};

static uint8_t byte(struct in *in)
{
    uint8_t b = 0;

    if (in->n != 0) {
        b = *in->p++;
        in->n--;
    }
    return b;
}

/* n little-endian bytes, no byte equal to MARK. */
static uint64_t num(struct in *in, unsigned int n)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < n; i++) {
        uint8_t b = byte(in);

        v |= (uint64_t)(b == MARK ? b + 1 : b) << (8 * i);
    }
    return v;
}

/* A string of at most max - 1 characters from set (never MARK), NUL-terminated. */
static void str(struct in *in, char *buf, size_t max, const char *set, bool nonempty)
{
    size_t len = byte(in) % max, setlen = strlen(set);

    if (len == 0 && nonempty) {
        len = 1;
    }
    for (size_t i = 0; i < len; i++) {
        buf[i] = set[byte(in) % setlen];
    }
    buf[len] = '\0';
}

static const char printable[] =
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~";
/* Node-name characters (DT spec 2.2.1) plus '@'. */
static const char nodechars[] = "abcdefghijklmnopqrstuvwxyz0123456789,._+-@";

static struct hv_config cfg;
static char bootargs[256];
static char compat[HV_CONFIG_MAX_DEVICES][48];

/*
 * The host address of memory or shared-memory entry i: each 32-bit half starts with three
 * MARK bytes, which no blob can hold by chance: fuzzed numbers and strings never contain
 * MARK, and the writer's own numbers (tokens, lengths, offsets) stay below 0x10000, so at
 * most two MARK bytes of one are followed by a byte that is not MARK.
 */
static uint64_t host_of(unsigned int i)
{
    return ((uint64_t)(0xdedede80u | i) << 32) | (0xdedede00u | i);
}

static void build_config(struct in *in)
{
    struct hv_config_partition *pc = &cfg.partitions[0];
    unsigned int n;

    memset(&cfg, 0, sizeof(cfg));
    cfg.nr_partitions = 2; /* the second owns what the first borrows */
    pc->id = 1 + byte(in) % HV_MAX_PARTITIONS;
    str(in, pc->label, sizeof(pc->label), printable, true);
    if (byte(in) & 1) {
        str(in, bootargs, sizeof(bootargs), printable, false);
        pc->bootargs = bootargs;
    }
    cfg.partitions[1].id = pc->id % HV_MAX_PARTITIONS + 1;
    strcpy(cfg.partitions[1].label, "peer");

    n = 1 + byte(in) % 4;
    pc->mem_count = (uint16_t)n;
    cfg.nr_mem = n;
    for (unsigned int i = 0; i < n; i++) {
        cfg.mem[i].guest = gpa(num(in, 8));
        cfg.mem[i].size = num(in, 8);
        cfg.mem[i].host = hpa(host_of(i));
    }

    n = byte(in) % 6;
    pc->shm_count = (uint16_t)n;
    cfg.nr_shm = n;
    for (unsigned int i = 0; i < n; i++) {
        struct hv_config_shm *s = &cfg.shm[i];
        uint8_t f = byte(in);

        str(in, s->id, sizeof(s->id), nodechars, true);
        s->partition = 0;
        s->role = (f & 1) != 0 ? SHM_ROLE_OWNER : SHM_ROLE_BORROWER;
        s->access = (f & 2) != 0 ? SHM_ACCESS_RW : SHM_ACCESS_RO;
        s->cache_policy = (enum cache_policy)((f >> 2) % 3);
        s->xen = (f & 0x10) != 0;
        s->hv_owned = s->xen && (f & 0x20) != 0;
        s->has_doorbell = (f & 0x40) != 0;
        s->guest = gpa(num(in, 8));
        s->size = num(in, 8);
        s->offset = num(in, 4);
        s->host = hpa(host_of(HV_CONFIG_MAX_MEM + i));
        s->owner = (uint16_t)i;
        s->users = 1;
        if (s->has_doorbell) {
            /* Page-aligned, like the parser requires. */
            s->doorbell = gpa(num(in, 8) & ~UINT64_C(0xfff));
        }
    }

    n = byte(in) % 4;
    pc->dev_count = (uint16_t)n;
    cfg.nr_devices = n;
    for (unsigned int i = 0; i < n; i++) {
        struct hv_config_device *d = &cfg.devices[i];
        char name[40];
        uint8_t f = byte(in);

        str(in, name, sizeof(name), nodechars, true);
        if ((f & 1) != 0) {
            (void)snprintf(d->path, sizeof(d->path), "/soc@%x/%s", f, name);
        } else {
            (void)snprintf(d->path, sizeof(d->path), "/%s", name);
        }
        d->nr_regs = (uint8_t)((f >> 1) % (HV_CONFIG_MAX_DEV_REGS + 1));
        for (unsigned int r = 0; r < d->nr_regs; r++) {
            d->regs[r].base = num(in, 8);
            d->regs[r].size = num(in, 8);
            d->regs[r].pio = (byte(in) & 1) != 0;
        }
        d->nr_irq_cells = (uint8_t)(byte(in) % (HV_CONFIG_MAX_IRQ_CELLS + 1));
        for (unsigned int c = 0; c < d->nr_irq_cells; c++) {
            d->irq_cells[c] = (uint32_t)num(in, 4);
        }
        if ((f & 0x10) != 0) {
            /* A string list: NULs between and after printable names. */
            size_t len = 1 + byte(in) % (sizeof(compat[i]) - 1);

            for (size_t k = 0; k < len; k++) {
                uint8_t b = byte(in);

                compat[i][k] = (b & 0xc0) == 0 ? '\0' : printable[b % (sizeof(printable) - 1)];
            }
            compat[i][len - 1] = '\0';
            d->compatible = compat[i];
            d->compatible_len = (uint32_t)len;
        }
    }
}

/*
 * Read the blob back as a guest would: every node in document order (depth bounded, the
 * walk ends at the root's end), every property's name and data inside the blob, and the
 * root's nodes for the hypervisor and vCPUs. Linear in the blob, unlike the full
 * cross-checking walk of tests/fdt/fdt_walk.h that fuzz_fdt runs on arbitrary blobs.
 */
static void read_back(const struct fdt *f)
{
    int depth = 0, node, nodes = 0;

    for (node = fdt_root(f); node >= 0; node = fdt_next_node(f, node, &depth)) {
        struct fdt_prop prop;

        part_env_check(depth >= 0 && depth <= 3, "node depth");
        part_env_check(fdt_node_name(f, node) != NULL, "node name");
        for (int err = fdt_first_prop(f, node, &prop); err == 0; err = fdt_next_prop(f, &prop)) {
            const uint8_t *d = prop.data;

            part_env_check(prop.name != NULL && prop.name[0] != '\0', "property name");
            part_env_check(prop.len == 0 || (d >= f->base && prop.len <= f->size &&
                                             (size_t)(d - f->base) <= f->size - prop.len),
                           "property data inside the blob");
        }
        nodes++;
    }
    part_env_check(node == -ENOENT && nodes >= 4, "the walk ends at the root's end");
    part_env_check(fdt_path(f, "/hypervisor") >= 0 && fdt_path(f, "/cpus/cpu@0") >= 0 &&
                       fdt_path(f, "/chosen") >= 0,
                   "hypervisor, cpus and chosen nodes");
}

/*
 * No byte offset of blob holds a 32-bit half of a host address (FDT cells are big-endian).
 * One pass with a sliding window, kept out of coverage feedback (an oracle, not code under
 * test); only a window starting with three MARK bytes is compared with the addresses.
 */
__attribute__((no_sanitize("coverage"))) static void no_host_address(const uint8_t *blob,
                                                                     size_t len)
{
    uint32_t w = 0;

    for (size_t off = 0; off < len; off++) {
        w = w << 8 | blob[off];
        if (off < 3 || (w >> 8) != 0xdededeu) {
            continue;
        }
        for (unsigned int i = 0; i < cfg.nr_mem + cfg.nr_shm; i++) {
            uint64_t h =
                i < cfg.nr_mem ? hpa_val(cfg.mem[i].host) : hpa_val(cfg.shm[i - cfg.nr_mem].host);

            if (w == (uint32_t)h || w == (uint32_t)(h >> 32)) {
                fprintf(stderr, "fuzz_guest_dtb: %#x at offset %zu of %zu\n", w, off - 3, len);
                part_env_check(false, "host address in the guest DTB");
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = {data, size};
    struct partition *p = &partitions[0];
    size_t bufsize;
    uint8_t *buf;
    int len;

    build_config(&in);
    memset(p, 0, sizeof(*p));
    p->config = &cfg.partitions[0];
    p->layout = &cfg;
    p->index = 0;
    p->nr_vcpus = 1 + byte(&in) % PARTITION_MAX_VCPUS;
    p->boot_count = (unsigned int)num(&in, 4);
    if (byte(&in) & 1) {
        /* The end (start + size) is written too: a size in 16 MiB units changes at most two
         * adjacent bytes of the start into MARK (byte 3 by the sum, byte 4 by its carry), so
         * the oracle below stays exact. */
        p->initrd = gpa(num(&in, 8));
        p->initrd_size = num(&in, 1) << 24;
    }
    nr_partitions = 1;
    fake_vdev_clear();
    memset(&fake_irq, 0, sizeof(fake_irq));
    fake_irq.guest_phandle = (uint32_t)num(&in, 2);
    fake_irq.virtual_max = byte(&in) % 8;
    /* A clash or no interrupt left fails the set-up; the writer must cope either way. */
    (void)vdev_partition_init(p);

    /* Mostly the real size, sometimes too small. */
    bufsize = (byte(&in) & 3) != 0 ? GUEST_DTB_MAX : num(&in, 2) % GUEST_DTB_MAX;
    buf = malloc(bufsize == 0 ? 1 : bufsize);
    if (buf == NULL) {
        return 0;
    }
    len = guest_dtb_build(p, buf, bufsize);
    if (len >= 0) {
        struct fdt f;

        part_env_check(len > 0 && (size_t)len <= bufsize, "length within the buffer");
        part_env_check(fdt_init(&f, buf, (size_t)len) == 0, "fdt_init accepts the guest DTB");
        read_back(&f);
        no_host_address(buf, (size_t)len);
    } else {
        part_env_check(len == -ENOSPC || len == -EINVAL, "an errno");
    }
    free(buf);
    return 0;
}
