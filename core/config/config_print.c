// SPDX-License-Identifier: Apache-2.0
/*
 * The partition table as text: what the hypervisor prints at boot and bulkhead-check --print
 * shows on the host. One line per item so that logs can be grepped; host addresses appear
 * only here, on the hypervisor's own console, never in anything a guest sees.
 */
#include <hv/config.h>
#include <hv/printf.h>

struct printer {
    hv_emit_fn emit;
    void *ctx;
};

static void pr(const struct printer *o, const char *fmt, ...) __printf(2, 3);

static void pr(const struct printer *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    hv_vformat(o->emit, o->ctx, fmt, ap);
    va_end(ap);
}

typedef unsigned long long ull;

/* A size in the largest binary unit that divides it exactly ("128 MiB", "4 KiB", "12 B"). */
static void pr_size(const struct printer *o, uint64_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    unsigned int u = 0;

    while (u + 1 < ARRAY_SIZE(units) && size != 0 && (size & 1023) == 0) {
        size >>= 10;
        u++;
    }
    pr(o, "%llu %s", (ull)size, units[u]);
}

static void print_shm(const struct printer *o, const struct hv_config *cfg,
                      const struct hv_config_shm *s)
{
    pr(o, "    shm     \"%s\" %s %s %s", s->id, shm_role_name(s->role), shm_access_name(s->access),
       cache_policy_name(s->cache_policy));
    if (s->role == SHM_ROLE_BORROWER) {
        pr(o, " offset 0x%llx", (ull)s->offset);
    }
    pr(o, "  guest 0x%llx  host 0x%llx  ", (ull)gpa_val(s->guest), (ull)hpa_val(s->host));
    pr_size(o, s->size);
    if (s->has_doorbell) {
        pr(o, "  doorbell 0x%llx", (ull)gpa_val(s->doorbell));
    }
    if (s->has_pci) {
        pr(o, "  pci 00:%02x.0", s->pci_slot);
    }
    if (s->role == SHM_ROLE_BORROWER && !(s->hv_owned && &cfg->shm[s->owner] == s)) {
        pr(o, "  owner %s\n",
           s->hv_owned ? "hypervisor" : cfg->partitions[cfg->shm[s->owner].partition].label);
        return;
    }
    /* The head's line lists every user: itself first, then the borrowers in DT order (a
     * region the hypervisor owns is headed by its first borrower). */
    pr(o, "  %susers %u: %s", s->hv_owned ? "owner hypervisor  " : "", s->users,
       cfg->partitions[s->partition].label);
    for (unsigned int j = 0; j < cfg->nr_shm; j++) {
        const struct hv_config_shm *b = &cfg->shm[j];

        if (b != s && b->role == SHM_ROLE_BORROWER && &cfg->shm[b->owner] == s) {
            pr(o, " %s", cfg->partitions[b->partition].label);
        }
    }
    pr(o, "\n");
}

/* "image   path (N bytes staged at 0x..., sha256 01234567...)" when the build staged it. */
static void print_image(const struct printer *o, const char *what, const char *path,
                        const struct hv_config_staged *st)
{
    if (path == NULL) {
        return;
    }
    pr(o, "    %s  %s", what, path);
    if (st->size != 0) {
        pr(o, " (%llu bytes staged at 0x%llx, sha256 %02x%02x%02x%02x...)",
           (unsigned long long)st->size, (unsigned long long)hpa_val(st->base), st->sha256[0],
           st->sha256[1], st->sha256[2], st->sha256[3]);
    }
    pr(o, "\n");
}

static void print_partition(const struct printer *o, const struct hv_config *cfg,
                            const struct hv_config_partition *part)
{
    pr(o, "  partition %u \"%s\": cpus", part->id, part->label);
    for (unsigned int i = part->cpu_first; i < part->cpu_first + part->cpu_count; i++) {
        pr(o, " %s (hwid 0x%llx)", cfg->cpus[i].name, (ull)cfg->cpus[i].hwid);
    }
    pr(o, "\n");
    for (unsigned int i = part->mem_first; i < part->mem_first + part->mem_count; i++) {
        const struct hv_config_mem *m = &cfg->mem[i];

        pr(o, "    memory  guest 0x%llx  host 0x%llx  ", (ull)gpa_val(m->guest),
           (ull)hpa_val(m->host));
        pr_size(o, m->size);
        pr(o, "\n");
    }
    for (unsigned int i = part->dev_first; i < part->dev_first + part->dev_count; i++) {
        const struct hv_config_device *d = &cfg->devices[i];

        pr(o, "    device  %s", d->path);
        for (unsigned int r = 0; r < d->nr_regs; r++) {
            pr(o, "  %s 0x%llx+0x%llx", d->regs[r].pio ? "pio" : "mmio", (ull)d->regs[r].base,
               (ull)d->regs[r].size);
        }
        pr(o, "  interrupts");
        for (unsigned int c = 0; c < d->nr_irq_cells; c++) {
            pr(o, " %#x", d->irq_cells[c]);
        }
        pr(o, "%s\n", d->nr_irq_cells == 0 ? " none" : "");
    }
    for (unsigned int i = part->dma_first; i < part->dma_first + part->dma_count; i++) {
        const struct hv_config_dma *m = &cfg->dma[i];

        pr(o, "    dma     %s%s%s", m->name, m->pci ? " under " : "", m->pci ? m->path : "");
        if (m->isolated) {
            pr(o, "  iommu 0x%llx stream 0x%x\n", (ull)m->iommu, m->sid);
        } else {
            pr(o, "  no IOMMU: DMA not isolated\n");
        }
    }
    for (unsigned int i = part->shm_first; i < part->shm_first + part->shm_count; i++) {
        print_shm(o, cfg, &cfg->shm[i]);
    }
    print_image(o, "image ", part->image, &part->image_staged);
    print_image(o, "initrd", part->initrd, &part->initrd_staged);
    if (part->bootargs != NULL) {
        pr(o, "    bootargs \"%s\"\n", part->bootargs);
    }
    if (part->input_focus) {
        pr(o, "    input-focus\n");
    }
}

void hv_config_print(const struct hv_config *cfg, hv_emit_fn emit, void *ctx)
{
    const struct printer o = {emit, ctx};
    unsigned int owners = 0;

    for (unsigned int i = 0; i < cfg->nr_shm; i++) {
        owners += shm_is_region_head(&cfg->shm[i], i);
    }
    pr(&o, "config: %u partition%s, %u shared region%s, console %s\n", cfg->nr_partitions,
       cfg->nr_partitions == 1 ? "" : "s", owners, owners == 1 ? "" : "s",
       cfg->console[0] != '\0' ? cfg->console : "(none)");
    for (unsigned int i = 0; i < cfg->nr_partitions; i++) {
        print_partition(&o, cfg, &cfg->partitions[i]);
    }
}
