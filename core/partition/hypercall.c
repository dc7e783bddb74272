// SPDX-License-Identifier: Apache-2.0
/*
 * Bulkhead hypercalls (ABI: include/hv/hypercall_abi.h), arch-neutral: the arch trap handler
 * copies the guest's argument registers into a struct hypercall and its results back.
 *
 * Every argument is hostile until checked: lengths are bounded before any arithmetic,
 * guest buffers are copied through the partition's own stage-2 table (partition_read_guest:
 * every byte must be readable Normal memory of the caller, so a pointer into another
 * partition, the hypervisor or device MMIO fails with BH_HC_E_FAULT), and results only ever
 * carry guest addresses. A bad call returns an SMCCC error; nothing a guest passes can crash
 * or stall the hypervisor.
 */
#include <hv/console.h>
#include <hv/console_input.h>
#include <hv/doorbell.h>
#include <hv/errno.h>
#include <hv/hypercall_abi.h>
#include <hv/partition.h>
#include <hv/string.h>

/* SMCCC results are 64-bit registers holding a sign-extended int32 error. */
static uint64_t hc_err(int code)
{
    return (uint64_t)(int64_t)code;
}

void vcpu_console_put(struct vcpu *v, const char *buf, size_t len)
{
    /* Lines are printed whole so that partitions writing at once do not interleave within a
     * line; control characters other than newline and tab are shown as '.', and so is every
     * byte outside 7-bit ASCII: C1 controls (0x80..0x9f, e.g. CSI 0x9b, which terminals may
     * take like ESC [) would let a partition move the cursor over other partitions' lines.
     * Unsigned, so that the test does not depend on the signedness of char (unsigned on
     * arm64, signed on x86). */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];

        if (c == '\n') {
            console_show_line(v, v->part->config->label, &v->line, true);
            continue;
        }
        if (c == '\r') {
            continue;
        }
        if ((c < ' ' && c != '\t') || c >= 0x7f) {
            c = '.';
        }
        /* A line longer than the buffer is broken before the byte that does not fit; its
         * next piece is marked as the continuation ("<label>+ ", docs/partitions.md). */
        if (v->line.len == VCPU_CONSOLE_LINE) {
            console_show_line(v, v->part->config->label, &v->line, true);
            v->line.cont = true;
        }
        v->line.text[v->line.len++] = (char)c;
    }
    /* The partition with the input focus shows partial lines too (a prompt, echoed keys). */
    if (v->line.len > v->line.shown && console_input_has_focus(v->part)) {
        console_show_line(v, v->part->config->label, &v->line, false);
    }
}

/*
 * Read the guest buffer a call names (arg[0] = guest address, arg[1] = length, min..max) into
 * buf. false with the SMCCC error in ret[0] (INVALID length, FAULT address).
 */
static bool hc_read(struct vcpu *v, struct hypercall *hc, char *buf, uint64_t min, uint64_t max)
{
    if (hc->arg[1] < min || hc->arg[1] > max) {
        hc->ret[0] = hc_err(BH_HC_E_INVALID);
        return false;
    }
    if (partition_read_guest(v->part, gpa(hc->arg[0]), buf, (size_t)hc->arg[1]) != 0) {
        hc->ret[0] = hc_err(BH_HC_E_FAULT);
        return false;
    }
    return true;
}

static void hc_console_write(struct vcpu *v, struct hypercall *hc)
{
    char buf[BH_HC_CONSOLE_MAX];

    if (hc_read(v, hc, buf, 0, BH_HC_CONSOLE_MAX)) {
        vcpu_console_put(v, buf, (size_t)hc->arg[1]);
        hc->ret[0] = hc->arg[1];
    }
}

static void hc_partition_info(struct vcpu *v, struct hypercall *hc)
{
    hc->ret[0] = BH_HC_OK;
    hc->ret[1] = v->part->config->id;
    hc->ret[2] = v->part->nr_vcpus;
    hc->ret[3] = v->index;
    hc->ret[4] = v->part->config->shm_count;
}

/*
 * The caller's shared-mem entry whose region id the call names (x1 = guest address, x2 =
 * length 1..31, no NUL needed; the id must match whole). -1 with the SMCCC error in ret[0]:
 * INVALID length, FAULT address, NOENT not a region of the caller's.
 */
static int hc_shm_entry(struct vcpu *v, struct hypercall *hc)
{
    char id[HV_CONFIG_NAME_MAX];
    int shm;

    if (!hc_read(v, hc, id, 1, HV_CONFIG_NAME_MAX - 1)) {
        return -1;
    }
    shm = doorbell_find(v->part, id, (size_t)hc->arg[1]);
    if (shm < 0) {
        hc->ret[0] = hc_err(BH_HC_E_NOENT);
    }
    return shm < 0 ? -1 : shm;
}

