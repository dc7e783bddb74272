// SPDX-License-Identifier: Apache-2.0
/*
 * core/config/ (parser and table printer) on trees built with lib/fdt_write.c: the typed result
 * and the binding's defaults on a valid layout, the printed partition table, that every error
 * is reported (with node path and property), the limits, the image callback and the arch's
 * cache-policy hook. The rule-by-rule coverage is tests/config/bad/ (one DTS per rule).
 */
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/fdt_write.h>

#include "../../core/config/parser.h"
#include "fake.h"
#include "unit.h"

/* Phandles of the test board. */
enum {
    PH_CPU0 = 1,
    PH_CPU1,
    PH_CPU2,
    PH_CPU3,
    PH_UART0,
    PH_UART1,
    PH_COM2,
    PH_GIC,
    PH_UART2,
    PH_COM2_ALIAS
};

/* What a test changes in the base layout (the same layout as tests/config/base.dtsi). */
struct knobs {
    const char *p2_label;     /* default "worker" */
    uint32_t p2_cpu;          /* p2's first CPU, default PH_CPU2 */
    const char *ro0_b_access; /* absent by default (inherits "ro") */
    const char *ring0_cache;  /* owner's cache-policy, absent by default (wb) */
    const char *p1_image;     /* absent by default */
    unsigned int extra_parts; /* partitions 3.. with only reg and label */
    bool p2_mem_over_p1;      /* p2's host memory onto p1's */
    uint32_t p2_device;       /* a device phandle for p2 (PH_GIC, PH_UART2...), 0: none */
    uint32_t uart2_spi;       /* SPI number of uart2 (default 9) */
    uint32_t irq_cpu;         /* /hypervisor "interrupt-cpu" phandle, 0: absent */
    const uint32_t *fw;       /* /hypervisor "firmware-forward" cells, NULL: absent */
    unsigned int nr_fw;       /* their number */
};

static uint8_t blob[64 * 1024];
static struct fdt fdt;
static struct hv_config cfg;

static void cells(struct fdt_writer *w, const char *name, const uint32_t *c, unsigned int n)
{
    (void)fdt_write_prop_cells(w, name, c, n);
}

static void begin(struct fdt_writer *w, const char *name, const char *compat)
{
    (void)fdt_write_begin_node(w, name);
    if (compat != NULL) {
        (void)fdt_write_prop_string(w, "compatible", compat);
    }
}

