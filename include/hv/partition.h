/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partitions and their vCPUs: the run-time objects built from the configuration
 * (include/hv/config.h). Generic; the arch half of each object is embedded by name
 * (struct partition_arch, struct vcpu_arch from <asm/vcpu.h>) and driven through the
 * contract in include/arch/vcpu.h.
 *
 * Memory (BRIEF §4). Each partition owns one stage-2 table (struct pgtable, the format and
 * depth come from the arch) holding, in this order:
 *   - every "memory" triplet: Normal write-back, read-write-execute;
 *   - every shared region it uses: an owner maps its whole region read-write, a borrower its
 *     window with its own access; both with the owner's cache policy, never executable;
 *   - every passed-through device's MMIO range: Device-nGnRE, read-write, 1:1.
 * Mapping a partition is all-or-nothing: a failure part-way unmaps everything mapped so far
 * and names the guest page that failed and why. Shared regions count their users (the
 * partitions that currently map them): core/partition/shm.c.
 *
 * Physical CPUs are owned exclusively: vCPU i of a partition runs on the physical CPU of its
 * i-th "cpus" entry and nowhere else. The boot CPU (logical CPU 0) may be one of them: after
 * set-up it runs its vCPU like the others, and the hypervisor keeps no CPU of its own.
 *
 * Boot (agreed with the guest runtimes, guests/<arch>/): the image is a raw binary loaded at
 * the guest base of the FIRST memory triplet plus arch_image_load_offset() (arm64: the
 * text_offset of an arm64 Image header, else 0; x86: 1 MiB), and entered there per the arch's
 * boot protocol with the context arch_guest_boot_info() chose (arm64: EL1h, MMU off, DAIF
 * masked, x0 = guest address of the generated DTB; x86: PVH, EBX = hvm_start_info). The
 * generated DTB (core/partition/guest_dtb.c) and the arch's boot information sit at the top
 * of the first triplet. vCPU 0 boots; the others wait until the guest starts them (PSCI
 * CPU_ON, target = vCPU index as MPIDR Aff0, or BH_HC_VCPU_START). Guest memory is not cleared
 * before loading.
 *
 * Stopping. A partition stops on SYSTEM_OFF, on a fault (fault containment) or when its last
 * vCPU turns itself off. Its stage-2 mappings are removed first, so a vCPU still running on
 * another CPU traps at its next memory access and parks; one asleep in WFI is woken by an
 * interrupt (arch_irq_kick) and parks too (on x86, whose guest TLBs are not flushed by
 * broadcast, the stage-2 flush itself kicks every running sibling out of the guest,
 * docs/x86.md). Its passed-through interrupts are released, then
 * its shared regions lose it as a user. SYSTEM_RESET stops the partition the same way,
 * reloads the image, regenerates the DTB (boot count + 1) and maps everything again.
 *
 * Locking: partition.lock (rank LOCK_RANK_PARTITION) serialises state changes and every
 * stage-2 table change or walk of one partition (the shared-region user sets of
 * core/partition/shm.c are atomic words).
 */
#pragma once

#include <asm/vcpu.h>
#include <hv/compiler.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/iommu.h>
#include <hv/pgtable.h>
#include <hv/spinlock.h>
#include <hv/types.h>
#include <hv/vmmio.h>

/* vCPUs of one partition, at most. */
#define PARTITION_MAX_VCPUS 8
/* Room reserved for the generated DTB at the top of the first memory triplet. */
#define GUEST_DTB_MAX 0x10000u
/* DMA masters behind an IOMMU of one partition, at most. */
#define PARTITION_MAX_DMA 8
/* Bytes of console output a vCPU buffers until a newline. */
#define VCPU_CONSOLE_LINE CONSOLE_LINE_MAX

enum vcpu_state {
    VCPU_OFF,        /* not started, turned itself off, or parked by a stop */
    VCPU_ON_PENDING, /* start requested; its physical CPU has not entered it yet */
    VCPU_ON,         /* running the guest (or in the hypervisor on its behalf) */
};

enum partition_state {
    PARTITION_NONE,      /* not set up */
    PARTITION_FAILED,    /* setup failed (mapping or image): never started */
    PARTITION_READY,     /* mapped, not started (no image, or before the start unit) */
    PARTITION_RUNNING,   /* at least one vCPU started */
    PARTITION_RESETTING, /* SYSTEM_RESET in progress */
    PARTITION_OFF,       /* stopped by SYSTEM_OFF */
    PARTITION_HALTED,    /* stopped: its last vCPU turned itself off */
    PARTITION_FAULTED,   /* stopped by fault containment */
};

