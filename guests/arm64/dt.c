// SPDX-License-Identifier: Apache-2.0
/*
 * What the arm64 test guests read from their generated DTB: memory ranges, shared-memory
 * regions (/reserved-memory children "bulkhead,shared-memory-v1"), vCPUs and the boot count;
 * and the "no host address" check that a partition's DTB only speaks guest addresses.
 */
#include <hv/errno.h>
#include <hv/string.h>

#include "rt.h"

/* The DTB is small; this bounds what fdt_init() may read before the header is trusted. */
#define DTB_MAX_BYTES (1u << 20)

static bool node_is_memory(const struct fdt *fdt, int node)
{
    struct fdt_prop p;

    if (fdt_prop(fdt, node, "device_type", &p) == 0) {
        return fdt_stringlist_contains(&p, "memory");
    }
    return strncmp(fdt_node_name(fdt, node), "memory@", 7) == 0;
}

static int read_memory(struct guest_info *gi)
{
    const struct fdt *fdt = &gi->fdt;

    for (int n = fdt_first_child(fdt, fdt_root(fdt)); n >= 0; n = fdt_next_sibling(fdt, n)) {
        if (!node_is_memory(fdt, n)) {
            continue;
        }
        for (unsigned int i = 0;; i++) {
            uint64_t base, size;
            int rc = fdt_reg(fdt, n, i, &base, &size);

            if (rc == -ENOENT) {
                break;
            }
            if (rc != 0 || gi->nmem == GUEST_MAX_MEM) {
                gprintf("dt: %s: bad or too many reg entries\n", fdt_node_name(fdt, n));
                return -EINVAL;
            }
            gi->mem[gi->nmem++] = (struct guest_range){base, size};
        }
    }
    return gi->nmem > 0 ? 0 : -ENOENT;
}

static int read_shm(struct guest_info *gi)
{
    const struct fdt *fdt = &gi->fdt;
    int rsv = fdt_path(fdt, "/reserved-memory");

    for (int n = rsv >= 0 ? fdt_first_child(fdt, rsv) : -1; n >= 0; n = fdt_next_sibling(fdt, n)) {
        struct guest_shm s = {0};
        const char *role = NULL, *access = NULL;

        if (!fdt_is_compatible(fdt, n, "bulkhead,shared-memory-v1")) {
            continue;
        }
        if (gi->nshm == GUEST_MAX_SHM || fdt_reg(fdt, n, 0, &s.base, &s.size) != 0 ||
            fdt_prop_string(fdt, n, "id", &s.id) != 0 ||
            fdt_prop_string(fdt, n, "role", &role) != 0 ||
            fdt_prop_string(fdt, n, "access", &access) != 0) {
            gprintf("dt: /reserved-memory/%s: malformed shared-memory node\n",
                    fdt_node_name(fdt, n));
            return -EINVAL;
        }
        s.owner = strcmp(role, "owner") == 0;
        s.writable = strcmp(access, "rw") == 0;
        gi->shm[gi->nshm++] = s;
    }
    return 0;
}

int dt_read(const void *dtb, struct guest_info *gi)
{
    const uint8_t *h = dtb;
    int cpus, rc;
    uint32_t total;

    memset(gi, 0, sizeof(*gi));
    gi->dtb = dtb;
    /* Header: magic 0xd00dfeed, then totalsize (Devicetree Specification 5.2). */
    if (dtb == NULL || ((uintptr_t)dtb & 7) != 0 || fdt_be32(h) != 0xd00dfeedu) {
        gprintf("dt: no DTB at %p\n", dtb);
        return -EINVAL;
    }
    total = fdt_be32(h + 4);
    if (total > DTB_MAX_BYTES || fdt_init(&gi->fdt, dtb, total) != 0) {
        gprintf("dt: malformed DTB at %p (%u bytes)\n", dtb, total);
        return -EINVAL;
    }
    rc = read_memory(gi);
    if (rc == 0) {
        rc = read_shm(gi);
    }
    if (rc != 0) {
        return rc;
    }
    cpus = fdt_path(&gi->fdt, "/cpus");
    for (int n = cpus >= 0 ? fdt_first_child(&gi->fdt, cpus) : -1; n >= 0;
         n = fdt_next_sibling(&gi->fdt, n)) {
        if (strncmp(fdt_node_name(&gi->fdt, n), "cpu@", 4) == 0) {
            gi->ncpus++;
        }
    }
    /* Absent means a first boot: a hypervisor that never resets need not state it. */
    int chosen = fdt_path(&gi->fdt, "/chosen");
    if (chosen >= 0 && fdt_prop_u32(&gi->fdt, chosen, "bulkhead,boot-count", &gi->boot_count) < 0) {
        gi->boot_count = 0;
    }
    return 0;
}

