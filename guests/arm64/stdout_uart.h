/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console UART a partition's DTB names in /chosen stdout-path (the hypervisor's virtual
 * PL011, arch/arm64/vpl011.c): found the way earlycon and Linux find it, by path, then "reg".
 * Shared by the vuart scenario and the bench guest.
 */
#pragma once

#include <hv/errno.h>
#include <hv/string.h>

#include "rt.h"

/* PL011 registers (Arm PrimeCell UART PL011 TRM, DDI 0183, 3.2). */
#define UART_DR 0x000u
#define UART_FR 0x018u
#define UART_LCR_H 0x02cu
#define UART_CR 0x030u
#define UART_IMSC 0x038u
#define UART_PERIPHID0 0xfe0u
#define UART_PCELLID0 0xff0u
#define UART_FR_TXFF (1u << 5)
#define UART_FR_TXFE (1u << 7)
#define UART_FR_BUSY (1u << 3)

/* Base and size of the stdout-path UART, which must be "arm,pl011"; 0 or a negative errno. */
static inline int stdout_uart(const struct guest_info *gi, uint64_t *base, uint64_t *size)
{
    const struct fdt *fdt = &gi->fdt;
    const char *path;
    char buf[64];
    size_t len;
    int chosen = fdt_path(fdt, "/chosen");
    int node;

    if (chosen < 0 || fdt_prop_string(fdt, chosen, "stdout-path", &path) != 0) {
        return -ENOENT;
    }
    /* "path[:options]" (DT specification 3.6, /chosen). */
    len = strlen(path);
    for (size_t i = 0; i < len; i++) {
        if (path[i] == ':') {
            len = i;
            break;
        }
    }
    if (len >= sizeof(buf)) {
        return -ENAMETOOLONG;
    }
    memcpy(buf, path, len);
    buf[len] = '\0';
    node = fdt_path(fdt, buf);
    if (node < 0 || !fdt_is_compatible(fdt, node, "arm,pl011")) {
        return -ENODEV;
    }
    return fdt_reg(fdt, node, 0, base, size);
}

static inline uint32_t uart_read(uint64_t base, uint32_t reg)
{
    return *(volatile uint32_t *)(uintptr_t)(base + reg);
}

static inline void uart_write(uint64_t base, uint32_t reg, uint32_t val)
{
    *(volatile uint32_t *)(uintptr_t)(base + reg) = val;
}
