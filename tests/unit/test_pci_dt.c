// SPDX-License-Identifier: Apache-2.0
/* PCI ECAM and memory window from a pci-host-ecam-generic DT node (drivers/pci/pci_dt.c). */
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/fdt_write.h>
#include <hv/pci.h>

#include "unit.h"

static uint8_t blob[4096];

/* pci_ecam_init() (drivers/pci/pci.c, which needs real MMIO) stands in: record the call. */
static uint64_t ecam_base;
static unsigned int ecam_first, ecam_last, ecam_calls;

int pci_ecam_init(hpa_t base, unsigned int bus_start, unsigned int bus_end)
{
    ecam_base = hpa_val(base);
    ecam_first = bus_start;
    ecam_last = bus_end;
    ecam_calls++;
    return 0;
}

/*
 * A root with #address-cells = <2> and a host bridge like QEMU virt's (BRIEF §7: high ECAM at
 * 0x40_1000_0000). bus_range: write bus-range <first last> when first >= 0.
 */
static void make_dt(struct fdt *fdt, int first, int last, bool with_ranges)
{
    /* I/O, 32-bit memory, 64-bit memory: phys.hi, pci addr (2), cpu addr (2), size (2). */
    static const uint32_t ranges[] = {
        0x01000000, 0,    0,          0,    0x3eff0000, 0,    0x10000,
        0x02000000, 0,    0x10000000, 0,    0x10000000, 0,    0x2eff0000,
        0x03000000, 0x80, 0,          0x80, 0,          0x80, 0,
    };
    const uint32_t reg[] = {0x40, 0x10000000, 0, 0x10000000};
    struct fdt_writer w;

    REQUIRE(fdt_write_init(&w, blob, sizeof(blob)) == 0);
    fdt_write_begin_node(&w, "");
    fdt_write_prop_u32(&w, "#address-cells", 2);
    fdt_write_prop_u32(&w, "#size-cells", 2);
    fdt_write_begin_node(&w, "pcie@4010000000");
    fdt_write_prop_string(&w, "compatible", "pci-host-ecam-generic");
    fdt_write_prop_cells(&w, "reg", reg, 4);
    fdt_write_prop_u32(&w, "#address-cells", 3);
    fdt_write_prop_u32(&w, "#size-cells", 2);
    if (first >= 0) {
        const uint32_t br[] = {(uint32_t)first, (uint32_t)last};

        fdt_write_prop_cells(&w, "bus-range", br, 2);
    }
    if (with_ranges) {
        fdt_write_prop_cells(&w, "ranges", ranges, ARRAY_SIZE(ranges));
    }
    fdt_write_end_node(&w);
    fdt_write_end_node(&w);
    REQUIRE(fdt_write_finish(&w) > 0);
    REQUIRE(fdt_init(fdt, blob, sizeof(blob)) == 0);
}

TEST(ecam_and_mem32_window_from_qemu_virt_node)
{
    struct fdt fdt;
    uint64_t base = 0, size = 0;

    make_dt(&fdt, 0, 0xff, true);
    CHECK_EQ(pci_ecam_init_dt(&fdt), 0);
    CHECK_EQ(ecam_base, 0x4010000000);
    CHECK_EQ(ecam_first, 0);
    CHECK_EQ(ecam_last, 0xff);
    CHECK_EQ(pci_mem32_window(&base, &size), 0);
    CHECK_EQ(base, 0x10000000);
    CHECK_EQ(size, 0x2eff0000);
}

TEST(bad_bus_range_is_rejected)
{
    struct fdt fdt;

    /* 256 MiB of ECAM holds 256 buses; first > last is malformed. */
    make_dt(&fdt, 5, 4, false);
    CHECK_EQ(pci_ecam_init_dt(&fdt), -EINVAL);
    make_dt(&fdt, 0, 0x100, false);
    CHECK_EQ(pci_ecam_init_dt(&fdt), -EINVAL);
    /* Without bus-range: buses from reg's size. */
    ecam_calls = 0;
    make_dt(&fdt, -1, 0, false);
    CHECK_EQ(pci_ecam_init_dt(&fdt), 0);
    CHECK_EQ(ecam_calls, 1);
    CHECK_EQ(ecam_last, 0xff);
    /* A bridge starting at bus 2: reg's base is that of bus 2. */
    make_dt(&fdt, 2, 0x11, false);
    CHECK_EQ(pci_ecam_init_dt(&fdt), 0);
    CHECK_EQ(ecam_first, 2);
    CHECK_EQ(ecam_last, 0x11);
}

TEST(no_host_bridge)
{
    struct fdt fdt;
    struct fdt_writer w;

    REQUIRE(fdt_write_init(&w, blob, sizeof(blob)) == 0);
    fdt_write_begin_node(&w, "");
    fdt_write_end_node(&w);
    REQUIRE(fdt_write_finish(&w) > 0);
    REQUIRE(fdt_init(&fdt, blob, sizeof(blob)) == 0);
    CHECK_EQ(pci_ecam_init_dt(&fdt), -ENOENT);
}
