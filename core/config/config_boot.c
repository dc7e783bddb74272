// SPDX-License-Identifier: Apache-2.0
/*
 * The configuration boot unit: parse the embedded DTB into struct hv_config once, re-checking
 * every rule (the build already did, but a blob is never trusted), print the partition table,
 * and keep the result for the units that create partitions and IOMMU domains.
 */
#include <hv/boot.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/panic.h>
#include <hv/printf.h>

/* Never cleared at boot: hv_config_parse() clears it itself. */
/* LAYOUT_NAME comes from the Makefile: this object and the DTB are all the layout changes. */
const char hv_layout_name[] = LAYOUT_NAME;

static struct hv_config boot_config __noinit;
static bool boot_config_valid;

const struct hv_config *hv_boot_config(void)
{
    return boot_config_valid ? &boot_config : NULL;
}

/* The first error's node, for the panic message. */
struct boot_report {
    unsigned int count;
    char first[HV_CONFIG_PATH_MAX];
};

static void boot_report(void *ctx, const char *path, const char *prop, const char *reason)
{
    struct boot_report *r = ctx;

    if (r->count++ == 0) {
        hv_snprintf(r->first, sizeof(r->first), "%s", path);
    }
    hv_printf("config: %s: %s: %s\n", path, prop, reason);
}

static void console_emit(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    console_write(s, len);
}

static int config_init(const struct fdt *fdt)
{
    struct boot_report report = {0};
    /* No image-size callback: images are checked at build time, and packed later. */
    const struct hv_config_env env = {boot_report, NULL, &report};

    if (hv_layout_name[0] == '\0') {
        hv_printf("config: no partition layout configured\n");
        return 0;
    }
    if (hv_config_parse(fdt, &env, &boot_config) != 0) {
        panic("invalid configuration: %u error%s, the first at %s", report.count,
              report.count == 1 ? "" : "s", report.first);
    }
    boot_config_valid = true;
    hv_config_print(&boot_config, console_emit, NULL);
    return 0;
}

HV_UNIT(config_unit, "config", HV_UNIT_ORDER_CONFIG, config_init);
