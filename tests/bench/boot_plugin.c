// SPDX-License-Identifier: Apache-2.0
/*
 * QEMU TCG plugin for tests/bench/arm64_boot.sh: counts, per emulated CPU, the executed
 * instructions of the hypervisor's text from the first instruction until that CPU runs its
 * first guest instruction, and stops QEMU once every partition's boot vCPU has run its first
 * one. Instructions are attributed to named address ranges (bucket=NAME:START:END, the
 * symbols tools take from bulkhead.elf); the rest of the text counts as "boot". The "idle"
 * bucket holds the wait loop of a CPU with nothing to run (QEMU TCG does not sleep on WFE,
 * so a waiting CPU keeps executing it; issue 15 item 5): it is reported, never added in.
 *
 * Code is told apart by physical address, not by virtual address: guests run with their MMU
 * off at guest addresses that overlap the hypervisor's (identity-mapped) image. The plugin
 * API gives the host address of an instruction's bytes, which is linear in the physical
 * address inside the machine's one RAM block; the first instruction executed at the
 * hypervisor's entry (MMU off: virtual = physical) calibrates the offset.
 *
 * Arguments: text=START:END (hypervisor text, physical), guest=ENTRY:N (a partition's entry,
 * guest virtual = guest physical with the MMU off, and the number of partitions that start
 * there; repeatable), bucket=NAME:START:END (repeatable), out=FILE, and optionally
 * profile=FILE: every hypervisor instruction executed (before its CPU reached a guest), one
 * "ADDRESS COUNT" line each, which tests/bench/boot_profile.py folds into functions and
 * callers.
 *
 * Debian ships no qemu-plugin.h: the few declarations below follow the plugin API of QEMU
 * 10.0 (API version 4), a stable C ABI. Build: gcc -shared -fPIC -O2 boot_plugin.c.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- QEMU plugin API (QEMU 10.0, include/qemu/qemu-plugin.h, version 4) ---- */
typedef uint64_t qemu_plugin_id_t;
typedef struct {
    const char *target_name;
    struct {
        int min;
        int cur;
    } version;
    bool system_emulation;
    union {
        struct {
            int smp_vcpus;
            int max_vcpus;
        } system;
    };
} qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void *qemu_plugin_insn_haddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 4;
__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);
/* ---- end of the API declarations ---- */

#define MAX_CPUS 16
#define MAX_RANGES 1024
#define BUCKET_BOOT 0
#define MARK_GUEST UINTPTR_MAX /* a guest instruction at a partition's entry */
#define OTHER_GUEST (UINTPTR_MAX - 1)
#define MAX_ENTRIES 8

static uint64_t text_start, text_end;
/* Range r >= 1 counts in counts[][r]; several ranges may share a name (summed in the report). */
static struct {
    const char *name;
    uint64_t start, end;
} ranges[MAX_RANGES] = {{"boot", 0, 0}};
static unsigned int nr_ranges = 1;
static uint64_t entries[MAX_ENTRIES];
static unsigned int nr_entries, partitions;
static const char *out_path, *profile_path;
/* profile=: executions per 4-byte word of the text; udata carries the word above the range. */
static uint64_t *words;
#define RANGE_BITS 10 /* MAX_RANGES */

static bool calibrated;
static uintptr_t host_base; /* host address of physical address 0, by the RAM block */
static uint64_t counts[MAX_CPUS][MAX_RANGES];
static bool in_guest[MAX_CPUS];
static unsigned int started;

