/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition configuration: the /hypervisor node of the configuration DTB (binding v1,
 * dts/bindings/) parsed once into typed structures and validated against every rule of the
 * binding. The same code runs in the hypervisor at boot and in the host tool bulkhead-check,
 * so a DTB the build accepted is accepted at boot, and a blob that was changed afterwards is
 * still never trusted.
 *
 * Everything lives in fixed-size arrays inside struct hv_config (no allocation); the limits
 * below are part of the binding and exceeding one is a configuration error. Per-partition
 * lists are contiguous slices [first, first + count) of the global arrays, in DT order.
 *
 * Strings other than labels and ids (image, bootargs) point into the DTB, which must outlive
 * the configuration (the hypervisor's is embedded in its image).
 */
#pragma once

#include <hv/fdt.h>
#include <hv/printf.h>
#include <hv/types.h>

/* Partition ids are 1..HV_MAX_PARTITIONS (one byte in messages, 6 bits in future VMIDs). */
#define HV_MAX_PARTITIONS 63
/* CPUs owned by all partitions together. */
#define HV_CONFIG_MAX_CPUS 64
/* Memory triplets of all partitions together. */
#define HV_CONFIG_MAX_MEM 64
/* Passed-through devices of all partitions together. */
#define HV_CONFIG_MAX_DEVICES 32
/* MMIO ranges ("reg" entries) kept per device. */
#define HV_CONFIG_MAX_DEV_REGS 4
/* Raw "interrupts" cells kept per device. */
#define HV_CONFIG_MAX_IRQ_CELLS 12
/* shared-mem nodes (owners and borrowers) of all partitions together. */
#define HV_CONFIG_MAX_SHM 64
/* DMA masters (PCI functions and platform devices' IOMMU streams) of all partitions. */
#define HV_CONFIG_MAX_DMA 32
/* Cells of an INTx line's interrupt specifier kept per pin (the root controller's, at most). */
#define HV_CONFIG_INTX_CELLS 4
/* Ranges of all /memory nodes, and of /reserved-memory plus the reservation block. */
#define HV_CONFIG_MAX_RAM 16
#define HV_CONFIG_MAX_RESERVED 16
/* Labels and shared-memory ids: 1..31 characters of [A-Za-z0-9_.-], plus the NUL. */
#define HV_CONFIG_NAME_MAX 32
/* /hypervisor "firmware-forward" ranges (board firmware calls partitions may make). */
#define HV_CONFIG_MAX_FW_RANGES 8
/* Stored device node paths, including the NUL (longer paths are a configuration error). */
#define HV_CONFIG_PATH_MAX 96

/* Memory type of a shared region (binding "cache-policy"). */
enum cache_policy {
    CACHE_POLICY_WB, /* "wb": normal memory, write-back (the default) */
    CACHE_POLICY_WT, /* "wt": normal memory, write-through */
    CACHE_POLICY_NC, /* "nc": normal memory, non-cacheable */
};

enum shm_role {
    SHM_ROLE_BORROWER, /* maps a window of the owner's region (the default) */
    SHM_ROLE_OWNER,    /* provides the host memory; exactly one per id */
};

/* Ordered: a borrower may never get more than its owner's access. */
enum shm_access {
    SHM_ACCESS_RO = 1,
    SHM_ACCESS_RW = 2,
};

/* A range of host physical memory from /memory or /reserved-memory. */
struct hv_config_range {
    hpa_t base;
    uint64_t size;
    bool hypervisor; /* the "bulkhead,hypervisor-memory" reservation (the image itself) */
    bool staging;    /* a "bulkhead,image-staging" reservation (staged guest images) */
};

/*
 * One /hypervisor "firmware-forward" range: the function ids [first, last] of the board
 * firmware's calls that a partition may make through the hypervisor (arm64: SMCCC function
 * ids of a trapped SMC, Arm DEN 0028; see hv_config_firmware_call_allowed()).
 */
struct hv_config_fw_range {
    uint32_t first;
    uint32_t last;
};

/* A physical CPU owned by a partition. */
struct hv_config_cpu {
    char name[16];     /* node name under /cpus, "cpu@1" */
    uint64_t hwid;     /* its "reg": Arm MPIDR affinity, x86 local APIC id */
    uint8_t partition; /* index into hv_config.partitions */
};

/* One "memory" triplet: guest [guest, guest + size) backed by host [host, host + size). */
struct hv_config_mem {
    gpa_t guest;
    hpa_t host;
    uint64_t size;
};

/* One register range of a passed-through device, mapped 1:1 (guest address = host address). */
struct hv_config_dev_reg {
    uint64_t base;
    uint64_t size;
    bool pio; /* x86 I/O-port range (ISA binding, first address cell bit 0): not MMIO */
};

/* A passed-through device: a "devices" phandle of a partition. */
struct hv_config_device {
    char path[HV_CONFIG_PATH_MAX]; /* its node path, "/pl011@9040000" */
    uint8_t partition;             /* index into hv_config.partitions */
    uint8_t nr_regs;
    uint8_t nr_irq_cells; /* cells in irq_cells (interrupts copied raw, host order) */
    struct hv_config_dev_reg regs[HV_CONFIG_MAX_DEV_REGS];
    uint32_t irq_cells[HV_CONFIG_MAX_IRQ_CELLS];
    const void *compatible;  /* its raw "compatible" string list (in the DTB), or NULL */
    uint32_t compatible_len; /* bytes of compatible, NULs included */
};

/* "dma-isolation" of a partition (dts/bindings/bulkhead,partition-v1.md). */
enum dma_isolation {
    DMA_ISOLATION_IOMMU, /* default: every DMA master must sit behind an IOMMU */
    DMA_ISOLATION_NONE,  /* masters without an IOMMU are accepted: "DMA not isolated" */
};

/*
 * A DMA master of a partition: a PCI function ("pci-devices", under a host bridge of the
 * board DT) or one IOMMU stream of a platform device ("devices" / "dma-masters"). The stream
 * id comes from the board DT like Linux reads it: the host bridge's "iommu-map" (with
 * "iommu-map-mask") for a PCI requester id, the device's "iommus" for a platform device.
 */
struct hv_config_dma {
    char path[HV_CONFIG_PATH_MAX]; /* platform: the device node; PCI: the host bridge node */
    char name[HV_CONFIG_NAME_MAX]; /* for messages: "00:02.0" (PCI) or the device node's name */
    uint8_t partition;             /* index into hv_config.partitions */
    bool pci;                      /* a PCI function (rid valid) */
    uint16_t rid;                  /* PCI requester id: bus << 8 | device << 3 | function */
    bool isolated;  /* an IOMMU translates it (false only under dma-isolation "none") */
    uint64_t iommu; /* isolated: the IOMMU node's first reg address (CPU), naming the unit */
    uint32_t sid;   /* isolated: the stream id (SMMUv3 StreamID, AMD-Vi DeviceID) there */
    /*
     * PCI: the shared interrupt each INTx pin (INTA..INTD, index 0..3) of the function
     * reaches through the host bridge's "interrupt-map", as the arch numbers it
     * (arch_config_shared_irq()); 0 when the map sends that pin nowhere a partition can own.
     * Which pin the function uses is read from its Interrupt Pin register at boot.
     * intx_spec: the same line as the board DT's parent specifier (cells of the root
     * interrupt controller, which a partition's virtual controller shares), for the guest DT.
     */
    uint32_t intx_irq[4];
    uint32_t intx_spec[4][HV_CONFIG_INTX_CELLS];
};

/*
 * One shared-mem node. Owners and borrowers are resolved: every entry knows its owner's
 * entry, and a borrower's host address is already the owner's host base + its offset, so the
 * mapping code never looks the owner up. Defaults of binding v1 are applied.
 */
struct hv_config_shm {
    char id[HV_CONFIG_NAME_MAX];
    uint8_t partition; /* index into hv_config.partitions */
    enum shm_role role;
    enum shm_access access;         /* owner: the most any borrower gets (its own is rw) */
    enum cache_policy cache_policy; /* borrowers inherit their owner's */
    gpa_t guest;                    /* where this partition sees the region */
    hpa_t host;                     /* owner: region base; borrower: owner base + offset */
    uint64_t size;                  /* bytes mapped by this partition */
    uint64_t offset;                /* borrower: into the owner's region; owner: 0 */
    uint16_t owner;                 /* index of the owner's entry (an owner: itself) */
    uint16_t users;                 /* owner: 1 + number of borrowers; borrower: 0 */
    /*
     * From a Xen dom0less node ("xen,domain-shared-memory-v1", dts/bindings/): the guest sees
     * the reserved-memory node Xen generates (xen-shmem@..., "xen,shared-memory-v1").
     */
    bool xen;
    /*
     * Xen only: no partition owns the region, the hypervisor does (Xen's DOMID_IO). Every
     * entry of the id is a borrower; the first is the region's head (its owner index points
     * at itself, and its users counts every borrower).
     */
    bool hv_owned;
    bool has_doorbell; /* "doorbell" given: a doorbell register page */
    gpa_t doorbell;    /* where this partition sees it (4 KiB) */
    /* "pci-slot" given: this partition also sees the region as an ivshmem-style function on
     * its virtual PCI host (include/hv/vpci.h, core/partition/ivshmem.c), device pci_slot of
     * bus 0; its window is then BAR 2 and the region's doorbell rings the function's INTx. */
    bool has_pci;
    uint8_t pci_slot;
};

/* Whether shm entry idx heads its region (an owner, or the first entry of a region the
 * hypervisor owns): per-region data (users, the owner's host range) is kept there. */
static inline bool shm_is_region_head(const struct hv_config_shm *s, unsigned int idx)
{
    return s->role == SHM_ROLE_OWNER || (s->hv_owned && s->owner == idx);
}

/*
 * What a test run expects of a partition (test-only property "bulkhead,test-expect",
 * dts/bindings/; read by the test monitor, CONFIG_TEST_MONITOR).
 */
enum test_expect {
    TEST_EXPECT_NONE,  /* no property: must not fault, and any verdict must be a pass */
    TEST_EXPECT_PASS,  /* "pass": verdict 0 reported, then the partition stopped */
    TEST_EXPECT_FAULT, /* "fault": stopped by a fault report */
    TEST_EXPECT_OFF,   /* "off": SYSTEM_OFF without a verdict */
};

/* Size of a doorbell register page (include/hv/doorbell.h). */
#define HV_DOORBELL_PAGE 0x1000u
/* Bytes of a SHA-256 digest ("bulkhead,image-sha256"). */
#define HV_CONFIG_SHA256_SIZE 32

/*
 * Where the build staged one of a partition's images for the boot loader (the build-written
 * properties "bulkhead,<image|initrd>-staged" = <host size> and "-sha256", dts/bindings/):
 * an untouched copy inside a "bulkhead,image-staging" reservation that every (re)load of the
 * partition verifies and copies from. size == 0: not staged (a DTB the build has not
 * finished, as bulkhead-check sees it).
 */
struct hv_config_staged {
    hpa_t base;
    uint64_t size;
    uint8_t sha256[HV_CONFIG_SHA256_SIZE];
};

/* A partition: its own fields plus slices of the global arrays. */
struct hv_config_partition {
    uint32_t id; /* "reg", 1..HV_MAX_PARTITIONS, unique */
    char label[HV_CONFIG_NAME_MAX];
    const char *image;    /* build-time path (in the DTB), or NULL */
    const char *initrd;   /* build-time path of an initial ramdisk, or NULL */
    const char *bootargs; /* in the DTB, or NULL */
    bool input_focus;     /* "input-focus": has the console input at start */
    struct hv_config_staged image_staged, initrd_staged; /* where the build put them */
    enum test_expect test_expect;                        /* "bulkhead,test-expect" (tests only) */
    uint16_t cpu_first, cpu_count;
    uint16_t mem_first, mem_count;
    uint16_t dev_first, dev_count;
    uint16_t shm_first, shm_count;
    uint16_t dma_first, dma_count;    /* its DMA masters (hv_config.dma) */
    enum dma_isolation dma_isolation; /* "dma-isolation" */
};

struct hv_config {
    char console[HV_CONFIG_PATH_MAX]; /* the hypervisor console's node path, "" if none */
    /* /hypervisor "interrupt-cpu": the "reg" (hardware id) of the CPU that takes the
     * hypervisor's own interrupts; has_interrupt_cpu false when not given. */
    bool has_interrupt_cpu;
    uint64_t interrupt_cpu;
    unsigned int nr_partitions, nr_cpus, nr_mem, nr_devices, nr_shm, nr_ram, nr_reserved, nr_dma;
    /* /hypervisor "firmware-forward": the board's allow-list; none by default (every firmware
     * call the hypervisor does not serve itself is refused). */
    unsigned int nr_fw_ranges;
    struct hv_config_fw_range fw_ranges[HV_CONFIG_MAX_FW_RANGES];
    struct hv_config_partition partitions[HV_MAX_PARTITIONS];
    struct hv_config_cpu cpus[HV_CONFIG_MAX_CPUS];
    struct hv_config_mem mem[HV_CONFIG_MAX_MEM];
    struct hv_config_device devices[HV_CONFIG_MAX_DEVICES];
    struct hv_config_shm shm[HV_CONFIG_MAX_SHM];
    struct hv_config_dma dma[HV_CONFIG_MAX_DMA];
    struct hv_config_range ram[HV_CONFIG_MAX_RAM];
    struct hv_config_range reserved[HV_CONFIG_MAX_RESERVED];
};

/* What the parser needs from its environment (host tool or hypervisor). */
struct hv_config_env {
    /*
     * Called once per error, in DT order, with the node's absolute path, the property (or
     * the child node name for a missing node) and the reason. Required.
     */
    void (*report)(void *ctx, const char *path, const char *prop, const char *reason);
    /*
     * The size in bytes of the build-time file path (a partition's "image" or "initrd"): 0, or a
     * negative errno (-ENOENT when it does not exist). NULL skips the image check (the
     * hypervisor at boot: the build already checked it).
     */
    int (*image_size)(void *ctx, const char *path, uint64_t *size);
    void *ctx; /* passed to both callbacks */
};

/*
 * Parse and validate the configuration DTB fdt (already checked by fdt_init()) into *cfg.
 * Every rule is checked and every violation reported through env->report, not only the
 * first. Returns 0 when valid, -EINVAL otherwise (*cfg then holds what could be parsed and
 * must not be used).
 */
int hv_config_parse(const struct fdt *fdt, const struct hv_config_env *env,
                    struct hv_config *cfg) __must_check;

/*
 * Whether a partition's firmware call with function id fn may go on to the board's firmware:
 * true when fn is a 32-bit id inside one of cfg's "firmware-forward" ranges (SMCCC ids are
 * 32 bits: x0's upper half must be zero, DEN 0028 2.5). The caller first serves what the
 * hypervisor itself implements (its hypercalls, PSCI for the partition's own vCPUs): those
 * ids are never forwarded whatever the list says. Pure; any context.
 */
bool hv_config_firmware_call_allowed(const struct hv_config *cfg, uint64_t fn);

/*
 * One node kind of the binding (core/config/binding.c): the properties it may carry and the
 * children it may have. Anything else on such a node is a configuration error. The property
 * list is also the first column of the binding document's property table, in the same order
 * (tests/host/binding_docs.sh compares them).
 */
struct config_binding {
    const char *compatible;           /* "bulkhead,partition-v1" */
    const char *const *props;         /* NULL-terminated */
    const char *const *child_compats; /* compatibles of the children it may have */
    const char *const *child_names;   /* their name stems ("shared-mem"), for messages */
};

/* The i-th node kind of the binding, NULL past the last (for listing the tables). */
const struct config_binding *config_binding(unsigned int i);

/* The binding's names, for messages and the table printer. */
const char *cache_policy_name(enum cache_policy policy);
const char *shm_access_name(enum shm_access access);
const char *shm_role_name(enum shm_role role);

/*
 * Print the partition table (ids, labels, CPUs, memory, devices, shared regions with role,
 * access, cache policy, offset and users) through emit, one line per item.
 */
void hv_config_print(const struct hv_config *cfg, hv_emit_fn emit, void *ctx);

/* The configuration the hypervisor booted with (core/config/config_boot.c); NULL before it is
 * parsed or when no partition layout is configured. */
const struct hv_config *hv_boot_config(void);

/* The partition layout the image was built with (CONFIG_PARTITION_LAYOUT), "" for none
 * (core/config/config_boot.c, from the Makefile). */
extern const char hv_layout_name[];
