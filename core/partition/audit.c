// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 audit of test builds (include/hv/partition.h): what a partition's stage-2 table
 * actually translates, read entry by entry (pt_for_each_leaf), against what the
 * configuration alone says it may reach. The expectation is computed here from the parsed
 * configuration, not by the code that maps (partition.c, shm.c), so a mapping bug there
 * cannot hide itself: one extra page anywhere, a wrong host address, a writable borrower, an
 * executable device all fail the audit.
 *
 * Expected, per partition: each memory triplet (Normal write-back, read-write-execute), each
 * shared-memory window (read-write for the owner, else the borrower's access; never
 * executable; the owner's cache policy), each MMIO range of its devices at the same address
 * (Device, read-write, never executable), plus what the architecture maps implicitly
 * (arch_partition_implied_map(); e.g. a GICv2 virtual CPU interface: the one input the audit
 * shares with the mapper, partition.c maps it too). Emulated MMIO regions
 * (core/vdev) must not be mapped at all. The configuration validator guarantees the
 * expected ranges are disjoint, so "every leaf lies inside one expected range with the right
 * output and attributes" plus "the leaves add up to the expected size" means exactly the
 * expected set is mapped.
 *
 * IOMMU domains: partitions have none yet (their devices carry no stream ids), so there is
 * no IOMMU table to audit; when they exist, the same expectation applies to them.
 */
#include <arch/vcpu.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/pci_pt.h>

bool partition_audit_failed;

/* Deliberately not shm.c's memory-type table (shm_attrs()): the audit must not share the
 * mapper's mistakes. */
static enum pt_memtype expect_memtype(enum cache_policy policy)
{
    switch (policy) {
    case CACHE_POLICY_WT:
        return PT_MEM_NORMAL_WT;
    case CACHE_POLICY_NC:
        return PT_MEM_NORMAL_NC;
    case CACHE_POLICY_WB:
    default:
        return PT_MEM_NORMAL_WB;
    }
}

/* Append one expectation; false when out is full. */
static bool expect_add(struct partition_expect *out, unsigned int *n, unsigned int max,
                       uint64_t guest, uint64_t host, uint64_t size, bool w, bool x,
                       enum pt_memtype type, const char *what)
{
    if (*n >= max) {
        return false;
    }
    out[*n] = (struct partition_expect){
        .guest = guest,
        .host = host,
        .size = size,
        .attrs = {.r = true, .w = w, .x = x, .type = type},
        .what = what,
    };
    (*n)++;
    return true;
}

int partition_expected_map(const struct partition *p, struct partition_expect *out,
                           unsigned int max)
{
    const struct hv_config *cfg = p->layout;
    const struct hv_config_partition *pc = p->config;
    unsigned int n = 0;
    bool ok = true;

    for (unsigned int i = 0; i < pc->mem_count; i++) {
        const struct hv_config_mem *m = &cfg->mem[pc->mem_first + i];

        ok = ok && expect_add(out, &n, max, gpa_val(m->guest), hpa_val(m->host), m->size, true,
                              true, PT_MEM_NORMAL_WB, "memory");
    }
    for (unsigned int i = 0; i < pc->shm_count; i++) {
        const struct hv_config_shm *s = &cfg->shm[pc->shm_first + i];
        bool w = s->role == SHM_ROLE_OWNER || s->access == SHM_ACCESS_RW;

        ok = ok && expect_add(out, &n, max, gpa_val(s->guest), hpa_val(s->host), s->size, w, false,
                              expect_memtype(cfg->shm[s->owner].cache_policy), "shared memory");
    }
    for (unsigned int i = 0; i < pc->dev_count; i++) {
        const struct hv_config_device *d = &cfg->devices[pc->dev_first + i];

        for (unsigned int r = 0; r < d->nr_regs; r++) {
            if (!d->regs[r].pio) {
                ok = ok && expect_add(out, &n, max, d->regs[r].base, d->regs[r].base,
                                      d->regs[r].size, true, false, PT_MEM_DEVICE, "device");
            }
        }
    }
    /* Passed-through PCI functions: each BAR where the boot placed it (host) and the guest
     * address the partition was given (core/partition/pci.c). */
    for (unsigned int i = 0; i < p->config->dma_count; i++) {
        uint64_t guest, host, size;

        for (unsigned int b = 0; b < PCI_PT_BARS; b++) {
            if (partition_pci_bar(p, i, b, &guest, &host, &size)) {
                ok = ok && expect_add(out, &n, max, guest, host, size, true, false, PT_MEM_DEVICE,
                                      "PCI BAR");
            }
        }
    }
    if (!ok) {
        return -E2BIG;
    }
    return (int)(n + arch_partition_implied_map(p, out + n, max - n));
}

/* State of one audit walk. */
struct audit {
    const struct partition *p;
    const struct partition_expect *exp;
    unsigned int n;
    uint64_t mapped; /* bytes of leaves seen */
    unsigned int errors;
};

static const char *const memtype_names[] = {
    [PT_MEM_NORMAL_WB] = "wb",
    [PT_MEM_NORMAL_WT] = "wt",
    [PT_MEM_NORMAL_NC] = "nc",
    [PT_MEM_DEVICE] = "device",
};

static bool attrs_equal(const struct pt_attrs *a, const struct pt_attrs *b)
{
    return a->r == b->r && a->w == b->w && a->x == b->x && a->type == b->type;
}

static int audit_leaf(void *ctx, uint64_t in, hpa_t out, uint64_t size,
                      const struct pt_attrs *attrs)
{
    struct audit *a = ctx;
    const char *why = "is not in the configuration";

    a->mapped += size;
    for (unsigned int i = 0; i < a->n; i++) {
        const struct partition_expect *e = &a->exp[i];

        if (in < e->guest || in - e->guest >= e->size) {
            continue;
        }
        if (size > e->size - (in - e->guest)) {
            why = "runs past its configured range";
        } else if (hpa_val(out) != e->host + (in - e->guest)) {
            why = "has the wrong host address";
        } else if (!attrs_equal(attrs, &e->attrs)) {
            why = "has the wrong attributes";
        } else {
            return 0;
        }
        break;
    }
    a->errors++;
    hv_printf("audit: partition %u \"%s\": stage 2 maps guest [%#llx, %#llx) -> host %#llx "
              "%s%s%s %s, which %s\n",
              a->p->config->id, a->p->config->label, (unsigned long long)in,
              (unsigned long long)(in + size), (unsigned long long)hpa_val(out),
              attrs->r ? "r" : "-", attrs->w ? "w" : "-", attrs->x ? "x" : "-",
              (unsigned int)attrs->type < ARRAY_SIZE(memtype_names) ? memtype_names[attrs->type]
                                                                    : "?",
              why);
    return 0; /* keep walking: report every stray leaf */
}

int partition_audit(struct partition *p)
{
    static struct partition_expect exp[PARTITION_AUDIT_MAX];
    struct audit a = {.p = p, .exp = exp};
    uint64_t expected = 0;
    int n, err;

    /* One audit at a time (exp is static): the partition lock serialises audits of one
     * partition, and audits of different partitions run on the boot CPU or under their own
     * reset, which the lock below orders. */
    static spinlock_t audit_lock = SPINLOCK_INIT;

    spin_lock(&audit_lock);
    n = partition_expected_map(p, exp, PARTITION_AUDIT_MAX);
    if (n < 0) {
        spin_unlock(&audit_lock);
        hv_printf("audit: partition %u \"%s\": more than %u expected ranges\n", p->config->id,
                  p->config->label, PARTITION_AUDIT_MAX);
        __atomic_store_n(&partition_audit_failed, true, __ATOMIC_RELEASE);
        return n;
    }
    a.n = (unsigned int)n;
    for (unsigned int i = 0; i < a.n; i++) {
        expected += exp[i].size;
    }
    err = pt_for_each_leaf(&p->stage2, audit_leaf, &a);
    if (err == 0 && a.errors == 0 && a.mapped != expected) {
        hv_printf("audit: partition %u \"%s\": stage 2 maps %#llx bytes, the configuration "
                  "%#llx\n",
                  p->config->id, p->config->label, (unsigned long long)a.mapped,
                  (unsigned long long)expected);
        a.errors++;
    }
    spin_unlock(&audit_lock);
    if (err != 0 || a.errors != 0) {
        __atomic_store_n(&partition_audit_failed, true, __ATOMIC_RELEASE);
        return -EFAULT;
    }
    return 0;
}

void partitions_audit(void)
{
    for (unsigned int i = 0; i < nr_partitions; i++) {
        if (partitions[i].mapped && partition_audit(&partitions[i]) == 0) {
            hv_printf("audit: partition %u \"%s\": stage 2 matches the configuration\n",
                      partitions[i].config->id, partitions[i].config->label);
        }
    }
}
