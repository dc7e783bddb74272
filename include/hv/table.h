/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linker-section tables: drivers and boot units register themselves by placing a descriptor
 * in a named section instead of being listed in a hand-edited init function. Section names
 * are C identifiers, so host builds get __start_/__stop_ bounds from the linker for free and
 * the hypervisor linker scripts define the same symbols (HV_LDS_TABLE in include/hv/lds.h).
 */
#pragma once

#include <hv/compiler.h>

/* Attributes of one table entry of type T in table name. */
#define HV_TABLE_ENTRY(name) __used __section(#name) __aligned(8)

/* Iterate over every entry of table name, whose entries are of type type. */
#define hv_table_foreach(type, name, it)                                                           \
    extern const type __start_##name[], __stop_##name[];                                           \
    for (const type *it = __start_##name; it < __stop_##name; it++)
