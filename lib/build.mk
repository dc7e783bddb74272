# SPDX-License-Identifier: Apache-2.0
hv-y += lib/fdt.o lib/fdt_write.o lib/printf.o lib/string.o lib/errno.o lib/sha256.o
