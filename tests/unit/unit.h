/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal host unit-test framework. TEST(name) { ... } registers a test; CHECK* record a
 * failure with file and line and let the test go on; REQUIRE* also return from the test.
 * Each binary prints "PASS unit/<binary>/<test>" or "FAIL ..." per test (tests/run counts
 * those lines) and exits 1 if any test failed.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct unit_test {
    const char *name;
    void (*fn)(void);
    struct unit_test *next;
};

void unit_register(struct unit_test *t);
void unit_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Number of failures recorded in the running test so far. */
int unit_failures(void);

/* Registration runs from a constructor so it works with every sanitizer and linker. */
#define TEST(tname)                                                                                \
    static void tname(void);                                                                       \
    static struct unit_test unit_desc_##tname = {#tname, tname, NULL};                             \
    __attribute__((constructor)) static void unit_reg_##tname(void)                                \
    {                                                                                              \
        unit_register(&unit_desc_##tname);                                                         \
    }                                                                                              \
    static void tname(void)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            unit_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                                     \
        }                                                                                          \
    } while (0)

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            unit_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond);                                   \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        unsigned long long unit_a_ = (unsigned long long)(a);                                      \
        unsigned long long unit_b_ = (unsigned long long)(b);                                      \
        if (unit_a_ != unit_b_) {                                                                  \
            unit_fail(__FILE__, __LINE__, "CHECK_EQ(%s, %s): %#llx != %#llx (%lld != %lld)", #a,   \
                      #b, unit_a_, unit_b_, (long long)unit_a_, (long long)unit_b_);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *unit_a_ = (a), *unit_b_ = (b);                                                 \
        if (unit_a_ == NULL || unit_b_ == NULL || strcmp(unit_a_, unit_b_) != 0) {                 \
            unit_fail(__FILE__, __LINE__, "CHECK_STR(%s, %s): \"%s\" != \"%s\"", #a, #b,           \
                      unit_a_ ? unit_a_ : "(null)", unit_b_ ? unit_b_ : "(null)");                 \
        }                                                                                          \
    } while (0)
