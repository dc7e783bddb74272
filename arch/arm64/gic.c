// SPDX-License-Identifier: Apache-2.0
/*
 * The physical GIC, owned by the hypervisor: what does not depend on the GIC version.
 * gic_init() picks the backend from the board DT's interrupt-controller compatible
 * (gicv3.c: "arm,gic-v3", Arm GIC architecture specification IHI 0069; gicv2.c: a GICv2 with
 * the virtualization extensions, IHI 0048B), never from a build-time choice, so one image
 * runs on either kind of board. The distributor's per-SPI registers (enable, pending,
 * active, priority, configuration) sit at the same offsets in both (IHI 0048B 4.3, IHI 0069
 * 12.9) and are programmed here; routing, SGIs and the CPU interface are the backends'.
 *
 * The hypervisor's own SPIs (console input, IOMMU events: arch_irq_claim()) sit in a small
 * table here, at a higher priority than everything a partition owns (GIC_PRIO_HV), so that a
 * CPU waiting in the hypervisor can find them with the highest-priority-pending register
 * (ICC_HPPIR1_EL1, IHI 0069 12.2.14; GICC_HPPIR, IHI 0048B 4.4.8) and take only those,
 * leaving a partition's interrupt pending for its vCPU.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/smp.h>
#include <hv/console.h>
#include <hv/errno.h>

#include "gic.h"

/* Distributor registers shared by GICv2 and GICv3. */
#define GICD_CTLR 0x0000u
#define GICD_ISENABLER 0x0100u
#define GICD_ICENABLER 0x0180u
#define GICD_ISPENDR 0x0200u
#define GICD_ICPENDR 0x0280u
#define GICD_ICACTIVER 0x0380u
#define GICD_IPRIORITYR 0x0400u
#define GICD_ICFGR 0x0c00u
#define GICD_CTLR_RWP (1u << 31)

/* Time to wait for a register-write-pending bit. */
#define GIC_WAIT_US 100000u

enum gic_version gic_version;
volatile uint8_t *gic_dist;
/* PPIs the board DT names (defaults: the Arm Base System Architecture's). */
uint32_t gic_maint_id = GIC_PPI_MAINT;
uint32_t gic_vtimer_id = GIC_PPI_VTIMER;

/* The hypervisor's claimed SPIs: written at boot (fn last, with release), then read-only
 * but for the target CPU. */
struct gic_claim {
    uint32_t intid;
    unsigned int cpu;
    arch_irq_handler_fn fn;
    void *arg;
};
static struct gic_claim claims[GIC_CLAIMS_MAX];
static unsigned int nr_claims;

/* The GICv2 compatibles of implementations with the virtualization extensions (Linux
 * binding arm,gic.yaml); the older ones (Cortex-A9, ARM11MPCore, GICv1) have none. */
static const char *const gicv2_compatibles[] = {
    "arm,gic-400",
    "arm,cortex-a15-gic",
    "arm,cortex-a7-gic",
};

static uint32_t it_lines;
static uint32_t nr_intids;

uint32_t gic_nr_intids(void)
{
    return nr_intids;
}

uint32_t gic_it_lines(void)
{
    return it_lines;
}

static uint32_t rd32(uint32_t off)
{
    return mmio_read32(gic_dist + off);
}

static void wr32(uint32_t off, uint32_t val)
{
    mmio_write32(gic_dist + off, val);
}

void gic_dist_wait_rwp(void)
{
    for (unsigned int i = 0; i < GIC_WAIT_US && (rd32(GICD_CTLR) & GICD_CTLR_RWP); i++) {
        arch_cpu_relax();
    }
}

