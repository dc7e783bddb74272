// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz the generic half of trapped-MMIO emulation (core/vdev/vmmio.c) and the devices behind
 * it on the fake arch: the doorbell register page (core/partition/doorbell.c) and the fake
 * virtual device of tests/unit/fake/fake_vdev.c, on the running partitions of part_env.h.
 * (The arm64 syndrome decode, arch/arm64/traps.c, is arch code and not built on the host.)
 *
 * The first byte's low bits pick a mode. Access mode: each 20-byte record is one access (a
 * vCPU, an address near an emulated region, memory, a device or anywhere, a size that may be
 * any 32-bit value, a direction, a value) checked against a model: -ENOENT exactly when no
 * region holds the address, -EINVAL for a bad size, a misaligned or straddling access, else
 * the device's answer (fake device: reads 0x5a; doorbell page: 32-bit only, irq/peers/magic
 * words), and a read's value zero-extended from size bytes. Register mode: up to
 * VMMIO_MAX_REGIONS + 1 fuzzed regions registered into a fresh table of the worker's
 * configuration, each accepted or refused exactly as a model of the overlap rules says,
 * refusals with a message naming the partition's node.
 */
#include <string.h>

#include <hv/doorbell.h>
#include <hv/errno.h>
#include <hv/hypercall_abi.h>
#include <hv/vmmio.h>

#include "../unit/fake/fake_console.h"
#include "../unit/fake/fake_vdev.h"
#include "part_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RECORD 20

static uint64_t rd(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static uint64_t pick_addr(uint8_t sel, uint64_t raw)
{
    static const uint64_t bases[] = {
        FAKE_VDEV_BASE,
        PART_ENV_DOORBELL,
        FAKE_VDEV_BASE + 0x1000,
        PART_ENV_DOORBELL + 0x1000,
        PART_GUEST_RAM,
        PART_GUEST_SHM,
        PART_UART1,
        0,
    };

    if (sel >= 192) {
        return raw;
    }
    /* Within +-32 KiB of a base: region edges, neighbours, wrap-around below 0. */
    return bases[sel % (sizeof(bases) / sizeof(bases[0]))] + (uint64_t)(int64_t)(int16_t)raw;
}

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return (unsigned __int128)a < (unsigned __int128)b + bs &&
           (unsigned __int128)b < (unsigned __int128)a + as;
}

static void access_one(const uint8_t *r)
{
    struct partition *p = &partitions[r[0] & 1];
    struct vcpu *v = &p->vcpus[(r[0] >> 1) % p->nr_vcpus];
    uint64_t addr = pick_addr(r[1], rd(r + 2, 8));
    unsigned int sizes[] = {1, 2, 4, 8};
    unsigned int size = (r[10] & 0x80) != 0 ? (unsigned int)rd(r + 11, 4) : sizes[r[10] & 3];
    bool write = (r[0] & 0x80) != 0;
    uint64_t val = rd(r + 12, 8), in = val;
    const struct vmmio_region *reg = vmmio_find(p, gpa(addr));
    uint64_t off;
    int err, want;

    err = vmmio_access(v, gpa(addr), size, write, &val);
    if (reg == NULL) {
        part_env_check(err == -ENOENT, "no region: -ENOENT");
        part_env_check(val == in, "no region: value untouched");
        return;
    }
    part_env_check(addr - gpa_val(reg->base) < reg->size, "found region holds the address");
    off = addr - gpa_val(reg->base);
    if ((size != 1 && size != 2 && size != 4 && size != 8) || (off % size) != 0 ||
        off + size > reg->size) {
        part_env_check(err == -EINVAL, "bad size, alignment or straddle: -EINVAL");
        return;
    }
    if (strcmp(reg->name, "doorbell") == 0) {
        want = size == 4 ? 0 : -EINVAL;
    } else {
        part_env_check(strcmp(reg->name, "fake-vdev") == 0, "known region");
        want = 0;
    }
    part_env_check(err == want, "device answer");
    if (write || err != 0) {
        return;
    }
    part_env_check(size == 8 || (val >> (size * 8)) == 0, "read zero-extended");
    if (strcmp(reg->name, "fake-vdev") == 0) {
        part_env_check(val == 0x5a, "fake device reads 0x5a");
    } else if (off == BH_DB_MAGIC) {
        part_env_check(val == BH_DB_MAGIC_VALUE, "doorbell magic");
    } else if (off == BH_DB_IRQ) {
        part_env_check(val == doorbell_irq(p, p->config->shm_first), "doorbell irq");
    } else if (off == BH_DB_PEERS) {
        part_env_check(val == 1, "doorbell peers");
    } else {
        part_env_check(val == 0, "doorbell reserved words read 0");
    }
}