uint32_t dt_bootarg_u32(const struct guest_info *gi, const char *key, uint32_t def)
{
    int chosen = fdt_path(&gi->fdt, "/chosen");
    size_t klen = strlen(key);
    const char *args;

    if (chosen < 0 || fdt_prop_string(&gi->fdt, chosen, "bootargs", &args) != 0) {
        return def;
    }
    for (const char *w = args; *w != '\0';) {
        const char *end = w;

        while (*end != '\0' && *end != ' ') {
            end++;
        }
        if ((size_t)(end - w) > klen + 1 && strncmp(w, key, klen) == 0 && w[klen] == '=') {
            uint32_t v = 0;
            const char *d = w + klen + 1;

            for (; d < end && *d >= '0' && *d <= '9'; d++) {
                v = v * 10 + (uint32_t)(*d - '0');
            }
            return d == end ? v : def;
        }
        w = *end == ' ' ? end + 1 : end;
    }
    return def;
}

const struct guest_shm *dt_shm(const struct guest_info *gi, const char *id)
{
    for (unsigned int i = 0; i < gi->nshm; i++) {
        if (strcmp(gi->shm[i].id, id) == 0) {
            return &gi->shm[i];
        }
    }
    return NULL;
}

static bool in_range(uint64_t base, uint64_t size, const struct guest_range *r)
{
    return base >= r->base && size <= r->size && base - r->base <= r->size - size;
}

bool dt_in_memory(const struct guest_info *gi, uint64_t base, uint64_t size)
{
    for (unsigned int i = 0; i < gi->nmem; i++) {
        if (in_range(base, size, &gi->mem[i])) {
            return true;
        }
    }
    return false;
}

uint64_t dt_memory_end(const struct guest_info *gi)
{
    uint64_t end = 0;

    for (unsigned int i = 0; i < gi->nmem; i++) {
        if (gi->mem[i].base + gi->mem[i].size > end) {
            end = gi->mem[i].base + gi->mem[i].size;
        }
    }
    return end;
}

/* Inside a memory range or a shared-memory region (a guest range of the partition). */
static bool in_guest_ranges(const struct guest_info *gi, uint64_t addr)
{
    if (dt_in_memory(gi, addr, 1)) {
        return true;
    }
    for (unsigned int i = 0; i < gi->nshm; i++) {
        const struct guest_range r = {gi->shm[i].base, gi->shm[i].size};

        if (in_range(addr, 1, &r)) {
            return true;
        }
    }
    return false;
}

/*
 * Where host addresses could show up. Host ranges of every partition and shared region sit in
 * the board's RAM (QEMU virt: from 1 GiB; -m 2G ends at 3 GiB). Address properties ("reg",
 * "ranges", "dma-ranges") are watched up to 256 GiB, i.e. any RAM size; in every other
 * property only the first 4 GiB are, so that cell pairs which are no address (interrupt
 * specifiers like <0 8 4> read as 0x8_00000004) raise no false alarm.
 */
#define RAM_WINDOW_BASE 0x40000000ull
#define RAM_WINDOW_END 0x4000000000ull
#define LOW_WINDOW_END 0x100000000ull

static bool is_address_prop(const char *name)
{
    return strcmp(name, "reg") == 0 || strcmp(name, "ranges") == 0 ||
           strcmp(name, "dma-ranges") == 0;
}

static bool suspicious(const struct guest_info *gi, uint64_t v, uint64_t end)
{
    return v >= RAM_WINDOW_BASE && v < end && !in_guest_ranges(gi, v);
}

static int check_shm_info(const struct guest_info *gi)
{
    int bad = 0;

    for (unsigned int i = 0; i < gi->nshm; i++) {
        const struct guest_shm *s = &gi->shm[i];
        struct smccc_res r =
            hvc_call(BH_HC_SHM_INFO, (uint64_t)(uintptr_t)s->id, strlen(s->id), 0, 0, 0);
        uint64_t want = (s->writable ? BH_SHM_WRITABLE : 0) | (s->owner ? BH_SHM_OWNER : 0);

        if ((int64_t)r.a0 != BH_HC_OK || r.a1 != s->base || r.a2 != s->size ||
            (r.a3 & (BH_SHM_WRITABLE | BH_SHM_OWNER)) != want) {
            gprintf("dt: shm \"%s\": DTB [0x%llx +0x%llx] flags 0x%llx, SHM_INFO %lld [0x%llx "
                    "+0x%llx] flags 0x%llx\n",
                    s->id, (unsigned long long)s->base, (unsigned long long)s->size,
                    (unsigned long long)want, (long long)r.a0, (unsigned long long)r.a1,
                    (unsigned long long)r.a2, (unsigned long long)r.a3);
            bad++;
        }
        if (dt_in_memory(gi, s->base, s->size)) {
            gprintf("dt: shm \"%s\" overlaps the partition's memory\n", s->id);
            bad++;
        }
    }
    return bad;
}