static void board(struct fdt_writer *w, const struct knobs *k)
{
    static const uint32_t gicd[] = {0, 0x08000000, 0, 0x10000};
    static const uint32_t uart2[] = {0, 0x09050000, 0, 0x1000};
    const uint32_t irq2[] = {0, k->uart2_spi != 0 ? k->uart2_spi : 9, 4};
    static const uint32_t mem[] = {0, 0x40000000, 0, 0x80000000};
    static const uint32_t hvmem[] = {0, 0x40000000, 0, 0x2000000};
    static const uint32_t uart0[] = {0, 0x09000000, 0, 0x1000};
    static const uint32_t uart1[] = {0, 0x09040000, 0, 0x1000};
    static const uint32_t irq1[] = {0, 8, 4};
    static const uint32_t com2[] = {1, 0x2f8, 8};
    static const uint32_t com2_alias[] = {1, 0x2fc, 4}; /* COM2's upper ports, another node */
    char name[16];

    (void)fdt_write_prop_u32(w, "#address-cells", 2);
    (void)fdt_write_prop_u32(w, "#size-cells", 2);
    (void)fdt_write_prop_u32(w, "interrupt-parent", PH_GIC);
    begin(w, "cpus", NULL);
    (void)fdt_write_prop_u32(w, "#address-cells", 1);
    (void)fdt_write_prop_u32(w, "#size-cells", 0);
    for (uint32_t i = 0; i < 4; i++) {
        snprintf(name, sizeof(name), "cpu@%u", i);
        begin(w, name, "arm,cortex-a57");
        (void)fdt_write_prop_string(w, "device_type", "cpu");
        (void)fdt_write_prop_u32(w, "reg", i);
        (void)fdt_write_prop_u32(w, "phandle", PH_CPU0 + i);
        (void)fdt_write_end_node(w);
    }
    (void)fdt_write_end_node(w);
    begin(w, "memory@40000000", NULL);
    (void)fdt_write_prop_string(w, "device_type", "memory");
    cells(w, "reg", mem, 4);
    (void)fdt_write_end_node(w);
    begin(w, "reserved-memory", NULL);
    (void)fdt_write_prop_u32(w, "#address-cells", 2);
    (void)fdt_write_prop_u32(w, "#size-cells", 2);
    begin(w, "hypervisor@40000000", "bulkhead,hypervisor-memory");
    cells(w, "reg", hvmem, 4);
    (void)fdt_write_end_node(w);
    (void)fdt_write_end_node(w);
    begin(w, "serial@9000000", "arm,pl011");
    cells(w, "reg", uart0, 4);
    (void)fdt_write_prop_u32(w, "phandle", PH_UART0);
    (void)fdt_write_end_node(w);
    begin(w, "serial@9040000", "arm,pl011");
    cells(w, "reg", uart1, 4);
    cells(w, "interrupts", irq1, 3);
    (void)fdt_write_prop_u32(w, "phandle", PH_UART1);
    (void)fdt_write_end_node(w);
    begin(w, "interrupt-controller@8000000", "arm,gic-v3");
    cells(w, "reg", gicd, 4);
    (void)fdt_write_prop(w, "interrupt-controller", NULL, 0);
    (void)fdt_write_prop_u32(w, "#interrupt-cells", 3);
    (void)fdt_write_prop_u32(w, "phandle", PH_GIC);
    (void)fdt_write_end_node(w);
    begin(w, "serial@9050000", "arm,pl011");
    cells(w, "reg", uart2, 4);
    cells(w, "interrupts", irq2, 3);
    (void)fdt_write_prop_u32(w, "phandle", PH_UART2);
    (void)fdt_write_end_node(w);
    begin(w, "isa", "isa");
    (void)fdt_write_prop_u32(w, "#address-cells", 2);
    (void)fdt_write_prop_u32(w, "#size-cells", 1);
    begin(w, "serial@i2f8", "ns16550a");
    cells(w, "reg", com2, 3);
    (void)fdt_write_prop_u32(w, "phandle", PH_COM2);
    (void)fdt_write_end_node(w);
    begin(w, "serial@i2fc", "ns16550a");
    cells(w, "reg", com2_alias, 3);
    (void)fdt_write_prop_u32(w, "phandle", PH_COM2_ALIAS);
    (void)fdt_write_end_node(w);
    (void)fdt_write_end_node(w);
}

static void shm(struct fdt_writer *w, const char *node, const char *id, const char *role,
                const uint32_t *range, unsigned int n, const char *access, const char *cache,
                uint64_t offset)
{
    begin(w, node, "bulkhead,shared-mem-v1");
    (void)fdt_write_prop_string(w, "id", id);
    if (role != NULL) {
        (void)fdt_write_prop_string(w, "role", role);
    }
    cells(w, "shared-mem", range, n);
    if (access != NULL) {
        (void)fdt_write_prop_string(w, "access", access);
    }
    if (cache != NULL) {
        (void)fdt_write_prop_string(w, "cache-policy", cache);
    }
    if (offset != 0) {
        (void)fdt_write_prop_u64(w, "offset", offset);
    }
    (void)fdt_write_end_node(w);
}

static void partition(struct fdt_writer *w, uint32_t id, const char *label)
{
    char name[24];

    snprintf(name, sizeof(name), "partition@%x", id);
    begin(w, name, "bulkhead,partition-v1");
    (void)fdt_write_prop_u32(w, "reg", id);
    (void)fdt_write_prop_string(w, "label", label);
    (void)fdt_write_prop_u32(w, "#address-cells", 2);
    (void)fdt_write_prop_u32(w, "#size-cells", 2);
}

