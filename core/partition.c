// SPDX-License-Identifier: Apache-2.0
/*
 * Partitions: creation from the configuration, stage-2 mapping (all-or-nothing), image and
 * DTB loading, and the vCPU life cycle (start, park, off, stop, reset, fault containment).
 * The design is described in include/hv/partition.h.
 *
 * Stopping other vCPUs without interrupts: a partition that stops loses its whole stage-2
 * mapping first (and the walker's flush invalidates the TLBs of every CPU, Arm ARM D8.13.5
 * broadcast TLB maintenance). A vCPU still running elsewhere then takes a stage-2 fault at
 * its very next instruction fetch; its trap handler sees the partition is no longer running
 * (vcpu_check_running) and parks quietly. Guest WFI/WFE are trapped by the arch, so a vCPU
 * asleep in WFI notices too.
 */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/vcpu.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/guest_image.h>
#include <hv/page_alloc.h>
#include <hv/partition.h>
#include <hv/percpu.h>
#include <hv/string.h>

struct partition partitions[HV_MAX_PARTITIONS];
unsigned int nr_partitions;

static LOCK_CLASS(partition_lock_class, "partition", LOCK_RANK_PARTITION);

/* ------------------------------------------------------------------------------------------ */
/* Stage-2 page-table callbacks: tables from the hypervisor pool, flush through the arch      */

static void s2_flush(struct pgtable *pt, uint64_t in_addr, uint64_t size)
{
    (void)in_addr;
    (void)size;
    /* Whole-VMID invalidation: unmaps happen only when a partition stops or resets. */
    arch_stage2_flush(container_of(pt, struct partition, stage2));
}

static const struct pt_mm_ops s2_mm = {
    .alloc_table = page_pool_pt_alloc,
    .free_table = page_pool_pt_free,
    .phys_to_virt = page_pool_pt_virt,
    .flush = s2_flush,
};

const struct pt_mm_ops *partition_pt_mm = &s2_mm;

/* ------------------------------------------------------------------------------------------ */
/* Mapping                                                                                     */

static const char *part_label(const struct partition *p)
{
    return p->cfg->label;
}

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

int partition_map_range(struct partition *p, gpa_t guest, hpa_t host, uint64_t size,
                        const struct pt_attrs *attrs, const char *what, const char *name)
{
    int err = pt_map(&p->stage2, gpa_val(guest), host, size, attrs);

    if (err != 0) {
        hv_printf("partition %u \"%s\": mapping %s%s%s failed at guest page %#llx: %s\n",
                  p->cfg->id, part_label(p), what, name != NULL ? " " : "",
                  name != NULL ? name : "",
                  (unsigned long long)failed_page(p, gpa_val(guest), size, err), errno_name(err));
    }
    return err;
}

void partition_unmap_range(struct partition *p, gpa_t guest, uint64_t size)
{
    int err = pt_unmap(&p->stage2, gpa_val(guest), size);

    /* Unmapping whole ranges that were mapped whole never splits a block, so never needs a
     * table: an error here is a bug in the bookkeeping, reported rather than ignored. */
    if (err != 0) {
        hv_printf("partition %u \"%s\": unmap %#llx+%#llx failed: %s\n", p->cfg->id, part_label(p),
                  (unsigned long long)gpa_val(guest), (unsigned long long)size, errno_name(err));
    }
}

/* Guest RAM: Normal write-back, read-write-execute (the guest decides at stage 1). */
static const struct pt_attrs ram_attrs = {
    .r = true, .w = true, .x = true, .type = PT_MEM_NORMAL_WB};
/* Passed-through MMIO: Device-nGnRE, never executable. */
static const struct pt_attrs dev_attrs = {.r = true, .w = true, .x = false, .type = PT_MEM_DEVICE};

/*
 * Steps of the full mapping, in order: memory triplets, shared regions, device ranges. Step
 * numbers let the rollback undo exactly the steps that succeeded.
 */
static unsigned int map_steps(const struct partition *p)
{
    return p->cfg->mem_count + p->cfg->shm_count + p->cfg->dev_count * HV_CONFIG_MAX_DEV_REGS;
}

