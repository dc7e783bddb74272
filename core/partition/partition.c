// SPDX-License-Identifier: Apache-2.0
/*
 * Partitions: creation from the configuration, stage-2 mapping (all-or-nothing), image and
 * DTB loading, start, and the state table. The vCPU life cycle (start, park, off, stop,
 * reset, fault containment) is core/partition/vcpu.c. The design is described in
 * include/hv/partition.h.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/smp.h>
#include <arch/vcpu.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/guest_image.h>
#include <hv/page_alloc.h>
#include <hv/partition.h>
#include <hv/pci_pt.h>
#include <hv/printf.h>
#include <hv/percpu.h>
#include <hv/string.h>
#include <hv/vdev.h>

/* Not cleared at boot: partition_init() clears each configured one before anything reads it,
 * and only those (index < the configuration's nr_partitions) are ever used. */
struct partition partitions[HV_MAX_PARTITIONS] __noinit;
unsigned int nr_partitions;

static LOCK_CLASS(partition_lock_class, "partition", LOCK_RANK_PARTITION);

/* ------------------------------------------------------------------------------------------ */
/* Stage-2 page-table callbacks: tables from the hypervisor pool, flush through the arch      */

static int s2_flush(struct pgtable *pt, uint64_t in_addr __unused, uint64_t size __unused)
{
    /* Whole-VMID invalidation: unmaps happen only when a partition stops or resets. */
    arch_stage2_flush(container_of(pt, struct partition, stage2));
    return 0;
}

const struct pt_mm_ops partition_stage2_mm = {
    .alloc_table = page_pool_pt_alloc,
    .free_table = page_pool_pt_free,
    .phys_to_virt = page_pool_pt_virt,
    .flush = s2_flush,
};

/* ------------------------------------------------------------------------------------------ */
/* Mapping                                                                                     */

/*
 * The first guest page of [guest, guest + size) that made pt_map fail with err: for an
 * overlap the first page already mapped, otherwise the first page beyond the table's reach
 * (-ERANGE) or the start of the range (allocation failures: the walker allocates in address
 * order, and which table it was is not observable).
 */
static uint64_t failed_page(const struct partition *p, uint64_t guest, uint64_t size, int err)
{
    if (err == -EEXIST) {
        for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
            if (pt_lookup(&p->stage2, guest + off, NULL, NULL, NULL) == 0) {
                return guest + off;
            }
        }
    } else if (err == -ERANGE) {
        uint64_t reach = pt_reach(&p->stage2);

        return guest < reach ? reach : guest;
    }
    return guest;
}

void partition_printf(const struct partition *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = hv_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(msg)) {
        msg[sizeof(msg) - 2] = '\n';
    }
    hv_printf("partition %u \"%s\": %s", p->config->id, p->config->label, msg);
}

int partition_map_range(struct partition *p, gpa_t guest, hpa_t host, uint64_t size,
                        const struct pt_attrs *attrs, const char *what, const char *name)
{
    int err = pt_map(&p->stage2, gpa_val(guest), host, size, attrs);

    if (err != 0) {
        partition_printf(p, "mapping %s%s%s failed at guest page %#llx: %s\n", what,
                         name != NULL ? " " : "", name != NULL ? name : "",
                         (unsigned long long)failed_page(p, gpa_val(guest), size, err),
                         errno_name(err));
    }
    return err;
}

void partition_unmap_range(struct partition *p, gpa_t guest, uint64_t size)
{
    int err = pt_unmap(&p->stage2, gpa_val(guest), size);

    /* Unmapping whole ranges that were mapped whole never splits a block, so never needs a
     * table: an error here is a bug in the bookkeeping, reported rather than ignored. */
    if (err != 0) {
        partition_printf(p, "unmap %#llx+%#llx failed: %s\n", (unsigned long long)gpa_val(guest),
                         (unsigned long long)size, errno_name(err));
    }
}

/* Guest RAM: Normal write-back, read-write-execute (the guest decides at stage 1). */
static const struct pt_attrs ram_attrs = {
    .r = true, .w = true, .x = true, .type = PT_MEM_NORMAL_WB};
/* Passed-through MMIO: Device-nGnRE, never executable. */
static const struct pt_attrs dev_attrs = {.r = true, .w = true, .x = false, .type = PT_MEM_DEVICE};

/* Memory triplet i of p: guest RAM. */
static int map_memory(struct partition *p, unsigned int i)
{
    const struct hv_config_mem *m = &p->layout->mem[p->config->mem_first + i];

    return partition_map_mem(p, m->guest, m->host, m->size, &ram_attrs, "memory", NULL);
}

