// SPDX-License-Identifier: Apache-2.0
/*
 * The fake arch's half of include/arch/vcpu.h (virtualization), plus the few boot and
 * console functions the partition core calls, for host tests of core/partition/, shm.c,
 * guest_dtb.c, hypercall.c and test_monitor.c. Host memory is what the test registers with
 * fake_mem_add(); "running" a vCPU or waiting on a CPU jumps back to the test
 * (fake_vcpu_jmp), so the never-returning life-cycle calls can be tested.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <arch/smp.h>
#include <arch/vcpu.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/partition.h>
#include <hv/printf.h>
#include <hv/string.h>

#include "fake_vcpu.h"

struct fake_vcpu_state fake_vcpu;
jmp_buf fake_vcpu_jmp;

#define FAKE_MEM_MAX 16
static struct {
    uint64_t base, size;
    uint8_t *buf;
} fake_mem[FAKE_MEM_MAX];
static unsigned int fake_nr_mem;

void fake_mem_add(uint64_t base, uint64_t size, void *buf)
{
    if (fake_nr_mem == FAKE_MEM_MAX) {
        abort();
    }
    fake_mem[fake_nr_mem].base = base;
    fake_mem[fake_nr_mem].size = size;
    fake_mem[fake_nr_mem].buf = buf;
    fake_nr_mem++;
}

void fake_mem_clear(void)
{
    fake_nr_mem = 0;
}

unsigned int hv_cpus_online(void)
{
    return fake_vcpu.cpus_online;
}

void hv_boot_verdict(void)
{
    fake_vcpu.boot_verdicts++; /* core/boot/boot.c is not linked: count the calls */
}

void partitions_stopped_check(void)
{
    fake_vcpu.stopped_checks++; /* core/partition/partition_boot.c (boot units) is not linked */
}

uint64_t arch_cpu_hwid(unsigned int cpu)
{
    return cpu; /* logical CPU n is /cpus/cpu@n */
}

const struct pt_format *arch_stage2_format(void)
{
    return &pt_fmt_arm_s2_4k;
}

unsigned int arch_stage2_depth(void)
{
    return 3;
}

const struct partition_expect *fake_implied;
unsigned int fake_implied_count;

unsigned int arch_partition_implied_map(const struct partition *p, struct partition_expect *out,
                                        unsigned int max)
{
    unsigned int n = 0;

    (void)p;
    for (; n < fake_implied_count && n < max; n++) {
        out[n] = fake_implied[n];
    }
    return n;
}

int arch_partition_init(struct partition *p)
{
    p->arch.vmid = (uint16_t)p->config->id;
    return 0;
}

void arch_stage2_flush(struct partition *p)
{
    p->arch.flushes++;
    fake_vcpu.flushes++;
}

void *arch_phys_to_virt(hpa_t pa, size_t size)
{
    uint64_t a = hpa_val(pa);

    for (unsigned int i = 0; i < fake_nr_mem; i++) {
        if (a >= fake_mem[i].base && size <= fake_mem[i].size &&
            a - fake_mem[i].base <= fake_mem[i].size - size) {
            return fake_mem[i].buf + (a - fake_mem[i].base);
        }
    }
    return NULL;
}

hpa_t arch_virt_to_phys(const void *va)
{
    return hpa((uint64_t)(uintptr_t)va);
}

void arch_guest_mem_sync(void *va, size_t size)
{
    (void)va;
    (void)size;
    fake_vcpu.syncs++;
}

void arch_guest_mem_zero(void *va, size_t size)
{
    memset(va, 0, size);
    fake_vcpu.syncs++;
}

void arch_guest_mem_copy(void *dst, const void *src, size_t size)
{
    memcpy(dst, src, size);
    fake_vcpu.syncs++;
}

void arch_vcpu_reset(struct vcpu *v, gpa_t entry, uint64_t context)
{
    v->arch.pc = gpa_val(entry);
    v->arch.x0 = context;
    v->arch.resets++;
}

void arch_vcpu_run(struct vcpu *v)
{
    fake_vcpu.last_run = v;
    longjmp(fake_vcpu_jmp, FAKE_JMP_RUN);
}

void arch_cpu_wait(void)
{
    longjmp(fake_vcpu_jmp, FAKE_JMP_WAIT);
}

void arch_cpu_kick(void)
{
    fake_vcpu.kicks++;
}

void arch_guest_dtb_cpu(struct fdt_writer *w, const struct partition *p, unsigned int index)
{
    (void)p;
    (void)index;
    fdt_write_prop_string(w, "compatible", "arm,armv8");
    fdt_write_prop_string(w, "enable-method", "psci");
}

void arch_guest_dtb_root(struct fdt_writer *w, const struct partition *p)
{
    (void)p;
    fdt_write_begin_node(w, "psci");
    fdt_write_prop_string(w, "compatible", "arm,psci-1.0");
    fdt_write_prop_string(w, "method", "hvc");
    fdt_write_end_node(w);
}

int arch_guest_boot_info(const struct partition *p, void *area, gpa_t area_gpa, size_t size,
                         size_t dtb_len, uint64_t *context)
{
    (void)p;
    (void)area;
    (void)size;
    (void)dtb_len;
    *context = gpa_val(area_gpa); /* like arm64: the DTB itself */
    return 0;
}

uint64_t arch_image_load_offset(const uint8_t *image, size_t size)
{
    (void)image;
    (void)size;
    return fake_vcpu.image_offset;
}

int arch_image_load_exec(const struct partition *p, const uint8_t *image, size_t size,
                         uint64_t limit, gpa_t *entry, bool copy)
{
    (void)p;
    (void)image;
    (void)size;
    (void)limit;
    (void)entry;
    (void)copy;
    return 0; /* raw images only, like arm64 */
}
