# SPDX-License-Identifier: Apache-2.0
fuzz-fdt := lib/fdt.c
