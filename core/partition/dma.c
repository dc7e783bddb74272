// SPDX-License-Identifier: Apache-2.0
/*
 * DMA isolation of partitions (include/hv/partition.h, docs/iommu.md). A partition whose
 * configuration names DMA masters behind an IOMMU (hv_config.dma) gets one IOMMU domain,
 * id = partition id, that mirrors its stage-2 map of memory and shared regions with the same
 * access, so its devices reach exactly what its CPUs reach and a read-only window stays
 * read-only for DMA. Device MMIO is not mirrored (no peer-to-peer DMA).
 *
 * Life cycle. partition_map() builds the domain before it maps anything: set up, masters
 * assigned (blocked until the first notify gives the domain a root), then ONE notify with the
 * highest DFN it will map (the seed's rule: growth never happens in the map path); every
 * memory range and window is then mapped into stage 2 and the domain together
 * (partition_map_mem). partition_unmap() tears the domain down first (masters blocked, tables
 * freed), so a stop or reset leaves no table page behind and no device reaching the memory
 * being handed back. Lock order: p->lock (LOCK_RANK_PARTITION) is held around all of it and
 * ranks below the IOMMU locks (include/hv/lockorder.h).
 *
 * Faults. The IOMMU drivers report each fault with its domain (drivers/iommu/iommu.c, rate
 * limited); partition_dma_fault() names the partition and the device and stops the partition
 * like a CPU fault. Where the unit's fault interrupts are wired (SMMUv3 "eventq" and
 * "gerror"), partition_dma_irq_start() claims them on the CPU of the partition behind the
 * unit (or the configured "interrupt-cpu"), so the queue is drained there, in the interrupt,
 * while every CPU runs a partition; a stream that keeps faulting is disabled by the IOMMU
 * core (IOMMU_STREAM_FAULT_LIMIT), which bounds what a partition's device can make any CPU
 * do. Elsewhere a CPU the layout leaves to the hypervisor polls (partition_boot.c).
 */
#include <arch/irq.h>
#include <arch/smp.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/printf.h>
#include <hv/string.h>

/* The registered IOMMU unit whose MMIO base is base, or NULL. */
static struct iommu *iommu_at(uint64_t base)
{
    for (struct iommu *u = iommu_first(); u != NULL; u = u->next) {
        if (u->base == base) {
            return u;
        }
    }
    return NULL;
}

int partition_dma_init(struct partition *p)
{
    const struct hv_config_partition *c = p->config;
    struct partition_dma *d = &p->dma;
    struct iommu *unit = NULL;

    d->nr_devs = 0;
    for (unsigned int i = c->dma_first; i < c->dma_first + c->dma_count; i++) {
        const struct hv_config_dma *m = &p->layout->dma[i];
        struct iommu *u;

        if (!m->isolated) {
            partition_printf(p, "device %s: DMA not isolated (dma-isolation \"none\")\n", m->name);
            continue;
        }
        u = iommu_at(m->iommu);
        if (u == NULL) {
            partition_printf(p, "device %s: its IOMMU at %#llx is not running\n", m->name,
                             (unsigned long long)m->iommu);
            return -ENODEV;
        }
        if (unit != NULL && u != unit) {
            partition_printf(p,
                             "device %s is behind %s, the others behind %s: one "
                             "domain per partition\n",
                             m->name, u->name, unit->name);
            return -EINVAL;
        }
        if (d->nr_devs == PARTITION_MAX_DMA) {
            partition_printf(p, "more than %d DMA masters\n", PARTITION_MAX_DMA);
            return -E2BIG;
        }
        unit = u;
        d->devs[d->nr_devs] = (struct iommu_device){.iommu = u, .sid = m->sid};
        d->cfg_index[d->nr_devs++] = (uint16_t)i;
    }
    return 0;
}

int partition_dma_up(struct partition *p, dfn_t last_dfn)
{
    struct partition_dma *d = &p->dma;
    int err;

    if (d->nr_devs == 0 || d->up) {
        return 0;
    }
    err = iommu_domain_init(&d->domain, d->devs[0].iommu, (uint16_t)p->config->id);
    if (err != 0) {
        return err;
    }
    for (unsigned int i = 0; i < d->nr_devs && err == 0; i++) {
        err = iommu_assign_device(&d->domain, &d->devs[i]);
        if (err != 0) {
            partition_printf(p, "device %s (stream %#x): assignment failed: %s\n",
                             p->layout->dma[d->cfg_index[i]].name, d->devs[i].sid, errno_name(err));
        }
    }
    /* One notify for the whole partition, before any map: growth stays out of map. */
    if (err == 0) {
        err = iommu_notify_dfn(&d->domain, last_dfn);
    }
    if (err != 0) {
        iommu_domain_destroy(&d->domain);
        return err;
    }
    d->up = true;
    d->builds++;
    return 0;
}