/* A fresh table for the worker's configuration, filled with fuzzed regions. */
static void register_all(const uint8_t *data, size_t size)
{
    static struct partition scratch;
    static const struct vmmio_ops none = {NULL, NULL};
    const struct hv_config *cfg = &part_env_cfg;
    const struct hv_config_partition *pc = &cfg->partitions[1];
    struct {
        uint64_t base, size;
    } done[VMMIO_MAX_REGIONS];
    unsigned int n = 0;

    memset(&scratch, 0, sizeof(scratch));
    scratch.config = pc;
    scratch.layout = cfg;
    scratch.index = 1;
    vmmio_partition_init(&scratch);
    for (size_t o = 1; o + 12 <= size && o < 1 + 12 * (VMMIO_MAX_REGIONS + 2); o += 12) {
        uint64_t base = pick_addr(data[o], rd(data + o + 1, 8));
        uint64_t len = (data[o + 9] & 0x80) != 0 ? rd(data + o + 1, 8) ^ rd(data + o + 10, 2)
                                                 : rd(data + o + 10, 2) << (data[o + 9] & 15);
        bool clash = false;
        int err, want;

        for (unsigned int i = 0; i < pc->mem_count; i++) {
            const struct hv_config_mem *m = &cfg->mem[pc->mem_first + i];
            clash |= overlap(base, len, gpa_val(m->guest), m->size);
        }
        for (unsigned int i = 0; i < pc->shm_count; i++) {
            const struct hv_config_shm *s = &cfg->shm[pc->shm_first + i];
            clash |= overlap(base, len, gpa_val(s->guest), s->size);
        }
        for (unsigned int i = 0; i < pc->dev_count; i++) {
            const struct hv_config_device *d = &cfg->devices[pc->dev_first + i];
            for (unsigned int k = 0; k < d->nr_regs; k++) {
                clash |= !d->regs[k].pio && overlap(base, len, d->regs[k].base, d->regs[k].size);
            }
        }
        for (unsigned int i = 0; i < n; i++) {
            clash |= overlap(base, len, done[i].base, done[i].size);
        }
        if (len == 0 || base + len < base) {
            want = -EINVAL;
        } else if (clash) {
            want = -EEXIST;
        } else if (n == VMMIO_MAX_REGIONS) {
            want = -ENOSPC;
        } else {
            want = 0;
        }
        fake_console_clear();
        err = vmmio_register(&scratch, gpa(base), len, &none, NULL, "fuzz");
        part_env_check(err == want, "vmmio_register follows the overlap rules");
        if (err != 0) {
            part_env_check(
                strncmp(fake_console_log, "/hypervisor/partition@2: emulated fuzz", 38) == 0,
                "a refusal names the partition's node");
            continue;
        }
        done[n].base = base;
        done[n].size = len;
        n++;
        part_env_check(vmmio_find(&scratch, gpa(base)) != NULL &&
                           vmmio_find(&scratch, gpa(base + len - 1)) != NULL,
                       "a registered region is found at both ends");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    part_env_setup();
    if (size == 0) {
        return 0;
    }
    if ((data[0] & 3) == 3) {
        register_all(data, size);
        return 0;
    }
    for (size_t off = 1; off + RECORD <= size; off += RECORD) {
        access_one(data + off);
    }
    part_env_check(partitions[0].state == PARTITION_RUNNING &&
                       partitions[1].state == PARTITION_RUNNING,
                   "partitions keep running");
    return 0;
}