struct partition;

/* A virtual CPU, pinned to one physical CPU. */
struct vcpu {
    struct partition *part; /* owner */
    unsigned int index;     /* vCPU index: position in the partition's "cpus" (MPIDR Aff0) */
    unsigned int cpu;       /* logical physical CPU it runs on (UINT32_MAX: not online) */
    int state;              /* enum vcpu_state; atomic (read by other CPUs) */
    gpa_t entry;            /* where it starts (CPU_ON entry, or the image entry for vCPU 0) */
    uint64_t context;       /* first argument register at entry (x0 on arm64) */
    uint64_t traps;         /* entries into the hypervisor since it started (own CPU) */
    const struct vmmio_region *vmmio_hit; /* its last emulated access's (vmmio.c: a hint) */
    struct console_line line;             /* console output until a newline */
    struct vcpu_arch arch;                /* saved guest registers and arch state */
};

/*
 * DMA isolation of a partition (core/partition/dma.c): one IOMMU domain that mirrors the
 * stage-2 map of its memory and shared regions, and its DMA masters assigned to it. Built by
 * every partition_map() (first boot and each reset) and torn down by partition_unmap(), so
 * a stopped partition's devices are blocked and its table pages returned.
 */
struct partition_dma {
    struct iommu_domain domain;                  /* id = partition id */
    struct iommu_device devs[PARTITION_MAX_DMA]; /* the masters behind an IOMMU */
    uint16_t cfg_index[PARTITION_MAX_DMA];       /* devs[i]'s entry in hv_config.dma */
    unsigned int nr_devs;                        /* 0: nothing to isolate, no domain */
    bool up;                                     /* domain set up, devices assigned */
    unsigned long builds;                        /* domains built (boot + resets) */
};

/* A partition: configuration, state, stage-2 table, vCPUs. */
struct partition {
    const struct hv_config_partition *config; /* its own configuration entry */
    const struct hv_config
        *layout;           /* the whole configuration its slices index (shm, devices, ...) */
    unsigned int index;    /* index in hv_config.partitions */
    int state;             /* enum partition_state; atomic */
    spinlock_t lock;       /* class LOCK_RANK_PARTITION */
    struct pgtable stage2; /* guest physical -> host physical */
    bool mapped;           /* stage2 holds the full mapping */
    unsigned int nr_vcpus;
    unsigned int boot_count; /* SYSTEM_RESETs so far (0 on the first boot) */
    gpa_t dtb;               /* guest address of the generated DTB */
    uint64_t boot_context;   /* vCPU 0's context register at entry (arch_guest_boot_info) */
    gpa_t image_entry;       /* guest address vCPU 0 starts at */
    bool load_pending;       /* planned at set-up, loaded by vCPU 0's CPU at its start */
    gpa_t initrd;            /* guest address of the loaded initrd ... */
    uint64_t initrd_size;    /* ... and its bytes (0: none) */
    /* Test monitor (CONFIG_TEST_MONITOR): the verdict the partition reported, if any. */
    bool verdict_seen;
    uint64_t verdict;
    struct vcpu vcpus[PARTITION_MAX_VCPUS];
    struct vmmio_table vmmio;   /* emulated MMIO regions (core/vdev/vmmio.c), fixed once set up */
    struct partition_dma dma;   /* IOMMU domain of its DMA masters (core/partition/dma.c) */
    struct partition_arch arch; /* VMID and stage-2 control registers */
};

/* The partitions, indexed like hv_config.partitions; nr_partitions of them are set up. */
extern struct partition partitions[HV_MAX_PARTITIONS];
extern unsigned int nr_partitions;

/*
 * Page-table callbacks of a stage-2 table in the hypervisor: tables from the hypervisor page
 * pool, the arch's stage-2 TLB flush. What the boot unit passes to partition_init(); host
 * tests pass their own (failure injection).
 */
extern const struct pt_mm_ops partition_stage2_mm;

/*
 * hv_printf() of one line about p: "partition <id> \"<label>\": " then fmt (which ends with
 * "\n"), printed as one console write so that other CPUs' lines never split it. At most 255
 * characters after the prefix (the rest is cut, the newline kept). Any context.
 */
