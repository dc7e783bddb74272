// SPDX-License-Identifier: Apache-2.0
/*
 * Ending a QEMU test run and the run's nonce (contract: include/arch/test.h). Test builds only
 * (CONFIG_TEST_EXIT, arch/x86/build.mk).
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/test.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/string.h>

#include "x86.h"

/* isa-debug-exit (QEMU -device isa-debug-exit,iobase=0xf4,iosize=0x04). */
#define X86_DEBUG_EXIT_PORT 0xf4

/* Read n bytes of the fw_cfg item selected last (the data register auto-increments). */
static void fw_cfg_read(void *buf, size_t n)
{
    uint8_t *b = buf;

    for (size_t i = 0; i < n; i++) {
        b[i] = pio_read8(X86_FW_CFG_PORT_DATA);
    }
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/*
 * The harness hands the nonce over as the QEMU fw_cfg file "opt/bulkhead/nonce" (QEMU
 * docs/specs/fw_cfg.rst: a 16-bit selector written to port 0x510, bytes read from port
 * 0x511; item 0x0000 is the signature "QEMU", item 0x0019 the file directory: a big-endian
 * count, then per file a big-endian size, a big-endian selector, two reserved bytes and a
 * 56-byte NUL-padded name). Only the hypervisor can read it: no partition has these ports
 * (arch_partition_init() refuses a device that covers them, so they are never in an IOPM, and
 * arch/x86/vio.c does not emulate them, so an access stops the partition), and QEMU's x86
 * fw_cfg has no MMIO window. Test builds only: on other hardware these ports may decode to
 * something else.
 */
int arch_test_nonce(char *buf, size_t size)
{
    static const char want[] = "opt/bulkhead/nonce";
    uint8_t sig[4], word[4], entry[8];
    char name[X86_FW_CFG_NAME_SIZE];
    uint32_t count;

    if (size < 2) {
        return -EINVAL;
    }
    pio_write16(X86_FW_CFG_PORT_SEL, X86_FW_CFG_SIGNATURE);
    fw_cfg_read(sig, sizeof(sig));
    if (memcmp(sig, "QEMU", sizeof(sig)) != 0) {
        return -EOPNOTSUPP; /* no fw_cfg: not QEMU */
    }
    pio_write16(X86_FW_CFG_PORT_SEL, X86_FW_CFG_FILE_DIR);
    fw_cfg_read(word, sizeof(word));
    count = be32(word);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len;

        fw_cfg_read(entry, sizeof(entry));
        fw_cfg_read(name, sizeof(name));
        if (name[sizeof(name) - 1] != '\0' || strcmp(name, want) != 0) {
            continue;
        }
        len = be32(entry);
        if (len > size - 1) {
            return -EIO; /* longer than any nonce the harness makes */
        }
        pio_write16(X86_FW_CFG_PORT_SEL, (uint16_t)(entry[4] << 8 | entry[5]));
        fw_cfg_read(buf, len);
        buf[len] = '\0';
        return (int)len;
    }
    return -ENOENT;
}

bool x86_test_ports_taken(const struct partition *p, const struct hv_config_device *d,
                          const struct hv_config_dev_reg *reg)
{
    /* A partition that could read the nonce could forge the hypervisor's verdict line. */
    if (reg->base < X86_FW_CFG_PORTS_END && reg->base + reg->size > X86_FW_CFG_PORT_SEL) {
        partition_printf(p, "%s: I/O ports 0x%llx+0x%llx: fw_cfg is the hypervisor's\n", d->path,
                         (unsigned long long)reg->base, (unsigned long long)reg->size);
        return true;
    }
    return false;
}

void arch_test_exit(int code)
{
    static bool exiting;

    /* One CPU ends the machine; another one arriving meanwhile just halts. */
    if (!__atomic_exchange_n(&exiting, true, __ATOMIC_ACQ_REL)) {
        /* The verdict's hypervisor-only line: the exit code with the run's nonce. */
        hv_printf("test: exit %d, run %s\n", code, hv_test_nonce());
        /* QEMU exits with status (code << 1) | 1. */
        pio_write32(X86_DEBUG_EXIT_PORT, (uint32_t)code);
    }
    arch_halt();
}
