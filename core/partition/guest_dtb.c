// SPDX-License-Identifier: Apache-2.0
/*
 * The DTB a partition boots with (BRIEF §6), generated from its configuration at every boot
 * and reset. Layout agreed with the guest runtime (guests/arm64/):
 *
 *   /                 #address-cells = #size-cells = 2, compatible "bulkhead,partition-v1"
 *   /memory@G         one per memory triplet, reg = guest range
 *   /cpus/cpu@N       one per vCPU, reg = N (the vCPU index, MPIDR Aff0), arch properties
 *   (arch nodes)      arm64: /psci, method "hvc"
 *   /chosen           bootargs (if set), bulkhead,boot-count (resets so far), stdout-path
 *                     (the console virtual device's node, vdev_console(), if any),
 *                     linux,initrd-start/-end (if an initrd is loaded), the virtual
 *                     devices' own properties (vdev_chosen(): linux,pci-probe-only)
 *   /reserved-memory  shm@G children: compatible "bulkhead,shared-memory-v1", reg = guest
 *                     range, id, role, access, cache-policy, no-map, and the region's
 *                     doorbell (include/hv/doorbell.h): interrupts + interrupt-parent, and
 *                     bulkhead,doorbell = <guest addr> of its register page if it has one;
 *                     or, for a region configured with Xen's binding, xen-shmem@G as Xen
 *                     generates it
 *   /<device>         each passed-through device: its node name, compatible, reg (1:1)
 *   (virtual devices) each one's node(s), in table order (include/hv/vdev.h; arm64: the
 *                     virtual GIC, whose phandle the root's interrupt-parent names, and the
 *                     architected timer, arch/arm64/vgic.c; the vUART /serial@9000000 and
 *                     its /apb-pclk, arch/arm64/vpl011.c); after
 *                     the passed-through devices, so a guest looking for the first
 *                     passed-through device finds it. Phandles: include/hv/guest_dt.h; arm64's
 *                     virtual GIC (arch/arm64/vgic.c) is the one the root's interrupt-parent
 *                     names, with the architected timer
 *   /hypervisor       compatible "bulkhead,hypervisor-v1", method, partition-id, label
 *
 * Only guest addresses appear (memory, shm). Devices are passed through 1:1, so their MMIO
 * address is the same in both spaces and reveals nothing about host RAM.
 */
#include <arch/vcpu.h>
#include <hv/doorbell.h>
#include <arch/irq.h>
#include <hv/errno.h>
#include <hv/fdt_write.h>
#include <hv/partition.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/vdev.h>

/* Open the node "base@<hex addr>". */
static void begin_unit_node(struct fdt_writer *w, const char *base, uint64_t addr)
{
    char name[40];

    (void)hv_snprintf(name, sizeof(name), "%s@%llx", base, (unsigned long long)addr);
    fdt_write_begin_node(w, name);
}