/* Build the tree for k into blob/fdt; false if the writer or reader failed. */
static bool build(const struct knobs *k)
{
    static const uint32_t ring0[] = {0, 0x60000000, 0, 0x50000000, 0, 0x200000};
    static const uint32_t ro0[] = {0, 0x60200000, 0, 0x50200000, 0, 0x200000};
    static const uint32_t ring0_b[] = {0, 0x50000000, 0, 0x100000};
    static const uint32_t ro0_b[] = {0, 0x50200000, 0, 0x200000};
    const uint32_t mem1[] = {0, 0x40000000, 0, 0x48000000, 0, 0x08000000};
    const uint32_t mem2[] = {0, 0x40000000, 0, k->p2_mem_over_p1 ? 0x48000000 : 0x50000000,
                             0, 0x08000000};
    const uint32_t cpus2[] = {k->p2_cpu != 0 ? k->p2_cpu : PH_CPU2, PH_CPU3};
    const uint32_t devs1[] = {PH_UART1, PH_COM2};
    struct fdt_writer w;
    int size;

    if (fdt_write_init(&w, blob, sizeof(blob)) != 0) {
        return false;
    }
    (void)fdt_write_begin_node(&w, "");
    board(&w, k);
    begin(&w, "hypervisor", "bulkhead,hypervisor-v1");
    (void)fdt_write_prop_u32(&w, "#address-cells", 1);
    (void)fdt_write_prop_u32(&w, "#size-cells", 0);
    (void)fdt_write_prop_u32(&w, "console", PH_UART0);
    if (k->irq_cpu != 0) {
        (void)fdt_write_prop_u32(&w, "interrupt-cpu", k->irq_cpu);
    }
    if (k->fw != NULL) {
        cells(&w, "firmware-forward", k->fw, k->nr_fw);
    }

    partition(&w, 1, "control");
    (void)fdt_write_prop_u32(&w, "cpus", PH_CPU1);
    cells(&w, "memory", mem1, 6);
    cells(&w, "devices", devs1, 2);
    if (k->p1_image != NULL) {
        (void)fdt_write_prop_string(&w, "image", k->p1_image);
    }
    shm(&w, "shared-mem@0", "ring0", "owner", ring0, 6, NULL, k->ring0_cache, 0);
    shm(&w, "shared-mem@1", "ro0", "owner", ro0, 6, "ro", "nc", 0);
    (void)fdt_write_end_node(&w);

    partition(&w, 2, k->p2_label != NULL ? k->p2_label : "worker");
    cells(&w, "cpus", cpus2, 2);
    cells(&w, "memory", mem2, 6);
    if (k->p2_device != 0) {
        (void)fdt_write_prop_u32(&w, "devices", k->p2_device);
    }
    shm(&w, "shared-mem@0", "ring0", NULL, ring0_b, 4, "ro", NULL, 0x100000);
    shm(&w, "shared-mem@1", "ro0", "borrower", ro0_b, 4, k->ro0_b_access, NULL, 0);
    (void)fdt_write_end_node(&w);

    for (unsigned int i = 0; i < k->extra_parts; i++) {
        char label[16];

        snprintf(label, sizeof(label), "p%u", 3 + i);
        partition(&w, 3 + i, label);
        (void)fdt_write_end_node(&w);
    }
    (void)fdt_write_end_node(&w); /* hypervisor */
    (void)fdt_write_end_node(&w); /* root */
    size = fdt_write_finish(&w);
    return size > 0 && fdt_init(&fdt, blob, (size_t)size) == 0;
}

/* Collected reports. */
#define MAX_REPORTS 200
static struct {
    unsigned int n;
    char line[MAX_REPORTS][320];
} reports;

static void collect(void *ctx, const char *path, const char *prop, const char *reason)
{
    (void)ctx;
    if (reports.n < MAX_REPORTS) {
        snprintf(reports.line[reports.n], sizeof(reports.line[0]), "%s: %s: %s", path, prop,
                 reason);
    }
    reports.n++;
}

