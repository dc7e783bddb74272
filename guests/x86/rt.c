// SPDX-License-Identifier: Apache-2.0
/*
 * x86 guest runtime: console, verdicts and the check of the PVH boot information: magic,
 * version, the DTB as module 0, and every address in it (module, memory map, command line)
 * a guest address inside the partition's own memory map; shared regions from SHM_INFO must
 * be reserved entries of that map. A host address anywhere fails the guest.
 */
#include <hv/fdt.h>
#include <hv/printf.h>
#include <hv/string.h>

#include "rt.h"

struct hvm_start_info {
    uint32_t magic, version, flags, nr_modules;
    uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
    uint32_t memmap_entries, reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_entry {
    uint64_t addr, size;
    uint32_t type, reserved;
};

void guest_start(const struct hvm_start_info *si);
void guest_secondary_start(unsigned int vcpu);
extern char secondary32[];

/* The memory map of the boot information, for guest_shm(). */
static const struct hvm_memmap_entry *boot_map;
static uint32_t boot_map_n;

void gprintf(const char *fmt, ...)
{
    char buf[BH_HC_CONSOLE_MAX];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1) {
        n = sizeof(buf) - 1;
    }
    (void)hc_call(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)buf, (uint64_t)n, 0, 0, 0);
}

static __noreturn void finish(uint64_t verdict)
{
    (void)hc_call(BH_HC_TEST_VERDICT, verdict, 0, 0, 0, 0);
    (void)hc_call(BH_HC_SYSTEM_OFF, 0, 0, 0, 0, 0);
    for (;;) {
        __asm__ __volatile__("hlt");
    }
}

void guest_pass(void)
{
    gprintf("guest: PASS\n");
    finish(0);
}

void guest_fail(const char *fmt, ...)
{
    char buf[200];
    va_list ap;

    va_start(ap, fmt);
    (void)hv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    gprintf("guest: FAIL: %s\n", buf);
    finish(1);
}

int64_t guest_shm(const char *id, uint64_t *base, uint64_t *size, uint64_t *flags)
{
    struct hc_res r = hc_call(BH_HC_SHM_INFO, (uint64_t)(uintptr_t)id, strlen(id), 0, 0, 0);

    if ((int64_t)r.a0 != 0) {
        return (int64_t)r.a0;
    }
    *base = r.a1;
    *size = r.a2;
    *flags = r.a3;
    /* A shared region is a reserved entry of the memory map, at the same guest address. */
    for (uint32_t i = 0; i < boot_map_n; i++) {
        if (boot_map[i].addr == r.a1 && boot_map[i].size == r.a2 && boot_map[i].type == 2) {
            return 0;
        }
    }
    guest_fail("shm \"%s\": %#llx+%#llx is not a reserved entry of the memory map", id,
               (unsigned long long)r.a1, (unsigned long long)r.a2);
}

int64_t guest_cpu_on(unsigned int vcpu)
{
    return (int64_t)hc_call(BH_HC_VCPU_START, vcpu, (uint64_t)(uintptr_t)secondary32, vcpu, 0, 0)
        .a0;
}

__weak void guest_secondary(unsigned int vcpu)
{
    guest_fail("vcpu %u started without a scenario for it", vcpu);
}

void guest_secondary_start(unsigned int vcpu)
{
    guest_secondary(vcpu);
    for (;;) {
        __asm__ __volatile__("hlt");
    }
}

static uint64_t be64(const void *p)
{
    const uint8_t *b = p;
    uint64_t v = 0;

    for (unsigned int i = 0; i < 8; i++) {
        v = v << 8 | b[i];
    }
    return v;
}

/* Whether [addr, addr + size) lies inside one entry of the memory map. */
static bool in_map(const struct hvm_memmap_entry *map, uint32_t n, uint64_t addr, uint64_t size)
{
    for (uint32_t i = 0; i < n; i++) {
        if (addr >= map[i].addr && addr + size >= addr &&
            addr + size <= map[i].addr + map[i].size) {
            return true;
        }
    }
    return false;
}