void partition_printf(const struct partition *p, const char *fmt, ...) __printf(2, 3);

/*
 * Set up partition index of cfg: stage-2 table (its tables through mm, see
 * partition_stage2_mm), arch state (VMID), vCPU to CPU binding, the virtual devices, the full
 * mapping (all-or-nothing), the image and the DTB. 0, or a negative errno with a console
 * message and the partition in PARTITION_FAILED, nothing left mapped. Boot CPU, no lock held.
 */
int partition_init(struct partition *p, const struct hv_config *cfg, unsigned int index,
                   const struct pt_mm_ops *mm) __must_check;

/*
 * Give p the interrupts of its passed-through devices (arch_irq_route() of include/arch/irq.h):
 * every specifier of every device's "interrupts". One that names no routable interrupt or
 * that another partition owns fails with "partition <id> "<label>": <device path>:
 * interrupts: specifier <n>: <errno>". Boot CPU at setup, or p->lock held (reset).
 */
int partition_route_irqs(struct partition *p) __must_check;

/*
 * Map every memory triplet, shared region and device of p into its stage-2 table. All or
 * nothing: on failure prints "partition <id> "<label>": mapping <what> failed at guest page
 * 0x...: <errno>", unmaps what it had mapped (shared-region users are restored) and returns
 * the error. p->lock held.
 */
int partition_map(struct partition *p) __must_check;

/* Remove every mapping of p (memory, shared regions with their user counts, devices) and
 * flush; its IOMMU domain is torn down first (devices blocked, tables freed). Idempotent.
 * p->lock held. */
void partition_unmap(struct partition *p);

/*
 * Map [guest, guest + size) to host with attrs in stage 2 and, when p has DMA masters, the
 * same range in its IOMMU domain (readable, writable when attrs->w, Normal memory): both or
 * neither. The failure message names the partition, what/name and the failing page. p->lock
 * held; the domain was notified of the range (partition_map does it once for everything).
 */
int partition_map_mem(struct partition *p, gpa_t guest, hpa_t host, uint64_t size,
                      const struct pt_attrs *attrs, const char *what,
                      const char *name) __must_check;

/* Undo partition_map_mem() of [guest, guest + size). p->lock held. */
void partition_unmap_mem(struct partition *p, gpa_t guest, uint64_t size);

/* ----- DMA isolation (core/partition/dma.c) ----- */

/*
 * Find the IOMMU unit of each of p's DMA masters (hv_config.dma, by the IOMMU's reg base) and
 * prepare their iommu_device. 0; -ENODEV when a master's IOMMU is not running, -E2BIG for
 * more than PARTITION_MAX_DMA masters, -EINVAL when they sit behind two units (one domain
 * per partition); each with a console message naming the device. Boot CPU, in
 * partition_init().
 */
int partition_dma_init(struct partition *p) __must_check;

/*
 * Build p's domain: set it up, assign every master, and notify it once of last_dfn, the
 * highest DFN partition_map() will map. 0 or the error (nothing left set up). p->lock held.
 */
int partition_dma_up(struct partition *p, dfn_t last_dfn) __must_check;

/* Tear p's domain down: masters blocked, tables freed. Idempotent. p->lock held. */
void partition_dma_down(struct partition *p);

/* Print what DMA isolation p has (its domain's depth and growth, or why none). */
void partition_dma_print(const struct partition *p);

/*
 * The IOMMU fault callback (iommu_set_fault_callback): names the partition and the device
 * ("partition worker: device 00:02.0 DMA write to guest 0x7ff00000: translation fault") and
 * stops the partition as a CPU fault would (partition_stop_faulted). Faults of unassigned
 * streams were aborted by the IOMMU and are only reported.
 */
void partition_dma_fault(struct iommu_domain *dom, const struct iommu_fault *fault);

/*
 * Take the fault interrupts of every IOMMU unit that has them wired (struct iommu irq_spec),
 * so that its queue is drained in the interrupt, on a CPU of the partition its faults
 * concern, instead of being polled by a CPU the hypervisor keeps. The CPU of a unit
 * (docs/iommu.md, "Fault interrupts"):
 *   1. the configuration's /hypervisor "interrupt-cpu", when it names one;
 *   2. else, when exactly one partition has DMA masters behind the unit, that partition's
 *      first CPU: its faults cost only its own CPU;
 *   3. else (several partitions behind one unit, or none) no partition's CPU: the boot CPU
 *      if the configuration leaves it to the hypervisor, otherwise the unit stays polled
 *      (said at boot: name an "interrupt-cpu").
 * True when no unit needs polling. Boot CPU, after the partitions' interrupts are routed and
 * before they start.
 */