/* Is there a report starting with prefix? */
static bool reported(const char *prefix)
{
    for (unsigned int i = 0; i < reports.n && i < MAX_REPORTS; i++) {
        if (strncmp(reports.line[i], prefix, strlen(prefix)) == 0) {
            return true;
        }
    }
    return false;
}

static void dump_reports(void)
{
    for (unsigned int i = 0; i < reports.n && i < MAX_REPORTS; i++) {
        printf("    report: %s\n", reports.line[i]);
    }
}

static uint64_t image_bytes;
static int image_err;

static int image_size(void *ctx, const char *path, uint64_t *size)
{
    (void)ctx;
    (void)path;
    *size = image_bytes;
    return image_err;
}

static int parse(const struct knobs *k, bool with_images)
{
    const struct hv_config_env env = {collect, with_images ? image_size : NULL, NULL};

    memset(&reports, 0, sizeof(reports));
    if (!build(k)) {
        return -EIO;
    }
    return hv_config_parse(&fdt, &env, &cfg);
}

TEST(base_layout_and_defaults)
{
    const struct knobs k = {0};
    const struct hv_config_shm *ring0, *ro0, *ring0_b, *ro0_b;

    CHECK_EQ(parse(&k, false), 0);
    dump_reports();
    REQUIRE(reports.n == 0);
    CHECK_STR(cfg.console, "/serial@9000000");
    REQUIRE(cfg.nr_partitions == 2);
    CHECK_EQ(cfg.partitions[0].id, 1);
    CHECK_STR(cfg.partitions[0].label, "control");
    CHECK_STR(cfg.partitions[1].label, "worker");
    CHECK_EQ(cfg.nr_ram, 1);
    CHECK_EQ(cfg.nr_reserved, 1);
    CHECK(cfg.reserved[0].hypervisor);

    /* CPUs: phandle -> /cpus/cpu@N and its reg. */
    REQUIRE(cfg.nr_cpus == 3);
    CHECK_EQ(cfg.partitions[1].cpu_first, 1);
    CHECK_EQ(cfg.partitions[1].cpu_count, 2);
    CHECK_STR(cfg.cpus[2].name, "cpu@3");
    CHECK_EQ(cfg.cpus[2].hwid, 3);
    CHECK_EQ(cfg.cpus[2].partition, 1);

    /* Memory triplets <guest host size>. */
    REQUIRE(cfg.nr_mem == 2);
    CHECK_EQ(gpa_val(cfg.mem[1].guest), 0x40000000);
    CHECK_EQ(hpa_val(cfg.mem[1].host), 0x50000000);
    CHECK_EQ(cfg.mem[1].size, 0x08000000);

    /* Devices: path, MMIO vs I/O port ranges, raw interrupts. */
    REQUIRE(cfg.nr_devices == 2);
    CHECK_STR(cfg.devices[0].path, "/serial@9040000");
    CHECK_EQ(cfg.devices[0].nr_regs, 1);
    CHECK(!cfg.devices[0].regs[0].pio);
    CHECK_EQ(cfg.devices[0].regs[0].base, 0x09040000);
    CHECK_EQ(cfg.devices[0].nr_irq_cells, 3);
    CHECK_EQ(cfg.devices[0].irq_cells[1], 8);
    CHECK_STR(cfg.devices[1].path, "/isa/serial@i2f8");
    CHECK(cfg.devices[1].regs[0].pio);
    CHECK_EQ(cfg.devices[1].regs[0].base, 0x2f8);

    /* Shared memory: defaults of binding v1 and owner/borrower resolution. */
    REQUIRE(cfg.nr_shm == 4);
    ring0 = &cfg.shm[0];
    ro0 = &cfg.shm[1];
    ring0_b = &cfg.shm[2];
    ro0_b = &cfg.shm[3];
    CHECK_EQ(ring0->role, SHM_ROLE_OWNER);
    CHECK_EQ(ring0->access, SHM_ACCESS_RW);         /* owner default */
    CHECK_EQ(ring0->cache_policy, CACHE_POLICY_WB); /* default */
    CHECK_EQ(ring0->users, 2);
    CHECK_EQ(ring0->owner, 0);
    CHECK_EQ(ring0_b->role, SHM_ROLE_BORROWER); /* default role */
    CHECK_EQ(ring0_b->owner, 0);
    CHECK_EQ(ring0_b->offset, 0x100000);
    CHECK_EQ(hpa_val(ring0_b->host), 0x60100000); /* owner host + offset */
    CHECK_EQ(gpa_val(ring0_b->guest), 0x50000000);
    CHECK_EQ(ring0_b->access, SHM_ACCESS_RO);
    CHECK_EQ(ro0->cache_policy, CACHE_POLICY_NC);
    CHECK_EQ(ro0_b->owner, 1);
    CHECK_EQ(ro0_b->access, SHM_ACCESS_RO);         /* inherits the owner's */
    CHECK_EQ(ro0_b->cache_policy, CACHE_POLICY_NC); /* inherits the owner's */
    CHECK_EQ(ro0_b->offset, 0);                     /* default */
    CHECK_EQ(hpa_val(ro0_b->host), 0x60200000);
    CHECK_EQ(cfg.partitions[1].shm_first, 2);
    CHECK_EQ(cfg.partitions[1].shm_count, 2);
}

