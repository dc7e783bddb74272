// SPDX-License-Identifier: Apache-2.0
/*
 * Partition DMA isolation on QEMU (CONFIG_IOMMU_PARTITION_TEST, tests/system/
 * arm64_part_dma_edu.sh, x86_part_dma_edu.sh). Test-only. The configuration assigns QEMU's edu to a
 * partition (pci-devices); partition setup gave it the partition's own SMMU domain. Before the
 * partitions start, this unit drives edu the way the partition's driver would (a guest cannot
 * reach edu's registers until the virtual PCI host exists, docs/partitions.md) and checks,
 * against host memory:
 *   1. DMA within the partition's RAM works (RAM -> edu's buffer -> RAM);
 *   2. DMA writes into its read-only shared window, into another partition's memory (the
 *      peer's host address as IOVA) and beyond its RAM reach nothing; the faults are read
 *      from the event queue and attributed to the partition's domain; the first names the
 *      partition and device and contains the partition like a CPU fault (faulted, domain
 *      torn down), the rest are reported as "(device blocked)";
 *   3. after containment the function was reset (decoding and bus mastering off); turned
 *      back on, its DMA into the partition's former RAM is aborted too, and the peer is
 *      untouched (it then runs and passes under the test monitor).
 * Blocked DMAs are 64 bytes: QEMU raises one event per 4 bytes. Any failed check ends QEMU
 * with a failing verdict at once; the rest is decided by the test monitor.
 *
 * AMD-Vi (tests/system/x86_part_dma_edu.sh): QEMU's model never writes its event log (BRIEF
 * §7), so there is no fault to read and nothing stops the partition. Blocking is shown by the
 * planted patterns alone, the IOMMU's PCI status "signaled target abort" bit is printed for
 * each blocked DMA (selftest_iommu_abort()), and an IOVA beyond the domain's reach, which the
 * model aliases onto an in-reach address instead of faulting, has its alias target watched
 * too (it can only be the partition's own memory: the domain maps nothing else). Both
 * partitions then run and pass.
 */
#include <arch/mm.h>
#include <arch/test.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/iommu.h>
#include <hv/partition.h>
#include <hv/pci.h>
#include <hv/pgtable.h>
#include <hv/string.h>

#include "edu.h"

#define BLOCKED_LEN 64u

static struct selftest_tally tally;

static void check(bool ok, const char *name, const char *why)
{
    selftest_check(&tally, ok, name, why);
}

/* The partition with a PCI DMA master behind an IOMMU, and another one (its peer). */
static struct partition *find_partitions(struct partition **peer)
{
    struct partition *owner = NULL;

    *peer = NULL;
    for (unsigned int i = 0; i < nr_partitions; i++) {
        struct partition *p = &partitions[i];

        if (owner == NULL && p->dma.nr_devs != 0 && p->layout->dma[p->dma.cfg_index[0]].pci) {
            owner = p;
        } else if (*peer == NULL) {
            *peer = p;
        }
    }
    return owner;
}

/* The read-only shared window of p: its entry, or NULL. */
static const struct hv_config_shm *ro_window(const struct partition *p)
{
    for (unsigned int i = 0; i < p->config->shm_count; i++) {
        const struct hv_config_shm *s = &p->layout->shm[p->config->shm_first + i];

        if (s->role == SHM_ROLE_BORROWER && s->access == SHM_ACCESS_RO) {
            return s;
        }
    }
    return NULL;
}

/*
 * A blocked DMA write of BLOCKED_LEN bytes to iova must leave host page watch as it was. On a
 * unit with a fault sign besides its queue (AMD-Vi on QEMU) the sign is printed, and a DMA
 * beyond the domain's reach also has its alias target in p's RAM m watched: the model
 * translates iova modulo the reach (BRIEF §7), which hardware faults.
 */
static void blocked_write(struct partition *p, const struct hv_config_mem *m, volatile uint8_t *edu,
                          uint64_t iova, uint8_t *watch, const char *name)
{
    struct iommu *u = p->dma.devs[0].iommu;
    uint64_t reach = pt_reach(&p->dma.domain.pt), alias = iova;
    uint8_t before[BLOCKED_LEN], alias_before[BLOCKED_LEN];
    uint8_t *alias_va = NULL;
    int sign = selftest_iommu_abort(u, true);

    if (sign >= 0 && reach != UINT64_MAX && iova >= reach) {
        alias = iova & (reach - 1);
        if (alias >= gpa_val(m->guest) && alias - gpa_val(m->guest) < m->size) {
            alias_va =
                arch_phys_to_virt(hpa(hpa_val(m->host) + alias - gpa_val(m->guest)), BLOCKED_LEN);
            memcpy(alias_before, alias_va, sizeof(alias_before));
        }
    }
    memcpy(before, watch, sizeof(before));
    if (edu_dma_len(edu, iova, BLOCKED_LEN, true) != 0) {
        check(false, name, "the DMA did not finish");
        return;
    }
    check(memcmp(before, watch, sizeof(before)) == 0, name, "the DMA reached the page");
    if (sign < 0) {
        return;
    }
    sign = selftest_iommu_abort(u, true);
    hv_printf("iommu-partition-test: %s: IOMMU PCI status signaled-target-abort %s%s\n", name,
              sign == 1 ? "set" : "clear",
              sign == 1 ? "" : " (gap: QEMU's model denies a zero entry or leaf PTE silently)");
    if (alias != iova) {
        bool landed = alias_va != NULL && memcmp(alias_before, alias_va, BLOCKED_LEN) != 0;

        hv_printf("iommu-partition-test: gap: IOVA %#llx is beyond the domain's reach %#llx: "
                  "QEMU aliases it onto %#llx%s\n",
                  (unsigned long long)iova, (unsigned long long)reach, (unsigned long long)alias,
                  landed ? ", where the DMA landed (the partition's own RAM; hardware faults)"
                         : ", which is unchanged");
    }
}

