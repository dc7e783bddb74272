/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration host unit tests are built with (stands in for the generated header). */
#pragma once

#define CONFIG_ARCH "fake"
#define CONFIG_BOARD "fake"
#define CONFIG_BOARD_DTS ""
#define CONFIG_PARTITION_LAYOUT ""
#define CONFIG_NR_CPUS 8
#define CONFIG_DEBUG 1