bool partition_dma_irq_start(const struct hv_config *cfg);

/*
 * Stop p for a fault that no vCPU of it took (a DMA fault): the same containment as
 * partition_fault() (state FAULTED, every mapping and the IOMMU domain removed, vCPUs park),
 * also before it started (READY: it never starts then).
 * Takes p->lock; any CPU but p's own vCPUs' (the boot CPU polls the IOMMUs).
 */
void partition_stop_faulted(struct partition *p, const char *what);

/* Verify p's staged image (and initrd) and load them into its scrubbed first memory triplet,
 * write its DTB; sets dtb / image_entry / initrd. 0, -ENOENT (not staged), -EBADMSG (SHA-256
 * mismatch: the partition is refused), -E2BIG (does not fit), DTB errors. */
int partition_load(struct partition *p) __must_check;

/*
 * Start p's vCPU 0 at the image entry with x0 = DTB (posts it to its physical CPU). 0,
 * -ENODEV (no image or its CPU is not online), -EINVAL (not READY).
 */
int partition_start(struct partition *p) __must_check;

/*
 * Read len bytes of guest physical memory at addr into buf: every byte must be mapped
 * readable Normal memory of p (device MMIO never is, so reads have no side effects). 0 or
 * -EFAULT. Takes p->lock; any CPU.
 */
int partition_read_guest(struct partition *p, gpa_t addr, void *buf, size_t len) __must_check;

/* p's state (enum partition_state), as other CPUs publish it. */
static inline int partition_state(const struct partition *p)
{
    return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
}

/* v's state (enum vcpu_state), as other CPUs publish it. */
static inline int vcpu_state(const struct vcpu *v)
{
    return __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
}

/* Publish v's new state (enum vcpu_state). */
static inline void vcpu_set_state(struct vcpu *v, int state)
{
    __atomic_store_n(&v->state, state, __ATOMIC_RELEASE);
}

/* Whether p has stopped for good (OFF, HALTED, FAULTED, FAILED) or was never started. */
bool partition_stopped(const struct partition *p);

/* "running", "faulted", ... for the state table. */
const char *partition_state_name(int state);

/* Print the per-partition state table (id, label, state, vCPUs on, boot count, verdict). */
void partition_print_states(void);

/* ----- vCPU life cycle, called by the arch trap handlers on the vCPU's own CPU ----- */

/*
 * PSCI CPU_ON: start vCPU target of v's partition at entry with context. 0, -EINVAL (no such
 * vCPU), -EEXIST (already on), -EBUSY (on pending), -EFAULT (entry not in executable guest
 * memory).
 */
int vcpu_start(struct vcpu *v, uint64_t target, gpa_t entry, uint64_t context) __must_check;

/* PSCI AFFINITY_INFO of vCPU target: enum vcpu_state, or -EINVAL. */
int vcpu_affinity(struct vcpu *v, unsigned int target) __must_check;

/* PSCI CPU_OFF: v stops; the partition halts when it was its last vCPU on. Never returns. */
__noreturn void vcpu_off(struct vcpu *v);

/* PSCI SYSTEM_OFF: the partition stops; every vCPU parks. Never returns. */
__noreturn void partition_system_off(struct vcpu *v);

/*
 * PSCI SYSTEM_RESET: stop every vCPU, reload the image, regenerate the DTB with boot count
 * + 1, map again and boot vCPU 0. Shared regions keep their contents; user counts follow.
 * Never returns (the caller enters vCPU 0 or parks).
 */
__noreturn void partition_reset(struct vcpu *v);

/*
 * Fault containment: print
 *   partition <id> "<label>" vcpu <n>: <what>: ESR 0x<syndrome> guest address 0x<addr>
 *   partition <id> "<label>": stopped
 * (the syndrome's name comes from the arch, ARCH_SYNDROME_NAME), stop the partition, park v.
 * Never a host address. Never returns.
 */
__noreturn void partition_fault(struct vcpu *v, const char *what, uint64_t syndrome, gpa_t addr);