int dt_check_guest_addresses(const struct guest_info *gi)
{
    const struct fdt *fdt = &gi->fdt;
    int depth = 0, bad = check_shm_info(gi);
    uint64_t addr, size;

    /* Memory reservation block: only guest ranges may be reserved. */
    for (unsigned int i = 0; fdt_rsvmap(fdt, i, &addr, &size) == 0; i++) {
        if (suspicious(gi, addr, RAM_WINDOW_END)) {
            gprintf("dt: memreserve entry %u: 0x%llx is no guest address\n", i,
                    (unsigned long long)addr);
            bad++;
        }
    }
    /*
     * Every property, every 4-byte aligned 64-bit big-endian window: cells are 4-byte aligned
     * and a 2-cell address is the form a host address would take. Strings almost never hold
     * four zero bytes followed by a word in the window, so false alarms stay out.
     */
    for (int n = fdt_root(fdt); n >= 0; n = fdt_next_node(fdt, n, &depth)) {
        struct fdt_prop p, irqs;
        /* A passed-through device (a node with interrupts) keeps its MMIO "reg" 1:1: on
         * boards whose peripherals sit above RAM (ZynqMP, BCM2711) that is inside the window,
         * and it is a device address, not a host RAM address. */
        bool device = fdt_prop(fdt, n, "interrupts", &irqs) == 0;

        for (int rc = fdt_first_prop(fdt, n, &p); rc == 0; rc = fdt_next_prop(fdt, &p)) {
            const uint8_t *d = p.data;
            uint64_t end = is_address_prop(p.name) ? RAM_WINDOW_END : LOW_WINDOW_END;

            if (device && strcmp(p.name, "reg") == 0) {
                continue;
            }

            for (uint32_t off = 0; off + 8 <= p.len; off += 4) {
                uint64_t v = (uint64_t)fdt_be32(d + off) << 32 | fdt_be32(d + off + 4);

                if (suspicious(gi, v, end)) {
                    gprintf("dt: %s: %s: 0x%llx is outside the partition's guest ranges\n",
                            fdt_node_name(fdt, n), p.name, (unsigned long long)v);
                    bad++;
                }
            }
        }
    }
    return bad;
}

void guest_describe(const struct guest_info *gi)
{
    struct smccc_res r = hvc_call(BH_HC_PARTITION_INFO, 0, 0, 0, 0, 0);
    int bad;

    GUEST_CHECK((int64_t)r.a0 == BH_HC_OK, "PARTITION_INFO returned %lld", (long long)r.a0);
    gprintf("partition %llu: %llu vCPU(s), on vCPU %llu, %llu shm region(s), boot-count %u\n",
            (unsigned long long)r.a1, (unsigned long long)r.a2, (unsigned long long)r.a3,
            (unsigned long long)r.a4, gi->boot_count);
    for (unsigned int i = 0; i < gi->nmem; i++) {
        gprintf("  memory [0x%llx, 0x%llx)\n", (unsigned long long)gi->mem[i].base,
                (unsigned long long)(gi->mem[i].base + gi->mem[i].size));
    }
    for (unsigned int i = 0; i < gi->nshm; i++) {
        const struct guest_shm *s = &gi->shm[i];

        gprintf("  shm \"%s\" [0x%llx, 0x%llx) %s %s\n", s->id, (unsigned long long)s->base,
                (unsigned long long)(s->base + s->size), s->owner ? "owner" : "borrower",
                s->writable ? "rw" : "ro");
    }
    GUEST_CHECK(r.a2 == gi->ncpus, "PARTITION_INFO says %llu vCPUs, the DTB %u",
                (unsigned long long)r.a2, gi->ncpus);
    GUEST_CHECK(r.a4 == gi->nshm, "PARTITION_INFO says %llu shm regions, the DTB %u",
                (unsigned long long)r.a4, gi->nshm);
    bad = dt_check_guest_addresses(gi);
    GUEST_CHECK(bad == 0, "%d host-address problem(s) in the DTB or SHM_INFO", bad);
    gprintf("dt: guest addresses only (DTB and SHM_INFO agree)\n");
}