/* One line per name: "NAME TOTAL cpuN=COUNT...". */
static void report(void)
{
    FILE *f = out_path != NULL ? fopen(out_path, "w") : NULL;

    if (f == NULL) {
        f = stderr;
    }
    for (unsigned int r = 0; r < nr_ranges; r++) {
        uint64_t per_cpu[MAX_CPUS] = {0}, sum = 0;
        bool first = true;

        for (unsigned int q = 0; q < r; q++) {
            first = first && strcmp(ranges[q].name, ranges[r].name) != 0;
        }
        if (!first) {
            continue;
        }
        for (unsigned int q = r; q < nr_ranges; q++) {
            if (strcmp(ranges[q].name, ranges[r].name) == 0) {
                for (unsigned int c = 0; c < MAX_CPUS; c++) {
                    per_cpu[c] += counts[c][q];
                    sum += counts[c][q];
                }
            }
        }
        fprintf(f, "%s %" PRIu64, ranges[r].name, sum);
        for (unsigned int c = 0; c < MAX_CPUS; c++) {
            if (per_cpu[c] != 0) {
                fprintf(f, " cpu%u=%" PRIu64, c, per_cpu[c]);
            }
        }
        fprintf(f, "\n");
    }
    fprintf(f, "started %u of %u\n", started, partitions);
    if (f != stderr) {
        fclose(f);
    }
    f = profile_path != NULL ? fopen(profile_path, "w") : NULL;
    for (uint64_t w = 0; f != NULL && w < (text_end - text_start) / 4; w++) {
        if (words[w] != 0) {
            fprintf(f, "0x%" PRIx64 " %" PRIu64 "\n", text_start + 4 * w, words[w]);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
}

static void insn_exec(unsigned int cpu, void *udata)
{
    uintptr_t what = (uintptr_t)udata;

    if (cpu >= MAX_CPUS || in_guest[cpu]) {
        return;
    }
    if (what == MARK_GUEST || what == OTHER_GUEST) {
        /* This CPU's hypervisor work is over: it runs a guest from here on. */
        in_guest[cpu] = true;
        if (what == MARK_GUEST && ++started == partitions) {
            report();
            fflush(NULL);
            _exit(0);
        }
        return;
    }
    counts[cpu][what & (MAX_RANGES - 1)]++;
    if (words != NULL) {
        __atomic_fetch_add(&words[what >> RANGE_BITS], 1, __ATOMIC_RELAXED);
    }
}

static unsigned int range_of(uint64_t pa)
{
    for (unsigned int r = 1; r < nr_ranges; r++) {
        if (pa >= ranges[r].start && pa < ranges[r].end) {
            return r;
        }
    }
    return BUCKET_BOOT;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    for (size_t i = 0; i < qemu_plugin_tb_n_insns(tb); i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t va = qemu_plugin_insn_vaddr(insn);
        uintptr_t host = (uintptr_t)qemu_plugin_insn_haddr(insn);
        uint64_t pa;
        uintptr_t what;

        if (host == 0) {
            continue; /* not RAM (the boot ROM) */
        }
        if (!calibrated) {
            if (va != text_start) {
                continue;
            }
            host_base = host - (uintptr_t)text_start;
            calibrated = true;
        }
        pa = (uint64_t)(host - host_base);
        if (pa >= text_start && pa < text_end) {
            what = range_of(pa) | (uintptr_t)((pa - text_start) / 4) << RANGE_BITS;
        } else {
            what = OTHER_GUEST;
            for (unsigned int e = 0; e < nr_entries; e++) {
                if (va == entries[e]) {
                    what = MARK_GUEST;
                }
            }
        }
        qemu_plugin_register_vcpu_insn_exec_cb(insn, insn_exec, QEMU_PLUGIN_CB_NO_REGS,
                                               (void *)what);
    }
}

static bool range(const char *s, uint64_t *start, uint64_t *end)
{
    char *p;

    *start = strtoull(s, &p, 0);
    if (*p != ':') {
        return false;
    }
    *end = strtoull(p + 1, &p, 0);
    return *p == '\0' && *end > *start;
}

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];

        if (strncmp(a, "text=", 5) == 0 && range(a + 5, &text_start, &text_end)) {
            continue;
        }
        if (strncmp(a, "guest=", 6) == 0 && nr_entries < MAX_ENTRIES) {
            uint64_t e, n;

            if (sscanf(a + 6, "%" SCNi64 ":%" SCNi64, &e, &n) == 2) {
                entries[nr_entries++] = e;
                partitions += (unsigned int)n;
                continue;
            }
        }
        if (strncmp(a, "bucket=", 7) == 0 && nr_ranges < MAX_RANGES) {
            const char *colon = strchr(a + 7, ':');

            if (colon != NULL &&
                range(colon + 1, &ranges[nr_ranges].start, &ranges[nr_ranges].end)) {
                ranges[nr_ranges++].name = strndup(a + 7, (size_t)(colon - a - 7));
                continue;
            }
        }
        if (strncmp(a, "out=", 4) == 0) {
            out_path = a + 4;
            continue;
        }
        if (strncmp(a, "profile=", 8) == 0) {
            profile_path = a + 8;
            continue;
        }
        fprintf(stderr, "boot_plugin: bad argument %s\n", a);
        return 1;
    }
    if (text_end == 0 || partitions == 0) {
        fprintf(stderr, "boot_plugin: text= and guest= are required\n");
        return 1;
    }
    if (profile_path != NULL) {
        words = calloc((text_end - text_start) / 4 + 1, sizeof(*words));
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
    return 0;
}
