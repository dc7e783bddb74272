// SPDX-License-Identifier: Apache-2.0
/*
 * bulkhead_check: the host half of tools/bulkhead-check. Validates a configuration DTB with
 * the hypervisor's own parser (core/config/, lib/fdt.c), so the build rejects exactly what
 * the hypervisor would reject at boot.
 *
 *   bulkhead_check [--image-root DIR] [--arch arm64|x86] [--pa-bits N] [--name NAME] [--print]
 *                  FILE.dtb
 *   bulkhead_check --bindings
 *
 * --pa-bits is the board's physical address size (CONFIG_BOARD_PA_BITS; default 40, that of
 * the QEMU boards): host ranges above it are refused.
 *
 * --bindings prints the binding's property tables (core/config/binding.c), one
 * "COMPATIBLE PROPERTY" line each, for tests/host/binding_docs.sh to compare with the docs.
 *
 * Exit status: 0 valid, 1 invalid (every error on stderr as "NAME: /node/path: property:
 * reason", NAME defaulting to FILE), 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <arch/config.h>
#include <hv/config.h>
#include <hv/fdt.h>

/* The arm64 vUART's guest page and virtual PCI host: the hypervisor's own constants, not a
 * copy. */
#include "../arch/arm64/include/asm/vpci.h"
#include "../arch/arm64/include/asm/vpl011.h"
#include "../arch/x86/include/asm/hv_ports.h"
#include <arch/vpci.h>

/* Larger than any configuration DTB; stops a wrong argument from reading a disk image. */
#define MAX_DTB_BYTES (16u << 20)

/* A guest range every partition's virtual devices claim (include/arch/config.h). */
struct vdev_range {
    uint64_t base, size;
    const char *what;
};

/* The target architectures: the cache policies their page tables can express and the guest
 * ranges of their virtual devices (as arch/<arch>/config.c answers). */
struct target {
    const char *name;
    unsigned int guest_bits; /* stage-2 / NPT input size the hypervisor uses */
    unsigned int pa_bits;    /* physical address size without --pa-bits: the QEMU board's */
    unsigned int policies;   /* bit per enum cache_policy */
    unsigned int nr_vdev_ranges;
    struct vdev_range vdev_ranges[4];
    bool vpci; /* a virtual PCI host (include/arch/vpci.h) */
};

static const struct target targets[] = {
    /* Arm64 stage-2 MemAttr (Arm ARM D8.5.5) has normal WB, WT and non-cacheable. */
    /* 39-bit IPA: 3 levels from level 1 (arch/arm64/vcpu.c arch_stage2_depth()); PARange of
     * QEMU's cortex-a57 and the VTCR_EL2.PS the hypervisor sets: 40 bits. */
    {"arm64",
     39,
     40,
     1u << CACHE_POLICY_WB | 1u << CACHE_POLICY_WT | 1u << CACHE_POLICY_NC,
     4,
     {{VPL011_GUEST_BASE, VPL011_SIZE, "the virtual console UART page"},
      {VPCI_GUEST_ECAM, VPCI_ECAM_SIZE, "the virtual PCI host's ECAM"},
      {VPCI_GUEST_MEM, VPCI_GUEST_MEM_SIZE, "the virtual PCI BAR window"},
      {VPCI_GUEST_MAPPED, VPCI_GUEST_MAPPED_SIZE, "the passed-through PCI BAR window"}},
     true},
    /* AMD NPT PAT/PCD/PWT bits (APM vol. 2, 15.25.8) give WB, WT and UC. */
    /* 4-level NPT: 48-bit guest-physical addresses; QEMU's x86 CPU models: 40 physical bits. */
    {"x86",
     48,
     40,
     1u << CACHE_POLICY_WB | 1u << CACHE_POLICY_WT | 1u << CACHE_POLICY_NC,
     0,
     {{0}},
     false},
};

static const struct target *target;
static unsigned int pa_bits; /* --pa-bits, 0: the target's default */

void arch_config_addr_bits(unsigned int *guest_bits, unsigned int *host_bits)
{
    *guest_bits = target->guest_bits;
    *host_bits = pa_bits != 0 ? pa_bits : target->pa_bits;
}

bool arch_cache_policy_supported(enum cache_policy policy)
{
    return (target->policies >> policy) & 1;
}

bool arch_config_vdev_range(unsigned int k, uint64_t *base, uint64_t *size, const char **what)
{
    if (k >= target->nr_vdev_ranges) {
        return false;
    }
    *base = target->vdev_ranges[k].base;
    *size = target->vdev_ranges[k].size;
    *what = target->vdev_ranges[k].what;
    return true;
}

/* As arch/arm64/config.c (none) and arch/x86/config.c answer. */
bool arch_config_hv_ports(unsigned int k, uint64_t *base, uint64_t *size, const char **what)
{
    static const struct vdev_range ports[] = X86_HV_PORTS;

    if (target != &targets[1] || k >= sizeof(ports) / sizeof(ports[0])) {
        return false;
    }
    *base = ports[k].base;
    *size = ports[k].size;
    *what = ports[k].what;
    return true;
}

/* As arch/arm64/config.c and arch/x86/config.c answer. */
int arch_vpci_layout(struct arch_vpci_layout *l)
{
    if (!target->vpci) {
        return -ENODEV;
    }
    *l = (struct arch_vpci_layout){
        .ecam = VPCI_GUEST_ECAM, .mem = VPCI_GUEST_MEM, .mem_size = VPCI_GUEST_MEM_SIZE};
    return 0;
}

