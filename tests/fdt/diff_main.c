// SPDX-License-Identifier: Apache-2.0
/*
 * The libfdt differential test: for every DTB named on the command line and N deterministic
 * mutations of each (bit and byte flips, hostile words, header fields, truncations; a
 * splitmix64 stream seeded from the file name), compare what Bulkhead's reader and libfdt see:
 *   - a blob Bulkhead's fdt_init() accepts must pass libfdt's fdt_check_full();
 *   - a blob libfdt accepts and Bulkhead rejects must break one of the documented strictness
 *     rules of fdt_init() (diff_stricter_rule());
 *   - when both accept, the printed trees must be identical, and a node's path must look up
 *     the same node in both, except where libfdt picks an earlier "name@unit" sibling for
 *     "name" (then Bulkhead must find the exact name, or report no or an ambiguous match).
 * Prints "PASS fdt-diff/<file> (...)" or "FAIL fdt-diff/<file>: why" per file; exit 1 on FAIL.
 *
 *   fdt_diff [-n MUTATIONS] [-x K] FILE.dtb...
 * -x K writes variant K of each file to ./<file>.<K> (to reproduce a failure).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

void diff_printf(struct diff_out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(o->text + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        o->cap = o->cap * 2 + (size_t)n + 64;
        o->text = realloc(o->text, o->cap);
        if (o->text == NULL) {
            abort();
        }
    }
}

void diff_lookup(struct diff_out *o, int node, int result, bool exact)
{
    if (o->nlook == o->lookcap) {
        o->lookcap = o->lookcap * 2 + 16;
        o->look = realloc(o->look, o->lookcap * sizeof(*o->look));
        if (o->look == NULL) {
            abort();
        }
    }
    o->look[o->nlook++] = (struct diff_lookup){node, result, exact};
}

static void out_reset(struct diff_out *o)
{
    o->len = 0;
    o->nlook = 0;
    if (o->cap == 0) {
        diff_printf(o, "%s", "");
    }
    o->text[0] = '\0';
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Mutation number k of orig into buf (same capacity); returns the length to present. */
static size_t mutate(const uint8_t *orig, size_t len, uint8_t *buf, uint64_t *rng)
{
    static const uint32_t words[] = {0,          1,          2,          3,          4,
                                     9,          8,          0x10,       0x7fffffff, 0x80000000,
                                     0xfffffffc, 0xffffffff, 0xd00dfeed, 16,         17};
    uint64_t r = splitmix64(rng);
    size_t pos = len ? (size_t)(splitmix64(rng) % len) : 0;
    size_t word = (pos & ~(size_t)3) + 4 <= len ? pos & ~(size_t)3 : 0;

    memcpy(buf, orig, len);
    switch (r % 8) {
    case 0: /* one bit */
        buf[pos] ^= (uint8_t)(1u << (r >> 8) % 8);
        break;
    case 1: /* one byte */
        buf[pos] = (uint8_t)(r >> 8);
        break;
    case 2: /* a hostile aligned word */
        put32(buf + word, words[(r >> 8) % (sizeof(words) / sizeof(words[0]))]);
        break;
    case 3: /* a header field, hostile or nudged */
        word = 4 * (1 + (size_t)((r >> 8) % 9));
        if ((r >> 16) & 1) {
            put32(buf + word, words[(r >> 20) % (sizeof(words) / sizeof(words[0]))]);
        } else {
            put32(buf + word, get32(buf + word) + (uint32_t)((int32_t)((r >> 20) % 17) - 8));
        }
        break;
    case 4: /* truncated, with totalsize telling the truth */
        put32(buf + 4, (uint32_t)pos);
        return pos;
    case 5: /* truncated buffer only */
        return pos;
    default: /* several byte flips */
        for (int i = 0; i < 2 + (int)(r >> 8) % 3; i++) {
            buf[splitmix64(rng) % len] ^= (uint8_t)(1u + splitmix64(rng) % 255);
        }
        break;
    }
    return len;
}

struct stats {
    unsigned int variants, both_ok, both_reject, stricter, lookup_diff, failures;
};

/* First line where the two texts differ, printed. */
static void show_difference(const char *a, const char *b)
{
    unsigned int line = 1;

    while (*a != '\0' && *a == *b) {
        line += *a == '\n';
        a++;
        b++;
    }
    while (line > 1 && a[-1] != '\n') {
        a--;
        b--;
    }
    printf("    line %u\n    bulkhead: %.*s\n    libfdt:   %.*s\n", line, (int)strcspn(a, "\n"), a,
           (int)strcspn(b, "\n"), b);
}

/* Compare one blob; returns a failure description or NULL. */
static const char *compare(const uint8_t *blob, size_t len, struct diff_out *ours,
                           struct diff_out *lib, struct stats *st, const char **rule)
{
    uint8_t *copy = malloc(len ? len : 1); /* exact size: ASan sees reads past the end */
    int ok_ours, ok_lib;
    const char *why = NULL;

