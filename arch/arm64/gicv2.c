// SPDX-License-Identifier: Apache-2.0
/*
 * The GICv2 backend of the physical GIC (gic.c; Arm GIC architecture specification v2,
 * IHI 0048B), for GIC-400 class controllers with the virtualization extensions. The board
 * DT's node (Linux binding arm,gic.yaml) gives reg[0] = distributor (GICD), reg[1] = CPU
 * interface (GICC), reg[2] = virtual interface control (GICH), reg[3] = virtual CPU
 * interface (GICV); all four are required. GICC, GICH and GICV are banked per CPU: each CPU
 * sees its own at the same address (4.1.2, 5.1).
 *
 * Groups: a GIC without the Security Extensions resets every interrupt to Group 0, one that
 * has them is seen by the hypervisor (Non-secure) only through Group 1, which the firmware
 * (or QEMU, booting a kernel directly) gave every interrupt. Either way the hypervisor
 * leaves GICD_IGROUPR alone and writes 1 to GICD_CTLR and 0x201 to GICC_CTLR: in both
 * register views bit 0 enables the interrupts it can see and bit 9 is the EOImode that
 * applies to them (EOImodeS without the Security Extensions, EOImodeNS in the Non-secure
 * view; 4.3.1, 4.4.1). With FIQEn = 0 Group 0 is signalled as IRQ. EOImode = 1 splits the
 * priority drop (GICC_EOIR) from the deactivation (GICC_DIR), so a guest's EOI deactivates
 * a physical interrupt through a list register with HW = 1 (5.2.1).
 *
 * SGIs carry their source CPU in GICC_IAR bits 12:10, and the EOI and the deactivation must
 * name it again (4.4.5): each CPU remembers the last value it acknowledged.
 *
 * Routing: an SPI targets CPU interfaces by bit (GICD_ITARGETSR, 4.3.12); each CPU learns
 * its own interface's bit from the banked GICD_ITARGETSR0 at its gicv2_cpu_init().
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/smp.h>
#include <hv/console.h>
#include <hv/errno.h>

#include "gic.h"

/* Distributor (4.3). */
#define GICD_CTLR 0x0000u
#define GICD_IIDR 0x0008u
#define GICD_IIDR_QEMU 0x0000043bu /* Arm's JEP106 code, product and revision 0 */
#define GICD_ISENABLER 0x0100u
#define GICD_ITARGETSR 0x0800u
#define GICD_SGIR 0x0f00u
#define GICD_CTLR_ENABLE 1u
/* CPU interface (4.4). */
#define GICC_CTLR 0x0000u
#define GICC_PMR 0x0004u
#define GICC_BPR 0x0008u
#define GICC_IAR 0x000cu
#define GICC_EOIR 0x0010u
#define GICC_HPPIR 0x0018u
#define GICC_DIR 0x1000u
#define GICC_CTLR_VALUE 0x201u /* enable (bit 0), EOImode (bit 9): see above */
#define GICC_IAR_ID(v) ((v)&0x3ffu)
#define GICC_IAR_SRC(v) ((v)&0x1c00u) /* CPUID 12:10 of an SGI */
#define GIC_V2_SPURIOUS 1023u
/* Virtual interface control (5.3). */
#define GICH_HCR 0x0000u
#define GICH_VTR 0x0004u
#define GICH_VMCR 0x0008u
#define GICH_EISR0 0x0020u
#define GICH_EISR1 0x0024u
#define GICH_ELRSR0 0x0030u
#define GICH_ELRSR1 0x0034u
#define GICH_APR 0x00f0u
#define GICH_LR 0x0100u
#define GICH_VTR_LISTREGS(v) (((v)&0x3fu) + 1)
/* GICH_LR<n> (5.3.11): VirtualID 9:0, PhysicalID 19:10 (HW = 1), Priority 27:23 (the top
 * five bits of an 8-bit priority), State 29:28, Grp1 30, HW 31. */
#define GICH_LR_PINTID_SHIFT 10
#define GICH_LR_PRIO_SHIFT 23
#define GICH_LR_STATE_SHIFT 28
#define GICH_LR_HW (1u << 31)
/* EOI (bit 19, HW = 0 only): a maintenance interrupt when the guest deactivates it. */
#define GICH_LR_EOI (1u << 19)
/* The same fields in the ICH_LR<n>_EL2 layout the virtual GIC keeps (IHI 0069 12.4.7). */
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_HW (UINT64_C(1) << 61)
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_EOI (UINT64_C(1) << 41)

/* The four frames need at least the architected sizes: GICC and GICV hold DIR at 0x1000. */
#define GICC_MIN_SIZE 0x2000u
#define GICH_MIN_SIZE 0x200u

