# SPDX-License-Identifier: Apache-2.0
unit-fdt := lib/fdt.c
