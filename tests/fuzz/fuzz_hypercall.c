// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz the hypercall argument checks (core/partition/hypercall.c) on the two running
 * partitions of part_env.h. Each 26-byte record of the input is one call: a vCPU, a function
 * id (one of the defined ids or a raw 32/64-bit value), two arguments (a raw value, or a guest
 * address near the start or end of the caller's RAM or shared windows, or near another
 * partition's host range, plus a fuzzed offset), and up to 8 bytes written into the caller's
 * RAM first so that names may match. Invariants: no crash or sanitizer report; a call outside
 * the vendor range is not taken; a taken call returns OK, a count within its bound, or one of
 * the SMCCC errors, ret[1..3] are zero on error and ret[4] is x4 unchanged; no result is a host
 * address.
 */
#include <string.h>

#include <hv/hypercall_abi.h>

#include "part_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RECORD 26

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < 8; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static const uint32_t fns[] = {BH_HC_CONSOLE_WRITE, BH_HC_PARTITION_INFO, BH_HC_SHM_INFO,
                               BH_HC_DOORBELL_RING, BH_HC_TEST_VERDICT,   BH_HC_TEST_TRAPS};

/* An argument: sel picks a base the checks care about, raw adds to it. */
static uint64_t arg(uint8_t sel, uint64_t raw)
{
    static const uint64_t bases[] = {
        PART_ENV_GUEST_RAM,
        PART_ENV_GUEST_RAM + PART_ENV_RAM_SIZE,
        PART_ENV_GUEST_SHM,
        PART_ENV_GUEST_SHM + PART_ENV_MIB,
        PART_ENV_GUEST_SHM + 2 * PART_ENV_MIB,
        PART_ENV_GUEST_SHM + 4 * PART_ENV_MIB,
        PART_ENV_UART1,
        PART_ENV_DOORBELL,
        PART_ENV_P1_HOST,
        PART_ENV_P2_HOST,
        PART_ENV_SHM_HOST,
        0,
    };

    if (sel >= 128) {
        return raw; /* any 64-bit value */
    }
    /* A small signed offset around a base: page ends, straddles, wrap-around. */
    return bases[sel % (sizeof(bases) / sizeof(bases[0]))] + (uint64_t)(int64_t)(int16_t)raw;
}

static void one(const uint8_t *r)
{
    struct partition *p = &partitions[r[0] & 1];
    struct vcpu *v = &p->vcpus[(r[0] >> 1) % p->nr_vcpus];
    uint8_t *ram = (r[0] & 1) != 0 ? part_env_p2 : part_env_p1;
    struct hypercall hc;
    uint64_t fn, ret0;
    bool taken, ours;

    memset(&hc, 0, sizeof(hc));
    switch (r[1] & 3) {
    case 0:
    case 1:
        fn = fns[(r[1] >> 2) % (sizeof(fns) / sizeof(fns[0]))];
        break;
    case 2:
        fn = BH_HC_BASE | r[2]; /* every id of the vendor range's low byte */
        break;
    default:
        fn = rd64(r + 2); /* anything, upper half included */
        break;
    }
    if ((fn >> 32) == 0 &&
        ((uint32_t)fn == BH_HC_SYSTEM_OFF || (uint32_t)fn == BH_HC_SYSTEM_RESET)) {
        /* Never return: they stop or reboot the caller's partition (the vCPU life cycle,
         * tested by tests/unit/test_partition.c through the fake vCPU's longjmp, which this
         * harness does not set up). */
        return;
    }
    hc.fn = fn;
    hc.arg[0] = arg(r[10], rd64(r + 11));
    hc.arg[1] = (r[19] & 0x80) != 0 ? rd64(r + 11) ^ rd64(r + 2) : (uint64_t)(r[19] & 0x3f);
    hc.arg[3] = 0x4b4b4b4b4b4b4b4bull; /* the caller's x4: given back unless a result */
    /* Name bytes at the start of the caller's RAM (guest PART_ENV_GUEST_RAM). */
    memcpy(ram, "ring0mbox", 9);
    memcpy(ram + 0x10, r + 18, 8);
    for (unsigned int i = 0; i < 5; i++) {
        hc.ret[i] = 0x5a5a5a5a5a5a5a5aull; /* stale values must be overwritten */
    }
    ours = (fn >> 32) == 0 && (fn & 0xff000000u) == (BH_HC_BASE & 0xff000000u);
    taken = hypercall_handle(v, &hc);
    part_env_check(taken == ours, "taken iff in the vendor hypervisor range");
    if (!taken) {
        return;
    }
    ret0 = hc.ret[0];
    if ((int64_t)ret0 < 0) {
        part_env_check(ret0 == (uint64_t)(int64_t)BH_HC_E_NOT_SUPPORTED ||
                           ret0 == (uint64_t)(int64_t)BH_HC_E_INVALID ||
                           ret0 == (uint64_t)(int64_t)BH_HC_E_FAULT ||
                           ret0 == (uint64_t)(int64_t)BH_HC_E_NOENT,
                       "ret[0] an SMCCC error");
        for (unsigned int i = 1; i < 4; i++) {
            part_env_check(hc.ret[i] == 0, "no result with an error");
        }
        part_env_check(hc.ret[4] == hc.arg[3], "x4 preserved");
    } else if ((uint32_t)fn == BH_HC_CONSOLE_WRITE) {
        part_env_check(ret0 == hc.arg[1] && ret0 <= BH_HC_CONSOLE_MAX, "console count");
    } else if ((uint32_t)fn == BH_HC_DOORBELL_RING) {
        part_env_check(ret0 < nr_partitions, "doorbell count");
    } else {
        part_env_check(ret0 == BH_HC_OK, "ret[0] OK");
    }
    for (unsigned int i = 0; i < 5; i++) {
        part_env_check(!part_env_is_host(hc.ret[i]), "no host address in a result");
    }
    if ((uint32_t)fn == BH_HC_SHM_INFO && ret0 == BH_HC_OK) {
        const struct hv_config_partition *pc = p->config;
        bool found = false;

        for (unsigned int i = 0; i < pc->shm_count; i++) {
            const struct hv_config_shm *s = &part_env_cfg.shm[pc->shm_first + i];

            found |= gpa_val(s->guest) == hc.ret[1] && s->size == hc.ret[2];
        }
        part_env_check(found, "shm info names one of the caller's windows");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    part_env_setup();
    for (size_t off = 0; off + RECORD <= size; off += RECORD) {
        one(data + off);
    }
    /* Stay running: a ring never stops anyone, nothing here may change a state. */
    part_env_check(partitions[0].state == PARTITION_RUNNING &&
                       partitions[1].state == PARTITION_RUNNING,
                   "partitions keep running");
    return 0;
}
