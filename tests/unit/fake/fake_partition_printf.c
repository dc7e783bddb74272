// SPDX-License-Identifier: Apache-2.0
/*
 * partition_printf() for unit tests that link virtual devices without core/partition/
 * partition.c (which defines it): the same line, "partition <id> "<label>": <message>".
 */
#include <hv/console.h>
#include <hv/partition.h>
#include <hv/printf.h>

void partition_printf(const struct partition *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    (void)hv_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    hv_printf("partition %u \"%s\": %s", p->config->id, p->config->label, msg);
}
