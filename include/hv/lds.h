/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pieces shared by the arch linker scripts (preprocessed with cpp -P). Every table of
 * include/hv/table.h must be listed in HV_LDS_TABLES so that it is kept and bounded.
 */
#pragma once

#define HV_LDS_TABLE(name)                                                                         \
    .= ALIGN(8);                                                                                   \
    __start_##name =.;                                                                             \
    KEEP(*(name))                                                                                  \
    __stop_##name =.;

#define HV_LDS_TABLES                                                                              \
    HV_LDS_TABLE(hv_serial_drivers)                                                                \
    HV_LDS_TABLE(hv_units)