static volatile uint8_t *gicc, *gich;
static uint64_t gicv_phys;
static unsigned int nr_lrs;
/* Each CPU's interface bit (GICD_ITARGETSR0 read on it), and its last acknowledged IAR. */
static uint8_t cpu_mask[CONFIG_NR_CPUS];
static uint32_t last_iar[CONFIG_NR_CPUS];
bool gic_v2_hw_lr = true;

int gicv2_init(const struct fdt *fdt, int node)
{
    uint64_t base[4], size[4];

    for (unsigned int i = 0; i < 4; i++) {
        if (fdt_reg(fdt, node, i, &base[i], &size[i]) != 0) {
            hv_printf("gic: /%s: reg: GICv2 needs four ranges (GICD, GICC, GICH, GICV) for "
                      "virtualization; range %u missing\n",
                      fdt_node_name(fdt, node), i);
            return -EINVAL;
        }
    }
    if (size[1] < GICC_MIN_SIZE || size[2] < GICH_MIN_SIZE || size[3] < GICC_MIN_SIZE) {
        hv_printf("gic: /%s: reg: GICC, GICH or GICV smaller than the architecture's frame\n",
                  fdt_node_name(fdt, node));
        return -EINVAL;
    }
    gic_dist = arch_iomap(hpa(base[0]), (size_t)size[0]);
    gicc = arch_iomap(hpa(base[1]), (size_t)size[1]);
    gich = arch_iomap(hpa(base[2]), (size_t)size[2]);
    if (gic_dist == NULL || gicc == NULL || gich == NULL) {
        return -ENOMEM;
    }
    /* GICH_VTR of a GIC without the virtualization extensions (or of a model that leaves
     * them off: QEMU's xlnx-zcu102 without virtualization=on) reads as zero. */
    if (mmio_read32(gich + GICH_VTR) == 0) {
        hv_printf("gic: /%s: GICH_VTR reads 0: no virtualization extensions\n",
                  fdt_node_name(fdt, node));
        return -ENODEV;
    }
    gicv_phys = base[3];
    nr_lrs = GICH_VTR_LISTREGS(mmio_read32(gich + GICH_VTR));
    nr_lrs = nr_lrs > 16 ? 16 : nr_lrs; /* what the virtual GIC tracks */
    mmio_write32(gic_dist + GICD_CTLR, 0);
    gic_version = GIC_V2;
    gic_dist_quiet_spis();
    for (uint32_t i = GIC_SPI_BASE; i < gic_nr_intids(); i += 4) {
        mmio_write32(gic_dist + GICD_ITARGETSR + i, 0); /* nowhere until owned */
    }
    mmio_write32(gic_dist + GICD_CTLR, GICD_CTLR_ENABLE);
    if (mmio_read32(gic_dist + GICD_IIDR) == GICD_IIDR_QEMU) {
        gic_v2_hw_lr = false;
        hv_printf("gic: QEMU's GICv2 model (GICD_IIDR %#x): a guest's EOI does not signal a "
                  "physical interrupt pending again; deactivating on EOI maintenance\n",
                  GICD_IIDR_QEMU);
    }
    hv_printf("gic: GICv2 distributor at %#llx, CPU interface at %#llx, virtual interface "
              "control at %#llx (%u list registers), virtual CPU interface at %#llx\n",
              (unsigned long long)base[0], (unsigned long long)base[1], (unsigned long long)base[2],
              nr_lrs, (unsigned long long)base[3]);
    return 0;
}

void gicv2_cpu_init(void)
{
    unsigned int cpu = arch_cpu_id();
    uint8_t mask = mmio_read8(gic_dist + GICD_ITARGETSR);

    if (cpu >= CONFIG_NR_CPUS) {
        return;
    }
    /* A uniprocessor implementation reads GICD_ITARGETSR0 as zero (4.3.12). */
    cpu_mask[cpu] = mask != 0 ? mask : 1;
    gic_quiet(gic_dist, 0, GIC_SPI_BASE);
    mmio_write32(gic_dist + GICD_ISENABLER,
                 1u << GIC_SGI_KICK | 1u << gic_maint_id | 1u << gic_vtimer_id);
    mmio_write32(gicc + GICC_PMR, 0xff);
    mmio_write32(gicc + GICC_BPR, 0);
    mmio_write32(gicc + GICC_CTLR, GICC_CTLR_VALUE);
    /* The virtual interface of this CPU starts off; the virtual GIC enables it per vCPU. */
    mmio_write32(gich + GICH_HCR, 0);
}

void gicv2_spi_route(uint32_t intid, unsigned int cpu)
{
    if (cpu < CONFIG_NR_CPUS && cpu_mask[cpu] != 0) {
        mmio_write8(gic_dist + GICD_ITARGETSR + intid, cpu_mask[cpu]);
    }
}