void gic_dist_quiet_spis(void)
{
    /* GICD_TYPER.ITLinesNumber (bits 4:0 in both versions): 32 * (N + 1) interrupt ids. */
    it_lines = rd32(0x4) & 0x1fu;
    nr_intids = 32 * (it_lines + 1);
    if (nr_intids > GIC_INTID_SPURIOUS) {
        nr_intids = GIC_INTID_SPURIOUS;
    }
    gic_quiet(gic_dist, GIC_SPI_BASE, nr_intids);
    gic_dist_wait_rwp();
}

void gic_quiet(volatile uint8_t *base, uint32_t first, uint32_t end)
{
    for (uint32_t i = first; i < end; i += 32) {
        mmio_write32(base + GICD_ICENABLER + i / 8, ~0u);
        mmio_write32(base + GICD_ICPENDR + i / 8, ~0u);
        mmio_write32(base + GICD_ICACTIVER + i / 8, ~0u);
    }
    for (uint32_t i = first; i < end; i += 4) {
        mmio_write32(base + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
    }
}

/* The interrupt id of PPI specifier idx of node's "interrupts" (GIC binding: <1 n flags>, id
 * n + 16), or fallback when there is none. */
static uint32_t dt_ppi(const struct fdt *fdt, int node, unsigned int idx, uint32_t fallback)
{
    struct fdt_prop prop;
    const uint8_t *cells;

    if (node < 0 || fdt_prop(fdt, node, "interrupts", &prop) != 0 || prop.len < 12 * (idx + 1)) {
        return fallback;
    }
    cells = (const uint8_t *)prop.data + 12 * idx;
    if (fdt_be32(cells) != 1 || fdt_be32(cells + 4) >= 16) {
        return fallback;
    }
    return fdt_be32(cells + 4) + 16;
}

int gic_init(const struct fdt *fdt)
{
    int node = fdt_find_compatible(fdt, -1, "arm,gic-v3");
    char version;
    int err;

    for (unsigned int i = 0; node < 0 && i < ARRAY_SIZE(gicv2_compatibles); i++) {
        node = fdt_find_compatible(fdt, -1, gicv2_compatibles[i]);
    }
    if (node < 0) {
        hv_printf("gic: no \"arm,gic-v3\" or GICv2 (\"arm,gic-400\", \"arm,cortex-a15-gic\", "
                  "\"arm,cortex-a7-gic\") node: partitions get no interrupt controller\n");
        return 0;
    }
    gic_maint_id = dt_ppi(fdt, node, 0, GIC_PPI_MAINT);
    gic_vtimer_id = dt_ppi(fdt, fdt_find_compatible(fdt, -1, "arm,armv8-timer"), 2, GIC_PPI_VTIMER);
    /* The board's capabilities say which backends this image has: the DT must match. */
    version = fdt_is_compatible(fdt, node, "arm,gic-v3") ? '3' : '2';
    if (version == '3' ? !IS_ENABLED(CONFIG_HAS_GICV3) : !IS_ENABLED(CONFIG_HAS_GICV2)) {
        hv_printf("gic: /%s: a GICv%c, which this build for %s does not drive (HAS_GICV%c): "
                  "partitions get no interrupt controller\n",
                  fdt_node_name(fdt, node), version, CONFIG_BOARD, version);
        return -ENODEV;
    }
    err = version == '3' ? gicv3_init(fdt, node) : gicv2_init(fdt, node);
    if (err != 0) {
        gic_dist = NULL;
        gic_version = GIC_NONE;
        return err;
    }
    hv_printf("gic: %u interrupt ids; maintenance PPI %u, virtual timer PPI %u\n", nr_intids,
              gic_maint_id, gic_vtimer_id);
    gic_cpu_init();
    return 0;
}

static void spi_bit(uint32_t reg, uint32_t intid)
{
    wr32(reg + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_spi_enable(uint32_t intid, bool enable)
{
    spi_bit(enable ? GICD_ISENABLER : GICD_ICENABLER, intid);
    if (!enable) {
        gic_dist_wait_rwp(); /* disabled once this returns (IHI 0069 12.9.4 RWP) */
    }
}

void gic_spi_set_pending(uint32_t intid, bool pending)
{
    spi_bit(pending ? GICD_ISPENDR : GICD_ICPENDR, intid);
}

void gic_spi_route(uint32_t intid, unsigned int cpu)
{
    if (gic_is_v2()) {
        gicv2_spi_route(intid, cpu);
    } else {
        gicv3_spi_route(intid, cpu);
    }
}

void gic_spi_set_edge(uint32_t intid, bool edge)
{
    /* GICD_ICFGR<n>: two bits per interrupt, bit 1 of each = edge (IHI 0048B 4.3.13). */
    uint32_t off = GICD_ICFGR + (intid / 16) * 4;
    uint32_t bit = 2u << (2 * (intid % 16));
    uint32_t val = rd32(off);

    wr32(off, edge ? val | bit : val & ~bit);
}

static struct gic_claim *claim_of(uint32_t intid)
{
    unsigned int n = __atomic_load_n(&nr_claims, __ATOMIC_ACQUIRE);

    for (unsigned int i = 0; i < n; i++) {
        if (claims[i].intid == intid) {
            return &claims[i];
        }
    }
    return NULL;
}

bool gic_claimed(uint32_t intid)
{
    return claim_of(intid) != NULL;
}

int gic_claim(uint32_t intid, bool edge, unsigned int cpu, arch_irq_handler_fn fn, void *arg)
{
    struct gic_claim *c;

    if (claim_of(intid) != NULL) {
        return -EBUSY;
    }
    if (nr_claims == GIC_CLAIMS_MAX) {
        return -ENOSPC;
    }
    c = &claims[nr_claims];
    c->intid = intid;
    c->cpu = cpu;
    c->fn = fn;
    c->arg = arg;
    __atomic_store_n(&nr_claims, nr_claims + 1, __ATOMIC_RELEASE);
    gic_spi_enable(intid, false);
    gic_spi_set_pending(intid, false);
    wr32(GICD_ICACTIVER + (intid / 32) * 4, 1u << (intid % 32));
    mmio_write8(gic_dist + GICD_IPRIORITYR + intid, GIC_PRIO_HV);
    gic_spi_set_edge(intid, edge);
    gic_spi_route(intid, cpu);
    gic_spi_enable(intid, true);
    return 0;
}

int gic_claim_cpu(uint32_t intid, unsigned int cpu)
{
    struct gic_claim *c = claim_of(intid);

    if (c == NULL) {
        return -EPERM;
    }
    __atomic_store_n(&c->cpu, cpu, __ATOMIC_RELEASE);
    /* The routing register may be rewritten while the interrupt is enabled; a pending
     * interrupt follows the new route (IHI 0069 12.9.22; IHI 0048B 4.3.12). */
    gic_spi_route(intid, cpu);
    return 0;
}

bool gic_claim_handle(uint32_t intid)
{
    struct gic_claim *c = claim_of(intid);

    if (c == NULL) {
        return false;
    }
    c->fn(intid, c->arg);
    gic_deactivate(intid);
    return true;
}

void gic_service(void)
{
    if (!gic_present()) {
        return;
    }
    /* Only the hypervisor's own: they are the most urgent pending ones when pending at all
     * (GIC_PRIO_HV), and what is not theirs stays pending for the vCPU of this CPU. */
    for (;;) {
        uint32_t intid = gic_hppi();

        if (intid >= GIC_INTID_SPURIOUS || claim_of(intid) == NULL) {
            return;
        }
        intid = gic_ack();
        if (intid >= GIC_INTID_SPURIOUS) {
            return;
        }
        gic_eoi(intid);
        if (!gic_claim_handle(intid)) {
            /* Raced with something more urgent: make it pending again for its owner. */
            gic_deactivate(intid);
            if (intid >= GIC_SPI_BASE) {
                gic_spi_set_pending(intid, true);
            }
            return;
        }
    }
}
