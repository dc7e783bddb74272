// SPDX-License-Identifier: Apache-2.0
/*
 * arm64 virtualization hooks (contract: include/arch/vcpu.h): stage-2 control, vCPU reset
 * per the Linux arm64 boot protocol and entry at EL1. Register fields cite Arm ARM DDI 0487,
 * chapter D23; values verified on QEMU are in BRIEF §8.
 */
#include <arch/cpu.h>
#include <arch/mm.h>
#include <arch/vcpu.h>
#include <hv/partition.h>
#include <hv/string.h>

#include "arm64.h"
#include "gic.h"
#include "sysreg_trap.h"

/* VTCR_EL2 (D23.2.186): RES1 bit 31, PS = 40-bit (2) << 16, TG0 = 4 KiB (0), SH0 = inner
 * shareable (3) << 12, ORGN0/IRGN0 = write-back write-allocate (1), SL0 and T0SZ from the
 * table (39-bit IPA from level 1: SL0 = 1, T0SZ = 25 -> 0x80023559). */
#define VTCR_RES1 (UL(1) << 31)
#define VTCR_PS_40 (UL(2) << 16) /* arch_config_addr_bits() caps host addresses to match */
#define VTCR_SH0_INNER (UL(3) << 12)
#define VTCR_ORGN0_WBWA (UL(1) << 10)
#define VTCR_IRGN0_WBWA (UL(1) << 8)
#define VTCR_SL0_SHIFT 6

/* HCR_EL2 for a running partition (D23.2.53): VM (0) stage 2 on, SWIO (1) set/way
 * invalidate as clean+invalidate, FMO (3) / IMO (4) physical FIQs and IRQs to EL2 and the
 * guest's CPU interface virtual (IHI 0069 4.8; SGI register writes trap), FB (9) broadcast
 * the guest's TLB maintenance, BSU inner shareable (10), TWI (13) trap WFI, TSC (19) trap
 * SMC (QEMU would take it as PSCI for the whole machine, BRIEF §7), RW (31) EL1 is AArch64.
 * A trapped WFI waits in the hypervisor with a physical WFI until an interrupt for the vCPU
 * can be (traps.c, vgic_wait): no busy loop, and a stop's kick SGI wakes it like any other.
 * WFE is not trapped (TWE = 0): an event or any interrupt (IMO routes them to EL2, so the
 * guest's masking does not hold them back) wakes it. Without a GIC both are trapped and
 * return at once, so that a vCPU asleep in either notices a stop. */
#define HCR_VM (UL(1) << 0)
#define HCR_SWIO (UL(1) << 1)
#define HCR_FMO (UL(1) << 3)
#define HCR_IMO (UL(1) << 4)
#define HCR_FB (UL(1) << 9)
#define HCR_BSU_INNER (UL(1) << 10)
#define HCR_TWI (UL(1) << 13)
#define HCR_TWE (UL(1) << 14)
#define HCR_TSC (UL(1) << 19)
#define HCR_GUEST (HCR_EL2_RW | HCR_TSC | HCR_BSU_INNER | HCR_FB | HCR_SWIO | HCR_VM)
#define HCR_GUEST_GIC (HCR_GUEST | HCR_IMO | HCR_FMO | HCR_TWI)
#define HCR_GUEST_NO_GIC (HCR_GUEST | HCR_TWE | HCR_TWI)
/* CNTHCTL_EL2 while a guest runs (D23.2.22, E2H = 0): EL1PCTEN (0) the physical counter
 * stays readable; EL1PCEN (1) = 0 traps the EL1 physical timer, which is denied (traps.c). */
#define CNTHCTL_GUEST UL(0x1)

/* SCTLR_EL1 at reset with the MMU and caches off: RES1 bits 29:28, 23:22, 20, 11. */
#define SCTLR_EL1_RESET UL(0x30d00800)
/* VMPIDR_EL2: bit 31 RES1; Aff0 = the vCPU index (the guest's CPU_ON target). */
#define MPIDR_RES1 (UL(1) << 31)

/* guest.S loads struct vcpu_arch by these offsets, x0..x30 like struct arm64_regs. */
_Static_assert(__builtin_offsetof(struct vcpu_arch, x) == VCPU_ARCH_X, "layout");
_Static_assert(__builtin_offsetof(struct vcpu_arch, pc) == VCPU_ARCH_PC, "layout");
_Static_assert(__builtin_offsetof(struct vcpu_arch, pstate) == VCPU_ARCH_PSTATE, "layout");
_Static_assert(VCPU_ARCH_PSTATE == VCPU_ARCH_PC + 8, "guest.S loads pc, pstate with one ldp");

extern char arm64_guest_vectors[];
void arm64_guest_enter(const struct vcpu_arch *regs, uint64_t stack_top);

const struct pt_format *arch_stage2_format(void)
{
    return &pt_fmt_arm_s2_4k;
}

unsigned int arch_stage2_depth(void)
{
    return ARM64_STAGE2_DEPTH; /* 39-bit IPA: every guest layout below 512 GiB; level 1 */
}

int arch_partition_init(struct partition *p)
{
    p->arch.vmid = (uint16_t)p->config->id;
    p->arch.vttbr = hpa_val(p->stage2.root) | (uint64_t)p->arch.vmid << 48;
    p->arch.vtcr = VTCR_RES1 | VTCR_PS_40 | VTCR_SH0_INNER | VTCR_ORGN0_WBWA | VTCR_IRGN0_WBWA |
                   (uint64_t)pt_arm_s2_sl0(&p->stage2) << VTCR_SL0_SHIFT |
                   pt_arm_s2_t0sz(&p->stage2);
    return 0;
}