static void unmap_memory(struct partition *p, unsigned int i)
{
    const struct hv_config_mem *m = &p->layout->mem[p->config->mem_first + i];

    partition_unmap_mem(p, m->guest, m->size);
}

/* I/O-port ranges (pio) are not in stage 2: only the MMIO ones are mapped. */
static void unmap_device_regs(struct partition *p, const struct hv_config_device *d, unsigned int n)
{
    for (unsigned int r = 0; r < n; r++) {
        if (!d->regs[r].pio) {
            partition_unmap_range(p, gpa(d->regs[r].base), d->regs[r].size);
        }
    }
}

/* Passed-through device i of p: each MMIO range 1:1, all or none. */
static int map_device(struct partition *p, unsigned int i)
{
    const struct hv_config_device *d = &p->layout->devices[p->config->dev_first + i];

    for (unsigned int r = 0; r < d->nr_regs; r++) {
        int err;

        if (d->regs[r].pio) {
            continue;
        }
        err = partition_map_range(p, gpa(d->regs[r].base), hpa(d->regs[r].base), d->regs[r].size,
                                  &dev_attrs, "device", d->path);
        if (err != 0) {
            unmap_device_regs(p, d, r);
            return err;
        }
    }
    return 0;
}

static void unmap_device(struct partition *p, unsigned int i)
{
    const struct hv_config_device *d = &p->layout->devices[p->config->dev_first + i];

    unmap_device_regs(p, d, d->nr_regs);
}

/* Most mappings the architecture implies for one partition. */
#define IMPLIED_MAX 4

/* The default of the optional hook (include/arch/vcpu.h): nothing beyond the configuration. */
__weak unsigned int arch_partition_implied_map(const struct partition *p __unused,
                                               struct partition_expect *out __unused,
                                               unsigned int max __unused)
{
    return 0;
}

/*
 * Mapping i (< IMPLIED_MAX) of what the architecture adds to every partition
 * (arch_partition_implied_map(): a GICv2 virtual CPU interface), nothing when the arch adds
 * fewer. Fetched again each time: the list is fixed once the arch is up, and small.
 */
static int map_implied(struct partition *p, unsigned int i)
{
    struct partition_expect e[IMPLIED_MAX];

    if (i >= arch_partition_implied_map(p, e, IMPLIED_MAX)) {
        return 0;
    }
    return partition_map_range(p, gpa(e[i].guest), hpa(e[i].host), e[i].size, &e[i].attrs,
                               e[i].what, NULL);
}

static void unmap_implied(struct partition *p, unsigned int i)
{
    struct partition_expect e[IMPLIED_MAX];

    if (i < arch_partition_implied_map(p, e, IMPLIED_MAX)) {
        partition_unmap_range(p, gpa(e[i].guest), e[i].size);
    }
}

/*
 * What a partition maps, in order (include/hv/partition.h): each kind maps its entry i as a
 * whole or not at all, so the rollback undoes exactly the entries that succeeded. A kind's
 * entries are those its configuration counts (count: the offset of that uint16_t count in
 * struct hv_config_partition), or a fixed number of them (fixed), which may map nothing.
 */
struct map_kind {
    size_t count;
    unsigned int fixed;
    int (*map)(struct partition *p, unsigned int i);
    void (*unmap)(struct partition *p, unsigned int i);
};

static const struct map_kind map_kinds[] = {
    {offsetof(struct hv_config_partition, mem_count), 0, map_memory, unmap_memory},
    /* Shared-mem entries: core/partition/shm.c. */
    {offsetof(struct hv_config_partition, shm_count), 0, shm_map, shm_unmap},
    {offsetof(struct hv_config_partition, dev_count), 0, map_device, unmap_device},
    {0, IMPLIED_MAX, map_implied, unmap_implied},
    /* Passed-through PCI functions' BARs at their guest addresses (core/partition/pci.c),
     * one function per DMA entry that is one. */
    {offsetof(struct hv_config_partition, dma_count), 0, partition_pci_map, partition_pci_unmap},
};

/* kind_count reads every count through its offset as a uint16_t. */
#define COUNT_IS_U16(f) _Static_assert(sizeof(((struct hv_config_partition *)0)->f) == 2, #f)
COUNT_IS_U16(mem_count);
COUNT_IS_U16(shm_count);
COUNT_IS_U16(dev_count);
COUNT_IS_U16(dma_count);

