// SPDX-License-Identifier: Apache-2.0
/* Runner for the host unit tests: runs every registered test, or those whose name contains
 * argv[1], in registration order. */
#include <stdarg.h>
#include <stdlib.h>

#include "unit.h"

static struct unit_test *head, **tail = &head;
static int failures;

void unit_register(struct unit_test *t)
{
    *tail = t;
    tail = &t->next;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    failures++;
    fprintf(stdout, "  %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

int unit_failures(void)
{
    return failures;
}

int main(int argc, char **argv)
{
    const char *bin = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    int passed = 0, failed = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (struct unit_test *t = head; t != NULL; t = t->next) {
        if (argc > 1 && strstr(t->name, argv[1]) == NULL) {
            continue;
        }
        failures = 0;
        t->fn();
        printf("%s unit/%s/%s\n", failures ? "FAIL" : "PASS", bin, t->name);
        if (failures) {
            failed++;
        } else {
            passed++;
        }
    }
    if (passed + failed == 0) {
        printf("FAIL unit/%s: no test ran\n", bin);
        return 1;
    }
    return failed ? 1 : 0;
}