static void write_reg(struct fdt_writer *w, uint64_t base, uint64_t size)
{
    const uint32_t cells[4] = {(uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
                               (uint32_t)size};

    fdt_write_prop_cells(w, "reg", cells, 4);
}

static void write_memory(struct fdt_writer *w, const struct partition *p)
{
    const struct hv_config *cfg = p->layout;

    for (unsigned int i = 0; i < p->config->mem_count; i++) {
        const struct hv_config_mem *m = &cfg->mem[p->config->mem_first + i];

        begin_unit_node(w, "memory", gpa_val(m->guest));
        fdt_write_prop_string(w, "device_type", "memory");
        write_reg(w, gpa_val(m->guest), m->size);
        fdt_write_end_node(w);
    }
}

static void write_cpus(struct fdt_writer *w, const struct partition *p)
{
    fdt_write_begin_node(w, "cpus");
    fdt_write_prop_u32(w, "#address-cells", 1);
    fdt_write_prop_u32(w, "#size-cells", 0);
    for (unsigned int i = 0; i < p->nr_vcpus; i++) {
        begin_unit_node(w, "cpu", i);
        fdt_write_prop_string(w, "device_type", "cpu");
        fdt_write_prop_u32(w, "reg", i);
        arch_guest_dtb_cpu(w, p, i);
        fdt_write_end_node(w);
    }
    fdt_write_end_node(w);
}

static void write_chosen(struct fdt_writer *w, const struct partition *p)
{
    fdt_write_begin_node(w, "chosen");
    if (p->config->bootargs != NULL) {
        fdt_write_prop_string(w, "bootargs", p->config->bootargs);
    }
    fdt_write_prop_u32(w, "bulkhead,boot-count", p->boot_count);
    if (p->initrd_size != 0) {
        /* Linux's chosen binding: the initrd's guest range, end exclusive (64-bit each). */
        fdt_write_prop_u64(w, "linux,initrd-start", gpa_val(p->initrd));
        fdt_write_prop_u64(w, "linux,initrd-end", gpa_val(p->initrd) + p->initrd_size);
    }
    if (vdev_console(p) != NULL) {
        fdt_write_prop_string(w, "stdout-path", vdev_console(p));
    }
    vdev_chosen(w, p);
    fdt_write_end_node(w);
}

/*
 * A region configured with Xen's binding: the node Xen generates for its guests (Linux
 * Documentation/devicetree/bindings/reserved-memory/xen,shared-memory.txt), so a guest
 * written for Xen dom0less finds it unchanged. The offset into the region is always 0.
 */
static void write_xen_shm(struct fdt_writer *w, const struct hv_config_shm *s)
{
    begin_unit_node(w, "xen-shmem", gpa_val(s->guest));
    fdt_write_prop_string(w, "compatible", "xen,shared-memory-v1");
    write_reg(w, gpa_val(s->guest), s->size);
    fdt_write_prop_string(w, "xen,id", s->id);
    fdt_write_prop_u64(w, "xen,offset", 0);
    fdt_write_end_node(w);
}

static void write_shm(struct fdt_writer *w, const struct partition *p)
{
    const struct hv_config *cfg = p->layout;

    if (p->config->shm_count == 0) {
        return;
    }
    fdt_write_begin_node(w, "reserved-memory");
    fdt_write_prop_u32(w, "#address-cells", 2);
    fdt_write_prop_u32(w, "#size-cells", 2);
    fdt_write_prop(w, "ranges", NULL, 0);
    for (unsigned int i = 0; i < p->config->shm_count; i++) {
        const struct hv_config_shm *s = &cfg->shm[p->config->shm_first + i];
        /* A borrower gets its own access; the owner's mapping is always read-write. */
        enum shm_access access = s->role == SHM_ROLE_OWNER ? SHM_ACCESS_RW : s->access;

        if (s->xen) {
            write_xen_shm(w, s);
            continue;
        }
        begin_unit_node(w, "shm", gpa_val(s->guest));
        fdt_write_prop_string(w, "compatible", "bulkhead,shared-memory-v1");
        write_reg(w, gpa_val(s->guest), s->size);
        fdt_write_prop_string(w, "id", s->id);
        fdt_write_prop_string(w, "role", shm_role_name(s->role));
        fdt_write_prop_string(w, "access", shm_access_name(access));
        fdt_write_prop_string(w, "cache-policy", cache_policy_name(s->cache_policy));
        fdt_write_prop(w, "no-map", NULL, 0);
        doorbell_guest_dt(w, p, p->config->shm_first + i);
        fdt_write_end_node(w);
    }
    fdt_write_end_node(w);
}

static void write_devices(struct fdt_writer *w, const struct partition *p)
{
    const struct hv_config *cfg = p->layout;

    for (unsigned int i = 0; i < p->config->dev_count; i++) {
        const struct hv_config_device *d = &cfg->devices[p->config->dev_first + i];
        const char *name = d->path;
        uint32_t cells[4 * HV_CONFIG_MAX_DEV_REGS];
        unsigned int n = 0;

        /* The guest sees the device at the root, under its own node name (after the last '/'). */
        for (const char *slash = strchr(name, '/'); slash != NULL; slash = strchr(name, '/')) {
            name = slash + 1;
        }
        fdt_write_begin_node(w, name);
        if (d->compatible != NULL) {
            fdt_write_prop(w, "compatible", d->compatible, d->compatible_len);
        }
        for (unsigned int r = 0; r < d->nr_regs; r++) {
            if (d->regs[r].pio) {
                continue;
            }
            cells[n++] = (uint32_t)(d->regs[r].base >> 32);
            cells[n++] = (uint32_t)d->regs[r].base;
            cells[n++] = (uint32_t)(d->regs[r].size >> 32);
            cells[n++] = (uint32_t)d->regs[r].size;
        }
        if (n != 0) {
            fdt_write_prop_cells(w, "reg", cells, n);
        }
        if (d->nr_irq_cells != 0) {
            fdt_write_prop_cells(w, "interrupts", d->irq_cells, d->nr_irq_cells);
        }
        fdt_write_end_node(w);
    }
}

static void write_hypervisor(struct fdt_writer *w, const struct partition *p)
{
    fdt_write_begin_node(w, "hypervisor");
    fdt_write_prop_string(w, "compatible", "bulkhead,hypervisor-v1");
    fdt_write_prop_string(w, "method", ARCH_HYPERCALL_METHOD);
    fdt_write_prop_u32(w, "partition-id", p->config->id);
    fdt_write_prop_string(w, "label", p->config->label);
    fdt_write_end_node(w);
}

int guest_dtb_build(const struct partition *p, void *buf, size_t size)
{
    struct fdt_writer w;
    int err = fdt_write_init(&w, buf, size);

    if (err != 0) {
        return err;
    }
    /* Errors are sticky in the writer: issue everything, check once at the end. */
    fdt_write_begin_node(&w, "");
    fdt_write_prop_u32(&w, "#address-cells", 2);
    fdt_write_prop_u32(&w, "#size-cells", 2);
    fdt_write_prop_string(&w, "compatible", "bulkhead,partition-v1");
    fdt_write_prop_string(&w, "model", p->config->label);
    if (arch_irq_guest_phandle(p) != 0) {
        /* Properties precede subnodes: the virtual controller's node comes later (vdevs). */
        fdt_write_prop_u32(&w, "interrupt-parent", arch_irq_guest_phandle(p));
    }
    write_memory(&w, p);
    write_cpus(&w, p);
    arch_guest_dtb_root(&w, p);
    write_chosen(&w, p);
    write_shm(&w, p);
    write_devices(&w, p);
    vdev_guest_dt(&w, p);
    write_hypervisor(&w, p);
    fdt_write_end_node(&w);
    return fdt_write_finish(&w);
}