/* The boot information: well formed, guest addresses only (file comment). */
static void check_start_info(const struct hvm_start_info *si, struct guest_info *gi)
{
    const struct hvm_memmap_entry *map = (const void *)(uintptr_t)si->memmap_paddr;
    const struct hvm_modlist_entry *mod = (const void *)(uintptr_t)si->modlist_paddr;
    uint32_t n = si->memmap_entries;
    struct hc_res info = hc_call(BH_HC_PARTITION_INFO, 0, 0, 0, 0, 0);
    struct fdt fdt;
    int chosen;

    GUEST_CHECK(si->magic == 0x336ec578u && si->version >= 1, "start info magic %#x version %u",
                si->magic, si->version);
    GUEST_CHECK(n >= 1 && n <= 64, "%u memory map entries", n);
    for (uint32_t i = 0; i < n; i++) {
        GUEST_CHECK(map[i].addr + map[i].size <= (UINT64_C(1) << 30),
                    "memory map entry %#llx+%#llx beyond the guest's first GiB",
                    (unsigned long long)map[i].addr, (unsigned long long)map[i].size);
    }
    GUEST_CHECK(in_map(map, n, (uint64_t)(uintptr_t)si, sizeof(*si)), "start info outside the map");
    GUEST_CHECK(in_map(map, n, si->memmap_paddr, n * sizeof(*map)), "memory map outside the map");
    GUEST_CHECK(si->nr_modules >= 1 && in_map(map, n, si->modlist_paddr, sizeof(*mod)),
                "module list %#llx (%u modules)", (unsigned long long)si->modlist_paddr,
                si->nr_modules);
    GUEST_CHECK(in_map(map, n, mod->paddr, mod->size), "module 0 at %#llx+%#llx outside the map",
                (unsigned long long)mod->paddr, (unsigned long long)mod->size);
    GUEST_CHECK(si->cmdline_paddr == 0 || in_map(map, n, si->cmdline_paddr, 1),
                "command line outside the map");
    gi->dtb = (const void *)(uintptr_t)mod->paddr;
    gi->dtb_size = mod->size;
    GUEST_CHECK(fdt_init(&fdt, gi->dtb, (size_t)gi->dtb_size) == 0, "module 0 is not a DTB");
    /* The partition's memory: the DTB's /memory@ nodes (reg = <address size> in 2 + 2 cells). */
    for (int node = fdt_first_child(&fdt, fdt_root(&fdt)); node >= 0;
         node = fdt_next_sibling(&fdt, node)) {
        struct fdt_prop reg;

        if (strncmp(fdt_node_name(&fdt, node), "memory@", 7) != 0 ||
            fdt_prop(&fdt, node, "reg", &reg) < 0 || reg.len != 16) {
            continue;
        }
        uint64_t end = be64(reg.data) + be64((const uint8_t *)reg.data + 8);

        GUEST_CHECK(in_map(map, n, be64(reg.data), 1) && in_map(map, n, end - 1, 1),
                    "DTB memory %#llx-%#llx is not in the memory map",
                    (unsigned long long)be64(reg.data), (unsigned long long)end);
        if (end > gi->mem_end) {
            gi->mem_end = end;
        }
    }
    GUEST_CHECK(gi->mem_end != 0, "no /memory node in the DTB");
    chosen = fdt_path(&fdt, "/chosen");
    if (chosen < 0 || fdt_prop_u32(&fdt, chosen, "bulkhead,boot-count", &gi->boot_count) < 0) {
        gi->boot_count = 0;
    }
    boot_map = map;
    boot_map_n = n;
    gprintf("boot: partition %llu, vcpu %llu of %llu, %u map entries, memory up to %#llx, "
            "boot-count %u\n",
            (unsigned long long)info.a1, (unsigned long long)info.a3, (unsigned long long)info.a2,
            n, (unsigned long long)gi->mem_end, gi->boot_count);
    gprintf("boot: guest addresses only\n");
}