/* Output collector for the printer. */
static char text[4096];
static size_t text_len;

static void text_emit(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    if (text_len + len < sizeof(text)) {
        memcpy(text + text_len, s, len);
        text_len += len;
        text[text_len] = '\0';
    }
}

TEST(partition_table_printer)
{
    const struct knobs k = {.p1_image = "guests/ping.bin"};
    static const char want[] =
        "config: 2 partitions, 2 shared regions, console /serial@9000000\n"
        "  partition 1 \"control\": cpus cpu@1 (hwid 0x1)\n"
        "    memory  guest 0x40000000  host 0x48000000  128 MiB\n"
        "    device  /serial@9040000  mmio 0x9040000+0x1000  interrupts 0 0x8 0x4\n"
        "    device  /isa/serial@i2f8  pio 0x2f8+0x8  interrupts none\n"
        "    shm     \"ring0\" owner rw wb  guest 0x50000000  host 0x60000000  2 MiB  users 2: "
        "control worker\n"
        "    shm     \"ro0\" owner ro nc  guest 0x50200000  host 0x60200000  2 MiB  users 2: "
        "control worker\n"
        "    image   guests/ping.bin\n"
        "  partition 2 \"worker\": cpus cpu@2 (hwid 0x2) cpu@3 (hwid 0x3)\n"
        "    memory  guest 0x40000000  host 0x50000000  128 MiB\n"
        "    shm     \"ring0\" borrower ro wb offset 0x100000  guest 0x50000000  host 0x60100000  "
        "1 MiB  owner control\n"
        "    shm     \"ro0\" borrower ro nc offset 0x0  guest 0x50200000  host 0x60200000  2 MiB  "
        "owner control\n";

    REQUIRE(parse(&k, false) == 0);
    text_len = 0;
    text[0] = '\0';
    hv_config_print(&cfg, text_emit, NULL);
    CHECK_STR(text, want);
}

TEST(every_error_is_reported)
{
    /* Three independent mistakes in one tree. */
    const struct knobs k = {.p2_label = "control", .p2_cpu = PH_CPU1, .ro0_b_access = "rw"};

    CHECK_EQ(parse(&k, false), -EINVAL);
    CHECK_EQ(reports.n, 3);
    CHECK(reported("/hypervisor/partition@2: label: \"control\" is already used by "
                   "/hypervisor/partition@1"));
    CHECK(reported("/hypervisor/partition@2: cpus: entry 0: /cpus/cpu@1 is already owned by "
                   "/hypervisor/partition@1"));
    CHECK(reported("/hypervisor/partition@2/shared-mem@1: access: \"rw\" exceeds the owner's "
                   "\"ro\""));
    dump_reports();
}