static unsigned int kind_count(const struct partition *p, const struct map_kind *k)
{
    return k->fixed != 0 ? k->fixed : *(const uint16_t *)((const char *)p->config + k->count);
}

/* Unmap entries [0, n) of kind k, last first. */
static void unmap_kind(struct partition *p, const struct map_kind *k, unsigned int n)
{
    while (n-- > 0) {
        k->unmap(p, n);
    }
}

/*
 * The highest DFN p's IOMMU domain will map: the last page of its memory and shared windows
 * (what partition_map_mem mirrors), for the one notify before mapping.
 */
static dfn_t dma_last_dfn(const struct partition *p)
{
    uint64_t last = 0;

    for (unsigned int i = 0; i < p->config->mem_count; i++) {
        const struct hv_config_mem *m = &p->layout->mem[p->config->mem_first + i];

        last = MAX(last, gpa_val(m->guest) + m->size - 1);
    }
    for (unsigned int i = 0; i < p->config->shm_count; i++) {
        const struct hv_config_shm *s = &p->layout->shm[p->config->shm_first + i];

        last = MAX(last, gpa_val(s->guest) + s->size - 1);
    }
    return dfn(last >> PAGE_SHIFT);
}

/*
 * Stage 2 and, for a partition with DMA masters, its IOMMU domain (core/partition/dma.c):
 * the domain is built and notified once with the highest DFN first, then memory and shared
 * windows are mapped into both together, all or nothing.
 */
int partition_map(struct partition *p)
{
    int err;

    if (p->mapped) {
        return 0;
    }
    err = partition_dma_up(p, dma_last_dfn(p));
    if (err != 0) {
        partition_printf(p, "IOMMU domain: %s; nothing mapped\n", errno_name(err));
        return err;
    }
    for (unsigned int k = 0; k < ARRAY_SIZE(map_kinds); k++) {
        unsigned int n = kind_count(p, &map_kinds[k]);

        for (unsigned int i = 0; i < n; i++) {
            err = map_kinds[k].map(p, i);
            if (err != 0) {
                unmap_kind(p, &map_kinds[k], i);
                while (k-- > 0) {
                    unmap_kind(p, &map_kinds[k], kind_count(p, &map_kinds[k]));
                }
                partition_dma_down(p);
                return err;
            }
        }
    }
    /* Release: a reader that sees mapped (shm_is_user) sees every window mapped. */
    __atomic_store_n(&p->mapped, true, __ATOMIC_RELEASE);
    return 0;
}