/* As arch/arm64/config.c and arch/x86/config.c answer: GIC SPIs; I/O APIC inputs. */
bool arch_config_shared_irq(const uint32_t *spec, unsigned int cells, uint32_t *irq)
{
    if (target == &targets[1]) {
        if (cells < 1) {
            return false;
        }
        *irq = spec[0];
        return true;
    }
    if (cells < 3 || spec[0] != 0 || spec[1] > 987) {
        return false;
    }
    *irq = spec[1] + 32;
    return true;
}

struct check {
    const char *name;       /* file name in messages */
    const char *image_root; /* "image" paths are relative to this */
};

static void report(void *ctx, const char *path, const char *prop, const char *reason)
{
    const struct check *c = ctx;

    fprintf(stderr, "%s: %s: %s: %s\n", c->name, path, prop, reason);
}

static int image_size(void *ctx, const char *path, uint64_t *size)
{
    const struct check *c = ctx;
    char full[4096];
    struct stat st;
    int n = path[0] == '/' ? snprintf(full, sizeof(full), "%s", path)
                           : snprintf(full, sizeof(full), "%s/%s", c->image_root, path);

    if (n < 0 || (size_t)n >= sizeof(full)) {
        return -ENAMETOOLONG;
    }
    if (stat(full, &st) != 0) {
        return -errno;
    }
    if (!S_ISREG(st.st_mode)) {
        return -EINVAL;
    }
    *size = (uint64_t)st.st_size;
    return 0;
}

static void file_emit(void *ctx, const char *s, size_t len)
{
    fwrite(s, 1, len, ctx);
}

/* --bindings: every node kind's properties, in table order. */
static int print_bindings(void)
{
    const struct config_binding *b;

    for (unsigned int i = 0; (b = config_binding(i)) != NULL; i++) {
        for (const char *const *prop = b->props; *prop != NULL; prop++) {
            printf("%s %s\n", b->compatible, *prop);
        }
    }
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: bulkhead_check [--image-root DIR] [--arch arm64|x86] [--pa-bits N] "
                    "[--name NAME] [--print] FILE.dtb | --bindings\n");
    return 2;
}

/* Read the whole file into a malloc'd buffer; NULL (message printed) on error. */
static void *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    void *buf;

    if (f == NULL) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return NULL;
    }
    buf = malloc(MAX_DTB_BYTES);
    *len = buf != NULL ? fread(buf, 1, MAX_DTB_BYTES, f) : 0;
    if (buf == NULL || ferror(f) || !feof(f)) {
        fprintf(stderr, "%s: %s\n", path, buf == NULL ? "out of memory" : "read error or too big");
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* Without --arch, guess from the DT: Arm CPUs have "arm,..." compatibles, x86 ones do not. */
static const struct target *guess_target(const struct fdt *fdt)
{
    int cpus = fdt_path(fdt, "/cpus");
    struct fdt_prop p;

    for (int c = cpus >= 0 ? fdt_first_child(fdt, cpus) : -1; c >= 0;
         c = fdt_next_sibling(fdt, c)) {
        if (fdt_prop(fdt, c, "compatible", &p) == 0 && p.len > 4 &&
            strncmp(p.data, "arm,", 4) == 0) {
            return &targets[0];
        }
    }
    return &targets[1];
}

int main(int argc, char **argv)
{
    static struct hv_config cfg;
    struct check c = {NULL, NULL};
    const char *file = NULL, *arch = NULL;
    bool print = false;
    struct fdt fdt;
    char *dir = NULL;
    size_t len;
    void *blob;
    int rc;

    if (argc == 2 && strcmp(argv[1], "--bindings") == 0) {
        return print_bindings();
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--image-root") == 0 && i + 1 < argc) {
            c.image_root = argv[++i];
        } else if (strcmp(argv[i], "--arch") == 0 && i + 1 < argc) {
            arch = argv[++i];
        } else if (strcmp(argv[i], "--pa-bits") == 0 && i + 1 < argc) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);

            if (*end != '\0' || v < 32 || v > 52) {
                fprintf(stderr, "bulkhead_check: --pa-bits must be 32..52\n");
                return 2;
            }
            pa_bits = (unsigned int)v;
        } else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
            c.name = argv[++i];
        } else if (strcmp(argv[i], "--print") == 0) {
            print = true;
        } else if (argv[i][0] == '-' || file != NULL) {
            return usage();
        } else {
            file = argv[i];
        }
    }
    if (file == NULL) {
        return usage();
    }
    if (arch != NULL) {
        for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
            if (strcmp(arch, targets[t].name) == 0) {
                target = &targets[t];
            }
        }
        if (target == NULL) {
            fprintf(stderr, "bulkhead_check: unknown arch \"%s\" (arm64, x86)\n", arch);
            return 2;
        }
    }
    if (c.name == NULL) {
        c.name = file;
    }
    if (c.image_root == NULL) {
        /* Default: the directory of the file. */
        const char *slash = strrchr(file, '/');

        dir = slash == NULL ? strdup(".") : strndup(file, (size_t)(slash - file + 1));
        if (dir == NULL) {
            return 2;
        }
        c.image_root = dir;
    }
    blob = read_file(file, &len);
    if (blob == NULL) {
        free(dir);
        return 2;
    }
    if (fdt_init(&fdt, blob, len) != 0) {
        fprintf(stderr, "%s: /: dtb: not a well-formed flattened device tree\n", c.name);
        rc = 1;
    } else {
        const struct hv_config_env env = {report, image_size, &c};

        if (target == NULL) {
            target = guess_target(&fdt);
        }
        rc = hv_config_parse(&fdt, &env, &cfg) == 0 ? 0 : 1;
        if (rc == 0 && print) {
            hv_config_print(&cfg, file_emit, stdout);
        }
    }
    free(blob);
    free(dir);
    return rc;
}
