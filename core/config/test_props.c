// SPDX-License-Identifier: Apache-2.0
/*
 * Test-only partition properties (dts/bindings/, "Test-only properties"), linked only into
 * test builds: the hypervisor with CONFIG_TEST_MONITOR, the host tool that validates test
 * layouts, and the host tests. Replaces the product parser's default, which ignores them.
 */
#include <hv/string.h>

#include "parser.h"

/* Test-only "bulkhead,test-expect" (dts/bindings/): what the test monitor expects. */
void config_parse_test_props(struct parser *p, struct hv_config_partition *part, int node)
{
    static const char *const names[] = {"pass", "fault", "off", NULL};
    const char *s = opt_string(p, node, "bulkhead,test-expect");
    int i;

    if (s == NULL) {
        return;
    }
    for (i = 0; names[i] != NULL && strcmp(s, names[i]) != 0; i++) {
    }
    if (names[i] == NULL) {
        cfg_error(p, node, "bulkhead,test-expect", "must be \"pass\", \"fault\" or \"off\"");
        return;
    }
    part->test_expect = (enum test_expect)(TEST_EXPECT_PASS + i);
}