void partition_unmap(struct partition *p)
{
    if (!p->mapped) {
        return;
    }
    /* Not a shared-region user any more before any window goes (shm_is_user). */
    __atomic_store_n(&p->mapped, false, __ATOMIC_RELEASE);
    /* Devices first: none may reach memory that is being taken away. The PCI functions stop
     * decoding and mastering (FLR where offered) before their domain goes. */
    partition_pci_reset(p);
    partition_dma_down(p);
    for (unsigned int k = ARRAY_SIZE(map_kinds); k-- > 0;) {
        unmap_kind(p, &map_kinds[k], kind_count(p, &map_kinds[k]));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Image and DTB                                                                              */

/* Verify (or only locate) one staged image of p, reporting a refusal by partition, property
 * and path. */
static int staged_image(const struct partition *p, const char *prop, const char *path,
                        const struct hv_config_staged *st, struct guest_image *img, bool verify)
{
    int err = guest_image_get(path, st, img, verify);

    if (err == -EBADMSG) {
        partition_printf(p,
                         "%s \"%s\": SHA-256 of the staged copy at %#llx (%llu bytes) does not "
                         "match the build's: refused\n",
                         prop, path, (unsigned long long)hpa_val(st->base),
                         (unsigned long long)st->size);
    } else if (err != 0) {
        partition_printf(p, "%s \"%s\": %s\n", prop, path,
                         err == -ENOENT ? "not staged by the build" : "staged copy unreachable");
    }
    return err;
}

/* Zero every RAM range of p: each boot starts from scrubbed memory. Shared regions keep
 * their contents (other partitions use them). */
static int scrub_memory(struct partition *p)
{
    for (unsigned int i = 0; i < p->config->mem_count; i++) {
        const struct hv_config_mem *r = &p->layout->mem[p->config->mem_first + i];
        void *va = arch_phys_to_virt(r->host, (size_t)r->size);

        if (va == NULL) {
            return -EFAULT;
        }
        arch_guest_mem_zero(va, (size_t)r->size);
    }
    return 0;
}

/* Copy a verified image to host address pa (inside p's first memory range). */
static int copy_image(hpa_t pa, const struct guest_image *img)
{
    void *dst = arch_phys_to_virt(pa, img->size);

    if (dst == NULL) {
        return -EFAULT;
    }
    arch_guest_mem_copy(dst, img->data, img->size);
    return 0;
}

/* Where p's image, initrd and DTB go in its first memory triplet (load_plan()). */
struct load_plan {
    struct guest_image img, rd; /* the staged copies (rd.size 0: none) */
    uint64_t offset, rd_off;    /* the raw image's and the initrd's offset in the triplet */
    uint64_t limit;             /* exec: the guest address the image stays below */
    bool exec; /* an executable format the arch places itself (arch_image_load_exec(), x86:
                * a PVH ELF kernel), else a raw binary at offset */
};

/* Locate p's staged image and initrd (and check their digests when verify), then work out
 * where they and the DTB go (nothing is written): sets image_entry, dtb, initrd, initrd_size. */
static int load_plan(struct partition *p, bool verify, struct load_plan *lp)
{
    const struct hv_config_mem *m = &p->layout->mem[p->config->mem_first];
    uint64_t room, dtb_off;
    gpa_t entry;
    int ret;

    if (p->config->image == NULL) {
        return -ENOENT;
    }
    *lp = (struct load_plan){0}; /* rd.size 0, offsets 0: no initrd, raw image at +0 */
    ret = staged_image(p, "image", p->config->image, &p->config->image_staged, &lp->img, verify);
    if (ret == 0 && p->config->initrd != NULL) {
        ret = staged_image(p, "initrd", p->config->initrd, &p->config->initrd_staged, &lp->rd,
                           verify);
    }
    if (ret != 0) {
        return ret;
    }
    /* The DTB takes the top GUEST_DTB_MAX bytes of the first triplet, an initrd the pages
     * right below it, the image the rest from its load offset up. */
    if (m->size < 2 * GUEST_DTB_MAX) {
        return -E2BIG;
    }
    dtb_off = m->size - GUEST_DTB_MAX;
    room = dtb_off;
    if (lp->rd.size != 0) {
        if (ALIGN_UP(lp->rd.size, PAGE_SIZE) > room) {
            return -E2BIG;
        }
        lp->rd_off = ALIGN_DOWN(room - lp->rd.size, PAGE_SIZE);
        room = lp->rd_off;
    }
    lp->limit = gpa_val(m->guest) + room;
    /* An executable format the arch knows places itself (checked only, nothing copied);
     * anything else is a raw binary at the arch's load offset. */
    ret = arch_image_load_exec(p, lp->img.data, lp->img.size, lp->limit, &entry, false);
    if (ret < 0) {
        partition_printf(p, "image \"%s\": %s\n", p->config->image, errno_name(ret));
        return ret;
    }
    lp->exec = ret > 0;
    if (!lp->exec) {
        lp->offset = arch_image_load_offset(lp->img.data, lp->img.size);
        if (lp->offset > room || lp->img.size > room - lp->offset) {
            partition_printf(p, "image of %zu bytes at +%#llx does not fit in %#llx\n",
                             lp->img.size, (unsigned long long)lp->offset,
                             (unsigned long long)room);
            return -E2BIG;
        }
        entry = gpa(gpa_val(m->guest) + lp->offset);
    }
    p->initrd = gpa(gpa_val(m->guest) + lp->rd_off);
    p->initrd_size = lp->rd.size;
    p->image_entry = entry;
    p->dtb = gpa(gpa_val(m->guest) + dtb_off);
    return 0;
}

int partition_load(struct partition *p)
{
    const struct hv_config_mem *m = &p->layout->mem[p->config->mem_first];
    struct load_plan lp;
    gpa_t entry;
    void *dtb;
    int len, err;

    err = load_plan(p, true, &lp);
    if (err != 0) {
        return err;
    }
    dtb = arch_phys_to_virt(hpa(hpa_val(m->host) + (gpa_val(p->dtb) - gpa_val(m->guest))),
                            GUEST_DTB_MAX);
    if (dtb == NULL) {
        return -EFAULT;
    }
    err = scrub_memory(p);
    if (err == 0 && lp.exec) {
        /* Checked again on the verified copy, then copied: 1 (or an error) as planned. */
        err = arch_image_load_exec(p, lp.img.data, lp.img.size, lp.limit, &entry, true);
        err = err > 0 ? 0 : err == 0 ? -ENOEXEC : err;
    } else if (err == 0) {
        err = copy_image(hpa(hpa_val(m->host) + lp.offset), &lp.img);
    }
    if (err == 0 && lp.rd.size != 0) {
        err = copy_image(hpa(hpa_val(m->host) + lp.rd_off), &lp.rd);
    }
    if (err != 0) {
        return err;
    }
    len = guest_dtb_build(p, dtb, GUEST_DTB_MAX);
    err = len < 0
              ? len
              : arch_guest_boot_info(p, dtb, p->dtb, GUEST_DTB_MAX, (size_t)len, &p->boot_context);
    if (err != 0) {
        partition_printf(p, "%s: %s\n", len < 0 ? "guest DTB" : "boot information",
                         errno_name(err));
        return err;
    }
    arch_guest_mem_sync(dtb, (size_t)len); /* the rest was scrubbed, lines cleaned */
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Creation                                                                                   */

/* The boot CPU (0) is one like any other: once set-up is over it enters its vCPU
 * (partitions_start()). */
unsigned int partition_cpu_of_hwid(uint64_t hwid)
{
    unsigned int online = hv_cpus_online();

    for (unsigned int cpu = 0; cpu < online && cpu < CONFIG_NR_CPUS; cpu++) {
        if (arch_cpu_hwid(cpu) == hwid) {
            return cpu;
        }
    }
    return UINT32_MAX;
}

int partition_route_irqs(struct partition *p)
{
    unsigned int cells = arch_irq_dt_cells();

    for (unsigned int i = 0; i < p->config->dev_count; i++) {
        const struct hv_config_device *d = &p->layout->devices[p->config->dev_first + i];

        for (unsigned int c = 0; c + cells <= d->nr_irq_cells; c += cells) {
            uint32_t irq;
            int err = arch_irq_from_dt(&d->irq_cells[c], cells, &irq);

            if (err == 0) {
                err = arch_irq_route(p, irq);
            }
            if (err != 0) {
                partition_printf(p, "%s: interrupts: specifier %u: %s\n", d->path, c / cells,
                                 errno_name(err));
                return err;
            }
        }
    }
    return partition_pci_route_irqs(p);
}

static int partition_setup(struct partition *p, const struct pt_mm_ops *mm)
{
    int err;

    if (p->config->cpu_count > PARTITION_MAX_VCPUS) {
        partition_printf(p, "more than %d CPUs\n", PARTITION_MAX_VCPUS);
        return -E2BIG;
    }
    p->nr_vcpus = p->config->cpu_count;
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        struct vcpu *v = &p->vcpus[i];
        const struct hv_config_cpu *c = &p->layout->cpus[p->config->cpu_first + i];

        v->part = p;
        v->index = i;
        v->state = VCPU_OFF;
        v->cpu = partition_cpu_of_hwid(c->hwid);
        if (v->cpu == UINT32_MAX) {
            partition_printf(p, "vcpu %u: %s is not online\n", i, c->name);
        } else {
            per_cpu(v->cpu)->vcpu = v;
        }
    }
    err = pt_init(&p->stage2, arch_stage2_format(), mm, &hv_page_pool, arch_stage2_depth());
    if (err != 0) {
        partition_printf(p, "stage-2 root: %s\n", errno_name(err));
        return err;
    }
    err = arch_partition_init(p);
    /* Passed-through interrupts before the virtual devices, which take virtual ones around
     * them (arch_irq_virtual_alloc()). */
    if (err == 0) {
        err = partition_route_irqs(p);
    }
    /* Virtual devices next: an emulated region that clashes with what the partition maps is
     * a configuration error, found before anything is mapped. */
    if (err == 0) {
        err = vdev_partition_init(p);
    }
    if (err == 0) {
        err = partition_dma_init(p);
    }
    if (err == 0) {
        spin_lock(&p->lock);
        err = partition_map(p);
        spin_unlock(&p->lock);
    }
    if (err != 0) {
        return err;
    }
    partition_dma_print(p);
    if (p->config->image != NULL) {
        struct load_plan lp;

        /* Located, not verified: only the image header is read here (for its load offset).
         * The partition's own boot CPU verifies the digest, scrubs and loads when it picks up
         * vCPU 0 (vcpu_cpu_main()): partitions fill their RAM in parallel, and no CPU writes
         * the memory of a partition it does not belong to. */
        err = load_plan(p, false, &lp);
        p->load_pending = err == 0;
    }
    return err;
}

int partition_init(struct partition *p, const struct hv_config *cfg, unsigned int index,
                   const struct pt_mm_ops *mm)
{
    int err;

    memset(p, 0, sizeof(*p));
    spin_lock_init_class(&p->lock, &partition_lock_class);
    p->layout = cfg;
    p->config = &cfg->partitions[index];
    p->index = index;
    err = partition_setup(p, mm);
    if (err != 0) {
        spin_lock(&p->lock);
        partition_unmap(p);
        arch_irq_release(p);
        spin_unlock(&p->lock);
        __atomic_store_n(&p->state, PARTITION_FAILED, __ATOMIC_RELEASE);
        partition_printf(p, "setup failed: %s\n", errno_name(err));
        return err;
    }
    __atomic_store_n(&p->state, PARTITION_READY, __ATOMIC_RELEASE);
    return 0;
}

bool partition_stopped(const struct partition *p)
{
    int s = partition_state(p);

    return s != PARTITION_RUNNING && s != PARTITION_RESETTING;
}

const char *partition_state_name(int state)
{
    static const char *const names[] = {
        [PARTITION_NONE] = "none",           [PARTITION_FAILED] = "failed",
        [PARTITION_READY] = "not started",   [PARTITION_RUNNING] = "running",
        [PARTITION_RESETTING] = "resetting", [PARTITION_OFF] = "off",
        [PARTITION_HALTED] = "halted",       [PARTITION_FAULTED] = "faulted",
    };

    return state >= 0 && (unsigned int)state < ARRAY_SIZE(names) ? names[state] : "?";
}

int partition_start(struct partition *p)
{
    struct vcpu *v0 = &p->vcpus[0];

    if (partition_state(p) != PARTITION_READY) {
        return -EINVAL;
    }
    if (p->config->image == NULL || p->nr_vcpus == 0 || v0->cpu == UINT32_MAX) {
        return -ENODEV;
    }
    __atomic_store_n(&p->state, PARTITION_RUNNING, __ATOMIC_RELEASE);
    partition_printf(p, "starting vcpu 0 on cpu%u at %#llx, DTB at %#llx\n", v0->cpu,
                     (unsigned long long)gpa_val(p->image_entry),
                     (unsigned long long)gpa_val(p->dtb));
    vcpu_post_start(v0, p->image_entry, p->boot_context);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Guest memory access for hypercalls                                                         */

int partition_read_guest(struct partition *p, gpa_t addr, void *buf, size_t len)
{
    uint64_t a = gpa_val(addr);
    uint8_t *out = buf;
    int err = 0;

    /* Never trust the guest's numbers: reject wrap-around before any arithmetic on them. */
    if (len != 0 && a + len < a) {
        return -EFAULT;
    }
    spin_lock(&p->lock);
    while (len != 0) {
        uint64_t chunk = MIN(PAGE_SIZE - (a & (PAGE_SIZE - 1)), len);
        struct pt_attrs attrs;
        hpa_t host;
        const void *src = NULL;

        if (pt_lookup(&p->stage2, a, &host, &attrs, NULL) == 0 && attrs.r &&
            attrs.type != PT_MEM_DEVICE) {
            src = arch_phys_to_virt(host, (size_t)chunk);
        }
        if (src == NULL) {
            err = -EFAULT;
            break;
        }
        memcpy(out, src, (size_t)chunk);
        out += chunk;
        a += chunk;
        len -= (size_t)chunk;
    }
    spin_unlock(&p->lock);
    return err;
}

/* ------------------------------------------------------------------------------------------ */
/* State table                                                                                */

void partition_print_states(void)
{
    hv_printf("partitions: %-3s %-12s %-12s %-5s %-6s %s\n", "id", "label", "state", "vcpus",
              "resets", "verdict");
    for (unsigned int i = 0; i < nr_partitions; i++) {
        const struct partition *p = &partitions[i];
        unsigned int on = 0;
        char verdict[24] = "-";

        for (unsigned int j = 0; j < p->nr_vcpus; j++) {
            on += vcpu_state(&p->vcpus[j]) != VCPU_OFF;
        }
        if (p->verdict_seen) {
            (void)hv_snprintf(verdict, sizeof(verdict), "%s (%llu)",
                              p->verdict == 0 ? "pass" : "fail", (unsigned long long)p->verdict);
        }
        hv_printf("partitions: %-3u %-12s %-12s %u/%-3u %-6u %s\n", p->config->id, p->config->label,
                  partition_state_name(partition_state(p)), on, p->nr_vcpus, p->boot_count,
                  verdict);
    }
}