void arch_stage2_flush(struct partition *p)
{
    uint64_t old = read_sysreg(vttbr_el2);

    /* TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2 (D7.7.3): borrow p's for the
     * invalidation, broadcast to the inner-shareable domain, wait, put the old one back. */
    dsb(ishst);
    write_sysreg(vttbr_el2, p->arch.vttbr);
    isb();
    __asm__ __volatile__("tlbi vmalls12e1is" ::: "memory");
    dsb(ish);
    write_sysreg(vttbr_el2, old);
    isb();
}

void arch_guest_mem_sync(void *va, size_t size)
{
    /* The guest starts with its MMU and caches off: what we wrote through the cache must be
     * in memory, and no stale instructions may remain (D7.5.9, D7.4.4). */
    arch_dcache_clean(va, size);
    __asm__ __volatile__("ic ialluis" ::: "memory");
    dsb(ish);
    isb();
}

void arch_vcpu_reset(struct vcpu *v, gpa_t entry, uint64_t context)
{
    memset(v->arch.x, 0, sizeof(v->arch.x));
    v->arch.x[0] = context;
    v->arch.pc = gpa_val(entry);
    v->arch.pstate = PSTATE_EL1H_DAIF;
}

void arch_vcpu_run(struct vcpu *v)
{
    struct partition *p = v->part;
    unsigned int cpu = arch_cpu_id();
    uint64_t midr = read_sysreg(midr_el1);

    /* EL1 system state at its reset values: MMU off, no vectors, no translation. */
    write_sysreg(sctlr_el1, SCTLR_EL1_RESET);
    write_sysreg(tcr_el1, 0);
    write_sysreg(mair_el1, 0);
    write_sysreg(ttbr0_el1, 0);
    write_sysreg(ttbr1_el1, 0);
    write_sysreg(vbar_el1, 0);
    write_sysreg(cpacr_el1, 0);
    write_sysreg(contextidr_el1, 0);
    write_sysreg(sp_el1, 0);
    write_sysreg(elr_el1, 0);
    write_sysreg(spsr_el1, 0);
    write_sysreg(esr_el1, 0);
    write_sysreg(far_el1, 0);
    write_sysreg(tpidr_el1, 0);
    write_sysreg(tpidr_el0, 0);
    write_sysreg(tpidrro_el0, 0);
    write_sysreg(cntv_ctl_el0, 0);
    write_sysreg(cntp_ctl_el0, 0);
    write_sysreg(vpidr_el2, midr);
    write_sysreg(vmpidr_el2, MPIDR_RES1 | v->index);
    /* Stage 2 of this partition, then the traps, then the guest vectors. */
    write_sysreg(vtcr_el2, p->arch.vtcr);
    write_sysreg(vttbr_el2, p->arch.vttbr);
    /* Trap hardening (IMPDEF, ACTLR_EL1, RAS records, set/way, PMU): sysreg_trap.c. */
    arm64_el2_traps_write(gic_present() ? HCR_GUEST_GIC : HCR_GUEST_NO_GIC);
    write_sysreg(cnthctl_el2, CNTHCTL_GUEST);
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(vbar_el2, (uint64_t)(uintptr_t)arm64_guest_vectors);
    isb();
    /* Drop whatever this CPU cached for the VMID before (a previous boot of the partition). */
    __asm__ __volatile__("tlbi vmalls12e1" ::: "memory");
    __asm__ __volatile__("ic iallu" ::: "memory");
    dsb(nsh);
    isb();
    arm64_guest_enter(&v->arch, arm64_stack_top(cpu));
    __builtin_unreachable();
}

void arch_cpu_wait(void)
{
    __asm__ __volatile__("wfe" ::: "memory");
}

void arch_cpu_kick(void)
{
    dsb(ish);
    __asm__ __volatile__("sev" ::: "memory");
}

void arch_guest_dtb_cpu(struct fdt_writer *w, const struct partition *p __unused,
                        unsigned int index __unused)
{
    fdt_write_prop_string(w, "compatible", "arm,armv8");
    fdt_write_prop_string(w, "enable-method", "psci");
}

void arch_guest_dtb_root(struct fdt_writer *w, const struct partition *p __unused)
{
    /* PSCI through HVC (Arm DEN0022; Linux binding arm/psci.yaml); trapped SMCs work too. */
    fdt_write_begin_node(w, "psci");
    fdt_write_prop_string(w, "compatible", "arm,psci-1.0");
    fdt_write_prop_string(w, "method", "hvc");
    fdt_write_end_node(w);
}

int arch_guest_boot_info(const struct partition *p __unused, void *area __unused, gpa_t area_gpa,
                         size_t size __unused, size_t dtb_len __unused, uint64_t *context)
{
    *context = gpa_val(area_gpa); /* x0 = the DTB (Linux arm64 boot protocol) */
    return 0;
}

/* Linux arm64 Image header (Documentation/arch/arm64/booting.rst): text_offset at byte 8
 * (little-endian 64-bit), magic "ARM\x64" at byte 0x38. */
uint64_t arch_image_load_offset(const uint8_t *image, size_t size)
{
    return size >= 0x40 && memcmp(image + 0x38, "ARM\x64", 4) == 0 ? load_le(image + 8, 8) : 0;
}

int arch_image_load_exec(const struct partition *p __unused, const uint8_t *image __unused,
                         size_t size __unused, uint64_t limit __unused, gpa_t *entry __unused,
                         bool copy __unused)
{
    /* arm64 Images are raw binaries (arch_image_load_offset() places them). */
    return 0;
}