void partition_dma_down(struct partition *p)
{
    if (!p->dma.up) {
        return;
    }
    /* Blocks every master before the tables are freed (iommu_domain_destroy). */
    iommu_domain_destroy(&p->dma.domain);
    p->dma.up = false;
}

int partition_map_mem(struct partition *p, gpa_t guest, hpa_t host, uint64_t size,
                      const struct pt_attrs *attrs, const char *what, const char *name)
{
    int err = partition_map_range(p, guest, host, size, attrs, what, name);

    if (err != 0 || !p->dma.up) {
        return err;
    }
    err = iommu_map_pages(&p->dma.domain, dfn(gpa_val(guest) >> PAGE_SHIFT), host,
                          (size_t)(size >> PAGE_SHIFT), IOMMU_READ | (attrs->w ? IOMMU_WRITE : 0));
    if (err != 0) {
        /* All or nothing across both tables: the IOMMU mapped nothing, undo stage 2. */
        partition_printf(
            p, "DMA mapping of %s%s%s (guest %#llx+%#llx) failed: %s; stage 2 unwound\n", what,
            name != NULL ? " " : "", name != NULL ? name : "", (unsigned long long)gpa_val(guest),
            (unsigned long long)size, errno_name(err));
        partition_unmap_range(p, guest, size);
    }
    return err;
}

void partition_unmap_mem(struct partition *p, gpa_t guest, uint64_t size)
{
    if (p->dma.up) {
        int err = iommu_unmap_pages(&p->dma.domain, dfn(gpa_val(guest) >> PAGE_SHIFT),
                                    (size_t)(size >> PAGE_SHIFT));

        /* The IOMMU core reported it; the domain is torn down with the partition anyway. */
        (void)err;
    }
    partition_unmap_range(p, guest, size);
}

void partition_dma_print(const struct partition *p)
{
    const struct hv_config_partition *c = p->config;
    const struct partition_dma *d = &p->dma;

    if (c->dma_count == 0) {
        partition_printf(p, "no DMA masters\n");
        return;
    }
    if (d->nr_devs == 0) {
        partition_printf(p, "DMA not isolated: no master has an IOMMU\n");
        return;
    }
    partition_printf(p,
                     "DMA isolated by %s, domain %u: depth %u, %lu table pages, "
                     "%lu growths, %lu pages mapped;",
                     d->devs[0].iommu->name, d->domain.id, d->domain.pt.depth,
                     d->domain.stats.table_pages, d->domain.stats.grows,
                     d->domain.stats.mapped_pages);
    for (unsigned int i = 0; i < d->nr_devs; i++) {
        hv_printf(" %s (stream %#x)", p->layout->dma[d->cfg_index[i]].name, d->devs[i].sid);
    }
    hv_printf("%s\n", d->nr_devs < c->dma_count ? "; others DMA not isolated" : "");
}

void partition_dma_fault(struct iommu_domain *dom, const struct iommu_fault *fault)
{
    struct partition *p;
    const char *name = "?";
    char what[96];

    if (dom == NULL) {
        return; /* an unassigned stream: its entry aborts, nothing to contain */
    }
    p = container_of(dom, struct partition, dma.domain);
    for (unsigned int i = 0; i < p->dma.nr_devs; i++) {
        if (p->dma.devs[i].sid == fault->sid) {
            name = p->layout->dma[p->dma.cfg_index[i]].name;
        }
    }
    if (fault->disabled_after != 0) {
        /* The IOMMU core switched the stream off (IOMMU_STREAM_FAULT_LIMIT): said once. */
        partition_printf(p, "device %s disabled after %lu faults\n", name, fault->disabled_after);
    }
    (void)hv_snprintf(what, sizeof(what), "device %s DMA %s to guest %#llx: %s fault", name,
                      fault->write ? "write" : "read", (unsigned long long)fault->addr,
                      iommu_fault_name(fault->type));
    partition_stop_faulted(p, what);
}

/*
 * A unit's fault interrupt: drain its queue here. Says once which CPU handled it, and once
 * if that is not the CPU it is routed to (a partition's CPU doing work that is not its own;
 * the system test fails on it).
 */
