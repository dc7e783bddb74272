// SPDX-License-Identifier: Apache-2.0
/*
 * Formatted output for the freestanding hypervisor, host-tested against the C library's
 * snprintf (tests/unit/test_printf.c). Output goes through an emit callback so the same
 * formatter serves the console and hv_snprintf().
 */
#include <hv/printf.h>
#include <hv/string.h>

struct spec {
    bool left;     /* '-' */
    bool zero;     /* '0' */
    bool plus;     /* '+' */
    bool space;    /* ' ' */
    bool alt;      /* '#' */
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

/* Emit a number given its magnitude, sign and base, honouring width/precision/flags. */
static void put_number(struct out *o, const struct spec *sp, uint64_t v, bool neg,
                       unsigned int base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24]; /* 22 octal digits hold 2^64; filled from the end, most significant first */
    char *end = buf + sizeof(buf), *d = end;
    char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
    int prefix = 0; /* "0x" or "0X": 2 */
    int n, zeros, total;

    while (v != 0) {
        *--d = digits[v % base];
        v /= base;
    }
    /* An explicit precision of 0 prints no digits for 0, C11 7.21.6.1p8. */
    if (d == end && sp->precision != 0) {
        *--d = '0';
    }
    if (sp->alt && base == 16 && d != end && !(d + 1 == end && *d == '0')) {
        prefix = 2;
    }
    if (sp->alt && base == 8 && (d == end || *d != '0')) {
        *--d = '0';
    }
    n = (int)(end - d);
    zeros = sp->precision > n ? sp->precision - n : 0;
    total = n + zeros + (sign ? 1 : 0) + prefix;
    if (sp->zero && !sp->left && sp->precision < 0 && sp->width > total) {
        zeros += sp->width - total;
        total = sp->width;
    }
    if (!sp->left) {
        pad(o, ' ', sp->width - total);
    }
    if (sign) {
        put(o, &sign, 1);
    }
    put(o, upper ? "0X" : "0x", (size_t)prefix);
    pad(o, '0', zeros);
    put(o, d, (size_t)n);
    if (sp->left) {
        pad(o, ' ', sp->width - total);
    }
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
    size_t len;

    if (s == NULL) {
        s = "(null)";
    }
    len = sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s);
    if (!sp->left) {
        pad(o, ' ', sp->width - (int)len);
    }
    put(o, s, len);
    if (sp->left) {
        pad(o, ' ', sp->width - (int)len);
    }
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

static uint64_t arg_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR:
        return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT:
        return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG:
        return va_arg(*ap, unsigned long);
    case LEN_LLONG:
        return va_arg(*ap, unsigned long long);
    case LEN_SIZE:
        return va_arg(*ap, size_t);
    case LEN_PTRDIFF:
        return (uint64_t)va_arg(*ap, ptrdiff_t);
    case LEN_MAX:
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

static int64_t arg_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR:
        return (signed char)va_arg(*ap, int);
    case LEN_SHORT:
        return (short)va_arg(*ap, int);
    case LEN_LONG:
        return va_arg(*ap, long);
    case LEN_LLONG:
        return va_arg(*ap, long long);
    case LEN_SIZE:
        return (int64_t)va_arg(*ap, size_t);
    case LEN_PTRDIFF:
        return va_arg(*ap, ptrdiff_t);
    case LEN_MAX:
        return va_arg(*ap, intmax_t);
    default:
        return va_arg(*ap, int);
    }
}

static int parse_int(const char **f)
{
    int v = 0;

    while (**f >= '0' && **f <= '9') {
        if (v < 100000) {
            v = v * 10 + (**f - '0');
        }
        (*f)++;
    }
    return v;
}

int hv_vformat(hv_emit_fn emit, void *ctx, const char *fmt, va_list ap_in)
{
    struct out o = {emit, ctx, 0};
    va_list ap;

    va_copy(ap, ap_in);
    while (*fmt != '\0') {
        struct spec sp = {false, false, false, false, false, -1, -1};
        enum length len = LEN_INT;
        const char *start = fmt;

        while (*fmt != '\0' && *fmt != '%') {
            fmt++;
        }
        put(&o, start, (size_t)(fmt - start));
        if (*fmt == '\0') {
            break;
        }
        fmt++; /* '%' */
        for (;; fmt++) {
            if (*fmt == '-') {
                sp.left = true;
            } else if (*fmt == '0') {
                sp.zero = true;
            } else if (*fmt == '+') {
                sp.plus = true;
            } else if (*fmt == ' ') {
                sp.space = true;
            } else if (*fmt == '#') {
                sp.alt = true;
            } else {
                break;
            }
        }
        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = true;
                sp.width = -sp.width;
            }
            fmt++;
        } else {
            sp.width = parse_int(&fmt);
        }
        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') {
                sp.precision = va_arg(ap, int);
                if (sp.precision < 0) {
                    sp.precision = -1;
                }
                fmt++;
            } else {
                sp.precision = parse_int(&fmt);
            }
        }
        switch (*fmt) {
        case 'h':
            len = fmt[1] == 'h' ? LEN_CHAR : LEN_SHORT;
            fmt += fmt[1] == 'h' ? 2 : 1;
            break;
        case 'l':
            len = fmt[1] == 'l' ? LEN_LLONG : LEN_LONG;
            fmt += fmt[1] == 'l' ? 2 : 1;
            break;
        case 'z':
            len = LEN_SIZE;
            fmt++;
            break;
        case 't':
            len = LEN_PTRDIFF;
            fmt++;
            break;
        case 'j':
            len = LEN_MAX;
            fmt++;
            break;
        default:
            break;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = arg_signed(&ap, len);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

            put_number(&o, &sp, mag, v < 0, 10, false);
            break;
        }
        case 'u':
            put_number(&o, &sp, arg_unsigned(&ap, len), false, 10, false);
            break;
        case 'x':
        case 'X':
            put_number(&o, &sp, arg_unsigned(&ap, len), false, 16, *fmt == 'X');
            break;
        case 'o':
            put_number(&o, &sp, arg_unsigned(&ap, len), false, 8, false);
            break;
        case 'p': {
            struct spec ps = sp;

            ps.alt = true;
            put_number(&o, &ps, (uintptr_t)va_arg(ap, void *), false, 16, false);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);

            if (!sp.left) {
                pad(&o, ' ', sp.width - 1);
            }
            put(&o, &c, 1);
            if (sp.left) {
                pad(&o, ' ', sp.width - 1);
            }
            break;
        }
        case 's':
            put_string(&o, &sp, va_arg(ap, const char *));
            break;
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