void gicv2_send_sgi(unsigned int cpu, unsigned int sgi)
{
    if (cpu >= CONFIG_NR_CPUS || cpu_mask[cpu] == 0) {
        return;
    }
    dsb(ishst); /* what the target will read is visible before the interrupt */
    /* GICD_SGIR (4.3.15): TargetListFilter 0 (the list), CPUTargetList 23:16, SGIINTID 3:0. */
    mmio_write32(gic_dist + GICD_SGIR, (uint32_t)cpu_mask[cpu] << 16 | (sgi & 0xfu));
}

uint32_t gicv2_ack(void)
{
    uint32_t iar = mmio_read32(gicc + GICC_IAR);
    uint32_t id = GICC_IAR_ID(iar);

    if (id >= GIC_INTID_SPURIOUS) {
        return GIC_V2_SPURIOUS;
    }
    last_iar[arch_cpu_id()] = iar;
    return id;
}

/* The value the EOI and deactivation registers want for intid: with its source CPU when it
 * is an SGI (the one this CPU acknowledged last). */
static uint32_t iar_value(uint32_t intid)
{
    return intid < GIC_NR_SGIS ? intid | GICC_IAR_SRC(last_iar[arch_cpu_id()]) : intid;
}

void gicv2_eoi(uint32_t intid)
{
    mmio_write32(gicc + GICC_EOIR, iar_value(intid));
}

void gicv2_deactivate(uint32_t intid)
{
    mmio_write32(gicc + GICC_DIR, iar_value(intid));
}

uint32_t gicv2_hppi(void)
{
    return GICC_IAR_ID(mmio_read32(gicc + GICC_HPPIR));
}

uint64_t gicv2_lr_read(unsigned int n)
{
    uint32_t lr = mmio_read32(gich + GICH_LR + 4 * n);
    uint64_t v = lr & 0x3ffu;

    v |= (uint64_t)((lr >> GICH_LR_STATE_SHIFT) & 3u) << ICH_LR_STATE_SHIFT;
    v |= (uint64_t)((lr >> GICH_LR_PRIO_SHIFT) & 0x1fu) << (ICH_LR_PRIO_SHIFT + 3);
    if (lr & GICH_LR_HW) {
        v |= ICH_LR_HW | (uint64_t)((lr >> GICH_LR_PINTID_SHIFT) & 0x3ffu) << ICH_LR_PINTID_SHIFT;
    } else if (lr & GICH_LR_EOI) {
        v |= ICH_LR_EOI;
    }
    return v;
}

void gicv2_lr_write(unsigned int n, uint64_t v)
{
    /* Grp1 stays 0: the guest sees a GIC without the Security Extensions, whose interrupts
     * are Group 0, signalled as IRQ while its GICV_CTLR.FIQEn is 0 (5.3.11, 5.4). */
    uint32_t lr = (uint32_t)v & 0x3ffu;

    lr |= (uint32_t)((v >> ICH_LR_STATE_SHIFT) & 3u) << GICH_LR_STATE_SHIFT;
    lr |= (uint32_t)((v >> (ICH_LR_PRIO_SHIFT + 3)) & 0x1fu) << GICH_LR_PRIO_SHIFT;
    if (v & ICH_LR_HW) {
        lr |= GICH_LR_HW | (uint32_t)((v >> ICH_LR_PINTID_SHIFT) & 0x3ffu) << GICH_LR_PINTID_SHIFT;
    } else if (v & ICH_LR_EOI) {
        lr |= GICH_LR_EOI;
    }
    mmio_write32(gich + GICH_LR + 4 * n, lr);
}

uint64_t gicv2_eisr(void)
{
    return mmio_read32(gich + GICH_EISR0) | (uint64_t)mmio_read32(gich + GICH_EISR1) << 32;
}

uint64_t gicv2_elrsr(void)
{
    return mmio_read32(gich + GICH_ELRSR0) | (uint64_t)mmio_read32(gich + GICH_ELRSR1) << 32;
}

void gicv2_hcr_write(uint64_t val)
{
    /* GICH_HCR (5.3.1): En (0) and UIE (1), where ICH_HCR_EL2 has them. */
    mmio_write32(gich + GICH_HCR, (uint32_t)val);
}

void gicv2_vmcr_write(uint64_t val)
{
    mmio_write32(gich + GICH_VMCR, (uint32_t)val);
}

void gicv2_apr_clear(void)
{
    mmio_write32(gich + GICH_APR, 0);
}

unsigned int gicv2_lr_count(void)
{
    return nr_lrs;
}

uint64_t gicv2_vcpu_base(void)
{
    return gic_version == GIC_V2 ? gicv_phys : 0;
}
