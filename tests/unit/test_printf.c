// SPDX-License-Identifier: Apache-2.0
/* lib/printf.c against the host C library's snprintf, which is the reference; lib/errno.c. */
#include <hv/errno.h>
#include <hv/printf.h>
#include <limits.h>

#include "unit.h"

/* Format with both and compare the text and the returned length. */
#define SAME(...)                                                                                  \
    do {                                                                                           \
        char want[128], got[128];                                                                  \
        int nw = snprintf(want, sizeof(want), __VA_ARGS__);                                        \
        int ng = hv_snprintf(got, sizeof(got), __VA_ARGS__);                                       \
        CHECK_STR(got, want);                                                                      \
        CHECK_EQ(ng, nw);                                                                          \
    } while (0)

TEST(integers)
{
    SAME("%d %i %u", 0, -1, 42u);
    SAME("%d %d", 2147483647, -2147483647 - 1);
    SAME("%lld %llu", -9223372036854775807LL - 1, 18446744073709551615ULL);
    SAME("%hhd %hd %hhu", 300, 70000, 257);
    SAME("%zu %td %jd", (size_t)123, (ptrdiff_t)-5, (intmax_t)77);
    SAME("%x %X %o %#x %#X %#o", 255u, 255u, 8u, 255u, 255u, 8u);
    SAME("%#x %#o", 0u, 0u);
}

/* '+' and ' ' flags sign only d and i (C11 7.21.6.1p6); the compiler flags their use on
 * unsigned conversions, which is the point here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
TEST(sign_flags_unsigned)
{
    SAME("[%+u] [% x] [%+o] [% X] [%+d] [% i]", 5u, 255u, 8u, 255u, 5, 7);
}
#pragma GCC diagnostic pop

TEST(widths_and_flags)
{
    SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
    SAME("[%5d] [%05d] [%-+6d]", -42, -42, 42);
    SAME("[%.3d] [%8.3d] [%-8.3x] [%.0d] [%.0x]", 7, 7, 0xau, 0, 0u);
    SAME("[%*d] [%-*d] [%.*d] [%*d]", 6, 1, 6, 1, 4, 1, -6, 3);
    SAME("[%016llx] [%#018llx]", 0xdeadbeefULL, 0xdeadbeefULL);
}

TEST(strings_chars_pointers)
{
    SAME("[%s] [%10s] [%-10s] [%.2s] [%c] [%3c] [%-3c]", "abc", "abc", "abc", "abc", 'x', 'y', 'z');
    SAME("%p", (void *)0x1234);
    SAME("100%%");
}

TEST(truncation)
{
    char buf[8];
    int n = hv_snprintf(buf, sizeof(buf), "%s", "0123456789");

    CHECK_EQ(n, 10);
    CHECK_STR(buf, "0123456");
    n = hv_snprintf(NULL, 0, "%d", 12345);
    CHECK_EQ(n, 5);
    n = hv_snprintf(buf, 1, "abc");
    CHECK_EQ(n, 3);
    CHECK_EQ(buf[0], '\0');
}

/* errno_name takes either sign and any int: INT_MIN has no positive twin (-INT_MIN overflows,
 * which the sanitizer traps). */
TEST(errno_names)
{
    CHECK_STR(errno_name(-ENOMEM), "ENOMEM");
    CHECK_STR(errno_name(EINVAL), "EINVAL");
    CHECK_STR(errno_name(0), "E?");
    CHECK_STR(errno_name(INT_MIN), "E?");
    CHECK_STR(errno_name(INT_MAX), "E?");
}
