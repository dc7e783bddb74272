/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration host unit tests are built with (stands in for the generated header). */
#pragma once

#define CONFIG_ARCH "fake"
#define CONFIG_BOARD "fake"
#define CONFIG_BOARD_DTS ""
#define CONFIG_NR_CPUS 8
#define CONFIG_DEBUG 1
/* No early console: the fake arch has no UART (the Kconfig values where no driver is built). */
#define CONFIG_EARLY_CONSOLE_PL011_BASE 0x0
#define CONFIG_EARLY_CONSOLE_CADENCE_BASE 0x0
#define CONFIG_EARLY_CONSOLE_IMX_BASE 0x0
#define CONFIG_EARLY_CONSOLE_NS16550_PORT 0x0
