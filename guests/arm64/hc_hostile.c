// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile hypercalls: bad pointers, lengths and function ids. Every call must come back with
 * an error (the codes include/hv/hypercall_abi.h and PSCI 1.1 state) without stopping the
 * partition or the hypervisor; the guest then shows the console still works and passes.
 */
#include <hv/string.h>

#include "rt.h"

/* Any negative result. */
#define ANY_ERROR INT64_MIN

static unsigned int checked, failed;

/* One call: name, conduit (HVC), arguments, expected x0 (ANY_ERROR: any negative). */
static void expect(const char *what, int64_t want, uint64_t id, uint64_t a1, uint64_t a2,
                   uint64_t a3)
{
    int64_t got = (int64_t)hvc_call(id, a1, a2, a3, 0, 0).a0;
    bool ok = want == ANY_ERROR ? got < 0 : got == want;

    checked++;
    if (!ok) {
        failed++;
        gprintf("hc_hostile: %s: got %lld, want %s%lld\n", what, (long long)got,
                want == ANY_ERROR ? "< 0, e.g. " : "", (long long)(want == ANY_ERROR ? -1 : want));
    }
}

/*
 * Registers across an HVC (SMCCC v1.1, which include/hv/hypercall_abi.h follows): only the
 * results x0..x3 may change (x4 for PARTITION_INFO). hvc_regs_probe(id, a1, a2, out) sets
 * x4..x30 to 0xb0b0'0000'0000'00nn (nn the register number), calls HVC #0 with id, a1, a2
 * and x3 = 0, and stores x4..x30 as they came back into out[0..26]; the stack pointer must
 * come back too (out is reloaded from the stack).
 */
#define PROBE_REGS 27u
void hvc_regs_probe(uint64_t id, uint64_t a1, uint64_t a2, uint64_t *out);
__asm__(".text\n"
        ".balign 4\n"
        ".global hvc_regs_probe\n"
        ".type hvc_regs_probe, %function\n"
        "hvc_regs_probe:\n"
        "    stp x29, x30, [sp, #-112]!\n"
        "    stp x19, x20, [sp, #16]\n"
        "    stp x21, x22, [sp, #32]\n"
        "    stp x23, x24, [sp, #48]\n"
        "    stp x25, x26, [sp, #64]\n"
        "    stp x27, x28, [sp, #80]\n"
        "    str x3, [sp, #96]\n"
        "    .irp n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
        "    movz x\\n, #\\n\n"
        "    movk x\\n, #0xb0b0, lsl #48\n"
        "    .endr\n"
        "    mov x3, xzr\n"
        "    hvc #0\n"
        "    ldr x1, [sp, #96]\n"
        "    stp x4, x5, [x1, #0]\n"
        "    stp x6, x7, [x1, #16]\n"
        "    stp x8, x9, [x1, #32]\n"
        "    stp x10, x11, [x1, #48]\n"
        "    stp x12, x13, [x1, #64]\n"
        "    stp x14, x15, [x1, #80]\n"
        "    stp x16, x17, [x1, #96]\n"
        "    stp x18, x19, [x1, #112]\n"
        "    stp x20, x21, [x1, #128]\n"
        "    stp x22, x23, [x1, #144]\n"
        "    stp x24, x25, [x1, #160]\n"
        "    stp x26, x27, [x1, #176]\n"
        "    stp x28, x29, [x1, #192]\n"
        "    str x30, [x1, #208]\n"
        "    ldp x19, x20, [sp, #16]\n"
        "    ldp x21, x22, [sp, #32]\n"
        "    ldp x23, x24, [sp, #48]\n"
        "    ldp x25, x26, [sp, #64]\n"
        "    ldp x27, x28, [sp, #80]\n"
        "    ldp x29, x30, [sp], #112\n"
        "    ret\n"
        ".size hvc_regs_probe, . - hvc_regs_probe\n");

/* One probe: every register of x4..x30 must come back as set. */
static void expect_regs_kept(const char *what, uint64_t id, uint64_t a1, uint64_t a2)
{
    uint64_t out[PROBE_REGS];

    hvc_regs_probe(id, a1, a2, out);
    checked++;
    for (unsigned int i = 0; i < PROBE_REGS; i++) {
        uint64_t want = UINT64_C(0xb0b0) << 48 | (i + 4);

        if (out[i] != want) {
            failed++;
            gprintf("hc_hostile: %s: x%u 0x%llx after HVC, was 0x%llx\n", what, i + 4,
                    (unsigned long long)out[i], (unsigned long long)want);
            return;
        }
    }
}

static const char text[] = "hc_hostile: console still works\n";

/* The first passed-through device window in the DTB (a root child with "reg" that is no
 * memory), or false when the partition has none. */