    memcpy(copy, blob, len);
    out_reset(ours);
    out_reset(lib);
    ok_ours = diff_ours(copy, len, ours) == 0;
    ok_lib = diff_libfdt(copy, len, lib) == 0;
    *rule = NULL;
    if (ok_ours && !ok_lib) {
        why = "Bulkhead accepts a blob libfdt rejects";
    } else if (!ok_ours && ok_lib) {
        *rule = diff_stricter_rule(copy, len);
        st->stricter++;
        if (*rule == NULL) {
            why = "libfdt accepts a blob Bulkhead rejects, and no documented rule explains it";
        }
    } else if (!ok_ours) {
        st->both_reject++;
    } else {
        st->both_ok++;
        if (strcmp(ours->text, lib->text) != 0) {
            why = "the trees differ";
        } else if (ours->nlook != lib->nlook) {
            why = "different numbers of path lookups";
        } else {
            for (unsigned int i = 0; i < ours->nlook && why == NULL; i++) {
                const struct diff_lookup *o = &ours->look[i], *l = &lib->look[i];

                if (o->result != l->result && (l->exact || !(o->result < 0 || o->exact))) {
                    why = "a path lookup differs";
                    printf("    node %d: bulkhead -> %d (exact %d), libfdt -> %d (exact %d)\n",
                           o->node, o->result, o->exact, l->result, l->exact);
                }
                st->lookup_diff += !l->exact && o->result != l->result;
            }
        }
    }
    free(copy);
    return why;
}

/* Variant to write out (-x), or -1. */
static long extract = -1;

static void write_variant(const char *base, unsigned int k, const uint8_t *data, size_t n)
{
    char name[512];
    FILE *fp;

    snprintf(name, sizeof(name), "%s.%u", base, k);
    fp = fopen(name, "wb");
    if (fp != NULL) {
        fwrite(data, 1, n, fp);
        fclose(fp);
    }
}

static int run_file(const char *file, unsigned int nmut, struct diff_out *ours,
                    struct diff_out *lib)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    struct stats st = {0};
    uint64_t rng = 0xcbf29ce484222325ull;
    unsigned int rules_seen[8] = {0};
    const char *rule_names[8] = {0};
    FILE *fp = fopen(file, "rb");
    uint8_t *orig, *buf;
    long len;

    if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) <= 0) {
        printf("FAIL fdt-diff/%s: cannot read it\n", base);
        return 1;
    }
    rewind(fp);
    orig = malloc((size_t)len);
    buf = malloc((size_t)len);
    if (fread(orig, 1, (size_t)len, fp) != (size_t)len) {
        printf("FAIL fdt-diff/%s: cannot read it\n", base);
        return 1;
    }
    fclose(fp);
    for (const char *c = base; *c != '\0'; c++) { /* FNV-1a of the name seeds the stream */
        rng = (rng ^ (uint8_t)*c) * 0x100000001b3ull;
    }
    for (unsigned int k = 0; k <= nmut; k++) {
        size_t n = k == 0 ? (size_t)len : mutate(orig, (size_t)len, buf, &rng);
        const char *rule, *why;

        if ((long)k == extract) {
            write_variant(base, k, k == 0 ? orig : buf, n);
        }
        why = compare(k == 0 ? orig : buf, n, ours, lib, &st, &rule);
        st.variants++;
        if (k == 0 && why == NULL && st.both_ok == 0) {
            why = "the unmutated blob is not accepted by both readers";
        }
        if (why != NULL) {
            if (st.failures++ < 3) {
                printf("FAIL fdt-diff/%s: mutation %u: %s\n", base, k, why);
                if (ours->len != 0 && lib->len != 0 && strcmp(ours->text, lib->text) != 0) {
                    show_difference(ours->text, lib->text);
                }
            }
            continue;
        }
        for (unsigned int i = 0; rule != NULL && i < 8; i++) {
            if (rule_names[i] == NULL || strcmp(rule_names[i], rule) == 0) {
                rule_names[i] = rule;
                rules_seen[i]++;
                break;
            }
        }
    }
    if (st.failures == 0) {
        printf("PASS fdt-diff/%s (%u variants: %u same tree, %u both reject, %u stricter", base,
               st.variants, st.both_ok, st.both_reject, st.stricter);
        for (unsigned int i = 0; i < 8 && rule_names[i] != NULL; i++) {
            printf("%s%s: %u", i == 0 ? " [" : "; ", rule_names[i], rules_seen[i]);
        }
        printf("%s, %u lookups where libfdt picks a name@unit sibling)\n",
               rule_names[0] != NULL ? "]" : "", st.lookup_diff);
    }
    free(orig);
    free(buf);
    return st.failures != 0;
}

int main(int argc, char **argv)
{
    struct diff_out ours = {0}, lib = {0};
    unsigned int nmut = 300;
    int status = 0, i = 1;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-n") == 0) {
            nmut = (unsigned int)strtoul(argv[i + 1], NULL, 0);
        } else if (strcmp(argv[i], "-x") == 0) {
            extract = strtol(argv[i + 1], NULL, 0);
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: fdt_diff [-n MUTATIONS] [-x K] FILE.dtb...\n");
        return 2;
    }
    for (; i < argc; i++) {
        status |= run_file(argv[i], nmut, &ours, &lib);
    }
    free(ours.text);
    free(lib.text);
    free(ours.look);
    free(lib.look);
    return status;
}