TEST(interrupt_cpu)
{
    const struct knobs named = {.irq_cpu = PH_CPU3}, wrong = {.irq_cpu = PH_UART2};
    const struct knobs none = {0};

    CHECK_EQ(parse(&none, false), 0);
    CHECK(!cfg.has_interrupt_cpu);
    CHECK_EQ(parse(&named, false), 0);
    CHECK(cfg.has_interrupt_cpu);
    CHECK_EQ(cfg.interrupt_cpu, 3);
    CHECK_EQ(parse(&wrong, false), -EINVAL);
    CHECK_EQ(reports.n, 1);
    CHECK(reported("/hypervisor: interrupt-cpu: phandle 0x"));
    CHECK(strstr(reports.line[0], "is not a /cpus/cpu@N node") != NULL);
}

/* The board's firmware-call allow-list and the decision made on each partition SMC that the
 * hypervisor does not serve itself (arch/arm64/traps.c): QEMU has no firmware behind SMC
 * other than PSCI, so forwarding is shown here. */
TEST(firmware_forward)
{
    static const uint32_t eemi[] = {0xc2000000u, 0xc200ffffu, 0x83000010u, 0x83000010u};
    static const uint32_t odd[] = {0xc2000000u, 0xc200ffffu, 0x83000010u};
    static const uint32_t reversed[] = {0xc2000010u, 0xc2000001u};
    static const uint32_t many[2 * (HV_CONFIG_MAX_FW_RANGES + 1)] = {0};
    const struct knobs none = {0}, list = {.fw = eemi, .nr_fw = 4};
    const struct knobs bad_odd = {.fw = odd, .nr_fw = 3}, bad_rev = {.fw = reversed, .nr_fw = 2};
    const struct knobs bad_many = {.fw = many, .nr_fw = 2 * (HV_CONFIG_MAX_FW_RANGES + 1)};

    /* Default: nothing is forwarded, not even ids that firmware commonly serves. */
    CHECK_EQ(parse(&none, false), 0);
    CHECK_EQ(cfg.nr_fw_ranges, 0);
    CHECK(!hv_config_firmware_call_allowed(&cfg, 0xc2000001u));
    CHECK(!hv_config_firmware_call_allowed(&cfg, 0x80000000u));
    CHECK(!hv_config_firmware_call_allowed(&cfg, 0));

    /* A list: inclusive bounds, nothing around them, 32-bit ids only. */
    CHECK_EQ(parse(&list, false), 0);
    CHECK_EQ(cfg.nr_fw_ranges, 2);
    CHECK(hv_config_firmware_call_allowed(&cfg, 0xc2000000u));
    CHECK(hv_config_firmware_call_allowed(&cfg, 0xc2000001u));
    CHECK(hv_config_firmware_call_allowed(&cfg, 0xc200ffffu));
    CHECK(hv_config_firmware_call_allowed(&cfg, 0x83000010u));
    CHECK(!hv_config_firmware_call_allowed(&cfg, 0xc1ffffffu));
    CHECK(!hv_config_firmware_call_allowed(&cfg, 0xc2010000u));
    CHECK(!hv_config_firmware_call_allowed(&cfg, 0x8300000fu));
    CHECK(!hv_config_firmware_call_allowed(&cfg, 0x83000011u));
    CHECK(!hv_config_firmware_call_allowed(&cfg, 0x84000000u)); /* PSCI: not listed */
    CHECK(!hv_config_firmware_call_allowed(&cfg, (1ull << 32) | 0xc2000001u));

    CHECK_EQ(parse(&bad_odd, false), -EINVAL);
    CHECK(reported("/hypervisor: firmware-forward: must be <first last> pairs of 32-bit "
                   "function ids"));
    CHECK_EQ(parse(&bad_rev, false), -EINVAL);
    CHECK(reported("/hypervisor: firmware-forward: range 0: first 0xc2000010 above last "
                   "0xc2000001"));
    CHECK_EQ(parse(&bad_many, false), -EINVAL);
    CHECK(reported("/hypervisor: firmware-forward: 9 ranges, at most 8"));
}