void guest_start(const struct hvm_start_info *si)
{
    static struct guest_info gi;

    gi.start_info = si;
    check_start_info(si, &gi);
    guest_main(&gi);
    guest_pass();
}

/* ------------------------------------------------------------------------------------------ */
/* Interrupts: an IDT whose vectors 0x20-0xff all reach guest_irq_dispatch()                  */

/* An IDT entry in long mode (APM vol. 2, 4.8.4, interrupt gate type 0xe). */
struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, rsvd;
};

#define GUEST_IRQ_FIRST 0x20u
#define GUEST_IRQ_COUNT 224u

static struct idt_gate guest_idt[256] __aligned(16);
static guest_irq_fn guest_irq_fns[256];
static volatile uint64_t guest_irq_counts[256];
extern const uint64_t guest_irq_stubs[GUEST_IRQ_COUNT];

void guest_irq_dispatch(uint64_t vec);
void guest_irq_dispatch(uint64_t vec)
{
    vec &= 0xffu;
    guest_irq_counts[vec]++;
    if (guest_irq_fns[vec] != NULL) {
        guest_irq_fns[vec]((uint32_t)vec);
    }
}

/* One stub per vector pushes it; the common part saves the caller-saved registers. On entry
 * RSP is 8 mod 16 (the CPU aligned it, then pushed five quadwords); the vector and nine
 * registers make it 8 mod 16 again, so 8 more align the call. */
__asm__(".text\n"
        ".altmacro\n"
        ".macro guest_irq_stub v\n"
        "guest_irq_stub_\\v:\n"
        "    push $\\v\n"
        "    jmp guest_irq_common\n"
        ".endm\n"
        ".set v, 0x20\n"
        ".rept 224\n"
        "    guest_irq_stub %v\n"
        "    .set v, v + 1\n"
        ".endr\n"
        "guest_irq_common:\n"
        "    push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
        "    push %r8\n push %r9\n push %r10\n push %r11\n"
        "    mov 72(%rsp), %rdi\n"
        "    sub $8, %rsp\n"
        "    cld\n"
        "    call guest_irq_dispatch\n"
        "    add $8, %rsp\n"
        "    pop %r11\n pop %r10\n pop %r9\n pop %r8\n"
        "    pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"
        "    add $8, %rsp\n"
        "    iretq\n"
        ".macro guest_irq_addr v\n"
        "    .quad guest_irq_stub_\\v\n"
        ".endm\n"
        ".section .rodata\n"
        ".balign 8\n"
        "guest_irq_stubs:\n"
        ".set v, 0x20\n"
        ".rept 224\n"
        "    guest_irq_addr %v\n"
        "    .set v, v + 1\n"
        ".endr\n"
        ".text\n");

void guest_irq_init(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __packed ptr = {sizeof(guest_idt) - 1, (uint64_t)(uintptr_t)guest_idt};

    for (unsigned int i = 0; i < GUEST_IRQ_COUNT; i++) {
        uint64_t off = guest_irq_stubs[i];

        guest_idt[GUEST_IRQ_FIRST + i] =
            (struct idt_gate){.off0 = (uint16_t)off,
                              .sel = 0x08,  /* head.S's 64-bit code segment */
                              .type = 0x8e, /* present, DPL 0, interrupt gate */
                              .off1 = (uint16_t)(off >> 16),
                              .off2 = (uint32_t)(off >> 32)};
    }
    __asm__ __volatile__("lidt %0" : : "m"(ptr));
}

void guest_irq_handler(uint32_t vec, guest_irq_fn fn)
{
    guest_irq_fns[vec & 0xffu] = fn;
}

uint64_t guest_irq_count(uint32_t vec)
{
    return guest_irq_counts[vec & 0xffu];
}
