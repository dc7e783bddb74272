// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual console UART (arch/arm64/vpl011.c), seen from a guest: find it through /chosen
 * stdout-path like earlycon does, check the PL011 identification and flag registers, the
 * read-back registers, byte and sign-extending loads, an XZR store and accesses through
 * x21/x24 (the hypervisor's decode of the data-abort syndrome, Arm ARM D17.2.40), then print
 * lines through UARTDR and pass. The hypervisor prints them as "<label>: <line>".
 *
 * Hostile variants, chosen by the partition's bootargs (each must end in the fault report
 * and the partition stopped, never in a pass or a hypervisor crash):
 *   vuart-hostile=ldp     a load pair from the UART: a data abort without instruction
 *                         syndrome (ISV=0), which the hypervisor cannot emulate
 *   vuart-hostile=beyond  a load from the page right after the UART's region
 */
#include "stdout_uart.h"

/* The PL011's identification bytes (TRM 3.3.14-3.3.15); PeriphID2[7:4] is the revision. */
static const uint8_t periph_id[4] = {0x11, 0x10, 0x04, 0x00};
static const uint8_t pcell_id[4] = {0x0d, 0xf0, 0x05, 0xb1};

static void uart_puts(uint64_t base, const char *s)
{
    for (; *s != '\0'; s++) {
        while (uart_read(base, UART_FR) & UART_FR_TXFF) {
        }
        uart_write(base, UART_DR, (uint8_t)*s);
    }
}

static const char *bootarg(const struct guest_info *gi)
{
    int chosen = fdt_path(&gi->fdt, "/chosen");
    const char *args;

    if (chosen < 0 || fdt_prop_string(&gi->fdt, chosen, "bootargs", &args) != 0) {
        return "";
    }
    return args;
}

static __noreturn void hostile(uint64_t base, uint64_t size, const char *how)
{
    uint64_t a, b;

    if (strcmp(how, "ldp") == 0) {
        gprintf("vuart: hostile: ldp from 0x%llx\n", (unsigned long long)base);
        __asm__ __volatile__("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(base) : "memory");
        guest_fail("ldp from the vUART returned 0x%llx 0x%llx", (unsigned long long)a,
                   (unsigned long long)b);
    }
    if (strcmp(how, "beyond") == 0) {
        gprintf("vuart: hostile: read 0x%llx\n", (unsigned long long)(base + size));
        a = *(volatile uint32_t *)(uintptr_t)(base + size);
        guest_fail("read beyond the vUART returned 0x%llx", (unsigned long long)a);
    }
    guest_fail("unknown hostile variant \"%s\"", how);
}

/* The decode of sizes, sign extension and XZR, with explicit instructions. */
static void check_decode(uint64_t base)
{
    uint64_t cell1 = base + UART_PCELLID0 + 4; /* 0xf0: negative as a signed byte */
    uint64_t x, w, h, b;

    __asm__ __volatile__("ldrsb %0, [%1]" : "=r"(x) : "r"(cell1) : "memory");
    GUEST_CHECK(x == 0xfffffffffffffff0ull, "ldrsb x: 0x%llx", (unsigned long long)x);
    __asm__ __volatile__("ldrsb %w0, [%1]" : "=r"(w) : "r"(cell1) : "memory");
    GUEST_CHECK(w == 0xfffffff0ull, "ldrsb w: 0x%llx", (unsigned long long)w);
    __asm__ __volatile__("ldrh %w0, [%1]" : "=r"(h) : "r"(cell1) : "memory");
    GUEST_CHECK(h == 0xf0, "ldrh: 0x%llx", (unsigned long long)h);
    __asm__ __volatile__("ldrb %w0, [%1]" : "=r"(b) : "r"(base + UART_FR) : "memory");
    GUEST_CHECK(b == UART_FR_TXFE + 0x10u, "ldrb FR: 0x%llx", (unsigned long long)b);
    uart_write(base, UART_IMSC, 0x50);
    GUEST_CHECK(uart_read(base, UART_IMSC) == 0x50, "IMSC does not read back");
    __asm__ __volatile__("str wzr, [%0]" : : "r"(base + UART_IMSC) : "memory");
    GUEST_CHECK(uart_read(base, UART_IMSC) == 0, "a store of wzr left IMSC 0x%x",
                uart_read(base, UART_IMSC));
    /* A store from and a load to callee-saved registers (x20..x28 take the hypervisor's full
     * trap path, arch/arm64/guest.S dabt_fast). */
    __asm__ __volatile__("mov x21, #0x50\n\t"
                         "str w21, [%1]\n\t"
                         "ldr w24, [%1]\n\t"
                         "mov %0, x24"
                         : "=r"(x)
                         : "r"(base + UART_IMSC)
                         : "x21", "x24", "memory");
    GUEST_CHECK(x == 0x50, "str w21 / ldr w24 of IMSC: 0x%llx", (unsigned long long)x);
}

void guest_main(struct guest_info *gi)
{
    const char *args = bootarg(gi);
    uint64_t base, size;
    uint32_t fr;
    int err = stdout_uart(gi, &base, &size);

    GUEST_CHECK(err == 0, "no PL011 at /chosen stdout-path: %d", err);
    gprintf("vuart: stdout-path UART at 0x%llx size 0x%llx\n", (unsigned long long)base,
            (unsigned long long)size);
    GUEST_CHECK(!dt_in_memory(gi, base, size), "the UART lies in guest memory");
    if (strncmp(args, "vuart-hostile=", 14) == 0) {
        hostile(base, size, args + 14);
    }
    for (unsigned int i = 0; i < 4; i++) {
        uint32_t pid = uart_read(base, UART_PERIPHID0 + 4 * i);
        uint32_t cid = uart_read(base, UART_PCELLID0 + 4 * i);

        /* PeriphID2[7:4] is the revision: any is a PL011. */
        GUEST_CHECK((i == 2 ? pid & 0xfu : pid) == periph_id[i], "PeriphID%u = 0x%x", i, pid);
        GUEST_CHECK(cid == pcell_id[i], "PCellID%u = 0x%x", i, cid);
    }
    fr = uart_read(base, UART_FR);
    GUEST_CHECK((fr & UART_FR_TXFE) != 0 && (fr & (UART_FR_TXFF | UART_FR_BUSY)) == 0, "FR = 0x%x",
                fr);
    uart_write(base, UART_CR, 0x301); /* UARTEN | TXE | RXE */
    uart_write(base, UART_LCR_H, 0x70);
    GUEST_CHECK(uart_read(base, UART_CR) == 0x301, "CR = 0x%x", uart_read(base, UART_CR));
    GUEST_CHECK(uart_read(base, UART_LCR_H) == 0x70, "LCR_H = 0x%x", uart_read(base, UART_LCR_H));
    GUEST_CHECK(uart_read(base, 0x800) == 0, "unemulated offset 0x800 reads 0x%x",
                uart_read(base, 0x800));
    check_decode(base);
    gprintf("vuart: registers and decode ok (FR 0x%x)\n", fr);
    uart_puts(base, "vuart: hello through the PL011\r\n");
    uart_puts(base, "vuart: second line, ");
    uart_puts(base, "written in two parts\n");
}
