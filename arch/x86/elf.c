// SPDX-License-Identifier: Apache-2.0
/*
 * The x86 ELF loader (arch_image_load_exec): a partition image that is an ELF64 x86-64
 * executable with a PVH entry note, as Linux's vmlinux is (CONFIG_PVH; tools/fetch_linux.sh
 * extracts it from Debian's bzImage). Every PT_LOAD segment is copied to its physical address
 * (p_paddr), read as a guest physical address inside the partition's first memory triplet;
 * the vCPU enters at the note's 32-bit entry in the PVH state (arch/x86/pvh.c). Everything is
 * checked against the file's size and the partition's room before the first byte is copied,
 * so a refused image leaves the (scrubbed) memory untouched.
 *
 * ELF-64 Object File Format 1.5 (header, program header, notes); Xen
 * xen/include/public/elfnote.h: XEN_ELFNOTE_PHYS32_ENTRY = 18, owner "Xen", a 32-bit physical
 * entry address (docs/misc/pvh.pandoc).
 */
#include <arch/mm.h>
#include <arch/vcpu.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/string.h>

#define ELF_EHDR_SIZE 64u
#define ELF_PHDR_SIZE 56u
#define ELFCLASS64 2u
#define ELFDATA2LSB 1u
#define ET_EXEC 2u
#define EM_X86_64 62u
#define PT_LOAD 1u
#define PT_NOTE 4u
#define XEN_ELFNOTE_PHYS32_ENTRY 18u
/* More program headers than any kernel has: bounds the work on a hostile header. */
#define ELF_MAX_PHDRS 64u

/* One program header, the fields the loader uses. */
struct elf_phdr {
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz;
};

static struct elf_phdr phdr_at(const uint8_t *ph)
{
    return (struct elf_phdr){.type = (uint32_t)load_le(ph, 4),
                             .offset = load_le(ph + 8, 8),
                             .paddr = load_le(ph + 24, 8),
                             .filesz = load_le(ph + 32, 8),
                             .memsz = load_le(ph + 40, 8)};
}

/* The PHYS32_ENTRY note in notes [n, n + len) of the image, or 0 when there is none. */
static uint64_t pvh_entry(const uint8_t *n, uint64_t len)
{
    uint64_t at = 0;

    while (len - at >= 12) {
        uint64_t namesz = load_le(n + at, 4), descsz = load_le(n + at + 4, 4);
        uint32_t type = (uint32_t)load_le(n + at + 8, 4);
        uint64_t name_at = at + 12;
        uint64_t desc_at = name_at + ALIGN_UP(namesz, 4);

        if (desc_at > len || ALIGN_UP(descsz, 4) > len - desc_at) {
            return 0;
        }
        if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 && memcmp(n + name_at, "Xen", 4) == 0 &&
            (descsz == 4 || descsz == 8)) {
            return load_le(n + desc_at, (unsigned int)descsz);
        }
        at = desc_at + ALIGN_UP(descsz, 4);
    }
    return 0;
}

int arch_image_load_exec(const struct partition *p, const uint8_t *image, size_t size,
                         uint64_t limit, gpa_t *entry, bool copy)
{
    const struct hv_config_mem *m = &p->layout->mem[p->config->mem_first];
    uint64_t base = gpa_val(m->guest), phoff, phnum, start = 0;
    uint8_t *ram;

    if (size < ELF_EHDR_SIZE || memcmp(image, "\177ELF", 4) != 0) {
        return 0; /* a raw binary */
    }
    phoff = load_le(image + 32, 8);
    phnum = load_le(image + 56, 2);
    if (image[4] != ELFCLASS64 || image[5] != ELFDATA2LSB || load_le(image + 16, 2) != ET_EXEC ||
        load_le(image + 18, 2) != EM_X86_64 || load_le(image + 54, 2) != ELF_PHDR_SIZE ||
        phnum == 0 || phnum > ELF_MAX_PHDRS || phoff > size ||
        phnum * ELF_PHDR_SIZE > size - phoff) {
        return -ENOEXEC;
    }
    /* Check every header first: nothing is copied from an image that is refused. */
    for (uint64_t i = 0; i < phnum; i++) {
        struct elf_phdr ph = phdr_at(image + phoff + i * ELF_PHDR_SIZE);

        if (ph.type != PT_LOAD && ph.type != PT_NOTE) {
            continue;
        }
        if (ph.offset > size || ph.filesz > size - ph.offset) {
            return -ENOEXEC;
        }
        if (ph.type == PT_NOTE) {
            if (start == 0) {
                start = pvh_entry(image + ph.offset, ph.filesz);
            }
            continue;
        }
        if (ph.filesz > ph.memsz || ph.paddr < base || ph.paddr > limit ||
            ph.memsz > limit - ph.paddr) {
            partition_printf(p, "ELF segment at guest %#llx (%#llx bytes) outside [%#llx, %#llx)\n",
                             (unsigned long long)ph.paddr, (unsigned long long)ph.memsz,
                             (unsigned long long)base, (unsigned long long)limit);
            return -E2BIG;
        }
    }
    /* The PVH entry: 32-bit, inside the room (NPT keeps the guest from anything else). */
    if (start == 0 || start < base || start >= limit) {
        partition_printf(p,
                         "ELF image without a usable PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY)\n");
        return -ENOEXEC;
    }
    *entry = gpa(start);
    if (!copy) {
        return 1;
    }
    ram = arch_phys_to_virt(m->host, (size_t)(limit - base));
    if (ram == NULL) {
        return -EFAULT;
    }
    for (uint64_t i = 0; i < phnum; i++) {
        struct elf_phdr ph = phdr_at(image + phoff + i * ELF_PHDR_SIZE);

        if (ph.type == PT_LOAD && ph.filesz != 0) {
            /* The memory was scrubbed: the rest up to memsz (.bss) is already zero. */
            memcpy(ram + (ph.paddr - base), image + ph.offset, (size_t)ph.filesz);
        }
    }
    return 1;
}