TEST(host_memory_of_two_partitions_overlaps)
{
    const struct knobs k = {.p2_mem_over_p1 = true};

    CHECK_EQ(parse(&k, false), -EINVAL);
    CHECK(reported("/hypervisor/partition@2: memory: entry 0: host range [0x48000000, "
                   "0x50000000) overlaps memory entry 0 of /hypervisor/partition@1"));
}

TEST(partition_limit)
{
    /* 2 + 62 = 64 partitions: one over the limit, reported; the rest still parsed. */
    const struct knobs k = {.extra_parts = 62};

    CHECK_EQ(parse(&k, false), -EINVAL);
    CHECK(reported("/hypervisor/partition@40: compatible: more than 63 partitions"));
    CHECK_EQ(cfg.nr_partitions, HV_MAX_PARTITIONS);
    /* Partitions 3..63 have no CPUs or memory: one report each for cpus and memory. */
    CHECK(reported("/hypervisor/partition@3f: cpus: must list at least one CPU"));
}

TEST(image_callback)
{
    const struct knobs k = {.p1_image = "guests/ping.bin"};

    /* No callback (the hypervisor at boot): not checked. */
    image_err = -ENOENT;
    CHECK_EQ(parse(&k, false), 0);

    image_err = -ENOENT;
    CHECK_EQ(parse(&k, true), -EINVAL);
    CHECK(reported("/hypervisor/partition@1: image: \"guests/ping.bin\": no such file"));

    image_err = 0;
    image_bytes = 0x08000000; /* exactly the first memory range */
    CHECK_EQ(parse(&k, true), 0);

    image_bytes = 0x08000001;
    CHECK_EQ(parse(&k, true), -EINVAL);
    CHECK(reported("/hypervisor/partition@1: image: \"guests/ping.bin\" (134217729 bytes) does "
                   "not fit in the first memory range (134217728 bytes)"));
}

TEST(cache_policy_needs_the_arch)
{
    const struct knobs k = {.ring0_cache = "wt"};

    fake_cache_policies = 1u << CACHE_POLICY_WB | 1u << CACHE_POLICY_NC;
    CHECK_EQ(parse(&k, false), -EINVAL);
    CHECK(reported("/hypervisor/partition@1/shared-mem@0: cache-policy: \"wt\" is not supported "
                   "by this architecture"));
    fake_cache_policies = ~0u;
    CHECK_EQ(parse(&k, false), 0);
    CHECK_EQ(cfg.shm[0].cache_policy, CACHE_POLICY_WT);
    CHECK_EQ(cfg.shm[2].cache_policy, CACHE_POLICY_WT); /* the borrower inherits it */
}

TEST(no_hypervisor_node)
{
    struct fdt_writer w;
    const struct hv_config_env env = {collect, NULL, NULL};
    const struct knobs k = {0};
    int size;

    REQUIRE(fdt_write_init(&w, blob, sizeof(blob)) == 0);
    (void)fdt_write_begin_node(&w, "");
    board(&w, &k);
    (void)fdt_write_end_node(&w);
    size = fdt_write_finish(&w);
    REQUIRE(size > 0 && fdt_init(&fdt, blob, (size_t)size) == 0);
    memset(&reports, 0, sizeof(reports));
    CHECK_EQ(hv_config_parse(&fdt, &env, &cfg), -EINVAL);
    CHECK_EQ(reports.n, 1);
    CHECK(reported("/: hypervisor: missing node /hypervisor"));
}

TEST(names)
{
    CHECK_STR(cache_policy_name(CACHE_POLICY_NC), "nc");
    CHECK_STR(shm_access_name(SHM_ACCESS_RO), "ro");
    CHECK_STR(shm_role_name(SHM_ROLE_OWNER), "owner");
}

/* The "did you mean" suggestion: the closest name by edit distance, only when close enough. */
TEST(closest_name)
{
    static const char *const names[] = {"access", "offset", "shared-mem", "role", NULL};

    CHECK_STR(config_closest_name(names, "acess", 5), "access");
    CHECK_STR(config_closest_name(names, "acces", 5), "access");
    CHECK_STR(config_closest_name(names, "sharedmem", 9), "shared-mem");
    CHECK_STR(config_closest_name(names, "rloe", 4), "role");
    CHECK_STR(config_closest_name(names, "ofset-x", 5), "offset"); /* only len counts */
    CHECK(config_closest_name(names, "scheduler", 9) == NULL);
    CHECK(config_closest_name(names, "", 0) == NULL);
}

