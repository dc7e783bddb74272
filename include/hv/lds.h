/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pieces shared by the arch linker scripts (preprocessed with cpp -P). Every table of
 * include/hv/table.h must be listed in HV_LDS_TABLES so that it is kept and bounded.
 * clang-format must not touch these lines: ld's lexer reads ".=" and "=." inside an output
 * section as file names, so the spaces around "=" are required.
 */
#pragma once

// clang-format off
#define HV_LDS_TABLE(name)                                                                         \
    . = ALIGN(8);                                                                                  \
    __start_##name = .;                                                                            \
    KEEP(*(name))                                                                                  \
    __stop_##name = .;
// clang-format on

#define HV_LDS_TABLES                                                                              \
    HV_LDS_TABLE(hv_serial_drivers)                                                                \
    HV_LDS_TABLE(hv_units)                                                                         \
    HV_LDS_TABLE(hv_vdevs)
