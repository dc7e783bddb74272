// SPDX-License-Identifier: Apache-2.0
/*
 * Formatted output for the freestanding hypervisor, host-tested against the C library's
 * snprintf (tests/unit/test_printf.c). Output goes through an emit callback so the same
 * formatter serves the console and hv_snprintf().
 */
#include <hv/printf.h>
#include <hv/string.h>

/* The flag characters, in the order of struct spec's flag[] (C11 7.21.6.1p6). */
static const char flag_chars[] = "-0+ #";
enum { FL_LEFT, FL_ZERO, FL_PLUS, FL_SPACE, FL_ALT, FL_COUNT };

struct spec {
    bool flag[FL_COUNT];
    int width;     /* -1 if none */
    int precision; /* -1 if none */
};

struct out {
    hv_emit_fn emit;
    void *ctx;
    int count;
};

static void put(struct out *o, const char *s, size_t len)
{
    if (len != 0) {
        o->emit(o->ctx, s, len);
        o->count += (int)len;
    }
}

/* n copies of c, a space or '0' (none when n <= 0, the usual case: no width asked for). */
static void pad(struct out *o, char c, int n)
{
    static const char runs[2][17] = {"                ", "0000000000000000"};

    for (; n > 0; n -= 16) {
        put(o, runs[c == '0'], n < 16 ? (size_t)n : 16);
    }
}

/* Emit integer v of conversion conv (d i u o x X; d and i signed, v sign-extended), honouring
 * width/precision/flags. */
static void put_number(struct out *o, const struct spec *sp, uint64_t v, char conv)
{
    bool upper = conv == 'X';
    unsigned int base = conv == 'o' ? 8 : conv == 'x' || upper ? 16 : 10;
    bool sgn = conv == 'd' || conv == 'i', neg = sgn && (int64_t)v < 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24]; /* 22 octal digits hold 2^64; filled from the end, most significant first */
    char *end = buf + sizeof(buf), *d = end;
    /* '+' and ' ' apply to signed conversions only (C11 7.21.6.1p6). */
    char sign = neg ? '-' : !sgn ? 0 : sp->flag[FL_PLUS] ? '+' : sp->flag[FL_SPACE] ? ' ' : 0;
    int prefix = 0; /* "0x" or "0X": 2 */
    int n, zeros, total;

    v = neg ? 0 - v : v; /* the magnitude */
    while (v != 0) {
        *--d = digits[v % base];
        v /= base;
    }
    /* An explicit precision of 0 prints no digits for 0, C11 7.21.6.1p8. */
    if (d == end && sp->precision != 0) {
        *--d = '0';
    }
    if (sp->flag[FL_ALT] && base == 16 && d != end && !(d + 1 == end && *d == '0')) {
        prefix = 2;
    }
    if (sp->flag[FL_ALT] && base == 8 && (d == end || *d != '0')) {
        *--d = '0';
    }
    n = (int)(end - d);
    zeros = sp->precision > n ? sp->precision - n : 0;
    total = n + zeros + (sign ? 1 : 0) + prefix;
    if (sp->flag[FL_ZERO] && !sp->flag[FL_LEFT] && sp->precision < 0 && sp->width > total) {
        zeros += sp->width - total;
        total = sp->width;
    }
    if (!sp->flag[FL_LEFT]) {
        pad(o, ' ', sp->width - total);
    }
    if (sign) {
        put(o, &sign, 1);
    }
    put(o, upper ? "0X" : "0x", (size_t)prefix);
    pad(o, '0', zeros);
    put(o, d, (size_t)n);
    if (sp->flag[FL_LEFT]) {
        pad(o, ' ', sp->width - total);
    }
}

/* s[0, len) padded with spaces to the width, on the left unless '-' (C11 7.21.6.1p6). Inlined:
 * most of the boot's output goes through here (make bench, arm64_boot_work). */
static inline __attribute__((always_inline)) void put_padded(struct out *o, const struct spec *sp,
                                                             const char *s, size_t len)
{
    if (!sp->flag[FL_LEFT]) {
        pad(o, ' ', sp->width - (int)len);
    }
    put(o, s, len);
    if (sp->flag[FL_LEFT]) {
        pad(o, ' ', sp->width - (int)len);
    }
}

/* l, ll, z, t and j all read one 64-bit argument: the targets are LP64. */
_Static_assert(sizeof(long) == 8 && sizeof(long long) == 8 && sizeof(size_t) == 8 &&
                   sizeof(ptrdiff_t) == 8 && sizeof(intmax_t) == 8,
               "printf: 64-bit length modifiers");