static int partition_dma_test(const struct fdt *fdt)
{
    struct partition *peer, *p = find_partitions(&peer);
    const struct hv_config_mem *m;
    const struct hv_config_shm *ro;
    volatile uint8_t *edu;
    uint8_t *src, *dst, *ro_host, *peer_host;
    uint64_t bar, ram, faults;
    uint16_t bdf;
    bool queue;
    int err;

    if (p == NULL || peer == NULL || (ro = ro_window(p)) == NULL) {
        hv_printf("iommu-partition-test: needs a partition with edu, a read-only window and a "
                  "peer\n");
        arch_test_exit(1);
    }
    err = edu_find_dt(fdt, &bdf, &bar, &edu);
    check(err == 0 && bdf == p->layout->dma[p->dma.cfg_index[0]].rid, "edu-is-the-assigned-device",
          "edu is not the PCI function the configuration assigns");
    check(p->dma.up && p->dma.devs[0].sid == bdf, "partition-domain-up",
          "the partition has no domain with edu");
    if (tally.failures != 0) {
        arch_test_exit(1);
    }
    hv_printf("iommu-partition-test: edu %02x:%02x.%x BAR0 %#llx, partition %u \"%s\", peer "
              "\"%s\"\n",
              bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, (unsigned long long)bar, p->config->id,
              p->config->label, peer->config->label);

    /* 1. Within its RAM: guest addresses are the device's addresses. */
    m = &p->layout->mem[p->config->mem_first];
    ram = gpa_val(m->guest) + m->size / 2;
    src = arch_phys_to_virt(hpa(hpa_val(m->host) + m->size / 2), PAGE_SIZE);
    dst = arch_phys_to_virt(hpa(hpa_val(m->host) + m->size / 2 + PAGE_SIZE), PAGE_SIZE);
    selftest_fill(src, 0x5a);
    memset(dst, 0, PAGE_SIZE);
    err = edu_dma(edu, ram, false);
    if (err == 0) {
        err = edu_dma(edu, ram + PAGE_SIZE, true);
    }
    check(err == 0 && selftest_holds(dst, 0x5a), "dma-within-own-ram", "the copy did not land");

    /* 2. Blocked: the read-only window, the peer's memory, beyond its RAM. */
    faults = p->dma.devs[0].iommu->faults;
    queue = selftest_iommu_abort(p->dma.devs[0].iommu, false) < 0;
    ro_host = arch_phys_to_virt(ro->host, PAGE_SIZE);
    peer_host = arch_phys_to_virt(peer->layout->mem[peer->config->mem_first].host, PAGE_SIZE);
    blocked_write(p, m, edu, gpa_val(ro->guest), ro_host, "dma-into-read-only-window-blocked");
    blocked_write(p, m, edu, hpa_val(peer->layout->mem[peer->config->mem_first].host), peer_host,
                  "dma-into-peer-memory-blocked");
    blocked_write(p, m, edu, gpa_val(m->guest) + m->size + 0x37f00000, src,
                  "dma-beyond-own-ram-blocked");
    iommu_poll_faults(false);
    if (!queue) {
        /* No fault to read (AMD-Vi on QEMU): the partition keeps running with its domain. */
        hv_printf("iommu-partition-test: gap: %s reported %lu faults (QEMU writes no event log): "
                  "containment by a DMA fault is not exercised\n",
                  p->dma.devs[0].iommu->name, p->dma.devs[0].iommu->faults - faults);
        check(partition_state(p) == PARTITION_READY && p->dma.up, "partition-keeps-its-domain",
              "the partition lost its domain");
        check(partition_state(peer) == PARTITION_READY, "peer-untouched", "the peer was stopped");
    } else {
        check(p->dma.devs[0].iommu->faults >= faults + 3, "faults-read-and-reported",
              "fewer than three faults from the event queue");
        check(partition_state(p) == PARTITION_FAULTED && !p->dma.up, "partition-contained",
              "the partition was not stopped with its domain");

        /* 3. Contained: the stop reset the function (no FLR on edu: decoding and bus
         * mastering off, core/partition/pci.c); turned back on, as a device left running
         * would be, its DMA into the former RAM is still aborted by the IOMMU; the peer is
         * untouched. */
        check(!IS_ENABLED(CONFIG_PCI_PASSTHROUGH) ||
                  (pci_read16(bdf, PCI_COMMAND) & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) == 0,
              "function-reset-on-stop", "edu still decodes or masters after the partition stopped");
        err = edu_open(bdf, bar, &edu);
        memset(dst, 0, PAGE_SIZE);
        if (err == 0) {
            err = edu_dma(edu, ram + PAGE_SIZE, true);
        }
        check(err == 0 && dst[0] == 0 && dst[PAGE_SIZE - 1] == 0, "dma-aborted-after-containment",
              "the device still reaches the partition's memory");
        check(partition_state(peer) == PARTITION_READY, "peer-untouched", "the peer was stopped");
    }
    hv_printf("iommu-partition-test: %s (%u checks, %u failed)\n",
              tally.failures == 0 ? "PASS" : "FAIL", tally.checks, tally.failures);
    if (tally.failures != 0) {
        arch_test_exit(1);
    }
    return 0;
}

HV_UNIT(partition_dma_test_unit, "iommu-partition-test", HV_UNIT_ORDER_SELFTEST,
        partition_dma_test);