/* Every table is NULL-terminated, names a compatible once and lists a property once. */
TEST(binding_tables)
{
    const struct config_binding *b, *o;

    for (unsigned int i = 0; (b = config_binding(i)) != NULL; i++) {
        CHECK(config_binding_of(b->compatible) == b);
        for (unsigned int j = 0; (o = config_binding(j)) != NULL; j++) {
            CHECK(j == i || strcmp(o->compatible, b->compatible) != 0);
        }
        for (const char *const *a = b->props; *a != NULL; a++) {
            for (const char *const *c = a + 1; *c != NULL; c++) {
                CHECK(strcmp(*a, *c) != 0);
            }
        }
    }
    CHECK(config_binding(0) != NULL);
}

/* The limits come from the arch (at boot: ID_AA64MMFR0_EL1.PARange / CPUID 0x80000008). */
TEST(address_sizes_from_the_arch)
{
    const struct knobs k = {0};

    CHECK_EQ(parse(&k, false), 0); /* 39 / 40 bits: the base layout fits */
    fake_host_bits = 30;
    CHECK_EQ(parse(&k, false), -EINVAL);
    CHECK(reported("/hypervisor/partition@1: memory: entry 0: host range [0x48000000, "
                   "0x50000000) is beyond the 30-bit physical address size"));
    CHECK(reported("/hypervisor/partition@1/shared-mem@0: shared-mem: host range [0x60000000, "
                   "0x60200000) is beyond the 30-bit physical address size"));
    CHECK(!reported("/hypervisor/partition@2/shared-mem@0: shared-mem: host")); /* borrower */
    fake_host_bits = 40;
    fake_guest_bits = 30;
    CHECK_EQ(parse(&k, false), -EINVAL);
    CHECK(reported("/hypervisor/partition@2: memory: entry 0: guest range [0x40000000, "
                   "0x48000000) is beyond the 30-bit guest-physical space of the stage-2 tables"));
    CHECK(reported("/hypervisor/partition@2/shared-mem@0: shared-mem: guest range [0x50000000, "
                   "0x50100000) is beyond the 30-bit"));
    fake_guest_bits = 39;
}

/* core/config/devices.c: hardware the hypervisor keeps is found by what it is; one SPI, one
 * partition. */
TEST(devices_against_hypervisor_hardware_and_interrupts)
{
    struct knobs k = {.p2_device = PH_UART2};

    CHECK_EQ(parse(&k, false), 0);
    k.p2_device = PH_GIC;
    CHECK_EQ(parse(&k, false), -EINVAL);
    CHECK(reported("/hypervisor/partition@2: devices: entry 0: /interrupt-controller@8000000 "
                   "MMIO [0x8000000, 0x8010000) overlaps the interrupt controller"));
    k = (struct knobs){.p2_device = PH_UART2, .uart2_spi = 8}; /* uart1's (p1) */
    CHECK_EQ(parse(&k, false), -EINVAL);
    CHECK(reported("/hypervisor/partition@2: devices: entry 0: /serial@9050000: interrupt 40 is "
                   "also the interrupt of /serial@9040000 in /hypervisor/partition@1"));
    CHECK_EQ(reports.n, 1);
    /* I/O ports are reached directly too: no two devices share one. */
    k = (struct knobs){.p2_device = PH_COM2_ALIAS};
    CHECK_EQ(parse(&k, false), -EINVAL);
    CHECK(reported("/hypervisor/partition@2: devices: entry 0: /isa/serial@i2fc I/O ports "
                   "[0x2fc, 0x300) overlaps device /isa/serial@i2f8 of /hypervisor/partition@1"));
    CHECK_EQ(reports.n, 1);
}
