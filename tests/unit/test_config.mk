# SPDX-License-Identifier: Apache-2.0
unit-config := core/config/config.c core/config/config_print.c lib/fdt.c lib/fdt_write.c lib/printf.c lib/errno.c
