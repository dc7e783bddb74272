/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compiler attributes and small language helpers shared by every part of Bulkhead,
 * the hypervisor image and the host builds (tools, unit tests, fuzzers) alike.
 */
#pragma once

#define __must_check __attribute__((warn_unused_result))
#define __weak __attribute__((weak))
#define __noreturn __attribute__((noreturn))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
#define __unused __attribute__((unused))
#define __printf(fmt, args) __attribute__((format(printf, fmt, args)))
/*
 * Left out of the BSS clear at boot (the arch linker scripts' .noinit): for large objects
 * that the code initialises before any read, sized for the maximum configuration and used
 * for the configured part only. Zero in host builds.
 */
#define __noinit __section(".noinit")

/*
 * For memset and friends: keep GCC from turning their own store loop into a call to
 * themselves (its loop-distribution pass emits memset/memcpy calls). Clang's idiom recognition
 * never rewrites a function into a call to itself, and has no such attribute.
 */
#if defined(__clang__)
#define __no_libcall_loops
#else
#define __no_libcall_loops __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

/* Accesses the compiler may neither merge, tear nor move across other volatile accesses. */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define barrier() __asm__ __volatile__("" ::: "memory")

/*
 * IS_ENABLED(CONFIG_FOO) is 1 when the generated autoconf header defines CONFIG_FOO to 1 and
 * 0 when it does not define it, so configuration can be tested in C expressions (dead code
 * still compiles and is type-checked) instead of #ifdef. The defined case pastes a helper
 * macro that expands to "x," and shifts the 1 into the selected argument position.
 */
#define __bh_cfg_probe_1 x,
#define __bh_cfg_second(ignored, value, ...) value
#define __bh_cfg_select(junk_or_x) __bh_cfg_second(junk_or_x 1, 0, 0)
#define __bh_cfg_paste(value) __bh_cfg_select(__bh_cfg_probe_##value)
#define IS_ENABLED(option) __bh_cfg_paste(option)

#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
