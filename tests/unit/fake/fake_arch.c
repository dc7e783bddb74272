// SPDX-License-Identifier: Apache-2.0
/*
 * The fake arch: implements the include/arch/ contract on the host so that core/, lib/ and
 * drivers/ link unchanged into unit tests. Time is a counter tests can advance.
 */
#include <stdio.h>
#include <stdlib.h>

#include <arch/config.h>
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/mm.h>
#include <arch/test.h>
#include <arch/time.h>
#include <arch/vpci.h>

#include <hv/errno.h>

#include "fake.h"

unsigned int fake_cpu_id;
uint64_t fake_time_us;

unsigned int arch_cpu_id(void)
{
    return fake_cpu_id;
}

void (*fake_relax_hook)(void);

void arch_cpu_relax(void)
{
    fake_time_us++;
    if (fake_relax_hook != NULL) {
        fake_relax_hook();
    }
}

void arch_halt(void)
{
    fprintf(stderr, "fake arch: arch_halt()\n");
    abort();
}

uint64_t arch_time_us(void)
{
    return fake_time_us;
}

void *arch_iomap(hpa_t base, size_t size)
{
    (void)size;
    return (void *)(uintptr_t)hpa_val(base);
}

int arch_test_nonce(char *buf, size_t size)
{
    (void)buf;
    (void)size;
    return -EOPNOTSUPP;
}

void arch_test_exit(int code)
{
    fprintf(stderr, "fake arch: arch_test_exit(%d)\n", code);
    exit(code);
}

/* Every cache policy is supported, as on both real arches, unless a test says otherwise. */
unsigned int fake_cache_policies = ~0u;

bool arch_cache_policy_supported(enum cache_policy policy)
{
    return (fake_cache_policies >> policy) & 1;
}

/* One virtual-device page at the arm64 vUART's address, as the arm64 arch answers. */
uint64_t fake_vdev_base = 0x09000000u;

bool arch_config_vdev_range(unsigned int k, uint64_t *base, uint64_t *size, const char **what)
{
    if (k != 0 || fake_vdev_base == 0) {
        return false;
    }
    *base = fake_vdev_base;
    *size = 0x1000u;
    *what = "the virtual console UART page";
    return true;
}

/* No I/O ports the hypervisor keeps (the x86 list is the host tool's fixtures' business). */
bool arch_config_hv_ports(unsigned int k __unused, uint64_t *base __unused, uint64_t *size __unused,
                          const char **what __unused)
{
    return false;
}

/* A virtual PCI host where arm64 puts it (arch/arm64/include/asm/vpci.h); 0: none. */
uint64_t fake_vpci_ecam = 0x3f000000u;

int arch_vpci_layout(struct arch_vpci_layout *l)
{
    if (fake_vpci_ecam == 0) {
        return -ENODEV;
    }
    *l = (struct arch_vpci_layout){.ecam = fake_vpci_ecam,
                                   .mem = 0x3e000000u,
                                   .mem_size = 0x800000u,
                                   .mapped = 0x10000000u,
                                   .mapped_size = 0x2e000000u};
    return 0;
}

/* The arm64 answer (GIC SPIs), so the configuration tests read like the arm64 fixtures. */
bool arch_config_shared_irq(const uint32_t *spec, unsigned int cells, uint32_t *irq)
{
    if (cells < 3 || spec[0] != 0 || spec[1] > 987) {
        return false;
    }
    *irq = spec[1] + 32;
    return true;
}

/* As arm64 on QEMU virt: 39-bit stage-2 input, 40-bit physical addresses. */
unsigned int fake_guest_bits = 39, fake_host_bits = 40;

void arch_config_addr_bits(unsigned int *guest_bits, unsigned int *host_bits)
{
    *guest_bits = fake_guest_bits;
    *host_bits = fake_host_bits;
}

/* The fake arch's memory is coherent: cache maintenance is counted, nothing more. */
unsigned int fake_dcache_cleans;

void arch_dcache_clean(const void *va, size_t size)
{
    (void)va;
    (void)size;
    fake_dcache_cleans++;
}

void arch_dcache_inval(const void *va, size_t size)
{
    (void)va;
    (void)size;
}

/* The fake boot loader places nothing: host tests build their images in memory. */
void arch_boot_stage_images(const struct fdt *config)
{
    (void)config;
}