static int map_step(struct partition *p, unsigned int step)
{
    const struct hv_config *cfg = p->config;
    const struct hv_config_partition *pc = p->cfg;

    if (step < pc->mem_count) {
        const struct hv_config_mem *m = &cfg->mem[pc->mem_first + step];

        return partition_map_range(p, m->guest, m->host, m->size, &ram_attrs, "memory", NULL);
    }
    step -= pc->mem_count;
    if (step < pc->shm_count) {
        return shm_map(p, pc->shm_first + step);
    }
    step -= pc->shm_count;
    {
        const struct hv_config_device *d =
            &cfg->devices[pc->dev_first + step / HV_CONFIG_MAX_DEV_REGS];
        unsigned int r = step % HV_CONFIG_MAX_DEV_REGS;

        if (r >= d->nr_regs || d->regs[r].pio) {
            return 0; /* no such range, or I/O ports: nothing in stage 2 */
        }
        return partition_map_range(p, gpa(d->regs[r].base), hpa(d->regs[r].base), d->regs[r].size,
                                   &dev_attrs, "device", d->path);
    }
}

static void unmap_step(struct partition *p, unsigned int step)
{
    const struct hv_config *cfg = p->config;
    const struct hv_config_partition *pc = p->cfg;

    if (step < pc->mem_count) {
        const struct hv_config_mem *m = &cfg->mem[pc->mem_first + step];

        partition_unmap_range(p, m->guest, m->size);
        return;
    }
    step -= pc->mem_count;
    if (step < pc->shm_count) {
        shm_unmap(p, pc->shm_first + step);
        return;
    }
    step -= pc->shm_count;
    {
        const struct hv_config_device *d =
            &cfg->devices[pc->dev_first + step / HV_CONFIG_MAX_DEV_REGS];
        unsigned int r = step % HV_CONFIG_MAX_DEV_REGS;

        if (r < d->nr_regs && !d->regs[r].pio) {
            partition_unmap_range(p, gpa(d->regs[r].base), d->regs[r].size);
        }
    }
}

/*
 * IOMMU: a partition's DMA-capable devices would need the same memory mapped in their IOMMU
 * domain (iommu_map_range, include/hv/iommu.h). The configuration does not yet name stream /
 * requester ids for passed-through devices, so no domain is created here yet.
 */
int partition_map(struct partition *p)
{
    unsigned int n = map_steps(p);

    if (p->mapped) {
        return 0;
    }
    for (unsigned int step = 0; step < n; step++) {
        int err = map_step(p, step);

        if (err != 0) {
            while (step-- > 0) {
                unmap_step(p, step);
            }
            return err;
        }
    }
    p->mapped = true;
    return 0;
}

void partition_unmap(struct partition *p)
{
    unsigned int n = map_steps(p);

    if (!p->mapped) {
        return;
    }
    for (unsigned int step = n; step-- > 0;) {
        unmap_step(p, step);
    }
    p->mapped = false;
}

/* ------------------------------------------------------------------------------------------ */
/* Image and DTB                                                                              */

/* Verify one staged image of p, reporting a refusal by partition, property and path. */
static int staged_image(const struct partition *p, const char *prop, const char *path,
                        const struct hv_config_staged *st, struct guest_image *img)
{
    int err = guest_image_verify(path, st, img);

    if (err == -EBADMSG) {
        hv_printf("partition %u \"%s\": %s \"%s\": SHA-256 of the staged copy at %#llx (%llu "
                  "bytes) does not match the build's: refused\n",
                  p->cfg->id, part_label(p), prop, path, (unsigned long long)hpa_val(st->base),
                  (unsigned long long)st->size);
    } else if (err != 0) {
        hv_printf("partition %u \"%s\": %s \"%s\": %s\n", p->cfg->id, part_label(p), prop, path,
                  err == -ENOENT ? "not staged by the build" : "staged copy unreachable");
    }
    return err;
}

/* Zero every RAM range of p: each boot starts from scrubbed memory. Shared regions keep
 * their contents (other partitions use them). */