/* Park v: mark it off and wait on its CPU for the next start. Never returns. */
__noreturn void vcpu_park(struct vcpu *v);

/*
 * Called by the arch at every trap (or interrupt) from a guest before handling it: counts it
 * in v->traps; when v's partition is no longer running (stopped or resetting by another
 * vCPU), parks v (never returns). Inline: it is on every exit's path.
 */
static inline void vcpu_check_running(struct vcpu *v)
{
    v->traps++;
    if (partition_state(v->part) != PARTITION_RUNNING) {
        vcpu_park(v);
    }
}

/*
 * What a secondary physical CPU runs once online: wait (low power, per-CPU mailbox) until the
 * vCPU bound to it is started, then enter it. Never returns.
 */
__noreturn void vcpu_cpu_main(unsigned int cpu);

/* The online logical CPU whose hardware id (hv_config_cpu.hwid) is hwid, or UINT32_MAX. */
unsigned int partition_cpu_of_hwid(uint64_t hwid);

/* The vCPU bound to logical CPU cpu, or NULL. */
struct vcpu *vcpu_of_cpu(unsigned int cpu);

/* Post v's start at entry with context (ON_PENDING) and wake its CPU, which picks it up in
 * vcpu_cpu_main(). For partition_start() and the life cycle; p->lock held or boot CPU. */
void vcpu_post_start(struct vcpu *v, gpa_t entry, uint64_t context);

/* ----- hypercalls (core/partition/hypercall.c), arch-neutral register block ----- */

/* Function id, arguments and results of one hypercall (arm64: x0 = fn, x1..x5 = arg[0..4]
 * in; x0..x4 = ret[0..4] out). */
struct hypercall {
    uint64_t fn;
    uint64_t arg[5];
    uint64_t ret[5];
};

/*
 * Handle hypercall hc of v (BH_HC_* of include/hv/hypercall_abi.h): fills hc->ret. Every bad
 * argument gives an SMCCC error in ret[0]; nothing a guest passes can crash the hypervisor.
 * Returns false when fn is not a Bulkhead hypercall (the arch tries PSCI, then reports
 * NOT_SUPPORTED).
 */
bool hypercall_handle(struct vcpu *v, struct hypercall *hc);

/*
 * The handlers behind hypercall_handle(), indexed by fn - BH_HC_BASE (NULL: not supported),
 * for an arch fast path that checks the id itself (arm64: arch/arm64/guest.S). Each handler
 * fills hc->ret, runs on v's own CPU and never makes an interrupt pending for v itself
 * (a doorbell rings the other users of a region), so the arch has nothing to do after it but
 * return to the guest. SYSTEM_OFF and SYSTEM_RESET never return.
 */
#define HYPERCALL_TABLE_SIZE 0x13
typedef void (*hypercall_fn)(struct vcpu *v, struct hypercall *hc);
extern const hypercall_fn hypercall_table[HYPERCALL_TABLE_SIZE];

/* Preset hc->ret (NOT_SUPPORTED, zeros in ret[1..3], the caller's x4 = arg[3] in ret[4]) and run
 * fn (NULL: leave it so). */
void hypercall_call(struct vcpu *v, struct hypercall *hc, hypercall_fn fn);

/*
 * Append len bytes of guest console output to v's line: a newline (or a full line) prints
 * it as "<label>: <line>"; carriage returns are dropped, other control characters and
 * every byte outside 7-bit ASCII are shown as '.'. Shared by BH_HC_CONSOLE_WRITE and the
 * virtual UART (arch/arm64/vpl011.c). v's own CPU.
 */
void vcpu_console_put(struct vcpu *v, const char *buf, size_t len);

/* ----- stage-2 audit (core/partition/audit.c, test builds) ----- */

/* One range a partition's stage 2 must map: guest -> host, size bytes, with attrs. */
struct partition_expect {
    uint64_t guest;
    uint64_t host;
    uint64_t size;
    struct pt_attrs attrs;
    const char *what; /* "memory", "shared memory", "device", or the arch's name */
};

/* Most ranges one partition's expectation may hold. */
#define PARTITION_AUDIT_MAX 64

/*
 * What p's stage 2 must map, computed from the configuration alone plus
 * arch_partition_implied_map(): the number of entries written to out (at most max), or
 * -E2BIG. Independent of the mapping code on purpose (see audit.c).
 */
