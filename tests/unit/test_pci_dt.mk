# SPDX-License-Identifier: Apache-2.0
unit-pci_dt := drivers/pci/pci_dt.c lib/fdt.c \
    lib/fdt_write.c lib/string.c lib/errno.c lib/printf.c tests/unit/fake/fake_console.c