/*
 * The next integer argument, size bytes wide, sign-extended when is_signed: hh and h read an
 * int (the default argument promotions) and convert it back (C11 7.21.6.1p7).
 */
static uint64_t arg_int(va_list *ap, unsigned int size, bool is_signed)
{
    unsigned int shift = 64 - 8 * size;
    uint64_t v = size == 8 ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);

    return is_signed ? (uint64_t)((int64_t)(v << shift) >> shift) : v << shift >> shift;
}

/* A width or precision: decimal digits (capped, never overflowing), or '*' for an int argument. */
static int parse_num(const char **f, va_list *ap)
{
    int v = 0;

    if (**f == '*') {
        (*f)++;
        return va_arg(*ap, int);
    }
    for (; **f >= '0' && **f <= '9'; (*f)++) {
        v = v < 100000 ? v * 10 + (**f - '0') : v;
    }
    return v;
}

int hv_vformat(hv_emit_fn emit, void *ctx, const char *fmt, va_list ap_in)
{
    struct out o = {emit, ctx, 0};
    va_list ap;

    va_copy(ap, ap_in);
    while (*fmt != '\0') {
        struct spec sp = {{false}, -1, -1};
        unsigned int size = sizeof(int); /* of the integer argument */
        const char *start = fmt;

        while (*fmt != '\0' && *fmt != '%') {
            fmt++;
        }
        put(&o, start, (size_t)(fmt - start));
        if (*fmt == '\0') {
            break;
        }
        fmt++; /* '%' */
        /* Every flag character sorts at or below '0', no conversion or width digit does: one
         * compare ends the scan for the usual spec without flags. */
        for (const char *f; *fmt != '\0' && *fmt <= '0' && (f = strchr(flag_chars, *fmt)) != NULL;
             fmt++) {
            sp.flag[f - flag_chars] = true;
        }
        sp.width = parse_num(&fmt, &ap);
        if (sp.width < 0) { /* a negative '*' width: the '-' flag and the magnitude */
            sp.flag[FL_LEFT] = true;
            sp.width = -sp.width;
        }
        if (*fmt == '.') {
            fmt++;
            sp.precision = parse_num(&fmt, &ap);
            sp.precision = sp.precision < 0 ? -1 : sp.precision; /* negative '*': none */
        }
        if (*fmt == 'h') {
            size = fmt[1] == 'h' ? 1 : 2;
            fmt += size == 1 ? 2 : 1;
        } else if (*fmt == 'l' || *fmt == 'z' || *fmt == 't' || *fmt == 'j') {
            size = 8;
            fmt += fmt[0] == 'l' && fmt[1] == 'l' ? 2 : 1;
        }
        switch (*fmt) {
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X':
            put_number(&o, &sp, arg_int(&ap, size, *fmt == 'd' || *fmt == 'i'), *fmt);
            break;
        case 'p': /* as %#x would print it */
            sp.flag[FL_ALT] = true;
            put_number(&o, &sp, (uintptr_t)va_arg(ap, void *), 'x');
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);

            put_padded(&o, &sp, &c, 1);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);

            s = s != NULL ? s : "(null)";
            put_padded(&o, &sp, s,
                       sp.precision >= 0 ? strnlen(s, (size_t)sp.precision) : strlen(s));
            break;
        }
        case '%':
            put(&o, "%", 1);
            break;
        case '\0':
            fmt--; /* a lone '%' at the end: print nothing more */
            break;
        default:
            /* Unknown conversion: print it verbatim so the mistake is visible. */
            put(&o, start + (size_t)(fmt - start) - 1, 2);
            break;
        }
        fmt++;
    }
    va_end(ap);
    return o.count;
}

struct sbuf {
    char *buf;
    size_t size;
    size_t pos;
};

static void sbuf_emit(void *ctx, const char *s, size_t len)
{
    struct sbuf *b = ctx;

    if (b->pos + 1 < b->size) { /* what fits before the NUL */
        memcpy(b->buf + b->pos, s, len < b->size - 1 - b->pos ? len : b->size - 1 - b->pos);
    }
    b->pos += len;
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sbuf b = {buf, size, 0};
    int n = hv_vformat(sbuf_emit, &b, fmt, ap);

    if (size != 0) {
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    }
    return n;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = hv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