int partition_expected_map(const struct partition *p, struct partition_expect *out,
                           unsigned int max) __must_check;

/*
 * Walk p's stage-2 table entry by entry and check it maps exactly partition_expected_map():
 * nothing more, nothing less, right host addresses and attributes. Every mismatch is
 * printed ("audit: partition ..."); 0 or -EFAULT, and a failure sets partition_audit_failed,
 * which fails the test monitor's verdict. p->lock held (or p not yet running).
 */
int partition_audit(struct partition *p) __must_check;
extern bool partition_audit_failed;

/* partition_audit() every mapped partition, printing a line for each that matches. Boot CPU,
 * before the partitions start; test builds only. */
void partitions_audit(void);

/*
 * A partition has just published its final (stopped) state, its lock held: once every
 * partition has been started and every one has stopped, end the run here, once (the state
 * table, then test_monitor_finish() in monitor builds, else "all partitions stopped" and
 * hv_boot_verdict()). Any CPU; core/partition/partition_boot.c.
 */
void partitions_stopped_check(void);

/* ----- test monitor (core/partition/test_monitor.c, CONFIG_TEST_MONITOR) ----- */

/* Whether p's outcome matches its expectation ("bulkhead,test-expect"). */
bool test_monitor_matches(const struct partition *p);

/*
 * The CPU that stopped the last partition (partitions_stopped_check()), once the state table
 * is printed: print "monitor: all partitions stopped, PASS|FAIL" (FAIL also after a failed
 * stage-2 audit) and end QEMU (exit 0 only if every partition matched). Never returns.
 */
__noreturn void test_monitor_finish(void);

/*
 * BH_HC_TEST_VERDICT of v (include/hv/hypercall_abi.h): the first verdict of v's partition
 * counts; fills hc->ret. Called by hypercall_handle() in test builds only.
 */
void test_monitor_verdict(struct vcpu *v, struct hypercall *hc);

/* BH_HC_TEST_TRAPS of v: its trap count (v->traps) in hc->ret[1]. Test builds only. */
void test_monitor_traps(struct vcpu *v, struct hypercall *hc);

/* ----- mapping helpers shared by core/partition/partition.c and core/partition/shm.c (p->lock
 * held) ----- */

/*
 * Map [guest, guest + size) to host in p's stage 2 with attrs; what and name describe the
 * range for the failure message ("memory", "shared memory" "ring0"), which names the failing
 * guest page and the error. 0 or the pt_map() error.
 */
int partition_map_range(struct partition *p, gpa_t guest, hpa_t host, uint64_t size,
                        const struct pt_attrs *attrs, const char *what,
                        const char *name) __must_check;

/* Unmap [guest, guest + size) from p's stage 2 (holes allowed); the walker flushes. */
void partition_unmap_range(struct partition *p, gpa_t guest, uint64_t size);

/* ----- shared regions (core/partition/shm.c) ----- */

/* Stage-2 attributes of shared-mem entry s for its partition. */
void shm_attrs(const struct hv_config_shm *s, struct pt_attrs *attrs);

/* Map p's shared-mem entry i (0 .. shm_count - 1 of its configuration). */
int shm_map(struct partition *p, unsigned int i) __must_check;

/* Unmap p's shared-mem entry i. */
void shm_unmap(struct partition *p, unsigned int i);

/* Partitions currently mapping the region whose owner entry is owner (those of
 * partitions[0 .. nr_partitions) that are mapped and have an entry of it). */
unsigned int shm_users(unsigned int owner);

/* Whether partition (index) currently maps the region of owner entry owner. */
bool shm_is_user(unsigned int owner, unsigned int partition);

/* Print the shm table: id, owner, users, borrowers with access and whether mapped. */
void shm_print_table(const struct hv_config *cfg);

/* ----- guest DTB (core/partition/guest_dtb.c) ----- */

/*
 * Write p's guest DTB into buf (size bytes): /memory nodes, /cpus, the arch's nodes
 * (/psci), /chosen (bootargs, bulkhead,boot-count), /reserved-memory shm nodes, passed-through
 * devices and /hypervisor. Guest addresses only. Returns the blob size or a negative errno;
 * nothing in buf past the blob is written (partition_load() cleans the blob's lines only).
 */
int guest_dtb_build(const struct partition *p, void *buf, size_t size) __must_check;
