# SPDX-License-Identifier: Apache-2.0
fuzz-config := core/config/config.c core/config/config_print.c lib/fdt.c lib/printf.c lib/errno.c
