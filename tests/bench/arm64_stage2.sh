#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Stage-2 figures of the arm64 default layout, from the production partition code
# (core/partition/, core/config/ and the page-table walker) built on the host
# against the fake arch: per partition, the share of its RAM (memory triplets) mapped with
# 2 MiB / 1 GiB blocks and the number of stage-2 table pages (memory, shared regions and
# device MMIO). Deterministic; targets in tests/bench/targets.
set -eu
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/system/lib.sh"
out=${BH_OUT:-$top/out/bench}/arm64_stage2
mkdir -p "$out"
make -s -C "$top" qemu_arm64_virt_defconfig O="$out/build" >"$out/build.log" 2>&1
make -s -C "$top" O="$out/build" "$out/build/dts/bulkhead.dtb" >>"$out/build.log" 2>&1 || {
    echo "arm64_stage2: cannot build the default layout's DTB (see $out/build.log)"
    exit 1
}
cat >"$out/bench.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/config.h>
#include <hv/errno.h>
#include <hv/panic.h>
#include <hv/partition.h>

#include "fake_vcpu.h"

void panic(const char *fmt, ...)
{
    fprintf(stderr, "panic: %s\n", fmt);
    exit(2);
}

static int alloc(struct pgtable *pt, hpa_t *pa)
{
    void *p = aligned_alloc(4096, 4096);

    (void)pt;
    if (p == NULL) {
        return -ENOMEM;
    }
    memset(p, 0, 4096);
    *pa = hpa((uint64_t)(uintptr_t)p);
    return 0;
}
static void release(struct pgtable *pt, hpa_t pa)
{
    (void)pt;
    free((void *)(uintptr_t)hpa_val(pa));
}
static void *virt(struct pgtable *pt, hpa_t pa)
{
    (void)pt;
    return (void *)(uintptr_t)hpa_val(pa);
}
static const struct pt_mm_ops ops = {.alloc_table = alloc, .free_table = release,
                                     .phys_to_virt = virt};

static void report(void *ctx, const char *path, const char *prop, const char *reason)
{
    (void)ctx;
    fprintf(stderr, "%s: %s: %s\n", path, prop, reason);
}

static struct hv_config cfg;
static uint8_t blob[1 << 20];

int main(int argc, char **argv)
{
    const struct hv_config_env env = {report, NULL, NULL};
    struct fdt fdt;
    FILE *f;
    size_t len;

    if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
        return 2;
    }
    len = fread(blob, 1, sizeof(blob), f);
    fclose(f);
    if (fdt_init(&fdt, blob, len) != 0 || hv_config_parse(&fdt, &env, &cfg) != 0) {
        return 2;
    }
    fake_vcpu.cpus_online = 8;
    for (unsigned int i = 0; i < cfg.nr_partitions; i++) {
        struct partition *p = &partitions[i];
        uint64_t ram = 0, blocks = 0;

        cfg.partitions[i].image = NULL; /* stage 2 only: no image to load on the host */
        if (partition_init(p, &cfg, i, &ops) != 0) {
            printf("%s: setup failed: %s", cfg.partitions[i].label, fake_console_log);
            return 1;
        }
        nr_partitions = i + 1;
        for (unsigned int m = 0; m < p->config->mem_count; m++) {
            const struct hv_config_mem *mem = &cfg.mem[p->config->mem_first + m];

            for (uint64_t off = 0; off < mem->size; off += 4096) {
                unsigned int level;

                if (pt_lookup(&p->stage2, gpa_val(mem->guest) + off, NULL, NULL, &level) == 0 &&
                    level >= 1) {
                    blocks += 4096;
                }
            }
            ram += mem->size;
        }
        printf("%s_ram_block_share: %llu %%\n", p->config->label,
               (unsigned long long)(blocks * 100 / ram));
        printf("%s_stage2_table_pages: %llu pages\n", p->config->label,
               (unsigned long long)pt_table_pages(&p->stage2));
    }
    return 0;
}
C
# The production sources the partition unit test links (one list, in its .mk), on the fake arch.
src="$(bh_unit_sources partition) tests/unit/fake/fake_arch.c"
# shellcheck disable=SC2086
gcc -std=c11 -O1 -Wall -Wextra -D_DEFAULT_SOURCE -I"$top/include" -I"$top/tests/unit/fake/include" \
    -I"$top/tests/unit/fake" -include "$top/tests/unit/fake/autoconf.h" -o "$out/bench" \
    "$out/bench.c" $(for s in $src; do echo "$top/$s"; done)
"$out/bench" "$out/build/dts/bulkhead.dtb"