static void hc_shm_info(struct vcpu *v, struct hypercall *hc)
{
    int shm = hc_shm_entry(v, hc);
    const struct hv_config_shm *s;

    if (shm < 0) {
        return;
    }
    s = &v->part->layout->shm[shm];
    hc->ret[0] = BH_HC_OK;
    hc->ret[1] = gpa_val(s->guest); /* a guest address: never s->host */
    hc->ret[2] = s->size;
    hc->ret[3] = (uint64_t)s->cache_policy << BH_SHM_CACHE_SHIFT;
    if (s->role == SHM_ROLE_OWNER) {
        hc->ret[3] |= BH_SHM_OWNER | BH_SHM_WRITABLE;
    } else if (s->access == SHM_ACCESS_RW) {
        hc->ret[3] |= BH_SHM_WRITABLE;
    }
}

static void hc_doorbell_ring(struct vcpu *v, struct hypercall *hc)
{
    int shm = hc_shm_entry(v, hc);

    if (shm >= 0) {
        hc->ret[0] = doorbell_ring_to(v->part, (unsigned int)shm, 0);
    }
}

/* BH_HC_VCPU_START: start vCPU arg[0] of the caller's partition at arg[1]. */
static void hc_vcpu_start(struct vcpu *v, struct hypercall *hc)
{
    /* The whole 64-bit index: vcpu_start() refuses one beyond the partition's vCPUs. */
    int err = vcpu_start(v, hc->arg[0], gpa(hc->arg[1]), hc->arg[2]);

    hc->ret[0] = err == 0 ? BH_HC_OK : hc_err(err == -EFAULT ? BH_HC_E_FAULT : BH_HC_E_INVALID);
}

static void hc_system_off(struct vcpu *v, struct hypercall *hc __unused)
{
    partition_system_off(v);
}

static void hc_system_reset(struct vcpu *v, struct hypercall *hc __unused)
{
    partition_reset(v);
}

/* Indexed by fn - BH_HC_BASE; NULL: NOT_SUPPORTED. The test calls exist in test builds only. */
const hypercall_fn hypercall_table[HYPERCALL_TABLE_SIZE] = {
    [BH_HC_CONSOLE_WRITE - BH_HC_BASE] = hc_console_write,
    [BH_HC_PARTITION_INFO - BH_HC_BASE] = hc_partition_info,
    [BH_HC_SHM_INFO - BH_HC_BASE] = hc_shm_info,
    [BH_HC_DOORBELL_RING - BH_HC_BASE] = hc_doorbell_ring,
    [BH_HC_SYSTEM_OFF - BH_HC_BASE] = hc_system_off,
    [BH_HC_SYSTEM_RESET - BH_HC_BASE] = hc_system_reset,
    [BH_HC_VCPU_START - BH_HC_BASE] = hc_vcpu_start,
    [BH_HC_TEST_VERDICT - BH_HC_BASE] =
        IS_ENABLED(CONFIG_TEST_MONITOR) ? test_monitor_verdict : NULL,
    [BH_HC_TEST_TRAPS - BH_HC_BASE] = IS_ENABLED(CONFIG_TEST_MONITOR) ? test_monitor_traps : NULL,
};
_Static_assert(BH_HC_TEST_TRAPS - BH_HC_BASE < HYPERCALL_TABLE_SIZE, "hypercall table size");

void hypercall_call(struct vcpu *v, struct hypercall *hc, hypercall_fn fn)
{
    hc->ret[0] = hc_err(BH_HC_E_NOT_SUPPORTED);
    hc->ret[1] = hc->ret[2] = hc->ret[3] = 0;
    /* x4 (x86: RSI) is a result of PARTITION_INFO only; the arch writes ret[4] back into it
     * for every call, so any other call gives the caller's x4 back unchanged (SMCCC v1.1:
     * registers beyond the results are preserved). arg[3] is that same register. */
    hc->ret[4] = hc->arg[3];
    if (fn != NULL) {
        fn(v, hc);
    }
}

bool hypercall_handle(struct vcpu *v, struct hypercall *hc)
{
    /* SMC32 and SMC64 ids of the vendor hypervisor range differ in bit 30 only; Bulkhead
     * defines SMC64 ids, a 32-bit caller gets NOT_SUPPORTED below. Bits 63:32 must be 0. */
    uint64_t nr = hc->fn - BH_HC_BASE;

    if ((hc->fn >> 24) != (BH_HC_BASE >> 24)) {
        return false;
    }
    hypercall_call(v, hc, nr < HYPERCALL_TABLE_SIZE ? hypercall_table[nr] : NULL);
    return true;
}
