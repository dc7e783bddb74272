/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arch contract: virtualization. What the generic partition core (core/partition/partition.c,
 * core/partition/guest_dtb.c) asks of the architecture to run partitions: stage-2 format and
 * activation, vCPU reset and entry, guest memory access, CPU wake-ups and the arch part of
 * the generated guest DTB. Implemented in arch/<arch>/ and in tests/unit/fake/fake_vcpu.c.
 *
 * <asm/vcpu.h> provides, for generic code:
 *   struct partition_arch   embedded in struct partition (VMID, stage-2 control values);
 *   struct vcpu_arch        embedded in struct vcpu (saved guest registers);
 *   ARCH_SYNDROME_NAME      how fault reports name the trap syndrome ("ESR");
 *   ARCH_HYPERCALL_METHOD   the hypercall conduit named in the guest DTB ("hvc").
 */
#pragma once

#include <arch/mm.h>
#include <asm/vcpu.h>
#include <hv/compiler.h>
#include <hv/fdt_write.h>
#include <hv/pgtable.h>
#include <hv/types.h>

struct partition;
struct vcpu;

/* Stage-2 table format (arm64: pt_fmt_arm_s2_4k). Any context. */
const struct pt_format *arch_stage2_format(void);

/* Stage-2 depth every partition uses (arm64: 3 levels, 39-bit IPA from level 1). */
unsigned int arch_stage2_depth(void);

struct partition_expect;

/*
 * Optional (default in core/partition/partition.c: none): mappings the architecture adds to
 * every partition's stage 2 on top of its configuration (e.g. a GICv2 virtual CPU interface
 * at the guest's GICC address). Writes at most max entries to out and returns how many. The
 * stage-2 audit (partition_audit) expects exactly these plus the configured ranges. Boot CPU
 * or the resetting vCPU's CPU, p->lock held.
 */
unsigned int arch_partition_implied_map(const struct partition *p, struct partition_expect *out,
                                        unsigned int max);

/*
 * Set up p's arch state once its stage-2 table exists (p->stage2.root valid): VMID (derived
 * from the partition id), translation control values. 0 or a negative errno. Boot CPU.
 */
int arch_partition_init(struct partition *p) __must_check;

/*
 * Invalidate every cached stage-2 translation of p on every CPU and wait for completion
 * (arm64: TLBI VMALLS12E1IS under p's VMID + DSB ISH). Called after entries changed from
 * valid (unmap, block split), p->lock held, any CPU.
 */
void arch_stage2_flush(struct partition *p);

/*
 * Make size bytes just written at va (an image, a DTB) visible to a guest that starts with
 * its MMU and caches off: clean to the Point of Coherency, invalidate the instruction cache.
 */
void arch_guest_mem_sync(void *va, size_t size);

/*
 * Zero size bytes of guest RAM at va (both multiples of PAGE_SIZE) and make the zeros what a
 * guest that starts with its MMU and caches off reads (arm64: DC ZVA, clean to the PoC).
 * Called on the partition's own boot CPU (partition_load()); touches nothing else.
 */
void arch_guest_mem_zero(void *va, size_t size);

/*
 * Copy size bytes from src to guest RAM at dst and make them visible as arch_guest_mem_sync()
 * does. The lines around the copy's end, up to 512 bytes past it, may be cleaned too: dst +
 * size stays that far inside the partition's RAM (the DTB area follows the image).
 */
void arch_guest_mem_copy(void *dst, const void *src, size_t size);

/*
 * Reset v's registers for a start at entry per the boot protocol (arm64: EL1h, MMU off,
 * DAIF masked, x0 = context, x1..x3 = 0, system registers at their reset values). The
 * vCPU's own CPU, right before arch_vcpu_run().
 */
void arch_vcpu_reset(struct vcpu *v, gpa_t entry, uint64_t context);

/*
 * Enter v on the calling CPU (which must be v->cpu): activate the partition's stage 2 and
 * trap configuration and switch to the guest. Every later trap comes back through the arch's
 * handlers on a fresh hypervisor stack. Never returns.
 */
__noreturn void arch_vcpu_run(struct vcpu *v);

/* Low-power wait until an arch_cpu_kick() (or any event) reaches this CPU, returning at least
 * every millisecond without one (arm64: WFE with the generic timer's event stream; x86: PAUSE,
 * a poll). */
void arch_cpu_wait(void);

/* Wake every CPU waiting in arch_cpu_wait() after a store they wait for (arm64: DSB; SEV). */
void arch_cpu_kick(void);

/*
 * Add the arch's nodes and cpu properties to a guest DTB being written:
 * arch_guest_dtb_cpu() writes the properties of cpu node index (inside the open node, after
 * "reg"), arch_guest_dtb_root() the arch's top-level nodes (arm64: /psci). Errors are sticky
 * in the writer.
 */
void arch_guest_dtb_cpu(struct fdt_writer *w, const struct partition *p, unsigned int index);
void arch_guest_dtb_root(struct fdt_writer *w, const struct partition *p);

/*
 * Write the arch's boot information next to a partition's generated DTB and say what vCPU 0's
 * context register receives (arm64: x0 = the DTB itself; x86: EBX = an hvm_start_info with
 * the memory map and the DTB as module 0, written after the DTB). area (size bytes, guest
 * address area_gpa) holds the DTB of dtb_len bytes at its start; everything written must be
 * guest addresses only. What it writes past the DTB, it makes visible to the guest itself
 * (partition_load() syncs the DTB only; x86's caches are coherent, arm64 writes nothing
 * there). 0 and *context, or -E2BIG when it does not fit. Called by partition_load(),
 * p->lock held or boot CPU.
 */
int arch_guest_boot_info(const struct partition *p, void *area, gpa_t area_gpa, size_t size,
                         size_t dtb_len, uint64_t *context) __must_check;

/* Load address offset of a recognised kernel image header in the first bytes of an image
 * (arm64 Image: text_offset), or 0 for a raw binary. */
uint64_t arch_image_load_offset(const uint8_t *image, size_t size);

/*
 * Load an image in an executable format the arch boots by its own layout rather than as a
 * raw binary (x86: an ELF64 kernel with a PVH entry note, Linux's vmlinux): with copy, copy
 * its loadable parts into p's scrubbed RAM at the guest addresses the image names, each
 * inside p's first memory triplet and below guest address limit (where the initrd and DTB
 * start); without, only check that it would (nothing is written). Returns 1 and *entry (a
 * guest address) when it loaded (or would load) the image, 0 when the image is not in such a
 * format (the caller loads it raw at arch_image_load_offset()), or a negative errno
 * (-ENOEXEC malformed, -E2BIG outside the room) when the format is recognised but the image
 * is refused. Partition set-up (boot CPU, !copy) and partition_load() (p's own CPU).
 */
int arch_image_load_exec(const struct partition *p, const uint8_t *image, size_t size,
                         uint64_t limit, gpa_t *entry, bool copy) __must_check;