static int scrub_memory(struct partition *p)
{
    for (unsigned int i = 0; i < p->cfg->mem_count; i++) {
        const struct hv_config_mem *r = &p->config->mem[p->cfg->mem_first + i];
        void *va = arch_phys_to_virt(r->host, (size_t)r->size);

        if (va == NULL) {
            return -EFAULT;
        }
        memset(va, 0, (size_t)r->size);
        arch_guest_mem_sync(va, (size_t)r->size);
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
    memcpy(dst, img->data, img->size);
    arch_guest_mem_sync(dst, img->size);
    return 0;
}

int partition_load(struct partition *p)
{
    const struct hv_config_mem *m = &p->config->mem[p->cfg->mem_first];
    struct guest_image img, rd = {NULL, NULL, 0};
    uint64_t offset, room, dtb_off, rd_off = 0;
    void *dtb;
    int len, err;

    if (p->cfg->image == NULL) {
        return -ENOENT;
    }
    err = staged_image(p, "image", p->cfg->image, &p->cfg->image_staged, &img);
    if (err == 0 && p->cfg->initrd != NULL) {
        err = staged_image(p, "initrd", p->cfg->initrd, &p->cfg->initrd_staged, &rd);
    }
    if (err != 0) {
        return err;
    }
    /* The DTB takes the top GUEST_DTB_MAX bytes of the first triplet, an initrd the pages
     * right below it, the image the rest from its load offset up. */
    if (m->size < 2 * GUEST_DTB_MAX) {
        return -E2BIG;
    }
    dtb_off = m->size - GUEST_DTB_MAX;
    room = dtb_off;
    if (rd.size != 0) {
        if (ALIGN_UP(rd.size, PAGE_SIZE) > room) {
            return -E2BIG;
        }
        rd_off = ALIGN_DOWN(room - rd.size, PAGE_SIZE);
        room = rd_off;
    }
    offset = arch_image_load_offset(img.data, img.size);
    if (offset > room || img.size > room - offset) {
        hv_printf("partition %u \"%s\": image of %zu bytes at +%#llx does not fit in %#llx\n",
                  p->cfg->id, part_label(p), img.size, (unsigned long long)offset,
                  (unsigned long long)room);
        return -E2BIG;
    }
    dtb = arch_phys_to_virt(hpa(hpa_val(m->host) + dtb_off), GUEST_DTB_MAX);
    if (dtb == NULL) {
        return -EFAULT;
    }
    err = scrub_memory(p);
    if (err == 0) {
        err = copy_image(hpa(hpa_val(m->host) + offset), &img);
    }
    if (err == 0 && rd.size != 0) {
        err = copy_image(hpa(hpa_val(m->host) + rd_off), &rd);
    }
    if (err != 0) {
        return err;
    }
    p->initrd = gpa(gpa_val(m->guest) + rd_off);
    p->initrd_size = rd.size;
    len = guest_dtb_build(p, dtb, GUEST_DTB_MAX);
    if (len < 0) {
        hv_printf("partition %u \"%s\": guest DTB: %s\n", p->cfg->id, part_label(p),
                  errno_name(len));
        return len;
    }
    arch_guest_mem_sync(dtb, (size_t)len);
    p->image_size = img.size;
    p->image_entry = gpa(gpa_val(m->guest) + offset);
    p->dtb = gpa(gpa_val(m->guest) + dtb_off);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Creation                                                                                   */

/* The online logical CPU whose hardware id is hwid, or UINT32_MAX. CPU 0 is never given. */
static unsigned int cpu_by_hwid(uint64_t hwid)
{
    unsigned int online = hv_cpus_online();

    for (unsigned int cpu = 1; cpu < online && cpu < CONFIG_NR_CPUS; cpu++) {
        if (arch_cpu_hwid(cpu) == hwid) {
            return cpu;
        }
    }
    return UINT32_MAX;
}

static int partition_setup(struct partition *p)
{
    int err;

    if (p->cfg->cpu_count > PARTITION_MAX_VCPUS) {
        hv_printf("partition %u \"%s\": more than %d CPUs\n", p->cfg->id, part_label(p),
                  PARTITION_MAX_VCPUS);
        return -E2BIG;
    }
    p->nr_vcpus = p->cfg->cpu_count;
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        struct vcpu *v = &p->vcpus[i];
        const struct hv_config_cpu *c = &p->config->cpus[p->cfg->cpu_first + i];

        v->part = p;
        v->index = i;
        v->state = VCPU_OFF;
        v->cpu = cpu_by_hwid(c->hwid);
        if (v->cpu == UINT32_MAX) {
            hv_printf("partition %u \"%s\": vcpu %u: %s is not online\n", p->cfg->id, part_label(p),
                      i, c->name);
        } else {
            per_cpu(v->cpu)->vcpu = v;
        }
    }
    err = pt_init(&p->stage2, arch_stage2_format(), partition_pt_mm, &hv_page_pool,
                  arch_stage2_depth());
    if (err != 0) {
        hv_printf("partition %u \"%s\": stage-2 root: %s\n", p->cfg->id, part_label(p),
                  errno_name(err));
        return err;
    }
    err = arch_partition_init(p);
    if (err != 0) {
        return err;
    }
    /* Emulated MMIO regions first: one that clashes with what the partition maps is a
     * configuration error, found before anything is mapped. */
    err = vmmio_partition_init(p);
    if (err != 0) {
        return err;
    }
    spin_lock(&p->lock);
    err = partition_map(p);
    spin_unlock(&p->lock);
    if (err != 0) {
        return err;
    }
    if (p->cfg->image != NULL) {
        err = partition_load(p);
    }
    return err;
}

int partition_init(struct partition *p, const struct hv_config *cfg, unsigned int index)
{
    int err;

    memset(p, 0, sizeof(*p));
    spin_lock_init_class(&p->lock, &partition_lock_class);
    p->config = cfg;
    p->cfg = &cfg->partitions[index];
    p->index = index;
    err = partition_setup(p);
    if (err != 0) {
        spin_lock(&p->lock);
        partition_unmap(p);
        spin_unlock(&p->lock);
        __atomic_store_n(&p->state, PARTITION_FAILED, __ATOMIC_RELEASE);
        hv_printf("partition %u \"%s\": setup failed: %s\n", p->cfg->id, part_label(p),
                  errno_name(err));
        return err;
    }
    __atomic_store_n(&p->state, PARTITION_READY, __ATOMIC_RELEASE);
    return 0;
}

struct partition *partition_by_id(uint32_t id)
{
    for (unsigned int i = 0; i < nr_partitions; i++) {
        if (partitions[i].cfg != NULL && partitions[i].cfg->id == id) {
            return &partitions[i];
        }
    }
    return NULL;
}

static int pstate(const struct partition *p)
{
    return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
}

static int vstate(const struct vcpu *v)
{
    return __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
}

static void set_vstate(struct vcpu *v, int state)
{
    __atomic_store_n(&v->state, state, __ATOMIC_RELEASE);
}

bool partition_stopped(const struct partition *p)
{
    int s = pstate(p);

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

/* Post vCPU v's start: its CPU picks it up in vcpu_cpu_main(). */
static void post_start(struct vcpu *v, gpa_t entry, uint64_t context)
{
    v->entry = entry;
    v->context = context;
    set_vstate(v, VCPU_ON_PENDING);
    arch_cpu_kick();
}

int partition_start(struct partition *p)
{
    struct vcpu *v0 = &p->vcpus[0];

    if (pstate(p) != PARTITION_READY) {
        return -EINVAL;
    }
    if (p->image_size == 0 && p->cfg->image == NULL) {
        return -ENODEV;
    }
    if (p->nr_vcpus == 0 || v0->cpu == UINT32_MAX) {
        return -ENODEV;
    }
    __atomic_store_n(&p->state, PARTITION_RUNNING, __ATOMIC_RELEASE);
    hv_printf("partition %u \"%s\": starting vcpu 0 on cpu%u at %#llx, DTB at %#llx\n", p->cfg->id,
              part_label(p), v0->cpu, (unsigned long long)gpa_val(p->image_entry),
              (unsigned long long)gpa_val(p->dtb));
    post_start(v0, p->image_entry, gpa_val(p->dtb));
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
    if (len == 0) {
        return 0;
    }
    if (a + len < a) {
        return -EFAULT;
    }
    spin_lock(&p->lock);
    while (len != 0) {
        uint64_t chunk = PAGE_SIZE - (a & (PAGE_SIZE - 1));
        struct pt_attrs attrs;
        hpa_t host;
        const void *src;

        if (chunk > len) {
            chunk = len;
        }
        if (pt_lookup(&p->stage2, a, &host, &attrs, NULL) != 0 || !attrs.r ||
            attrs.type == PT_MEM_DEVICE) {
            err = -EFAULT;
            break;
        }
        src = arch_phys_to_virt(host, (size_t)chunk);
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
/* vCPU life cycle                                                                            */

struct vcpu *vcpu_of_cpu(unsigned int cpu)
{
    return cpu < CONFIG_NR_CPUS ? per_cpu(cpu)->vcpu : NULL;
}

void vcpu_cpu_main(unsigned int cpu)
{
    for (;;) {
        struct vcpu *v = vcpu_of_cpu(cpu);
        int expected = VCPU_ON_PENDING;

        if (v != NULL && __atomic_compare_exchange_n(&v->state, &expected, VCPU_ON, false,
                                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            if (pstate(v->part) == PARTITION_RUNNING) {
                arch_vcpu_reset(v, v->entry, v->context);
                arch_vcpu_run(v);
            }
            set_vstate(v, VCPU_OFF);
            continue;
        }
        arch_cpu_wait();
    }
}

void vcpu_park(struct vcpu *v)
{
    int expected = VCPU_ON;

    /* ON -> OFF only: a vCPU that turned itself off (vcpu_off) is already OFF, and a sibling's
     * CPU_ON may have posted a start (ON_PENDING) since, which vcpu_cpu_main() must run. */
    (void)__atomic_compare_exchange_n(&v->state, &expected, VCPU_OFF, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE);
    arch_cpu_kick();
    vcpu_cpu_main(v->cpu);
}

void vcpu_check_running(struct vcpu *v)
{
    if (pstate(v->part) != PARTITION_RUNNING) {
        vcpu_park(v);
    }
}

/*
 * Stop p (lock held), on behalf of vCPU self (or NULL): remove every mapping (other vCPUs
 * trap and park), cancel pending starts, report, and only then publish the final state, so
 * that the boot CPU, which ends the run once every partition reads as stopped, never cuts
 * the report short. Meanwhile the partition reads as RESETTING: neither running (its vCPUs
 * park) nor stopped.
 */
static void stop_locked(struct partition *p, int state, struct vcpu *self)
{
    __atomic_store_n(&p->state, PARTITION_RESETTING, __ATOMIC_RELEASE);
    partition_unmap(p);
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        int expected = VCPU_ON_PENDING;

        (void)__atomic_compare_exchange_n(&p->vcpus[i].state, &expected, VCPU_OFF, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    }
    if (self != NULL) {
        set_vstate(self, VCPU_OFF);
    }
    hv_printf("partition %u \"%s\": stopped\n", p->cfg->id, part_label(p));
    __atomic_store_n(&p->state, state, __ATOMIC_RELEASE);
    arch_cpu_kick();
}

int vcpu_start(struct vcpu *v, unsigned int target, gpa_t entry, uint64_t context)
{
    struct partition *p = v->part;
    struct pt_attrs attrs;
    struct vcpu *t;
    int err = 0;

    if (target >= p->nr_vcpus) {
        return -EINVAL;
    }
    t = &p->vcpus[target];
    spin_lock(&p->lock);
    if (t->cpu == UINT32_MAX) {
        err = -EINVAL;
    } else if (vstate(t) == VCPU_ON) {
        err = -EEXIST;
    } else if (vstate(t) == VCPU_ON_PENDING) {
        err = -EBUSY;
    } else if (pt_lookup(&p->stage2, gpa_val(entry), NULL, &attrs, NULL) != 0 || !attrs.x) {
        err = -EFAULT;
    } else {
        post_start(t, entry, context);
    }
    spin_unlock(&p->lock);
    return err;
}

int vcpu_affinity(struct vcpu *v, unsigned int target)
{
    if (target >= v->part->nr_vcpus) {
        return -EINVAL;
    }
    return vstate(&v->part->vcpus[target]);
}

void vcpu_off(struct vcpu *v)
{
    struct partition *p = v->part;
    bool any = false;

    spin_lock(&p->lock);
    set_vstate(v, VCPU_OFF);
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        any = any || vstate(&p->vcpus[i]) != VCPU_OFF;
    }
    if (!any && pstate(p) == PARTITION_RUNNING) {
        hv_printf("partition %u \"%s\": every vCPU is off\n", p->cfg->id, part_label(p));
        stop_locked(p, PARTITION_HALTED, v);
    }
    spin_unlock(&p->lock);
    vcpu_park(v);
}

void partition_system_off(struct vcpu *v)
{
    struct partition *p = v->part;

    spin_lock(&p->lock);
    if (pstate(p) == PARTITION_RUNNING) {
        hv_printf("partition %u \"%s\" vcpu %u: system off\n", p->cfg->id, part_label(p), v->index);
        stop_locked(p, PARTITION_OFF, v);
    }
    spin_unlock(&p->lock);
    vcpu_park(v);
}

void partition_fault(struct vcpu *v, const char *what, uint64_t syndrome, gpa_t addr)
{
    struct partition *p = v->part;

    spin_lock(&p->lock);
    if (pstate(p) == PARTITION_RUNNING) {
        hv_printf("partition %u \"%s\" vcpu %u: %s: " ARCH_SYNDROME_NAME " 0x%llx guest address "
                  "0x%llx\n",
                  p->cfg->id, part_label(p), v->index, what, (unsigned long long)syndrome,
                  (unsigned long long)gpa_val(addr));
        p->fault_syndrome = syndrome;
        stop_locked(p, PARTITION_FAULTED, v);
    }
    spin_unlock(&p->lock);
    vcpu_park(v);
}

void partition_reset(struct vcpu *v)
{
    struct partition *p = v->part;
    int err;

    spin_lock(&p->lock);
    if (pstate(p) != PARTITION_RUNNING) {
        spin_unlock(&p->lock);
        vcpu_park(v);
    }
    hv_printf("partition %u \"%s\" vcpu %u: system reset\n", p->cfg->id, part_label(p), v->index);
    __atomic_store_n(&p->state, PARTITION_RESETTING, __ATOMIC_RELEASE);
    partition_unmap(p);
    set_vstate(v, VCPU_OFF);
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        int expected = VCPU_ON_PENDING;

        (void)__atomic_compare_exchange_n(&p->vcpus[i].state, &expected, VCPU_OFF, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    }
    spin_unlock(&p->lock);
    arch_cpu_kick();
    /* Every other vCPU traps at its next access (no mapping left) and parks. */
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        while (vstate(&p->vcpus[i]) != VCPU_OFF) {
            arch_cpu_relax();
        }
    }
    spin_lock(&p->lock);
    p->boot_count++;
    vuart_reset(p);
    /* A line a vCPU left half-written belongs to the previous boot: drop it. */
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        p->vcpus[i].line_len = 0;
    }
    err = partition_map(p);
    if (err == 0) {
        err = partition_load(p);
    }
    if (err != 0) {
        hv_printf("partition %u \"%s\": reset failed: %s\n", p->cfg->id, part_label(p),
                  errno_name(err));
        stop_locked(p, PARTITION_FAILED, v);
        spin_unlock(&p->lock);
        vcpu_park(v);
    }
    __atomic_store_n(&p->state, PARTITION_RUNNING, __ATOMIC_RELEASE);
    post_start(&p->vcpus[0], p->image_entry, gpa_val(p->dtb));
    spin_unlock(&p->lock);
    /* vCPU 0's CPU picks the start up; when that is this CPU, right away. */
    vcpu_cpu_main(v->cpu);
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
            on += vstate(&p->vcpus[j]) != VCPU_OFF;
        }
        if (p->verdict_seen) {
            (void)hv_snprintf(verdict, sizeof(verdict), "%s (%llu)",
                              p->verdict == 0 ? "pass" : "fail", (unsigned long long)p->verdict);
        }
        hv_printf("partitions: %-3u %-12s %-12s %u/%-3u %-6u %s\n", p->cfg->id, part_label(p),
                  partition_state_name(pstate(p)), on, p->nr_vcpus, p->boot_count, verdict);
    }
}
