// SPDX-License-Identifier: Apache-2.0
/*
 * The per-partition virtual console UART (include/hv/vuart.h): the PL011 registers a driver
 * touches to probe and to transmit (Arm PrimeCell UART PL011 TRM, DDI 0183, chapter 3).
 *
 *   UARTDR     write: one character to the writing vCPU's console line (vcpu_console_put,
 *              the BH_HC_CONSOLE_WRITE path: printed whole as "<label>: <line>"); read: 0
 *   UARTFR     TXFE | RXFE: the transmitter is always idle and empty (TXFF and BUSY clear),
 *              so a polling driver never waits; nothing is ever received
 *   UARTCR, UARTIMSC, UARTICR, UARTLCR_H, UARTIBRD, UARTFBRD
 *              accept writes (masked to the register's width) and read them back; they have
 *              no effect on output (no baud rate; nothing raises the interrupt yet, which
 *              exists, arch_irq_virtual_alloc(), so that a driver can request it)
 *   PeriphID0..3, PCellID0..3 (0xfe0..0xffc)
 *              the PL011 r1p5 values, so an AMBA bus driver's probe recognises the part
 *   anything else reads 0 and ignores writes (RSR, IFLS, RIS, MIS, DMACR, reserved space)
 *
 * Accesses of 1, 2 or 4 bytes work on any register: the register's 32-bit value is read
 * and the addressed bytes returned; a write at a register's offset sets it, a write into
 * a register's upper bytes is ignored (no driver does either). 8-byte accesses are refused
 * (the PL011 is a 32-bit APB peripheral): the partition stops with a fault report.
 *
 * Locking: the register state is per partition, under vuart.lock (a leaf: no lock is taken
 * inside it). Console output happens outside it, on the writing vCPU's own line buffer.
 */
#include <hv/errno.h>
#include <hv/partition.h>
#include <hv/vmmio.h>
#include <hv/vuart.h>

static LOCK_CLASS(vuart_lock_class, "vuart", LOCK_RANK_LEAF);

/* PeriphID0..3 then PCellID0..3 (TRM 3.3.14-3.3.15): part 0x011, designer 0x41 (Arm),
 * revision r1p5 (3), and the PrimeCell identification 0xb105f00d. */
static const uint8_t vuart_id[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* A read/write register: where it lives in struct vuart and which bits exist. */
struct vuart_reg {
    uint32_t offset;
    size_t field; /* offsetof(struct vuart, ...) */
    uint32_t mask;
};

static const struct vuart_reg vuart_regs[] = {
    {VUART_IBRD, offsetof(struct vuart, ibrd), 0xffffu}, /* 16-bit integer divisor */
    {VUART_FBRD, offsetof(struct vuart, fbrd), 0x3fu},   /* 6-bit fractional divisor */
    {VUART_LCR_H, offsetof(struct vuart, lcr_h), 0xffu}, /* line control, 8 bits */
    {VUART_CR, offsetof(struct vuart, cr), 0xff87u},     /* control: bits 15..7, 2..0 */
    {VUART_IMSC, offsetof(struct vuart, imsc), 0x7ffu},  /* interrupt mask, 11 sources */
    {VUART_ICR, offsetof(struct vuart, icr), 0x7ffu},    /* interrupt clear, 11 sources */
};

static uint32_t *vuart_field(struct vuart *u, const struct vuart_reg *r)
{
    return (uint32_t *)((uint8_t *)u + r->field);
}

static const struct vuart_reg *vuart_reg_at(uint64_t reg)
{
    for (size_t i = 0; i < ARRAY_SIZE(vuart_regs); i++) {
        if (vuart_regs[i].offset == reg) {
            return &vuart_regs[i];
        }
    }
    return NULL;
}

/* The 32-bit value of the register at word offset reg. */
static uint32_t vuart_reg_read(struct vuart *u, uint64_t reg)
{
    const struct vuart_reg *r = vuart_reg_at(reg);
    uint32_t val = 0;

    if (reg == VUART_FR) {
        return VUART_FR_TXFE | VUART_FR_RXFE;
    }
    if (reg >= VUART_PERIPHID0 && reg < VUART_SIZE) {
        return vuart_id[(reg - VUART_PERIPHID0) / 4];
    }
    if (r != NULL) {
        spin_lock(&u->lock);
        val = *vuart_field(u, r);
        spin_unlock(&u->lock);
    }
    return val;
}

static int vuart_read(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t *val)
{
    (void)v;
    if (size > 4) {
        return -EINVAL;
    }
    /* Byte lanes: the addressed bytes of the 32-bit register (little-endian). */
    *val = vuart_reg_read(dev, offset & ~UINT64_C(3)) >> ((offset & 3) * 8);
    return 0;
}

static int vuart_write(void *dev, struct vcpu *v, uint64_t offset, unsigned int size, uint64_t val)
{
    struct vuart *u = dev;
    const struct vuart_reg *r;
    char c;

    if (size > 4) {
        return -EINVAL;
    }
    if (offset == VUART_DR) {
        /* UARTDR[7:0] is the character; [11:8] are receive error flags (read only). */
        c = (char)(val & 0xffu);
        vcpu_console_put(v, &c, 1);
        return 0;
    }
    r = vuart_reg_at(offset);
    if (r != NULL) {
        spin_lock(&u->lock);
        *vuart_field(u, r) = (uint32_t)val & r->mask;
        spin_unlock(&u->lock);
    }
    return 0;
}

static const struct vmmio_ops vuart_ops = {
    .read = vuart_read,
    .write = vuart_write,
};

static void vuart_set_reset_values(struct vuart *u)
{
    u->cr = VUART_CR_RESET;
    u->imsc = u->icr = u->lcr_h = u->ibrd = u->fbrd = 0;
}

int vuart_init(struct partition *p)
{
    struct vuart *u = &p->vuart;

    int err;

    spin_lock_init_class(&u->lock, &vuart_lock_class);
    vuart_set_reset_values(u);
    /* A virtual interrupt for its DT node; none when the arch has no controller. */
    u->irq_cells = 0;
    err = arch_irq_virtual_alloc(p, &u->virq, u->irq_spec);
    if (err == 0) {
        u->irq_cells = arch_irq_dt_cells();
    } else if (err != -ENODEV) {
        return err;
    }
    return vmmio_register(p, gpa(VUART_GUEST_BASE), VUART_SIZE, &vuart_ops, u, "vuart");
}

void vuart_reset(struct partition *p)
{
    spin_lock(&p->vuart.lock);
    vuart_set_reset_values(&p->vuart);
    spin_unlock(&p->vuart.lock);
}