static bool device_window(const struct guest_info *gi, uint64_t *base)
{
    const struct fdt *fdt = &gi->fdt;
    uint64_t size;

    for (int n = fdt_first_child(fdt, fdt_root(fdt)); n >= 0; n = fdt_next_sibling(fdt, n)) {
        if (fdt_reg(fdt, n, 0, base, &size) == 0 && size != 0 && !dt_in_memory(gi, *base, 1) &&
            strncmp(fdt_node_name(fdt, n), "memory", 6) != 0) {
            gprintf("hc_hostile: device %s at 0x%llx\n", fdt_node_name(fdt, n),
                    (unsigned long long)*base);
            return true;
        }
    }
    return false;
}

void guest_main(struct guest_info *gi)
{
    uint64_t end = dt_memory_end(gi), buf = (uint64_t)(uintptr_t)text;
    const uint64_t text_len = sizeof(text) - 1;

    guest_describe(gi);

    /* BH_HC_CONSOLE_WRITE: the buffer must be readable partition memory, len <= 256. */
    expect("console: buffer past memory", BH_HC_E_FAULT, BH_HC_CONSOLE_WRITE, end, 16, 0);
    expect("console: buffer straddling the end", BH_HC_E_FAULT, BH_HC_CONSOLE_WRITE, end - 8, 16,
           0);
    expect("console: NULL buffer", BH_HC_E_FAULT, BH_HC_CONSOLE_WRITE, 0, 4, 0);
    expect("console: hypervisor UART address", BH_HC_E_FAULT, BH_HC_CONSOLE_WRITE, 0x09000000, 4,
           0);
    expect("console: wrapping range", ANY_ERROR, BH_HC_CONSOLE_WRITE, ~0ull - 7, 32, 0);
    expect("console: top of the address space", BH_HC_E_FAULT, BH_HC_CONSOLE_WRITE, ~0ull - 31, 16,
           0);
    expect("console: length 257", BH_HC_E_INVALID, BH_HC_CONSOLE_WRITE, buf, 257, 0);
    expect("console: length 2^64-1", BH_HC_E_INVALID, BH_HC_CONSOLE_WRITE, buf, ~0ull, 0);
    expect("console: length 2^32+4", BH_HC_E_INVALID, BH_HC_CONSOLE_WRITE, buf, (1ull << 32) + 4,
           0);

    /* Device MMIO is no buffer either: the hypervisor must not read a device for a guest. */
    uint64_t dev;
    if (device_window(gi, &dev)) {
        expect("console: passed-through device", BH_HC_E_FAULT, BH_HC_CONSOLE_WRITE, dev, 4, 0);
        expect("shm: id in a passed-through device", BH_HC_E_FAULT, BH_HC_SHM_INFO, dev, 5, 0);
    }

    /* BH_HC_SHM_INFO: id string in readable memory, 1..31 bytes; unknown ids NOENT. */
    expect("shm: id past memory", BH_HC_E_FAULT, BH_HC_SHM_INFO, end, 5, 0);
    expect("shm: id straddling the end", BH_HC_E_FAULT, BH_HC_SHM_INFO, end - 2, 5, 0);
    expect("shm: NULL id", BH_HC_E_FAULT, BH_HC_SHM_INFO, 0, 5, 0);
    expect("shm: length 0", BH_HC_E_INVALID, BH_HC_SHM_INFO, buf, 0, 0);
    expect("shm: length 32", BH_HC_E_INVALID, BH_HC_SHM_INFO, buf, 32, 0);
    expect("shm: length 2^64-1", BH_HC_E_INVALID, BH_HC_SHM_INFO, buf, ~0ull, 0);
    expect("shm: unknown id", BH_HC_E_NOENT, BH_HC_SHM_INFO, (uint64_t)(uintptr_t) "nosuch", 6, 0);
    expect("shm: id prefix", BH_HC_E_NOENT, BH_HC_SHM_INFO, (uint64_t)(uintptr_t) "ring", 4, 0);

    /* BH_HC_DOORBELL_RING: the same id rules; a region the partition does not use is NOENT. */
    expect("doorbell: id past memory", BH_HC_E_FAULT, BH_HC_DOORBELL_RING, end, 5, 0);
    expect("doorbell: NULL id", BH_HC_E_FAULT, BH_HC_DOORBELL_RING, 0, 5, 0);
    expect("doorbell: length 0", BH_HC_E_INVALID, BH_HC_DOORBELL_RING, buf, 0, 0);
    expect("doorbell: length 2^64-1", BH_HC_E_INVALID, BH_HC_DOORBELL_RING, buf, ~0ull, 0);
    expect("doorbell: not its region", BH_HC_E_NOENT, BH_HC_DOORBELL_RING,
           (uint64_t)(uintptr_t) "nosuch", 6, 0);

    /* Unknown function ids: SMCCC 7.1 NOT_SUPPORTED (-1). */
    expect("id: base of the range", BH_HC_E_NOT_SUPPORTED, BH_HC_BASE, 0, 0, 0);
    expect("id: hole 0x05", BH_HC_E_NOT_SUPPORTED, BH_HC_BASE + 0x05, 0, 0, 0);
    expect("id: hole 0x0f", BH_HC_E_NOT_SUPPORTED, BH_HC_BASE + 0x0f, 0, 0, 0);
    expect("id: hole 0x11", BH_HC_E_NOT_SUPPORTED, BH_HC_BASE + 0x11, 0, 0, 0);
    expect("id: top of the range", BH_HC_E_NOT_SUPPORTED, BH_HC_BASE + 0xffff, 0, 0, 0);
    expect("id: SMC32 console write", BH_HC_E_NOT_SUPPORTED, BH_HC_CONSOLE_WRITE & ~0x40000000u,
           buf, text_len, 0);
    expect("id: yielding-call console write", BH_HC_E_NOT_SUPPORTED,
           BH_HC_CONSOLE_WRITE & ~0x80000000u, buf, text_len, 0);
    expect("id: zero", BH_HC_E_NOT_SUPPORTED, 0, 0, 0, 0);
    expect("id: all ones", BH_HC_E_NOT_SUPPORTED, ~0ull, 0, 0, 0);
    expect("id: high word set", BH_HC_E_NOT_SUPPORTED, (1ull << 32) | BH_HC_PARTITION_INFO, 0, 0,
           0);

    /* PSCI with bad arguments (PSCI 1.1, 5.1). */
    expect("psci: CPU_ON of a vCPU that does not exist", PSCI_E_INVALID_PARAMS, PSCI_CPU_ON, 7,
           0x40000000, 0);
    expect("psci: CPU_ON of a huge MPIDR", PSCI_E_INVALID_PARAMS, PSCI_CPU_ON, ~0ull >> 8,
           0x40000000, 0);
    expect("psci: CPU_ON of the calling vCPU", PSCI_E_ALREADY_ON, PSCI_CPU_ON, 0, 0x40000000, 0);
    expect("psci: AFFINITY_INFO of a vCPU that does not exist", PSCI_E_INVALID_PARAMS,
           PSCI_AFFINITY_INFO, 9, 0, 0);
    expect("psci: FEATURES of an unknown id", PSCI_E_NOT_SUPPORTED, PSCI_FEATURES, 0x84000077u, 0,
           0);

    /* Registers: the fast path (a table id, good or bad arguments, a hole) and the full
     * path (PSCI) give back every register that is no result. */
    expect_regs_kept("regs: console write", BH_HC_CONSOLE_WRITE, buf, 0);
    expect_regs_kept("regs: shm info of NULL", BH_HC_SHM_INFO, 0, 5);
    expect_regs_kept("regs: doorbell of an unknown id", BH_HC_DOORBELL_RING,
                     (uint64_t)(uintptr_t) "nosuch", 6);
    expect_regs_kept("regs: hole 0x05", BH_HC_BASE + 0x05, 0, 0);
    expect_regs_kept("regs: top of the range", BH_HC_BASE + 0xffff, 0, 0);
    expect_regs_kept("regs: PSCI_VERSION", PSCI_VERSION, 0, 0);

    /* Good calls still work afterwards, through both conduits. */
    int64_t v_hvc = (int64_t)hvc_call(PSCI_VERSION, 0, 0, 0, 0, 0).a0;
    int64_t v_smc = (int64_t)smc_call(PSCI_VERSION, 0, 0, 0, 0, 0).a0;
    GUEST_CHECK(v_hvc > 0 && v_hvc == v_smc, "PSCI_VERSION: HVC %lld, SMC %lld", (long long)v_hvc,
                (long long)v_smc);
    int64_t n = (int64_t)hvc_call(BH_HC_CONSOLE_WRITE, buf, text_len, 0, 0, 0).a0;
    GUEST_CHECK(n == (int64_t)text_len, "console write after the bad calls returned %lld",
                (long long)n);
    /* Terminal controls must not reach the hypervisor's console: C0 (ESC, BEL) and C1 (CSI
     * 0x9b, NEL 0x85; a terminal that honours 8-bit controls takes CSI like ESC [) are shown
     * as '.', so a partition can neither move the cursor nor overwrite others' lines. */
    static const char ctl[] = "hc_hostile: controls \x9b[2J \x1b[2J \x07\x85 end\n";
    n = (int64_t)hvc_call(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)ctl, sizeof(ctl) - 1, 0, 0, 0)
            .a0;
    GUEST_CHECK(n == (int64_t)sizeof(ctl) - 1, "console write of controls returned %lld",
                (long long)n);
    GUEST_CHECK(failed == 0, "%u of %u bad calls not refused as expected", failed, checked);
    gprintf("hc_hostile: all %u bad calls refused, PSCI %lld.%lld\n", checked,
            (long long)(v_hvc >> 16), (long long)(v_hvc & 0xffff));
}
