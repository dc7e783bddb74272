# SPDX-License-Identifier: Apache-2.0
unit-console := core/console.c lib/fdt.c lib/printf.c
