// SPDX-License-Identifier: Apache-2.0
/*
 * The test harness's per-run nonce (include/arch/test.h). Test builds only (CONFIG_TEST_EXIT,
 * core/boot/build.mk).
 */
#include <arch/test.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/string.h>

/* The test harness's per-run nonce (arch_test_nonce), hex digits only; "" when none. */
static char test_nonce[33];

const char *hv_test_nonce(void)
{
    return test_nonce;
}

/* Called before anything else can take the nonce (no partition runs yet). */
void hv_test_nonce_read(void)
{
    char buf[sizeof(test_nonce)];
    int n = arch_test_nonce(buf, sizeof(buf));

    for (int i = 0; i < n; i++) {
        char c = buf[i];

        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            n = -EINVAL;
            break;
        }
    }
    if (n <= 0) {
        hv_printf("test: no run nonce: %s\n", n == 0 ? "empty" : errno_name(n));
        return;
    }
    memcpy(test_nonce, buf, (size_t)n + 1);
    hv_printf("test: run nonce received\n");
}