static void dma_fault_irq(uint32_t irq, void *arg)
{
    static bool said, misrouted;
    struct iommu *u = arg;
    unsigned int cpu = arch_cpu_id();
    const struct vcpu *v = vcpu_of_cpu(cpu);

    if (!__atomic_exchange_n(&said, true, __ATOMIC_RELAXED)) {
        hv_printf("iommu %s: fault interrupt %u handled on cpu%u (%s%s%s)\n", u->name, irq, cpu,
                  v != NULL ? "partition \"" : "no partition",
                  v != NULL ? v->part->config->label : "", v != NULL ? "\"" : "");
    }
    if (cpu != READ_ONCE(u->irq_cpu) && !__atomic_exchange_n(&misrouted, true, __ATOMIC_RELAXED)) {
        hv_printf("iommu %s: fault interrupt %u taken on cpu%u, routed to cpu%u\n", u->name, irq,
                  cpu, READ_ONCE(u->irq_cpu));
    }
    u->ops->fault_handler(u);
}

/* The CPU that takes u's fault interrupts (partition_dma_irq_start()), or UINT32_MAX. */
static unsigned int dma_irq_cpu(const struct hv_config *cfg, const struct iommu *u,
                                const char **why)
{
    const struct partition *owner = NULL; /* the one partition with DMA masters behind u */
    bool several = false;

    if (cfg != NULL && cfg->has_interrupt_cpu) {
        *why = "the configured interrupt-cpu";
        return partition_cpu_of_hwid(cfg->interrupt_cpu);
    }
    for (unsigned int i = 0; i < nr_partitions; i++) {
        if (partitions[i].dma.nr_devs != 0 && partitions[i].dma.devs[0].iommu == u) {
            several = several || owner != NULL;
            owner = owner != NULL ? owner : &partitions[i];
        }
    }
    if (!several && owner != NULL && owner->nr_vcpus > 0 && owner->vcpus[0].cpu != UINT32_MAX) {
        *why = owner->config->label;
        return owner->vcpus[0].cpu;
    }
    /* Several partitions (or none) behind the unit: none of their CPUs may do it. */
    if (vcpu_of_cpu(arch_cpu_id()) == NULL) {
        *why = "the hypervisor's boot CPU";
        return arch_cpu_id();
    }
    *why = several ? "several partitions behind it and no interrupt-cpu" : "no partition behind it";
    return UINT32_MAX;
}

/* Claim u's wired fault interrupts on its CPU; 0 when the unit needs no polling. */
static int dma_irq_claim(const struct hv_config *cfg, struct iommu *u)
{
    const char *why = "";
    unsigned int cpu;
    int err = u->irq_cells != arch_irq_dt_cells() ? -EINVAL : 0;

    if (u->nr_irqs == 0 || u->ops->irq_enable == NULL || u->ops->fault_handler == NULL) {
        return -ENODEV;
    }
    cpu = dma_irq_cpu(cfg, u, &why);
    if (cpu == UINT32_MAX) {
        hv_printf("iommu %s: fault interrupts not taken (%s): polled\n", u->name, why);
        return -EBUSY;
    }
    for (unsigned int i = 0; i < u->nr_irqs && err == 0; i++) {
        err = arch_irq_from_dt(u->irq_spec[i], u->irq_cells, &u->irq[i]);
        if (err == 0) {
            err = arch_irq_claim(u->irq[i], u->irq_edge, cpu, dma_fault_irq, u);
        }
    }
    if (err == 0) {
        WRITE_ONCE(u->irq_cpu, cpu);
        err = u->ops->irq_enable(u);
    }
    if (err != 0) {
        hv_printf("iommu %s: fault interrupts not usable (%s): polled\n", u->name, errno_name(err));
        return err;
    }
    WRITE_ONCE(u->irq_on, true);
    hv_printf("iommu %s: fault interrupts", u->name);
    for (unsigned int i = 0; i < u->nr_irqs; i++) {
        hv_printf(" %u", u->irq[i]);
    }
    hv_printf(" on cpu%u (%s)\n", cpu, why);
    /* Records queued before the interrupt was on raise no edge: drain them now. */
    u->ops->fault_handler(u);
    return 0;
}

bool partition_dma_irq_start(const struct hv_config *cfg)
{
    bool all = true;

    for (struct iommu *u = iommu_first(); u != NULL; u = u->next) {
        if (u->ops->fault_handler != NULL && dma_irq_claim(cfg, u) != 0) {
            all = false;
        }
    }
    return all;
}
